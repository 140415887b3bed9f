"""The characters no text from a file may carry raw to a terminal or into a saved file: C0 and
C1 controls, DEL, line and paragraph separators, bidi controls (the joiners U+200C/D, which
scripts need, are not among them) and lone surrogates. `render.text.literal` shows them as
escapes; JSON written by mlcareer holds them as `\\uXXXX`, so that it reads back anywhere."""

from __future__ import annotations

import re

CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# In a string json.dumps writes C0 as \u00XX already; a raw newline is the indentation's own.
_UNSAFE_IN_JSON = re.compile(f"(?!\\n)[{CONTROLS}]")


def escape_json(text: str) -> str:
    """JSON text with the characters above written as `\\uXXXX`: the same data, safe to show."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
