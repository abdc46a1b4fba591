"""The pure choices: which of several listed ids naming one repo is kept, how confidence is told, which
LoRA bases a filter already covers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hfmap.clients.hub import Missing, ModelInfo
from hfmap.suggest.candidates import Exclusions, Match, sort_matches
from hfmap.suggest.lora import LoraBase, uncovered_bases

CHAT = dict(pipeline_tag="text-generation", tags=("conversational",))
RULES = Exclusions(taken={}, is_ignored=lambda _r: False, tasks=frozenset({"conversational"}))


def test_one_repo_named_three_ways_keeps_the_surest():
    info = ModelInfo("Org/Model", **CHAT)
    matches = [
        Match("Org/Model-Turbo", "Org/Model", "suffix '-Turbo'"),
        Match("org/model", "org/model"),
        Match("Org/Model", "Org/Model"),
    ]
    answers = {"Org/Model": info, "org/model": info}
    chosen = sort_matches("together", matches, answers, RULES)
    assert [(c.provider_id, c.confidence) for c in chosen.candidates] == [("Org/Model", "exact")]
    assert chosen.dropped["another listed id names the same repo"] == 2
    # without the exact one, the case-folded one beats the decorated one
    chosen = sort_matches("together", matches[:2], answers, RULES)
    assert [(c.provider_id, c.confidence) for c in chosen.candidates] == [("org/model", "case-folded")]


def test_taken_ignored_and_missing_are_dropped_with_their_reason():
    answers = {
        "a/declared": ModelInfo("a/declared", **CHAT),
        "a/ignored": ModelInfo("a/ignored", **CHAT),
        "a/missing": Missing(),
        "a/chat-but-base": ModelInfo("a/chat-but-base", pipeline_tag="text-generation"),
    }
    rules = Exclusions(
        {"a/declared": "declared"}, lambda repo: repo.endswith("ignored"), frozenset({"conversational"})
    )
    chosen = sort_matches("together", [Match(i, i) for i in answers], answers, rules)
    assert chosen.candidates == []
    assert dict(chosen.dropped) == {
        "already declared": 1,
        "covered by an `ignore` pattern": 1,
        "not a public Hub repo": 1,
        "task the clients do not serve for together": 1,  # text-generation is not served here
    }


def test_a_filter_covers_its_base_in_any_case_and_each_base_counts_once():
    singles = [
        LoraBase("BFL/FLUX.1-dev", "text-to-image", "declared"),
        LoraBase("bfl/flux.1-dev", "text-to-image", "live"),
        LoraBase("BFL/FLUX.1-schnell", "text-to-image", "live"),
        LoraBase("BFL/video", "text-to-video", "live"),  # replicate runs no LoRA for video
        LoraBase("bad id", "text-to-image", "live"),
    ]
    filters = [("lora", "base_model:adapter:bfl/FLUX.1-schnell")]
    assert uncovered_bases("replicate", singles, filters) == [
        LoraBase("BFL/FLUX.1-dev", "text-to-image", "declared")
    ]
    assert uncovered_bases("together", singles, filters) == []


names = st.sampled_from(["a/x", "A/X", "a/y", "b/z", "B/z", "c/w"])
infos = st.builds(
    ModelInfo,
    id=names,
    pipeline_tag=st.sampled_from([None, "text-generation", "text-to-image", "image-text-to-text"]),
    tags=st.sampled_from([(), ("conversational",)]),
    private=st.booleans(),
    disabled=st.booleans(),
)


@given(
    st.lists(st.tuples(names, names, st.sampled_from(["", "suffix '-T'"])), max_size=12),
    st.dictionaries(names, st.one_of(infos, st.just(Missing())), max_size=6),
    st.sets(names, max_size=3),
)
def test_every_candidate_is_a_listed_public_untaken_repo_named_once(raw, answers, taken):
    matches = [Match(listed, asked, how) for listed, asked, how in raw]
    rules = Exclusions(
        {t.lower(): "declared" for t in taken}, lambda _r: False, frozenset({"conversational"})
    )
    chosen = sort_matches("together", matches, answers, rules).candidates
    hub_ids = [c.hub_id.lower() for c in chosen]
    assert len(hub_ids) == len(set(hub_ids))
    assert chosen == sorted(chosen, key=lambda c: c.sort_key())
    for c in chosen:
        sources = [answers.get(m.asked) for m in matches if m.listed == c.provider_id]
        assert any(
            isinstance(info, ModelInfo)
            and info.id == c.hub_id
            and not info.private
            and not info.disabled
            and "conversational" in info.tags
            for info in sources
        )
        assert c.hub_id.lower() not in {t.lower() for t in taken} and c.task == "conversational"
