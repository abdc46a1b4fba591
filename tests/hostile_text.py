"""Text an attacker puts into ids: bidi and invisible format characters, terminal escape sequences."""

from __future__ import annotations

import re

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = [*BIDI, "\u200e", "\u200f", "\u061c", "\u200b", "\ufeff"]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f" + "".join(INVISIBLE) + "]")  # anything a reader must not get raw
REVERSED = "acme/\u202eetacilpuder"  # shows as "acme/replicate" reversed-looking text on GitHub
ESCAPES = "org/\x1b]8;;http://evil.test\x07click\x1b]8;;\x07\x1b[2J"
