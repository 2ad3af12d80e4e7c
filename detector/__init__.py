"""Content-farm detector: copy detection, provenance and spam traits for news pages."""
