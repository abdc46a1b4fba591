"""The optional state answer: a provider's own API marking a model deprecated or not ready.

fal's `metadata.status` and Fireworks' `deprecationDate` / `state` come from the emulator's copies of those
APIs; a model without such fields (or with fields nobody documented) is plain `Exists()`: unknown is never
reported as a problem.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_providers import check

from hfmap.providers import fal_ai, fireworks_ai
from hfmap.providers.base import Exists, Missing

FIREWORKS = "accounts/fireworks/models/"
TODAY = dt.date(2026, 12, 6)


def test_fal_deprecated_active_and_absent_status(hub):
    hub.add_provider_model("fal-ai", "fal-ai/old", metadata={"display_name": "old", "status": "deprecated"})
    hub.add_provider_model("fal-ai", "fal-ai/new")  # the emulator's default: status active
    hub.add_provider_model("fal-ai", "fal-ai/bare", metadata={"display_name": "bare"})
    hub.add_provider_model("fal-ai", "fal-ai/odd", metadata="not an object")
    got = check(hub, "fal-ai", ["fal-ai/old", "fal-ai/new", "fal-ai/bare", "fal-ai/odd", "fal-ai/gone"])
    assert got == {
        "fal-ai/old": Exists("fal lists it with `metadata.status: deprecated`"),
        "fal-ai/new": Exists(),
        "fal-ai/bare": Exists(),
        "fal-ai/odd": Exists(),
        "fal-ai/gone": Missing("not found on fal"),
    }


def test_fireworks_past_deprecation_date_and_state_not_ready(hub):
    hub.add_provider_model(
        "fireworks-ai", FIREWORKS + "retired", deprecationDate={"year": 2020, "month": 1, "day": 2}
    )
    hub.add_provider_model(
        "fireworks-ai", FIREWORKS + "retiring", deprecationDate={"year": 2999, "month": 1, "day": 1}
    )
    hub.add_provider_model("fireworks-ai", FIREWORKS + "uploading", state="UPLOADING")
    hub.add_provider_model("fireworks-ai", FIREWORKS + "ready")  # the emulator's default: state READY
    ids = [FIREWORKS + n for n in ("retired", "retiring", "uploading", "ready")]
    got = check(hub, "fireworks-ai", ids)
    assert got == {
        FIREWORKS + "retired": Exists("Fireworks gives it deprecationDate 2020-01-02, which has passed"),
        FIREWORKS + "retiring": Exists(),
        FIREWORKS + "uploading": Exists("Fireworks reports its state as UPLOADING, not READY"),
        FIREWORKS + "ready": Exists(),
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"deprecationDate": "2026-12-06"},
            "Fireworks gives it deprecationDate 2026-12-06, which has passed",
        ),
        ({"deprecationDate": "2026-12-07T00:00:00Z"}, None),
        (
            {"deprecationDate": {"year": 2026, "month": 12, "day": 5}},
            "Fireworks gives it deprecationDate 2026-12-05, which has passed",
        ),
        ({"deprecationDate": {"year": 0, "month": 0, "day": 0}}, None),  # an unset google.type.Date
        ({"deprecationDate": {"year": 2026, "month": 13, "day": 40}}, None),
        ({"deprecationDate": "next spring"}, None),
        ({"deprecationDate": None, "state": "READY"}, None),
        ({"state": ""}, None),
        ({"state": 7}, None),
        ({"state": "STATE_UNSPECIFIED"}, "Fireworks reports its state as STATE_UNSPECIFIED, not READY"),
        ({}, None),
    ],
)
def test_fireworks_fields_read_as_documented_or_not_at_all(fields, expected):
    assert fireworks_ai.deprecated(fields, TODAY) == expected


@given(
    st.dictionaries(
        st.text(max_size=20),
        st.none()
        | st.integers()
        | st.text(max_size=30)
        | st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
        max_size=5,
    )
)
def test_no_model_object_makes_the_readers_raise(model):
    fireworks_ai.deprecated(model, TODAY)
    fal_ai.deprecated(model)
