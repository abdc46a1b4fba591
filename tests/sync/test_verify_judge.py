"""Verdicts of single entries (pure): the cases the emulator's Hub does not produce on its own."""

from __future__ import annotations

from hfmap.clients.hub import Missing, Unavailable
from hfmap.clients.visible import VisibleModel
from hfmap.mapping.record import LiveMapping, Record
from hfmap.mapping.verdict import VERDICTS, Expected, Seen
from hfmap.sync.verify import direct_verdict, filter_verdict

RECORD = Record("replicate", "org/m", None, "o/m", "text-to-image", "live")
EXPECTED = Expected(RECORD)


def model(**entries: Seen) -> VisibleModel:
    return VisibleModel("org/m", dict(entries))


def test_a_direct_mapping_a_tag_filter_wins_over_is_shadowed():
    """The reference says only one entry per provider is shown; which one wins is the Hub's call."""
    lora = Seen("replicate", "o/lora", "text-to-image", "live", type="tag-filter", adapter="lora")
    verdict = direct_verdict(EXPECTED, model(replicate=lora), LiveMapping(RECORD, "a" * 24))
    assert verdict.verdict == "shadowed" and verdict.level == "error"
    assert "providerId 'o/lora'" in verdict.message


def test_a_live_mapping_clients_are_not_shown_is_missing():
    verdict = direct_verdict(EXPECTED, model(), LiveMapping(RECORD, "a" * 24))
    assert verdict.verdict == "missing" and "the partner list has it (status 'live')" in verdict.message


def test_unreadable_and_private_models():
    assert direct_verdict(EXPECTED, Unavailable("timeout"), None).verdict == "unavailable"
    verdict = direct_verdict(EXPECTED, Missing("not found on the Hub, or private", maybe_private=True), None)
    assert verdict.verdict == "missing" and "or private" in verdict.message


def test_auto_accepts_either_writable_status_but_not_error():
    auto = Expected(Record("replicate", "org/m", None, "o/m", "text-to-image", "auto"))
    live = Seen("replicate", "o/m", "text-to-image", "live", type="single-model")
    staging = Seen("replicate", "o/m", "text-to-image", "staging", type="single-model")
    error = Seen("replicate", "o/m", "text-to-image", "error", type="single-model")
    assert direct_verdict(auto, model(replicate=live), None).verdict == "ok"
    assert direct_verdict(auto, model(replicate=staging), None).verdict == "staging"
    assert direct_verdict(auto, model(replicate=error), None).verdict == "error"


def test_a_wrong_task_is_a_mismatch():
    seen = Seen("replicate", "o/m", "image-to-image", "live")
    verdict = direct_verdict(EXPECTED, model(replicate=seen), None)
    assert (
        verdict.verdict == "mismatch"
        and "task 'image-to-image' (declared 'text-to-image')" in verdict.message
    )


def test_a_tag_filter_whose_models_show_nothing_falls_back_on_the_partner_list():
    tags = ("base_model:adapter:x/y", "lora")
    record = Record("replicate", None, tags, "o/lora", "text-to-image", "live", "lora")
    hidden = [VisibleModel("fans/a", {})]
    assert filter_verdict(Expected(record), hidden, None).verdict == "missing"
    staging = LiveMapping(
        Record("replicate", None, tags, "o/lora", "text-to-image", "staging", "lora"), "b" * 24
    )
    assert filter_verdict(Expected(record), hidden, staging).verdict == "staging"
    failing = Seen("replicate", "o/lora", "text-to-image", "error", type="tag-filter")
    ok = Seen("replicate", "o/lora", "text-to-image", "live", type="tag-filter", adapter_weights_path="w")
    mixed = [VisibleModel("fans/a", {"replicate": ok}), VisibleModel("fans/b", {"replicate": failing})]
    assert filter_verdict(Expected(record), mixed, None).verdict == "error"


def test_every_verdict_has_a_level_the_exit_code_knows():
    assert {level for level, *_ in VERDICTS.values()} == {"ok", "notice", "warning", "error"}


def test_the_router_and_auto_only_ever_add_weight():
    """A finding beyond model info replaces a lighter verdict (which stays as a note), never a heavier one."""
    error = Seen("replicate", "o/m", "text-to-image", "error")
    failing = direct_verdict(EXPECTED, model(replicate=error), None)
    failing.worsen("router-missing", "not routed")
    assert failing.verdict == "error" and failing.notes == ["router-missing: not routed"]
    healthy = direct_verdict(
        EXPECTED, model(replicate=Seen("replicate", "o/m", "text-to-image", "live")), None
    )
    healthy.worsen("router-error", "routed in error")
    assert (healthy.verdict, healthy.level, healthy.message) == ("router-error", "error", "routed in error")
    assert healthy.notes == ["model info alone: ok (clients get providerId 'o/m', as declared)"]
