"""What a language model's chat leaves in a text a site pasted without reading: its replies, refusals and the
prompt itself ("As an AI language model, I cannot ...", "Certainly! Here is a rewritten version of the article:",
"I hope this helps!", "Rewrite the following article to be 100% unique").

Why: sites that rewrite other outlets' stories with a chatbot, at the rate of dozens a day, leave such lines in;
NewsGuard's 2023-2025 reports on AI content farms list them as the mark that gives those sites away, and an outside
probe's AI-rewritten farm copies, furnished like newsroom pages, read clean without them being read (17 of 20
without an index). A newsroom that writes about such sites quotes the lines: a leftover inside quotation marks
(``features.phrases.in_quotation``) is no leftover.
"""

from __future__ import annotations

from features.phrases import in_quotation
from features.registry import trait
from features.view import PageView


@trait(
    name="ai_chat_leftovers",
    meaning="Lines holding a chatbot's reply, refusal or prompt left in the text ('As an AI language model', "
            "'Certainly! Here is a rewritten version'), not quoted.",
    family="boilerplate",
)
def ai_chat_leftovers(view: PageView) -> tuple[float, str | None]:
    """Distinct lines with a leftover the phrase lists hold (``ai_leftover``) outside quotation marks, the first
    as evidence."""
    kept = [f for f in view.found.get("ai_leftover", ()) if not in_quotation(view.lines[f.line].tokens, f.hit.start)]
    lines = list(dict.fromkeys(f.line for f in kept))
    return float(len(lines)), (view.evidence_of(kept[0]) if kept else None)

