"""The file model: what mapping files declare, with the position of every value kept beside it.

The loader produces plain Python data (as JSON would) plus a position index; this module turns
that into typed records. It never rejects anything: a value of the wrong type becomes `None` here
and the schema check reports it, so one broken entry never hides findings in the others.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from hfmap.mapping.key import Identity, fold_key
from hfmap.mapping.record import DEFAULT_STATUS, Record

PathKey = tuple[str | int, ...]

# Rule ids, comma-separated; the first word after a space ends the list, so a reason may follow the ids
# (`# hfmap: disable=conversational-task base model, not chat`) without becoming part of an id.
DISABLE_COMMENT = re.compile(r"#\s*hfmap:\s*disable=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")


class Position(NamedTuple):
    """1-based line and column of a YAML node, as editors and `path:line:col` output count them.

    A NamedTuple rather than a dataclass: the loader makes one per node, and this is the cheap kind.
    """

    line: int
    column: int


class Span(NamedTuple):
    """From `start` to just before `end` (both 1-based): where one scalar is written in the text."""

    start: Position
    end: Position

    def covers(self, line: int, column: int) -> bool:
        return self.start <= (line, column) < self.end


class NodePos(NamedTuple):
    """Where a mapping key and its value sit (`key` is None for sequence items and the document)."""

    key: Position | None
    value: Position


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class Entry:
    """One declared mapping after `defaults` were applied; fields of the wrong type are None."""

    provider: str | None
    hf_model: str | None
    hf_filter: tuple[str, ...] | None
    provider_model: str | None
    task: str | None
    status: str | None
    adapter_type: str | None
    path: str
    index: int
    pos: Position
    raw: dict[str, Any]
    key_positions: dict[str, NodePos] = field(default_factory=dict)
    disabled_rules: frozenset[str] = frozenset()
    disable_at: Position | None = None  # where the `# hfmap: disable=` comment is

    @property
    def identity(self) -> Identity | None:
        """The Hub identity, or None when the entry names neither a usable hfModel nor a tag list."""
        if self.provider is None:
            return None
        if self.hf_model is not None and self.hf_filter is None:
            return Identity(self.provider, hf_model=self.hf_model)
        if self.hf_filter is not None and self.hf_model is None:
            return Identity(self.provider, tags=tuple(sorted(self.hf_filter)))
        return None

    def record(self) -> Record | None:
        """The declared record; None for entries too broken to plan (lint reports them)."""
        provider, task, status = self.provider, self.task, self.status
        provider_model = self.provider_model
        if provider is None or provider_model is None or task is None or status is None:
            return None
        if self.hf_model is not None and self.hf_filter is None:
            tags = None
        elif self.hf_filter is not None and self.hf_model is None:
            tags = tuple(sorted(self.hf_filter))
        else:
            return None
        return Record(provider, self.hf_model, tags, provider_model, task, status, self.adapter_type)

    def where(self, key: str | None = None, *, value: bool = True) -> Position:
        """Position of `key`'s value (or of the key itself with value=False); the entry start otherwise."""
        if key is not None and key in self.key_positions:
            node = self.key_positions[key]
            if value or node.key is None:
                return node.value
            return node.key
        return self.pos

    def is_disabled(self, rule: str) -> bool:
        return rule in self.disabled_rules or "all" in self.disabled_rules


