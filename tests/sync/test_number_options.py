"""Numbers on the command line are finite: click's FloatRange lets `nan` through every bound, and NaN
compares false with any limit, so `--max-destructive-percent nan` once lifted the safety limit."""

from __future__ import annotations

import pytest


def test_nan_cannot_lift_the_percentage_safety_limit(world):
    for i in range(12):
        world.live("replicate", f"org/m{i}", f"o/m{i}")
    world.file("r.yaml", "provider: replicate\nmappings: []\n")  # every live mapping would go
    refused, _ = world.apply()
    assert refused.exit_code == 3 and "use --force" in refused.stdout
    for value in ("nan", "NaN", "inf", "-inf"):
        result, _ = world.apply("--max-destructive-percent", value)
        assert result.exit_code == 2, (value, result.stdout, result.stderr)
        assert "is not a finite number" in result.stderr or "is not in the range" in result.stderr
    assert world.hub.writes == []
    assert len(world.records("replicate")) == 12


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--timeout", "inf"),
        ("apply", "--timeout", "nan"),
        ("check", "--timeout", "inf"),
        ("verify", "--timeout", "nan"),
        ("import", "--provider", "replicate", "--timeout", "inf"),
        ("plan", "--max-destructive-percent", "nan"),
    ],
)
def test_every_number_option_refuses_nan_and_infinity(world, args):
    result = world.hfmap(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "is not a finite number" in result.stderr
    assert world.hub.requests == []
