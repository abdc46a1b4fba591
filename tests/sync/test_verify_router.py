"""`hfmap verify` and the router: chat mappings are judged by the router's model list, read once per run
from its own origin (`HFMAP_ROUTER_URL`), through the run's HTTP client, without a token."""

from __future__ import annotations

import json

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from emulator import Fault
from hostile_text import RAW

MEMBER = "hf_plantestwritetoken"
CHAT = """
provider: together
defaults: {status: live}
mappings:
  - {hfModel: org/chat-a, providerModel: t/a, task: conversational}
  - {hfModel: org/chat-b, providerModel: t/b, task: conversational}
  - {hfModel: org/chat-c, providerModel: t/c, task: conversational}
  - {hfModel: org/image, providerModel: t/img, task: text-to-image}
"""


def chat_world(world) -> None:
    for name in ("a", "b", "c"):
        world.live("together", f"org/chat-{name}", f"t/{name}", task="conversational")
    world.live("together", "org/image", "t/img")
    world.file("t.yaml", CHAT)


def verify_json(world, *args: str) -> tuple[int, dict]:
    result = world.hfmap("verify", "--format", "json", str(world.dir), *args, token=MEMBER)
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


def verdicts(report: dict) -> dict[str, tuple[str, str]]:
    return {m["key"]: (m["verdict"], m["message"]) for m in report["mappings"]}


def router_requests(world) -> list:
    return [r for r in world.hub.requests if r.origin == "router"]


def test_a_router_that_routes_every_chat_mapping_live_changes_nothing_and_is_read_once(world):
    chat_world(world)
    code, report = verify_json(world)
    assert code == 0
    assert {key: v for key, (v, _) in verdicts(report).items()} == dict.fromkeys(
        ("org/chat-a", "org/chat-b", "org/chat-c", "org/image"), "ok"
    )
    chat = next(m for m in report["mappings"] if m["key"] == "org/chat-a")
    assert chat["router"] == {"listed": True, "status": "live"}
    assert "router" not in next(m for m in report["mappings"] if m["key"] == "org/image")
    asked = router_requests(world)
    assert [(r.method, r.path) for r in asked] == [("GET", "/v1/models")]  # once, not per model
    assert asked[0].headers.get("authorization") is None  # the Hub token stays with the Hub
    assert not any(r.path == "/v1/models" for r in world.hub.requests if r.origin == "hub")


def test_no_chat_mapping_no_router_request(world):
    world.live("together", "org/image", "t/img")
    world.file("t.yaml", "provider: together\nmappings:\n  - {hfModel: org/image, providerModel: t/img, "
               "task: text-to-image, status: live}\n")  # fmt: skip
    code, _report = verify_json(world)
    assert code == 0 and router_requests(world) == []


def test_a_provider_the_router_serves_in_error_fails_verify(world):
    chat_world(world)
    world.hub.set_router_provider("org/chat-b", "together", status="error")
    code, report = verify_json(world)
    assert code == 1
    verdict, message = verdicts(report)["org/chat-b"]
    assert verdict == "router-error" and "router serves together for this model in 'error'" in message
    item = next(m for m in report["mappings"] if m["key"] == "org/chat-b")
    assert item["level"] == "error" and item["router"] == {"listed": True, "status": "error"}
    assert item["notes"] == ["model info alone: ok (clients get providerId 't/b', as declared)"]
    assert report["summary"]["router-error"] == 1 and report["summary"]["ok"] == 3
    text = world.hfmap("verify", str(world.dir), token=MEMBER)
    assert text.exit_code == 1
    assert "x org/chat-b: router-error: the router serves together for this model in 'error'" in text.stdout


