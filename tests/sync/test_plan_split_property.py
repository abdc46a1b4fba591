"""However a provider's entries are split across files, planning any of those files plans the whole
provider: the same plan, hash and all, as planning every file of it."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfmap.clients.partner import parse_live
from hfmap.sync.engine import FileSettings, Timings, load_for_plan
from hfmap.sync.plan import make_plan

# (providerModel, status) declared per model, and what the Hub holds for it (None: not live).
DECLARED = st.sampled_from([("o/a", "live"), ("o/b", "live"), ("o/a", "staging")])
LIVE = st.sampled_from([None, ("o/a", "live"), ("o/a", "staging"), ("o/c", "live")])


@st.composite
def splits(draw):
    """Entries of one provider, the file each is written to, the live state, and a subset of the files."""
    count = draw(st.integers(1, 10))
    files = draw(st.integers(1, 4))
    entries = [(f"org/m{i}", *draw(DECLARED)) for i in range(count)]
    where = [draw(st.integers(0, files - 1)) for _ in entries]
    live = {f"org/m{i}": draw(LIVE) for i in range(count)}
    live.update({f"org/gone{i}": ("o/g", "live") for i in range(draw(st.integers(0, 3)))})
    subset = draw(st.sets(st.integers(0, files - 1), min_size=1))
    return entries, where, files, live, sorted(subset)


def _write(folder: Path, entries, where, files: int) -> list[Path]:
    paths = []
    for index in range(files):
        rows = [
            f"  - {{hfModel: {model}, providerModel: {pm}, task: text-to-image, status: {status}}}"
            for (model, pm, status), home in zip(entries, where, strict=True)
            if home == index
        ]
        path = folder / f"replicate-{index}.yaml"
        path.write_text("provider: replicate\nmappings:" + ("\n" + "\n".join(rows) if rows else " []") + "\n")
        paths.append(path)
    (folder / "together.yaml").write_text("provider: together\nmappings: []\n")  # another provider: not read
    return paths


def _payload(live: dict) -> dict:
    return {
        "text-to-image": {
            model: {"_id": f"{i:024x}", "providerId": state[0], "status": state[1]}
            for i, (model, state) in enumerate(sorted(live.items()))
            if state is not None
        }
    }


def _plan(paths: list[Path], live: dict) -> dict:
    declared = load_for_plan(FileSettings(tuple(paths)), Timings())
    plan = make_plan(declared, {"replicate": parse_live("replicate", _payload(live))})
    out = plan.to_json()
    for action in out["actions"]:
        action.pop("source", None)  # where an entry was written is shown, never planned
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(splits())
def test_planning_any_subset_of_a_providers_files_plans_the_whole_provider(case):
    entries, where, files, live, subset = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mappings"
        folder.mkdir()
        paths = _write(folder, entries, where, files)
        whole = _plan(paths, live)
        part = _plan([paths[i] for i in subset], live)
    assert part == whole
    assert list(part["providers"]) == ["replicate"]


def test_every_subset_plans_the_same_against_the_hub(world):
    """The same, end to end: the CLI against the Hub emulator, every subset of a three-way split."""
    for i in range(7):
        world.live("replicate", f"org/m{i}", "o/a", status="staging" if i % 2 else "live")
    world.live("replicate", "org/gone", "o/g")
    world.model("org/new")
    entries = [(f"org/m{i}", "o/b" if i == 3 else "o/a", "live") for i in range(7)] + [
        ("org/new", "o/n", "live")
    ]
    paths = _write(world.dir, entries, [i % 3 for i in range(len(entries))], 3)
    hashes = set()
    for size in (1, 2, 3):
        for subset in itertools.combinations(paths, size):
            result = world.hfmap("plan", "--format", "json", *map(str, subset))
            assert result.exit_code == 0, result.stderr
            plan = json.loads(result.stdout)
            hashes.add(plan["hash"])
            assert plan["summary"] == {"create": 1, "update": 2, "replace": 1, "delete": 1}
    assert len(hashes) == 1
