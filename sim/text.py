"""Small text helpers shared by the engine's docket text and the narration."""

import re

_DOUBLE_STOP = re.compile(r"\.\.(?!\.)")


def tidy(text: str) -> str:
    """A sentence as the docket shows it: capitalised, and one full stop where a name ending in
    "Corp." also ends the sentence."""
    if text[:1].islower():
        text = text[:1].upper() + text[1:]
    return _DOUBLE_STOP.sub(".", text) if ".." in text else text
