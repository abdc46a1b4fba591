"""Only the tokens hfmap holds are masked: ids that merely look like tokens print as they are, everywhere."""

from __future__ import annotations

import html
import json

LOOKALIKES = ("acme/hf_Transformers1", "acme/r8_Quantized123", "acme/api_org_ABCDEFGHIJKL")


def _file(world) -> None:
    body = "".join(
        f"  - hfModel: {name}\n    providerModel: {name.lower()}\n    task: text-to-image\n"
        for name in LOOKALIKES
    )
    for name in LOOKALIKES:
        world.model(name)
    world.file("replicate.yaml", "provider: replicate\nmappings:\n" + body)


def test_token_shaped_ids_are_printed_in_every_format(world, tmp_path) -> None:
    _file(world)
    saved = tmp_path / "plan.json"
    outputs = {
        fmt: world.hfmap(
            "plan", "--format", fmt, str(world.dir), *(["-o", str(saved)] if fmt == "json" else [])
        )
        for fmt in ("text", "markdown", "json")
    }
    for fmt, result in outputs.items():
        assert result.exit_code == 0, result.stderr
        assert "***" not in result.output, fmt
        for name in LOOKALIKES:
            assert name in html.unescape(result.stdout), (fmt, name)
    document = json.loads(saved.read_text())
    del document["selection"], document["hfmap_version"]
    assert json.loads(outputs["json"].stdout) == document


def test_a_held_token_is_masked_wherever_it_appears(world, token) -> None:
    world.model("acme/model")
    world.file(
        "replicate.yaml",
        f"provider: replicate\nmappings:\n  - hfModel: acme/model\n    providerModel: acme/{token}\n"
        "    task: text-to-image\n",
    )
    result, _ = world.apply(fmt="text")
    assert result.exit_code == 0, result.stderr
    assert token not in result.output and "providerModel: acme/***" in result.stdout
