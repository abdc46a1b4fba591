"""Whatever a cache file holds (any JSON, any bytes), reading it never raises and never answers wrongly:
a hit is only ever a value of exactly the types hfmap writes, for the key asked, not yet expired."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hfmap.check.cache import FORMAT, MAX_TTL, Cache
from hfmap.check.codec import (
    decode_count,
    decode_filter,
    decode_hub,
    decode_provider,
    encode_count,
    encode_filter,
    encode_hub,
    encode_provider,
)

NOW = 1_000_000.0
KEYS = ("https://hub/api/models/org/a?auth=0", "https://p/models/x")

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and ±Infinity included: json writes them as NaN/Infinity
    | st.text(max_size=8)
    | st.sampled_from(["model", "missing", "exists", "version-missing", "no", "false", "0", ""])
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
)
# A value near what hfmap writes: the right field names, any JSON in them.
FIELDS = (
    *("id", "pipeline_tag", "tags", "private", "gated", "disabled"),  # a Hub model
    *("reason", "maybe_private", "deprecated", "version", "match", "n", "more"),  # the other answers
)
near_value = st.fixed_dictionaries(
    {"t": st.sampled_from(["model", "missing", "exists", "version-missing", "filter", "count"])},
    optional={
        name: st.one_of(scalars, scalars, scalars, st.lists(scalars, max_size=3), anything) for name in FIELDS
    },
)
# An entry that reaches decoding often: the key asked, a live expiry, or one that must not count.
near_entry = st.fixed_dictionaries(
    {
        "k": st.sampled_from(KEYS),
        "e": st.one_of(
            *[st.just(NOW + 60)] * 4,
            st.sampled_from([NOW + MAX_TTL, NOW, NOW + MAX_TTL + 1]),
            st.floats(),
            anything,
        ),
        "v": near_value,
    }
)
wild_entry = st.fixed_dictionaries({"k": st.sampled_from(KEYS) | anything, "e": anything, "v": anything})
DIGESTS = [hashlib.sha256(key.encode()).hexdigest() for key in KEYS]
segment = st.fixed_dictionaries(
    {"entries": st.dictionaries(st.sampled_from(DIGESTS), near_entry | near_entry | wild_entry)}
)
files = st.one_of(
    segment.map(lambda doc: json.dumps(doc).encode()),
    segment.map(lambda doc: json.dumps(doc).encode()),
    segment.map(lambda doc: json.dumps(doc).encode()),
    anything.map(lambda doc: json.dumps(doc).encode()),
    st.binary(max_size=64),
    st.integers(1, 3000).map(lambda depth: b'{"entries": ' + b"[" * depth + b"]" * depth + b"}"),
)


def _check_hit(key: str, stored: dict, value: dict) -> None:
    assert stored["k"] == key
    assert NOW < stored["e"] <= NOW + MAX_TTL
    decoders = ((decode_hub, encode_hub), (decode_provider, encode_provider))
    decoders += ((decode_count, encode_count), (decode_filter, encode_filter))
    for decode, encode in decoders:
        answer = decode(value)
        if answer is not None:
            encoded = encode(answer)
            assert encoded is not None
            # the answer is the stored fields exactly: nothing was coerced ("no" -> True, "false" -> True)
            assert encoded[0] == {name: value[name] for name in encoded[0]}


def _segment(expiry: float, value: dict) -> bytes:
    return json.dumps({"entries": {DIGESTS[0]: {"k": KEYS[0], "e": expiry, "v": value}}}).encode()


LYING_MODEL = {"t": "model", "id": "org/a", "pipeline_tag": None, "tags": [], "gated": False}


@settings(max_examples=300, deadline=None)
@given(st.lists(files, min_size=1, max_size=3))
@example([b"[" * 100_000])  # RecursionError on every run
@example([_segment(NOW + 60, {**LYING_MODEL, "private": "false", "disabled": "no"})])
@example([_segment(float("nan"), {**LYING_MODEL, "private": False, "disabled": False})])
@example([_segment(float("inf"), {"t": "exists", "deprecated": None})])
@example([_segment(NOW + 60, {"t": "exists", "deprecated": False})])
@example([_segment(NOW + 60, {"t": "count", "n": True, "more": False})])
def test_any_cache_file_never_raises_and_never_answers_wrongly(contents: list[bytes]) -> None:
    with TemporaryDirectory() as temp:
        folder = Path(temp) / FORMAT
        folder.mkdir()
        for n, content in enumerate(contents):
            (folder / f"seg-{n:020d}.json").write_bytes(content)
        cache = Cache(Path(temp), clock=lambda: NOW)
        for key in KEYS:
            value = cache.get(key)
            if value is not None:
                _check_hit(key, cache._load()[DIGESTS[KEYS.index(key)]], value)
        cache.put(KEYS[0], {"t": "exists"}, 60)
        cache.close()  # merging whatever was read never raises either
        assert cache.write_problem is None
        assert Cache(Path(temp), clock=lambda: NOW).get(KEYS[0]) == {"t": "exists"}
        for left in folder.glob("seg-*.json"):  # what was broken was merged away
            entries = json.loads(left.read_text(encoding="utf-8"))["entries"]
            assert all(isinstance(e["k"], str) and e["e"] <= NOW + MAX_TTL for e in entries.values())
