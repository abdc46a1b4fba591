"""Canonical order for mapping files: top-level keys, entry keys and entries, with every comment kept.

Why whole lines are moved instead of dumping a ruamel round-trip tree: the round-trip emitter hangs a
comment that sits above an entry on the *previous* entry, re-wraps long values and normalises spacing,
so a reorder would silently re-style a file. Here the loader's positions cut the text into chunks (a
key or an entry with the comment and blank lines directly above it) and only the chunks' order
changes. Quoting, indentation, flow lists and end-of-line comments stay exactly as written, and a file
that is already canonical comes back byte for byte. Every result is re-parsed and compared with the
input data before it is returned, so `fmt` can never change a value.

Canonical order:
- top level: `provider`, `defaults`, `prune`, `ignore`, `mappings`, then any other key as it was;
- an entry: `hfModel`, `hfFilter`, `providerModel`, `task`, `status`, `adapterType`, then the rest;
- entries: by task (the entry's, else `defaults.task`), then by identity (`hfModel`, or `tag-filter=`
  plus the sorted tags, as the Hub keys it), case-insensitively with the exact text breaking ties;
  the sort is stable.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hfmap.files.load import load_text
from hfmap.files.model import MappingFile, Position, lone_dash_above
from hfmap.mapping.key import mapping_key

TOP_LEVEL_ORDER = ("provider", "defaults", "prune", "ignore", "mappings")
ENTRY_ORDER = ("hfModel", "hfFilter", "providerModel", "task", "status", "adapterType")

_DASH_PREFIX = re.compile(r"^( *)-( +)$")


class FormatError(ValueError):
    """The text cannot be formatted (not loadable, or a layout fmt cannot reorder safely)."""

    def __init__(self, message: str, pos: Position | None = None) -> None:
        super().__init__(message if pos is None else f"line {pos.line}, column {pos.column}: {message}")
        self.message = message
        self.pos = pos


def canonical_keys(keys: Sequence[str], order: Sequence[str]) -> list[str]:
    """`keys` in canonical order: the known ones as `order` lists them, unknown ones after, as they were."""
    known = [key for key in order if key in keys]
    return known + [key for key in keys if key not in order]


def identity_key(item: Any) -> str:
    """The Hub's key of an entry (`hfModel`, or `tag-filter=` + sorted tags); "" when it has neither."""
    if not isinstance(item, Mapping):
        return ""
    hf_model = item.get("hfModel")
    if isinstance(hf_model, str):
        return hf_model
    tags = item.get("hfFilter")
    if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
        return mapping_key(None, tags)
    return ""


def entry_sort_key(item: Any, defaults: Any = None) -> tuple[str, str, str]:
    """Sort key of an entry: task, then identity (case-insensitive first, exact text to break ties)."""
    task: Any = None
    if isinstance(item, Mapping):
        task = item.get("task")
        if task is None and isinstance(defaults, Mapping):
            task = defaults.get("task")
    key = identity_key(item)
    return (task if isinstance(task, str) else "", key.casefold(), key)


# --- reading the layout -------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_lead(line: str, column: int) -> bool:
    """A blank line, or a comment indented no deeper than `column`: it belongs to what follows it."""
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and _indent(line) <= column)


@dataclass
class _Chunk:
    """Lines [start, end) of one key or entry; `anchor` is its first content line (after its lead)."""

    start: int
    anchor: int
    end: int


@dataclass
class _Region:
    head_end: int  # lines [region start, head_end) stay in front
    chunks: list[_Chunk]
    footer_start: int  # lines [footer_start, region end) stay behind


def _partition(
    lines: list[str], start: int, end: int, anchors: list[int], column: int, fixed_head: bool
) -> _Region:
    """Cut lines[start:end] into a head, one chunk per anchor line, and a footer.

    A chunk owns the blank lines and comments directly above its anchor (indented at most `column`,
    the column of the keys or dashes being ordered): a comment above an entry is that entry's. With
    `fixed_head`, what precedes the first anchor stays in place (the file's header comments).
    """
    footer_start = end
    while footer_start - 1 > anchors[-1] and _is_lead(lines[footer_start - 1], column):
        footer_start -= 1
    starts: list[int] = []
    for index, anchor in enumerate(anchors):
        lower = start if index == 0 else anchors[index - 1] + 1
        first = anchor
        if not (index == 0 and fixed_head):
            while first - 1 >= lower and _is_lead(lines[first - 1], column):
                first -= 1
        starts.append(first)
    chunks = [
        _Chunk(starts[i], anchors[i], starts[i + 1] if i + 1 < len(anchors) else footer_start)
        for i in range(len(anchors))
    ]
    return _Region(starts[0], chunks, footer_start)


