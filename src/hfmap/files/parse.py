"""YAML text → plain data and the position of every node, from the (C-accelerated) event stream.

Why events and not `YAML().load()`: the round-trip loader is several times slower and the safe loader
forgets positions. Building from the event stream gives JSON-like data, a position for every node,
duplicate-key detection with both places, and a guard against alias bombs, all in one pass: alias
expansion is counted, never performed. Results do not depend on ruamel.yaml.clib: where libyaml refuses a
document the pure-Python parser decides (`HFMAP_YAML_PURE=1` uses it only).
"""

from __future__ import annotations

import gc
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ruamel.yaml import YAML, events
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from hfmap.files.model import NodePos, PathKey, Position, Span
from hfmap.files.problem import LoadProblem
from hfmap.files.scalars import YAML_TAG, resolve_plain, resolve_tagged

MAX_NODES = 2_000_000  # nodes after alias expansion; a billion-laughs file stops here, unexpanded
MAX_DEPTH = 64  # nested lists/mappings; a mapping file needs 4, and deeper data would hit Python's recursion


_new = tuple.__new__  # Position(...)/NodePos(...) without the NamedTuple's Python-level __new__ (hot path)
_NO_KEY: Any = object()  # a mapping frame waiting for its next key (None is a key: `null:` or `? `)
_MERGE = "<<"  # a plain `<<` key; a quoted "<<" is an ordinary key, as in ruamel's safe loader
_MERGE_SLOT: Any = object()
_RESERVED_VALUES = {
    "<<": "a plain << is a merge key, not a value; quote it",
    "=": "a plain = is reserved in YAML as a value; quote it",
}  # the pending key is a merge: its value is merged when the mapping ends
_ANCHOR_NAME = re.compile(r"[A-Za-z0-9_-]+")
_ANCHOR_END = frozenset(" \t\r\n,[]{}")
_COLLECTION_TAGS = {"map": YAML_TAG + "map", "seq": YAML_TAG + "seq"}


def shown_key(key: Any) -> str:
    """A mapping key as YAML writes it, for messages: `'provider'`, `null`, `true`, `1`."""
    if isinstance(key, str):
        return repr(key)
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


@dataclass(slots=True)
class _Frame:
    """A list or mapping being built: slots, since the builder reads them once per scalar."""

    container: Any  # the list or dict
    path: PathKey
    anchor: str | None
    weight: int = 1  # nodes after alias expansion, itself included
    depth: int = 0  # the deepest child's nesting, aliases included
    pending_key: Any = _NO_KEY  # a mapping's key whose value comes next
    pending_key_pos: Position | None = None
    seen_keys: dict[Any, tuple[Position, Any]] = field(default_factory=dict)  # key -> (where, as written)
    merges: list[tuple[Any, Position | None]] = field(default_factory=list)  # `<<` values, merged at the end


