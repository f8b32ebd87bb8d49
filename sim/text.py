"""Small text helpers shared by the engine's docket text and the narration."""

import datetime as dt
import re
from collections.abc import Callable

_DOUBLE_STOP = re.compile(r"\.\.(?!\.)")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def tidy(text: str) -> str:
    """A sentence as the docket shows it: capitalised, and one full stop where a name ending in
    "Corp." also ends the sentence."""
    if text[:1].islower():
        text = text[:1].upper() + text[1:]
    return _DOUBLE_STOP.sub(".", text) if ".." in text else text


def dates_written(text: str, write: Callable[[dt.date], str]) -> str:
    """`text` with each ISO date in it ("2018-03-23", as events record dates) written by `write` as people
    read them (a docket's 03/23/2018, the narration's 23 March 2018); what only looks like one is left as it is."""
    def written(found: re.Match[str]) -> str:
        try:
            return write(dt.date.fromisoformat(found[0]))
        except ValueError:
            return found[0]
    return _ISO_DATE.sub(written, text) if "-" in text else text
