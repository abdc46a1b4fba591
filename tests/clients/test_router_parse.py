"""The router's model list read from any JSON: never an exception, only what the documented shape says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hfmap.clients.router import MAX_WORD, RouterModels, parse_router_models

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=60),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=30,
)
PROVIDER = st.fixed_dictionaries(
    {"provider": st.text(max_size=20) | st.none(), "status": st.text(max_size=80) | st.integers() | st.none()}
)
MODEL = st.fixed_dictionaries(
    {"id": st.text(max_size=30) | st.integers(), "providers": st.lists(PROVIDER | JSON, max_size=4) | JSON}
)


@given(st.one_of(JSON, st.fixed_dictionaries({"data": st.lists(MODEL | JSON, max_size=6)})))
def test_any_answer_is_a_listing_or_none_never_an_exception(data):
    listing = parse_router_models(data)
    assert listing is None or isinstance(listing, RouterModels)
    if listing is None:
        return
    for model_id, providers in listing.models.items():
        assert model_id == model_id.lower()
        for name, routed in providers.items():
            assert routed.provider == name and isinstance(name, str)
            assert routed.status is None or (
                isinstance(routed.status, str) and len(routed.status) <= MAX_WORD
            )


@given(
    st.lists(st.tuples(st.sampled_from(["Org/A", "org/a", "org/b"]), st.sampled_from(["p", "q"])), max_size=8)
)
def test_the_first_listing_of_a_provider_wins_and_ids_compare_without_case(pairs):
    data = {
        "data": [
            {"id": model, "providers": [{"provider": p, "status": str(i)}]}
            for i, (model, p) in enumerate(pairs)
        ]
    }
    listing = parse_router_models(data)
    for i, (model, provider) in enumerate(pairs):
        first = next(j for j, (m, p) in enumerate(pairs) if m.lower() == model.lower() and p == provider)
        assert listing.providers_of(model.upper().lower())[provider].status == str(first)
        assert i >= first
