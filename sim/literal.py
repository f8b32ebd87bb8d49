"""Text from scenario files and stores shown literally on a terminal.

Control characters (C0, C1, DEL), escape sequences, Unicode line separators and bidirectional
overrides are made visible as Python escapes, so a title cannot move the cursor, recolour the
terminal, overwrite a line with a carriage return, or reorder what is shown.

>>> printable("Judge \\x1b[31mRed\\x1b[0m\\rX")
'Judge \\\\x1b[31mRed\\\\x1b[0m\\\\rX'
>>> printable_lines("line one\\nline \\u202etwo")
'line one\\nline \\\\u202etwo'
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEPING_LINES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                                   r"\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def printable(text: str) -> str:
    """`text` on one line: every control character and direction override escaped."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """`text` with its line breaks kept and every other control character escaped."""
    return _UNSAFE_KEEPING_LINES.sub(_escape, text)


def drawable(text: str) -> str:
    """`text` for a chart: line breaks kept, every other control character and direction override dropped
    (a font has no glyph for them; the page shows the text as it is written, escaped).

    >>> drawable("Title \\x1b[31mred\\r\\nnext")
    'Title [31mred\\nnext'
    """
    return _UNSAFE_KEEPING_LINES.sub("", text)
