"""Two different tag filters never merge into one planned mapping, even when their Hub keys coincide."""

from __future__ import annotations

import pytest

from hfmap.errors import HfmapError
from hfmap.files.load import load_text
from hfmap.files.model import Declared
from hfmap.sync.plan import make_plan

TWO_FILTERS = """\
provider: replicate
mappings:
  - hfFilter: ["lora,x", "y"]
    adapterType: lora
    providerModel: a/one
    task: text-to-image
  - hfFilter: ["lora", "x,y"]
    adapterType: lora
    providerModel: a/two
    task: text-to-image
"""


def test_identities_differ_though_the_hub_keys_are_equal() -> None:
    file, _ = load_text(TWO_FILTERS, "m.yaml")
    assert file is not None
    first, second = (entry.identity for entry in file.entries)
    assert first != second and first.key == second.key == "tag-filter=lora,x,y"


def test_the_plan_refuses_rather_than_dropping_one_entry() -> None:
    file, _ = load_text(TWO_FILTERS, "m.yaml")
    with pytest.raises(HfmapError) as caught:
        make_plan(Declared([file]), {})
    message = str(caught.value)
    assert "m.yaml:3" in message and "m.yaml:7" in message
    assert "same Hub key 'tag-filter=lora,x,y'" in message and "may not contain ','" in message


def test_lint_blocks_the_plan_and_with_the_rule_off_the_plan_still_refuses(world) -> None:
    world.file("replicate.yaml", TWO_FILTERS)
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 1 and "[hffilter-tags]" in result.stderr
    result = world.hfmap("plan", "--disable", "hffilter-tags", str(world.dir))
    assert result.exit_code == 1 and "same Hub key" in result.stderr
    assert result.stdout == ""