@dataclass
class MappingFile:
    """One loaded file: its text, plain data, position index, and the entries it declares."""

    path: str
    text: str
    data: Any
    positions: dict[PathKey, NodePos]
    provider: str | None = None
    prune: bool = True
    ignore: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    explicit_settings: frozenset[str] = frozenset()
    hash_spans: list[Span] = field(default_factory=list)  # scalars holding `#` (see `comment_column`)
    _lines: list[str] | None = field(default=None, repr=False, compare=False)
    _span_index: dict[int, list[Span]] | None = field(default=None, repr=False, compare=False)

    def where(self, path: PathKey, *, value: bool = True) -> Position:
        """Position of the node at `path` (a JSON path tuple); walks up to the nearest known parent."""
        probe = tuple(path)
        while probe:
            node = self.positions.get(probe)
            if node is not None:
                return node.value if value or node.key is None else node.key
            probe = probe[:-1]
        root = self.positions.get(())
        return root.value if root else Position(1, 1)

    def entry_spans(self) -> list[tuple[int, int, Entry]]:
        """(first line, last line, entry) of every entry, in file order: what "inside an entry" means.

        An entry spans from its first line to the line before the next entry; the last one to the line
        before the next top-level key after it, or the end of the file. Disable comments and `check`'s
        choice of entries worth asking about both place findings with it.
        """
        entries = sorted(self.entries, key=lambda e: e.pos.line)
        if not entries:
            return []
        starts = [e.pos.line for e in entries]
        later_keys = [
            node.key.line
            for path, node in self.positions.items()
            if len(path) == 1 and node.key is not None and node.key.line > starts[-1]
        ]
        last_line = min(later_keys) - 1 if later_keys else max(1, len(self.text.splitlines()))
        ends = [*(s - 1 for s in starts[1:]), last_line]
        return list(zip(starts, ends, entries, strict=True))

    @property
    def lines(self) -> list[str]:
        """The text's lines, split once: disable comments, lint and fmt ask about many entries."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def comment_column(self, line: int, text: str | None = None) -> int | None:
        """0-based index where a real YAML comment starts on `line` (its `text`, if the caller has it).

        A `#` starts a comment only at the start of a line or after a space or tab, and never inside a
        scalar: `hfModel: "a # b"` and `acme/x#y` hold no comment. The loader records where every scalar
        holding `#` is written, so this needs no second parse.
        """
        text = self.line_text(line) if text is None else text
        index = text.find("#")
        if index == -1:
            return None
        spans = self._spans_by_line().get(line, ())
        while index != -1:
            if (index == 0 or text[index - 1] in " \t") and not any(
                span.covers(line, index + 1) for span in spans
            ):
                return index
            index = text.find("#", index + 1)
        return None

    def _spans_by_line(self) -> dict[int, list[Span]]:
        """`hash_spans` by each line they touch (a file of many `#` values stays linear to check)."""
        if self._span_index is None:
            self._span_index = {}
            for span in self.hash_spans:
                for number in range(span.start.line, span.end.line + 1):
                    self._span_index.setdefault(number, []).append(span)
        return self._span_index

    def disable_comment(self, line: int, text: str | None = None) -> tuple[frozenset[str], Position] | None:
        """The rules a `# hfmap: disable=...` comment on `line` names, and where it is; None without one."""
        text = self.line_text(line) if text is None else text
        start = self.comment_column(line, text) if "hfmap" in text else None
        match = DISABLE_COMMENT.search(text, start) if start is not None else None
        if match is None:
            return None
        rules = frozenset(part.strip() for part in match.group(1).split(",") if part.strip())
        return rules, Position(line, match.start() + 1)


def is_ignored(key: str, patterns: tuple[str, ...]) -> bool:
    """An `ignore` pattern covers `key`; repo ids in any case, as the Hub resolves them (never delete by
    a case slip), tag-filter keys exactly."""
    if not patterns:
        return False
    exact, folded_patterns = _ignore_matchers(patterns)
    if exact.match(key):
        return True
    folded = fold_key(key)
    return folded is not None and folded_patterns.match(folded) is not None


def first_ignoring_pattern(key: str, patterns: tuple[str, ...]) -> str | None:
    """The first pattern that covers `key` (for a message), by the same matching as `is_ignored`.

    Matched pattern by pattern with fnmatch, not through `is_ignored(key, (p,))`: that would compile and
    cache a regex per pattern and push the whole list's regex out of the cache."""
    if not is_ignored(key, patterns):
        return None
    folded = fold_key(key)
    return next(
        p
        for p in patterns
        if fnmatch.fnmatchcase(key, p) or (folded is not None and fnmatch.fnmatchcase(folded, p.lower()))
    )