@pytest.mark.parametrize("hidden", ["model", "provider"])
def test_a_chat_mapping_the_router_does_not_list_is_a_warning_that_says_it_may_lag(world, hidden):
    chat_world(world)
    if hidden == "model":
        world.hub.hide_from_router("org/chat-c")
    else:  # the router lists the model with another provider only
        world.hub.hide_from_router("org/chat-c", "together")
        world.hub.set_router_provider("org/chat-c", "groq")
    code, report = verify_json(world)
    assert code == 0
    verdict, message = verdicts(report)["org/chat-c"]
    assert verdict == "router-missing" and "may lag the Hub" in message
    assert ("the model" if hidden == "model" else "together for the model") in message
    assert next(m for m in report["mappings"] if m["key"] == "org/chat-c")["router"]["listed"] is False
    assert verify_json(world, "--strict")[0] == 1


def test_a_staging_chat_mapping_is_not_judged_by_the_router(world):
    world.live("together", "org/chat-s", "t/s", task="conversational", status="staging")
    world.file("t.yaml", "provider: together\nmappings:\n  - {hfModel: org/chat-s, providerModel: t/s, "
               "task: conversational, status: staging}\n")  # fmt: skip
    code, report = verify_json(world)
    assert code == 0 and verdicts(report)["org/chat-s"][0] == "staging"


FAULTS = {
    "5xx": Fault(path="/v1/models", kind="status", status=503, times=100),
    "huge": Fault(path="/v1/models", kind="huge", size=3 * 2**20, times=100),
    "bomb": Fault(path="/v1/models", kind="bomb", size=3 * 2**20, times=100),
    "deep-json": Fault(path="/v1/models", kind="deep_json", times=100),
    "redirect-loop": Fault(path="/v1/models", kind="redirect", times=100),
    "drop": Fault(path="/v1/models", kind="drop", times=100),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_router_that_cannot_be_read_is_a_warning_on_every_chat_mapping_never_a_pass(
    world, monkeypatch, fault
):
    monkeypatch.setenv("HFMAP_HTTP_MAX_BODY_MB", "1")
    chat_world(world)
    world.hub.inject(FAULTS[fault])
    code, report = verify_json(world)
    assert code == 0
    found = verdicts(report)
    for key in ("org/chat-a", "org/chat-b", "org/chat-c"):
        assert found[key][0] == "router-unavailable", (fault, found[key])
        assert "could not check how the router routes this chat model" in found[key][1]
    assert found["org/image"][0] == "ok"
    assert len(report["problems"]) == 1 and "router" in report["problems"][0]
    assert verify_json(world, "--strict")[0] == 1
    text = world.hfmap("verify", str(world.dir), token=MEMBER).stdout
    assert text.count(": router-unavailable: ") == 3 and "Could not read: the router" in text


@pytest.mark.parametrize(
    "body", ["not json {", '{"object": "list"}', '[{"id": "org/chat-a"}]', '{"data": {"id": 1}}']
)
def test_a_router_answer_of_another_shape_is_unavailable(world, body):
    chat_world(world)
    world.hub.set_router_body(body)
    _code, report = verify_json(world)
    assert {v for key, (v, _) in verdicts(report).items() if "chat" in key} == {"router-unavailable"}


def test_a_redirect_to_a_router_that_answers_is_followed(world):
    chat_world(world)
    world.hub.set_router_provider("org/chat-a", "together", status="error")
    world.hub.inject(Fault(path="/v1/models", kind="redirect", location="/v1/models/", times=1))
    code, report = verify_json(world)
    assert code == 1 and verdicts(report)["org/chat-a"][0] == "router-error"


def test_odd_items_in_the_router_list_are_skipped_and_the_rest_counts(world):
    chat_world(world)
    listing = {
        "object": "list",
        "data": [
            "junk",
            {"id": 7, "providers": []},
            {"id": "org/chat-a", "providers": "nope"},
            {"id": "ORG/CHAT-B", "providers": [None, {"provider": 3},
                                               {"provider": "together", "status": "error"}]},
            {"id": "org/chat-c", "providers": [{"provider": "together", "status": "live"}]},
        ],
    }  # fmt: skip
    world.hub.set_router_body(json.dumps(listing))
    code, report = verify_json(world)
    found = verdicts(report)
    assert code == 1
    assert found["org/chat-a"][0] == "router-missing"  # its providers were unreadable
    assert found["org/chat-b"][0] == "router-error"  # ids compare without case, as on the Hub
    assert found["org/chat-c"][0] == "ok"


def test_hostile_router_words_are_shown_inertly(world):
    chat_world(world)
    hostile = "\x1b[2J\x1b]8;;http://evil.test\x07x|<img src=x onerror=alert(1)>`@team\nnext"
    world.hub.set_router_provider("org/chat-a", "together", status=hostile)
    code, report = verify_json(world)
    assert code == 0
    item = next(m for m in report["mappings"] if m["key"] == "org/chat-a")
    assert item["verdict"] == "ok" and "which hfmap does not know" in item["notes"][0]
    assert len(item["router"]["status"]) <= 40  # untrusted text is cut
    text = world.hfmap("verify", str(world.dir), token=MEMBER).stdout
    assert "note: the router lists together with status" in text
    assert not RAW.search(text.replace("\n", "")) and "\nnext" not in text
    markdown = world.hfmap("verify", "--format", "markdown", str(world.dir), token=MEMBER).stdout
    assert "<img" not in markdown and "`@team" not in markdown and "\x1b" not in markdown
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, Options.CMARK_OPT_UNSAFE)
    assert "<img" not in html and not RAW.search(html) and "<code>@team" not in html
    github = world.hfmap("verify", "--format", "github", str(world.dir), token=MEMBER).stdout
    assert "\x1b" not in github


