"""Spam-trait extractors: pure functions over an extracted article and its DOM."""
