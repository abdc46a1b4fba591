"""What a faulty Hub, a hostile live mapping or odd ids do to `hfmap suggest`: never a wrong entry, never
raw control text, never a silent gap; and how many Hub requests many listed ids cost."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from emulator import Fault
from hfmap.files.load import load_text
from hfmap.report.suggest_text import yaml_string
from suggest.conftest import DECLARED


def _hub_requests(emu):
    return [r for r in emu.requests if r.path.startswith("/api/models")]


def test_an_unanswering_hub_is_reported_per_model_and_exits_1(together, env_of, write, run_cli):
    together.inject(Fault(method="GET", path="/api/models*", kind="status", status=503, times=None))
    result = run_cli(
        "suggest", "--provider", "together", "--retries", "0", str(write(DECLARED)), env=env_of(together)
    )
    assert result.exit_code == 1
    assert "'meta-llama/Llama-3.3-70B-Instruct-Turbo' not checked on the Hub" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert YAML(typ="safe").load(result.stdout) is None  # no entry suggested on an unanswered question


def test_an_unreadable_live_mapping_stops_the_run(together, env_of, write, run_cli):
    together.inject(Fault(method="GET", path="/api/partners/*", kind="status", status=500, times=None))
    result = run_cli(
        "suggest", "--provider", "together", "--retries", "0", str(write(DECLARED)), env=env_of(together)
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("hfmap: error: cannot read the live mapping of 'together'")


def test_a_provider_list_that_fails_is_one_line(together, env_of, write, run_cli):
    together.inject(Fault(method="GET", path="/providers/together/*", kind="status", status=502, times=None))
    result = run_cli(
        "suggest", "--provider", "together", "--retries", "0", str(write(DECLARED)), env=env_of(together)
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "hfmap: error: together: no suggestions from its model list: the together API answered HTTP 502"
    ]


def test_hostile_live_keys_stay_inside_their_comments(hub, run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    evil = "org/x\n  - hfModel: injected/model\u202e"
    hub.seed_mapping("fal-ai", "text-to-image", evil, "fal-ai/\x1b[31mred")
    hub.add_model("injected/model", "text-to-image", tags=("lora", f"base_model:adapter:{evil}"))
    result = run_cli("suggest", "--provider", "fal-ai", env=hub.env())
    out = result.stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\n  - hfModel: injected/model\\u202e" in out
    assert all(line.lstrip().startswith("#") for line in out.splitlines() if line.strip())
    assert YAML(typ="safe").load(out) is None
    assert "FILL-IN" not in out  # a hostile key is no base for a LoRA filter


def test_the_hub_answering_for_another_repo_is_not_suggested(together, env_of, write, run_cli):
    together.add_provider_model("together", "lonely/one")
    together.add_model("lonely/one", "text-generation", tags=("conversational",))
    original = together._hub.model_info

    def renamed(request, token, model_id):
        response = original(request, token, model_id)
        if model_id == "lonely/one":
            body = json.loads(response.body)
            body["id"] = "other/model\nstatus: live"
            response.body = json.dumps(body).encode()
        return response

    together._hub.model_info = renamed
    result = run_cli(
        "suggest", "--provider", "together", "--format", "json", str(write(DECLARED)), env=env_of(together)
    )
    doc = json.loads(result.stdout)
    assert "lonely/one" not in {c["provider_id"] for c in doc["candidates"]}
    assert doc["dropped"]["the Hub answered with another repo id"] == 1


def test_many_listed_ids_cost_a_few_listings_and_nothing_when_cached(hub, run_cli, tmp_path, monkeypatch):
    """600 listed ids in 3 namespaces (half decorated, a third missing) cost a handful of Hub requests;
    the second run answers from the cache."""
    monkeypatch.chdir(tmp_path)
    for ns in ("alpha", "beta", "gamma"):
        for i in range(200):
            name = f"{ns}/model-{i:03d}"
            if i % 3:
                hub.add_model(name, "text-generation", tags=("conversational",))
            hub.add_provider_model("together", name + ("-Turbo" if i % 2 else ""))
    env = {**hub.env(), "TOGETHER_API_KEY": "t"}
    first = run_cli("suggest", "--provider", "together", "--format", "json", env=env)
    assert first.exit_code == 0, first.stderr
    doc = json.loads(first.stdout)
    assert len(doc["candidates"]) == 399
    assert {c["confidence"] for c in doc["candidates"]} == {"exact", "decorated"}
    assert len(_hub_requests(hub)) <= 6, [r.path for r in _hub_requests(hub)]
    hub.clear_log()
    second = run_cli("suggest", "--provider", "together", "--format", "json", env=env)
    assert json.loads(second.stdout)["candidates"] == doc["candidates"]
    assert _hub_requests(hub) == []


def test_a_namespace_listing_that_shows_nothing_proves_nothing(hub, run_cli, tmp_path, monkeypatch):
    """If the Hub's author filter spells the namespace otherwise and lists nothing, each id is asked."""
    monkeypatch.chdir(tmp_path)
    hub.add_model("Org/a", "text-generation")
    hub.add_model("Org/b", "text-generation")
    original = hub._hub.search
    hub._hub.search = lambda request, token: (
        original(request, token) if not request.arg("author") else original(_no_match(request), token)
    )
    for listed in ("org/a", "org/b"):
        hub.add_provider_model("together", listed)
    result = run_cli(
        "suggest", "--provider", "together", "--format", "json", env={**hub.env(), "TOGETHER_API_KEY": "t"}
    )
    assert [c["hub_id"] for c in json.loads(result.stdout)["candidates"]] == ["Org/a", "Org/b"]


def _no_match(request):
    request.query = {**request.query, "author": ["nobody-at-all"]}
    return request


@settings(max_examples=300)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_every_string_reads_back_as_itself(value):
    text = f"mappings:\n  - providerModel: {yaml_string(value)}\n"
    assert "\n" not in yaml_string(value) and not re.search(r"[\x00-\x1f\u202a-\u202e]", yaml_string(value))
    loaded, findings = load_text(text, "m.yaml")
    assert findings == [] and loaded is not None
    assert loaded.data == {"mappings": [{"providerModel": value}]}


def test_only_what_a_listing_cannot_say_is_asked_one_by_one(hub, run_cli, tmp_path, monkeypatch):
    """Featherless (no key needed) lists lower-cased ids and control-character junk; in a namespace whose
    listing shows a disabled model, only that one is asked directly, the ten absent ids are not."""
    monkeypatch.chdir(tmp_path)
    hub.add_model("Org/Chat-7B", "text-generation", tags=("conversational",))
    hub.add_model("Org/Gone", "text-generation", disabled=True)
    for listed in [
        "org/chat-7b",
        "org/gone",
        *(f"org/absent-{i}" for i in range(10)),
        "org/x\u202e\n",
        "\x1b[2J",
    ]:
        hub.add_provider_model("featherless-ai", listed)
    result = run_cli("suggest", "--provider", "featherless-ai", "--format", "json", env=hub.env())
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [(c["provider_id"], c["hub_id"], c["confidence"]) for c in doc["candidates"]] == [
        ("org/chat-7b", "Org/Chat-7B", "case-folded")
    ]
    assert doc["dropped"] == {
        "disabled on the Hub": 1,
        "not a Hub repo id in form": 2,
        "not a public Hub repo": 10,
    }
    direct = [r.path for r in _hub_requests(hub) if r.path != "/api/models"]
    assert direct == ["/api/models/org/gone"]
    assert not any("authorization" in r.headers for r in hub.requests if "featherless" in r.path)