@functools.lru_cache(maxsize=64)
def _ignore_matchers(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """All patterns as one regex (as typed, and lower-cased for folded repo ids), compiled once per list:
    matching entry by pattern was quadratic (4,000 entries and 4,000 patterns took half a minute)."""

    def union(items: Iterable[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{fnmatch.translate(item)})" for item in items))

    return union(patterns), union(p.lower() for p in patterns)


@dataclass
class ProviderDeclaration:
    """Everything the files say about one provider, merged across files."""

    name: str
    files: list[MappingFile] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def prune(self) -> bool:
        """True unless a file says otherwise (disagreement is the `provider-settings` rule's job)."""
        explicit = [f.prune for f in self.files if "prune" in f.explicit_settings]
        return explicit[0] if explicit else True

    @property
    def ignore(self) -> tuple[str, ...]:
        """Every file's patterns, each once, in order (a dict keeps it linear in the number of patterns)."""
        return tuple(dict.fromkeys(p for file in self.files for p in file.ignore))


@dataclass
class Declared:
    """All loaded files, grouped by provider."""

    files: list[MappingFile]

    @property
    def providers(self) -> dict[str, ProviderDeclaration]:
        grouped: dict[str, ProviderDeclaration] = {}
        for file in self.files:
            if file.provider is None:
                continue
            decl = grouped.setdefault(file.provider, ProviderDeclaration(file.provider))
            decl.files.append(file)
            decl.entries.extend(file.entries)
        return grouped

    @property
    def entries(self) -> list[Entry]:
        return [entry for file in self.files for entry in file.entries]


_LONE_DASH = re.compile(r"^( *)-[ \t]*(#.*)?$")


def lone_dash_above(lines: Sequence[str], index: int) -> tuple[int, int] | None:
    """(0-based line, indent) of the `-` standing alone above line `index`, blank and comment lines
    between skipped; None when something else is there. Disable comments and fmt find an entry's dash
    this one way."""
    probe = index - 1
    while probe >= 0 and (not lines[probe].strip() or lines[probe].lstrip().startswith("#")):
        probe -= 1
    match = _LONE_DASH.match(lines[probe].rstrip("\r\n")) if probe >= 0 else None
    return (probe, len(match.group(1))) if match else None


def _entry_disable(file: MappingFile, pos: Position) -> tuple[frozenset[str], Position] | None:
    """The disable comment of the entry starting at `pos`: on its first line, which is the line of its
    `-` when the dash stands alone above the first key, or on the first key's line."""
    lines = file.lines
    candidates = [pos.line]
    if not file.line_text(pos.line)[: pos.column - 1].strip():  # not `- hfModel: ...` on one line
        dash = lone_dash_above(lines, pos.line - 1)
        if dash is not None:
            candidates.insert(0, dash[0] + 1)
    return next((found for line in candidates if (found := file.disable_comment(line)) is not None), None)


def _tags(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return tuple(value)
    return None


def build_file(
    path: str,
    text: str,
    data: Any,
    positions: dict[PathKey, NodePos],
    hash_spans: list[Span] | None = None,
) -> MappingFile:
    """Turn loaded data into a `MappingFile`; tolerant of any shape (the schema reports the rest)."""
    file = MappingFile(path=path, text=text, data=data, positions=positions, hash_spans=hash_spans or [])
    if not isinstance(data, dict):
        return file
    file.provider = _str_or_none(data.get("provider"))
    file.explicit_settings = frozenset(k for k in ("prune", "ignore") if k in data)
    prune = data.get("prune", True)
    file.prune = prune if isinstance(prune, bool) else True
    ignore = data.get("ignore")
    if isinstance(ignore, list):
        file.ignore = tuple(p for p in ignore if isinstance(p, str))
    defaults = data.get("defaults")
    file.defaults = defaults if isinstance(defaults, dict) else {}
    mappings = data.get("mappings")
    if not isinstance(mappings, list):
        return file
    comments = "hfmap" in text  # only then can an entry carry a disable comment
    defaults = file.defaults
    for index, item in enumerate(mappings):
        if not isinstance(item, dict):
            continue
        base: PathKey = ("mappings", index)
        item_pos = positions.get(base)
        pos = item_pos.value if item_pos else file.where(base)
        key_positions = {k: p for k in item if (p := positions.get(("mappings", index, k))) is not None}
        disable = _entry_disable(file, pos) if comments else None
        merged = {**defaults, **item} if defaults else item
        status = merged.get("status", DEFAULT_STATUS)
        file.entries.append(
            Entry(
                provider=file.provider,
                hf_model=_str_or_none(item.get("hfModel")),
                hf_filter=_tags(item.get("hfFilter")),
                provider_model=_str_or_none(merged.get("providerModel")),
                task=_str_or_none(merged.get("task")),
                status=_str_or_none(status),
                adapter_type=_str_or_none(merged.get("adapterType")),
                path=path,
                index=index,
                pos=pos,
                raw=item,
                key_positions=key_positions,
                disabled_rules=disable[0] if disable else frozenset(),
                disable_at=disable[1] if disable else None,
            )
        )
    return file