def _blank_prefix(lines: list[str]) -> int:
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return count


def _arrange(pieces: list[list[str]], order: list[int]) -> list[list[str]]:
    """`pieces` in `order`, with the blank lines that separate groups kept between groups.

    A chunk's blank lines above its comment travel with it, except at the top of a list: the chunk
    that becomes first hands its blank lines to the one that was first, so a moved group header
    still has its empty line above it and the list never starts with one.
    """
    if not order or order[0] == 0:
        return [pieces[i] for i in order]
    pieces = list(pieces)
    new_first = pieces[order[0]]
    blanks = _blank_prefix(new_first)
    if blanks and not _blank_prefix(pieces[0]):
        pieces[order[0]] = new_first[blanks:]
        pieces[0] = new_first[:blanks] + pieces[0]
    return [pieces[i] for i in order]


def _line_of(pos: Position) -> int:
    return pos.line - 1


def _check_increasing(lines_at: list[int], what: str, pos: Position) -> None:
    if any(b <= a for a, b in itertools.pairwise(lines_at)):
        raise FormatError(f"{what} share a line (flow style); write one key per line so fmt can reorder", pos)


def _split_eol(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


def _move_disable_comment(old_first: str, new_first: str, at: int | None) -> tuple[str, str]:
    """Keep a `# hfmap: disable=...` comment (starting at index `at` of the old first line, as the loader
    found it: a real comment, never text inside a value) on the entry's first line when keys move."""
    if at is None:
        return old_first, new_first
    body, eol = _split_eol(old_first)
    comment = body[at:]
    old_first = body[:at].rstrip() + eol
    new_body, new_eol = _split_eol(new_first)
    return old_first, f"{new_body}  {comment}{new_eol}"


class _Formatter:
    def __init__(self, text: str, mapping_file: MappingFile) -> None:
        self.text = text
        self.file = mapping_file
        self.data = mapping_file.data
        self.positions = mapping_file.positions
        self.lines = text.splitlines(keepends=True)

    def _char_at(self, pos: Position) -> str:
        line = self.lines[pos.line - 1] if 0 < pos.line <= len(self.lines) else ""
        return line[pos.column - 1 : pos.column] if pos.column - 1 < len(line) else ""

    def render(self) -> list[str]:
        data = self.data
        root = self.positions[()].value
        if self._char_at(root) == "{":
            raise FormatError("the top level is a flow mapping `{...}`; write it in block style", root)
        keys = list(data)
        if any((key,) not in self.positions for key in keys):
            raise FormatError("top-level keys come from a merge key `<<`; fmt cannot reorder them", root)
        key_pos = [self.positions[(key,)].key for key in keys]
        anchors = [_line_of(pos) for pos in key_pos]  # type: ignore[arg-type]
        _check_increasing(anchors, "top-level keys", root)
        column = key_pos[0].column - 1  # type: ignore[union-attr]
        region = _partition(self.lines, 0, len(self.lines), anchors, column, fixed_head=True)
        order = canonical_keys(keys, TOP_LEVEL_ORDER)
        pieces: list[list[str]] = []
        for index, key in enumerate(keys):
            chunk = region.chunks[index]
            if key == "mappings" and isinstance(data[key], list) and data[key]:
                piece = self.lines[chunk.start : chunk.anchor + 1]
                piece.extend(self._render_mappings(chunk.anchor + 1, chunk.end))
            else:
                self._require_own_line(chunk, column, moved=order.index(key) != index)
                piece = self.lines[chunk.start : chunk.end]
            pieces.append(piece)
        out = self.lines[: region.head_end]
        for piece in _arrange(pieces, [keys.index(key) for key in order]):
            out.extend(piece)
        out.extend(self.lines[region.footer_start :])
        return out

    def _require_own_line(self, chunk: _Chunk, column: int, moved: bool) -> None:
        if moved and self.lines[chunk.anchor][:column].strip():
            raise FormatError(
                "a top-level key does not start its own line; fmt cannot move it",
                Position(chunk.anchor + 1, 1),
            )

    def _dash_line(self, index: int) -> tuple[int, int, bool]:
        """(line of the entry's dash, dash column, whether the first key shares the dash's line)."""
        pos = self.positions[("mappings", index)].value
        line = _line_of(pos)
        text = self.lines[line]
        if self._char_at(pos) in ("{", "["):
            return line, _indent(text), False
        prefix = _DASH_PREFIX.match(text[: pos.column - 1])
        if prefix:
            return line, len(prefix.group(1)), True
        alone = lone_dash_above(self.lines, line)
        if alone is None:
            raise FormatError("cannot find this entry's `-`; write `mappings` as a block list", pos)
        return alone[0], alone[1], False

    def _render_mappings(self, start: int, end: int) -> list[str]:
        items = self.data["mappings"]
        seq_pos = self.positions[("mappings",)].value
        if self._char_at(seq_pos) == "[":
            raise FormatError(
                "`mappings` is a flow list `[...]`; write it as a block list (`- hfModel: ...`)", seq_pos
            )
        dashes = [self._dash_line(i) for i in range(len(items))]
        anchors = [dash for dash, _, _ in dashes]
        _check_increasing(anchors, "entries of `mappings`", seq_pos)
        column = dashes[0][1]
        region = _partition(self.lines, start, end, anchors, column, fixed_head=False)
        defaults = self.data.get("defaults")
        order = sorted(range(len(items)), key=lambda i: entry_sort_key(items[i], defaults))
        pieces = [self._render_entry(i, region.chunks[i], dashes[i][2]) for i in range(len(items))]
        out = self.lines[start : region.head_end]
        for piece in _arrange(pieces, order):
            out.extend(piece)
        out.extend(self.lines[region.footer_start : end])
        return out

    def _render_entry(self, index: int, chunk: _Chunk, inline_dash: bool) -> list[str]:
        item = self.data["mappings"][index]
        whole = self.lines[chunk.start : chunk.end]
        if not isinstance(item, dict) or len(item) < 2:
            return whole
        base = ("mappings", index)
        entry_pos = self.positions[base].value
        if self._char_at(entry_pos) == "{":
            return whole  # a flow mapping keeps its own key order (documented limitation)
        keys = list(item)
        if any((*base, key) not in self.positions for key in keys):
            return whole  # keys that come from a merge (`<<: *anchor`) have no line of their own
        order = canonical_keys(keys, ENTRY_ORDER)
        if order == keys:
            return whole
        # not subscripted in place: mypy (target 3.10) takes `[(*a, b)]` for 3.11's `[*a, b]`
        paths = [(*base, key) for key in keys]
        key_pos = [self.positions[path].key for path in paths]
        anchors = [_line_of(pos) for pos in key_pos]  # type: ignore[arg-type]
        _check_increasing(anchors, "keys of an entry", entry_pos)
        column = key_pos[0].column - 1  # type: ignore[union-attr]
        region = _partition(self.lines, chunk.anchor, chunk.end, anchors, column, fixed_head=True)
        pieces = [list(self.lines[c.start : c.end]) for c in region.chunks]
        leads = [c.anchor - c.start for c in region.chunks]
        out = self.lines[chunk.start : region.head_end]
        new_first = keys.index(order[0])
        if new_first != 0:
            old = pieces[0]
            new = pieces[new_first]
            found = self.file.disable_comment(region.chunks[0].anchor + 1)
            at: int | None
            if found is not None:  # it applies: it moves to the line that becomes first
                at = found[1].column - 1
                old_line, new_line = _move_disable_comment(old[leads[0]], new[leads[new_first]], at)
            else:  # one on the line that becomes first does not apply yet: it stays out of effect
                inert = self.file.disable_comment(region.chunks[new_first].anchor + 1)
                at = inert[1].column - 1 if inert else None
                new_line, old_line = _move_disable_comment(new[leads[new_first]], old[leads[0]], at)
            if inline_dash:
                prefix = old_line[:column]
                if new_line[:column].strip():
                    raise FormatError(
                        "an entry key does not start its own line", Position(chunk.anchor + 1, 1)
                    )
                old_line, new_line = " " * column + old_line[column:], prefix + new_line[column:]
                out = (
                    self.lines[chunk.start : chunk.anchor]
                    + new[: leads[new_first]]
                    + self.lines[chunk.anchor : region.head_end]
                )
                new = new[leads[new_first] :]
                leads[new_first] = 0
            old[leads[0]] = old_line
            new[leads[new_first]] = new_line
            pieces[new_first] = new
        for key in order:
            out.extend(pieces[keys.index(key)])
        out.extend(self.lines[region.footer_start : chunk.end])
        return out


def load_or_raise(text: str, name: str) -> MappingFile:
    mapping_file, findings = load_text(text, name)
    if mapping_file is None:
        finding = findings[0]
        raise FormatError(finding.message, Position(finding.line, finding.column))
    return mapping_file


def _fingerprint(mapping_file: MappingFile) -> tuple[Any, list[tuple[str, frozenset[str]]]]:
    """The data (dicts compare without order, lists with it) and each entry's disabled rules."""
    data = mapping_file.data
    disabled = sorted((_canonical(entry.raw), entry.disabled_rules) for entry in mapping_file.entries)
    return data, disabled


def _canonical(value: Any) -> str:
    """A text that is equal for equal data whatever the key order (keys may be None, 1, '1', ...)."""
    if isinstance(value, dict):
        items = sorted((repr(key), _canonical(item)) for key, item in value.items())
        return "{" + ",".join(f"{key}:{item}" for key, item in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    return repr(value)


def format_text(text: str, name: str = "<text>") -> str:
    """Return `text` in canonical order; the same string when it already is. Raises `FormatError`."""
    return format_loaded(load_or_raise(text, name))


def format_loaded(mapping_file: MappingFile) -> str:
    """`format_text` for a file the caller already loaded (`hfmap fmt` loads once, for its findings)."""
    text, name = mapping_file.text, mapping_file.path
    if not isinstance(mapping_file.data, dict) or not mapping_file.data:
        return text
    body, tail = _split_document_end(text)
    eol = _LINE_BREAK.search(body)
    newline = eol.group() if eol else "\n"
    missing_newline = bool(body) and not body.endswith(("\n", "\r"))
    formatter = _Formatter(body + newline if missing_newline else body, mapping_file)
    result = "".join(formatter.render())
    if missing_newline:
        result = result[: -len(newline)]
    result += tail
    if result == text:
        return text
    _verify(mapping_file, result, name)
    return result


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DOCUMENT_END = re.compile(r"\.\.\.(?:[ \t]|$)")


def _split_document_end(text: str) -> tuple[str, str]:
    """(the document, its `...` end marker line and the comments after it), so the marker stays last.

    A `...` at column 0 can only end the document (it may not appear inside a scalar there), and the
    loader accepts one document, so nothing but comments and blank lines may follow it.
    """
    lines = text.splitlines(keepends=True)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if _DOCUMENT_END.match(line.rstrip("\r\n")):
            return "".join(lines[:index]), "".join(lines[index:])
        if line.strip() and not line.lstrip().startswith("#"):
            break
    return text, ""


def expected_data(data: dict[str, Any]) -> dict[str, Any]:
    expected = dict(data)
    items = data.get("mappings")
    if isinstance(items, list):
        expected["mappings"] = sorted(items, key=lambda item: entry_sort_key(item, data.get("defaults")))
    return expected


def _verify(before: MappingFile, result: str, name: str) -> None:
    """Refuse a result that does not load to the same data: fmt only ever moves lines."""
    try:
        after = load_or_raise(result, name)
    except FormatError as exc:
        raise FormatError(
            f"reordering would break the YAML ({exc.message}); reorder this file by hand "
            "(anchors and aliases cannot always be moved)"
        ) from None
    data_before, disabled_before = _fingerprint(before)
    data_after, disabled_after = _fingerprint(after)
    if data_after != expected_data(data_before) or disabled_after != disabled_before:
        raise FormatError("reordering would change the data; reorder this file by hand")