def test_a_bidi_status_from_the_router_cannot_reorder_the_line(world):
    chat_world(world)
    world.hub.set_router_provider("org/chat-b", "together", status="\u202eetacilpuder")
    for fmt in ("text", "markdown", "github"):
        shown = world.hfmap("verify", "--format", fmt, str(world.dir), token=MEMBER).stdout
        assert not RAW.search(shown.replace("\n", "")), fmt
        assert "u202eetacilpuder" in shown or fmt == "github", fmt  # annotations list only what fails


@pytest.mark.parametrize(
    "url", ["ftp://router.test", "router.huggingface.co", "http://[::1", "http://h:99999"]
)
def test_a_router_url_that_is_no_http_url_is_a_usage_error_before_any_request(world, monkeypatch, url):
    chat_world(world)
    world.hub.clear_log()
    monkeypatch.setenv("HFMAP_ROUTER_URL", url)
    result = world.hfmap("verify", str(world.dir), token=MEMBER)
    assert result.exit_code == 2
    assert "HFMAP_ROUTER_URL" in result.stderr and "Traceback" not in result.stderr
    assert world.hub.requests == []


def test_a_password_in_the_router_url_is_never_shown(world, monkeypatch):
    chat_world(world)
    world.hub.inject(Fault(path="/v1/models", kind="status", status=503, times=100))
    monkeypatch.setenv("HFMAP_ROUTER_URL", world.hub.router_url.replace("//", "//me:s3cretpw@"))
    result = world.hfmap("verify", "--format", "json", str(world.dir), token=MEMBER)
    assert "s3cretpw" not in result.stdout + result.stderr


def test_apply_wait_counts_a_chat_mapping_the_router_serves_in_error_as_failed(world):
    world.hub.validation_delay = 0.05
    for name in ("org/chat-a", "org/chat-b", "org/chat-c"):
        world.model(name, "conversational")
    world.file(
        "t.yaml", CHAT.replace("  - {hfModel: org/image, providerModel: t/img, task: text-to-image}\n", "")
    )
    world.hub.set_router_provider("org/chat-a", "together", status="error")
    world.hub.hide_from_router("org/chat-b")
    result, report = world.apply("--wait=0.5s")
    assert result.exit_code == 1, result.stdout + result.stderr
    wait = report["wait"]
    assert [(f["key"], f["verdict"]) for f in wait["failed"]] == [("org/chat-a", "router-error")]
    assert sorted((v["key"], v["verdict"]) for v in wait["verdicts"]) == [
        ("org/chat-b", "router-missing"),
        ("org/chat-c", "ok"),
    ]
    assert len(router_requests(world)) == wait["polls"]  # once per poll, not per mapping
