"""Text an attacker (or YAML) makes tricky: bidi and format characters, terminal escapes, plain scalars."""

from __future__ import annotations

import re

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = [*BIDI, "\u200e", "\u200f", "\u061c", "\u200b", "\ufeff"]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f" + "".join(INVISIBLE) + "]")  # anything a reader must not get raw
REVERSED = "acme/\u202eetacilpuder"  # shows as "acme/replicate" reversed-looking text on GitHub
ESCAPES = "org/\x1b]8;;http://evil.test\x07click\x1b]8;;\x07\x1b[2J"

# Plain scalars YAML resolves to something other than a string, or nearly does (ruamel's 1.2 resolvers).
PLAIN_SPELLINGS = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "null",
    "Null",
    "NULL",
    "~",
    "true",
    "True",
    "FALSE",
    "1",
    "-1",
    "+1",
    "-0",
    "0017",
    "0o17",
    "0x1F",
    "+0x1F",
    "-0o7",
    "0b101",
    "+0b1",
    "1_000",
    "1__0",
    "0x_1F",
    "1_",
    "1.5",
    "1.",
    "1._",
    ".5",
    "-.5",
    "+.5",
    "._5",
    "1.5_0",
    "1e3",
    "1E3",
    "1e+3",
    "1.0e+3",
    ".5e3",
    "-.5e-3",
    "1e",
    "e3",
    ".inf",
    "-.Inf",
    "+.inf",
    ".nan",
    ".NaN",
    "-.nan",
    "12:30",
    "1:30:00",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2002-1-1",
    "_",
    "0b",
    "0x",
    "0o",
    "0o8",
]
