"""What a language model's chat leaves in a text a site pasted without reading: its replies, refusals and the
prompt itself ("As an AI language model, I cannot ...", "Certainly! Here is a rewritten version of the article:",
"I hope this helps!", "Rewrite the following article to be 100% unique").

Why: sites that rewrite other outlets' stories with a chatbot, at the rate of dozens a day, leave such lines in;
NewsGuard's 2023-2025 reports on AI content farms list them as the mark that gives those sites away, and an outside
probe's AI-rewritten farm copies, furnished like newsroom pages, read clean without them being read (17 of 20
without an index). A newsroom that writes about such sites quotes the lines: a line quoting one (a quotation mark
right before it) is no leftover.
"""

from __future__ import annotations

from features.registry import trait
from features.view import PageView

#: Quotation marks: straight ones toggle a quotation, the others open or close one ("„...“" in German opens with
#: "„" and closes with "“", which opens one in English: either way it is a quotation the hit stands in).
_TOGGLE = frozenset('"')
_OPEN = frozenset("“„«‹")
_CLOSE = frozenset("”»›")


@trait(
    name="ai_chat_leftovers",
    meaning="Lines holding a chatbot's reply, refusal or prompt left in the text ('As an AI language model', "
            "'Certainly! Here is a rewritten version'), not quoted.",
    family="boilerplate",
)
def ai_chat_leftovers(view: PageView) -> tuple[float, str | None]:
    """Distinct lines with a leftover the phrase lists hold (``ai_leftover``) outside quotation marks, the first
    as evidence."""
    kept = [f for f in view.found.get("ai_leftover", ()) if not _quoted(view.lines[f.line].tokens, f.hit.start)]
    lines = list(dict.fromkeys(f.line for f in kept))
    return float(len(lines)), (view.evidence_of(kept[0]) if kept else None)


def _quoted(tokens: tuple[str, ...] | list[str], start: int) -> bool:
    """Whether token ``start`` of a line stands inside a quotation opened before it on the line."""
    inside = False
    for token in tokens[:start]:
        if token in _TOGGLE:
            inside = not inside
        elif token in _OPEN:
            inside = not inside if token == "“" and inside else True
        elif token in _CLOSE:
            inside = False
    return inside