class _Builder:
    """Consumes parser events and builds data, positions and the expanded-size count.

    Keys resolve like values (`1:` is the integer 1, `null:` is None), as ruamel's safe loader does,
    so `1:` beside `'1':` is two keys. Tags other than the standard ones are refused on every node,
    and anchor names are checked against the source text, so the C and the pure-Python parser (which
    read `&an:chor` differently) give the same data or the same refusal.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None  # split only when an anchor needs checking
        self.positions: dict[PathKey, NodePos] = {}
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # anchor -> (value, expanded weight, depth)
        self.open_anchors: set[str] = set()
        self.total = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        # Where scalars holding `#` sit, so a `# hfmap: disable=` inside a value is never read as a comment.
        self.hash_spans: list[Span] = []

    def _grow(self, weight: int, pos: Position) -> None:
        self.total += weight
        if self.total > MAX_NODES:
            raise LoadProblem(
                f"document expands to more than {MAX_NODES:,} nodes through aliases (an alias bomb?); "
                "mapping files do not need anchors that deep",
                pos,
            )

    def _slot(self, pos: Position, *, is_scalar_key_ok: bool) -> tuple[PathKey, Position | None] | None:
        """Where the next node goes: returns (path, key_pos) for values, None when it is a mapping key."""
        if not self.stack:
            return (), None
        frame = self.stack[-1]
        container = frame.container
        if isinstance(container, list):
            return (*frame.path, len(container)), None
        key = frame.pending_key
        if key is _NO_KEY:
            if not is_scalar_key_ok:
                raise LoadProblem("a mapping key must be a plain value, not a list or mapping", pos)
            return None
        return (*frame.path, _MERGE if key is _MERGE_SLOT else key), frame.pending_key_pos

    def _check_anchor(self, anchor: str, sigil: str, mark: Any) -> None:
        """Anchor and alias names as both parsers read them: letters, digits, `-`, `_` (libyaml's set).

        libyaml ends `&an:chor` at the `:` (the value becomes `:chor ...`), the pure parser keeps the
        `:` in the name: the source text decides, and any name outside that set is refused.
        """
        if self._lines is None:
            self._lines = self.text.splitlines()
        lines = self._lines
        line = lines[mark.line] if mark.line < len(lines) else ""
        start = line.find(sigil + anchor, mark.column)
        if start == -1:
            return
        end = start + 1
        while end < len(line) and line[end] not in _ANCHOR_END:
            end += 1
        name = line[start + 1 : end]
        if name != anchor or not _ANCHOR_NAME.fullmatch(name):
            what = "an anchor" if sigil == "&" else "an alias"
            raise LoadProblem(
                f"{what} name {sigil}{name} has characters other than letters, digits, '-' and '_'; "
                "rename it",
                Position(mark.line + 1, start + 1),
            )

    def _key(self, key: Any, pos: Position, *, merge: bool = False) -> None:
        """Take `key` as the pending key of the mapping being built (duplicates refused, both places)."""
        frame = self.stack[-1]
        seen = frame.seen_keys
        if merge:
            key = _MERGE
            if _MERGE_SLOT in seen:  # one merge per mapping (a list merges several), as ruamel allows
                first = seen[_MERGE_SLOT][0]
                raise LoadProblem(
                    f"duplicate merge key << (first at line {first.line}, column {first.column}); "
                    "merge several mappings with one `<<: [*a, *b]`",
                    pos,
                )
            seen[_MERGE_SLOT] = (pos, key)
        elif key in seen:
            first, first_key = seen[key]
            same = "" if shown_key(first_key) == shown_key(key) else f", as {shown_key(first_key)}"
            raise LoadProblem(
                f"duplicate key {shown_key(key)} (first defined{same} at line {first.line}, "
                f"column {first.column})",
                pos,
            )
        else:
            seen[key] = (pos, key)
        frame.pending_key, frame.pending_key_pos = (_MERGE_SLOT if merge else key), pos
        if merge:  # the position of a merged value is never recorded: keep the key's
            path = (*frame.path, key)  # a local: mypy (target 3.10) takes `[(*a, b)]` for 3.11's `[*a, b]`
            self.positions[path] = NodePos(pos, pos)
        self._grow(1, pos)

    def _check_depth(self, depth: int, pos: Position) -> None:
        """Refuse nesting Python would recurse through (`fmt`'s comparison, jsonschema), aliases included."""
        if len(self.stack) + depth > MAX_DEPTH:
            raise LoadProblem(
                f"YAML nesting is too deep (over {MAX_DEPTH} levels; mapping files need 4)", pos
            )

    def _attach(self, value: Any, weight: int, pos: Position, depth: int = 0) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.weight += weight
        if depth > frame.depth:
            frame.depth = depth
        container = frame.container
        if isinstance(container, list):
            container.append(value)
            return
        key = frame.pending_key
        if key is _MERGE_SLOT:
            frame.merges.append((value, frame.pending_key_pos))
        else:
            container[key] = value
        frame.pending_key, frame.pending_key_pos = _NO_KEY, None

    def scalar(self, event: Any) -> None:
        """A scalar: resolved, placed (list item, mapping key or value) and positioned.

        The hot path of loading (one call per scalar, 64,000 for 10,000 entries), so placement is
        written out here rather than through `_slot` / `_attach`.
        """
        mark = event.start_mark
        pos = _new(Position, (mark.line + 1, mark.column + 1))
        text = event.value
        if "#" in text:
            end = event.end_mark
            self.hash_spans.append(Span(pos, Position(end.line + 1, end.column + 1)))
        implicit = event.implicit
        plain = False
        if event.tag and not (implicit and implicit[0]):
            value = resolve_tagged(event.tag, text, pos)
        elif event.style or not (implicit and implicit[0]):
            value = text
        else:
            plain = True
            try:
                value = resolve_plain(text)
            except LoadProblem as problem:
                raise LoadProblem(problem.message, pos) from None
        if event.anchor:
            self._check_anchor(event.anchor, "&", mark)
            self.anchors[event.anchor] = (value, 1, 0)
        stack = self.stack
        if not stack:  # the whole document is one scalar
            self.positions[()] = NodePos(None, pos)
            self._grow(1, pos)
            self.root = value
            return
        frame = stack[-1]
        container = frame.container
        key = _NO_KEY if container.__class__ is list else frame.pending_key
        if container.__class__ is not list and key is _NO_KEY:
            self._key(value, pos, merge=plain and text == _MERGE)
            return
        if plain and text in _RESERVED_VALUES:  # ruamel's safe loader refuses them as values
            raise LoadProblem(_RESERVED_VALUES[text], pos)
        if key is _NO_KEY:  # an item of a list
            path = (*frame.path, len(container))
            self.positions[path] = _new(NodePos, (None, pos))
            container.append(value)
        else:
            if key is _MERGE_SLOT:
                frame.merges.append((value, frame.pending_key_pos))
                key = _MERGE
            else:
                container[key] = value
            path = (*frame.path, key)
            self.positions[path] = _new(NodePos, (frame.pending_key_pos, pos))
            frame.pending_key, frame.pending_key_pos = _NO_KEY, None
        frame.weight += 1
        self.total += 1
        if self.total > MAX_NODES:
            self._grow(0, pos)

    def start(self, event: Any, container: Any) -> None:
        mark = event.start_mark
        pos = _new(Position, (mark.line + 1, mark.column + 1))
        tag = event.tag
        if tag and not event.implicit:
            standard = _COLLECTION_TAGS["map" if isinstance(container, dict) else "seq"]
            if tag not in ("!", standard):
                raise LoadProblem(f"unsupported YAML tag {tag!r}; mapping files use plain values", pos)
        if event.anchor:
            self._check_anchor(event.anchor, "&", mark)
        slot = self._slot(pos, is_scalar_key_ok=False)
        assert slot is not None
        path, key_pos = slot
        self._check_depth(1, pos)
        self.positions[path] = _new(NodePos, (key_pos, pos))
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self._grow(1, pos)
        self.stack.append(_Frame(container, path, event.anchor))

    def end(self) -> None:
        frame = self.stack.pop()
        container, anchor, child_depth = frame.container, frame.anchor, frame.depth
        pos = self.positions[frame.path].value
        for source, merge_pos in frame.merges:
            for item in source if isinstance(source, list) else [source]:
                if not isinstance(item, dict):
                    raise LoadProblem("a merge key `<<` must refer to a mapping", merge_pos)
                for key, value in item.items():
                    container.setdefault(key, value)
        if anchor:
            self.open_anchors.discard(anchor)
            self.anchors[anchor] = (container, frame.weight, child_depth + 1)
        self._attach(container, frame.weight, pos, child_depth + 1)

    def alias(self, event: Any) -> None:
        mark = event.start_mark
        pos = Position(mark.line + 1, mark.column + 1)
        if event.anchor in self.open_anchors:
            raise LoadProblem(f"recursive alias *{event.anchor} refers to a node that contains it", pos)
        if event.anchor not in self.anchors:
            self._check_anchor(event.anchor, "*", mark)
            raise LoadProblem(f"alias *{event.anchor} refers to no anchor defined before it", pos)
        value, weight, depth = self.anchors[event.anchor]
        self._check_depth(depth, pos)
        slot = self._slot(pos, is_scalar_key_ok=not isinstance(value, (list, dict)))
        if slot is None:  # an alias of a scalar used as a key
            self._key(value, pos)
            return
        path, key_pos = slot
        self.positions[path] = NodePos(key_pos, pos)
        self._grow(weight, pos)
        self._attach(value, weight, pos, depth)


_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _friendly(problem: str, text: str, index: int | None) -> tuple[str, Position | None]:
    """Add the hints people need most (tabs; a line break nobody sees) and, for the latter, its place.

    YAML reads U+0085, U+2028 and U+2029 as line breaks, also inside a comment, so the text after one
    is parsed as content and the parser's own message ("did not find expected key") points nowhere.
    """
    if "\\t" in problem or (index is not None and 0 <= index < len(text) and text[index] == "\t"):
        return f"{problem}: a tab character (YAML indentation must use spaces, not tabs)", None
    odd = _ODD_BREAKS.search(text, 0, len(text) if index is None else index + 1)
    if odd is None:
        return problem, None
    starts = [match.end() for match in _YAML_BREAKS.finditer(text, 0, odd.start())]
    pos = Position(len(starts) + 1, odd.start() - (starts[-1] if starts else 0) + 1)
    char = odd.group()
    name = unicodedata.name(char, "NEXT LINE (NEL)")
    hint = (  # the parsers' own words differ here and would only mislead
        f"the file has an invisible U+{ord(char):04X} {name}, which YAML reads as a line break "
        "(also inside a comment); remove it, or write it as an escape in a double-quoted value"
    )
    return hint, pos


PURE_ENV = "HFMAP_YAML_PURE"  # "1": parse with ruamel's pure-Python parser (the tests run both)
_DIRECTIVE_VERSION = re.compile(r"%YAML[ \t]+(\S+)")


def _check_version(text: str) -> None:
    """Refuse a `%YAML` version other than 1.2 up front. 1.3: libyaml says "incompatible document",
    ruamel's pure parser fails an assertion. 1.1: ruamel's safe loader would read `yes` as true and
    `017` as octal, which this loader (YAML 1.2 only) would not: refused rather than read otherwise."""
    if not text.startswith("%") and "\n%" not in text:
        return  # no directive can be there (the common case: no split of a large file)
    for number, line in enumerate(text.splitlines()[:1000], start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith("%"):
            return  # past the directives
        match = _DIRECTIVE_VERSION.match(line)
        if match and match.group(1) != "1.2":
            raise LoadProblem(
                f"unsupported YAML version {match.group(1)!r} in `%YAML`; mapping files are YAML 1.2 "
                "(write `%YAML 1.2` or leave the directive out)",
                Position(number, 1),
            )


class Parsed(NamedTuple):
    """One document: plain data, the position of every node, and the spans of scalars holding `#`."""

    data: Any
    positions: dict[PathKey, NodePos]
    hash_spans: list[Span]


class _ParserError(Exception):
    """The YAML parser itself refused the text (as opposed to the builder's own `LoadProblem`s)."""

    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while a file's data, positions and model are built: they are a few objects
    per node, all kept, and collections over the growing heap took about a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_yaml(text: str) -> Parsed:
    """Parse one YAML document into plain data and a position index; raises `LoadProblem`.

    libyaml (ruamel.yaml.clib) is the fast path; where it refuses a document, ruamel's pure-Python
    parser has the last word, so what loads and every syntax message are the same with or without the
    C extension (libyaml refuses YAML 1.2 that the pure parser reads, e.g. `{a: 12:30}`).
    """
    _check_version(text)
    pure = os.environ.get(PURE_ENV, "") not in ("", "0")
    try:
        return _parse(text, pure=pure)
    except _ParserError as failed:
        if pure:
            raise failed.problem from None
    try:
        return _parse(text, pure=True)
    except _ParserError as failed:
        raise failed.problem from None


def _events(text: str, *, pure: bool) -> Iterator[Any]:
    """The parser's events. libyaml's parser is driven directly (`get_event` until None): ruamel's
    `YAML.parse` wraps each event in a generator step and a second call, ~10 % of reading events."""
    if not pure:
        try:
            from _ruamel_yaml import CParser
        except ImportError:  # no ruamel.yaml.clib: the pure parser it is
            pass
        else:
            parser = CParser(text)
            try:
                get = parser.get_event
                while (event := get()) is not None:
                    yield event
            finally:
                parser.dispose()
            return
    yield from YAML(typ="safe", pure=True).parse(text)


def _parse(text: str, *, pure: bool) -> Parsed:
    builder = _Builder(text)
    documents = 0
    try:
        for event in _events(text, pure=pure):
            kind = type(event)
            if kind is events.ScalarEvent:
                builder.scalar(event)
            elif kind is events.MappingStartEvent:
                builder.start(event, {})
            elif kind is events.SequenceStartEvent:
                builder.start(event, [])
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                builder.end()
            elif kind is events.AliasEvent:
                builder.alias(event)
            elif kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise LoadProblem(
                        "more than one YAML document in the file; put each provider in its own file",
                        Position(mark.line + 1, mark.column + 1),
                    )
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        index = getattr(mark, "index", None) if mark else None
        message, odd_pos = _friendly(problem, text, index)
        raise _ParserError(LoadProblem(f"YAML syntax error: {message}", odd_pos or pos)) from None
    except YAMLError as exc:
        raise _ParserError(LoadProblem(f"YAML syntax error: {str(exc).splitlines()[0]}")) from None
    except RecursionError:
        raise LoadProblem("YAML nesting is too deep") from None
    except AssertionError as exc:  # the pure-Python parser asserts on some malformed input
        raise _ParserError(LoadProblem(f"YAML syntax error: {str(exc) or 'malformed document'}")) from None
    return Parsed(builder.root, builder.positions, builder.hash_spans)
