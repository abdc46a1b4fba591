"""Model ids and messages from files or the Hub render as inert text in the comment, summary and issue."""

from __future__ import annotations

import re
from typing import Any

from hfmap.github.marker import marker, read_marker
from hfmap.github.report import Commit, lint_errors_markdown, plan_markdown
from hfmap.mapping.apply_report import ActionResult, ApplyReport
from hfmap.mapping.plan import Action, ActionRef, Attention, Plan, PlanOutline, Unmanaged
from hfmap.mapping.record import Record
from hfmap.mapping.safety import Safety, SafetyLimits
from hfmap.report.apply_markdown import apply_markdown
from hfmap.report.escape import code, escape_text

HOSTILE = [
    "evil|org/model",
    "org/`rm -rf`",
    "org/</code><details open><summary>click</summary>",
    "@octocat/please-review",
    '<img src=x onerror="alert(1)">',
    "org/model\n| injected | row |",
    "[click](https://evil.example)",
    "**bold** _it_ ~~gone~~ $x^2$ #1",
    "org/-->&lt;script&gt;",
]


def _plan(keys: list[str], reasons: tuple[str, ...] = ("@admins <b>30 %</b> | of replicate",)) -> Plan:
    actions = [
        Action("create", "replicate", key, None, Record("replicate", key, None, key, "text-to-image", "live"))
        for key in keys
    ]
    return Plan(actions, [], [], [], {}, Safety(SafetyLimits(), {}, list(reasons)))


def _report(results: list[ActionResult], **fields: Any) -> ApplyReport:
    return ApplyReport(PlanOutline("sha256:" + "b" * 64, Safety(SafetyLimits(), {})), None, results, **fields)


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def test_hostile_ids_render_inertly_in_the_plan() -> None:
    text = plan_markdown(
        _plan(HOSTILE), commit=Commit("f" * 40, "https://github.com/a/b/commit/x"), paths=["m"]
    )

    # every table row keeps its column count: no `|` from data splits a cell
    rows = _table_rows(text)
    widths = {row.count("|") for row in rows if row.startswith("| 🟢")}
    header = next(row for row in rows if row.startswith("| Action"))
    assert widths == {header.count("|")} == {7}
    # no raw HTML from data, no second <details>, no code span opened by a backtick, no live mention
    assert text.count("<details") == 1 and text.count("</details>") == 1
    assert "<img" not in text and "<b>" not in text and "</code><details" not in text
    assert "`rm" not in text and "&#96;rm &#45;rf&#96;" not in text  # `-` is harmless and kept
    assert "&#96;rm -rf&#96;" in text
    assert not re.search(r"(?<![\w&#])@octocat", text)
    assert not re.search(r"(?<!&#40;)\[click\]\(", text)
    assert "&#64;admins &#60;b&#62;30 %&#60;/b&#62; &#124; of replicate" in text
    # a newline in an id cannot start a new row
    assert "| injected | row |" not in text
    assert "-->" not in text.split("\n", 1)[1]


def test_hostile_values_in_apply_results_render_inertly() -> None:
    result = _report(
        [
            # the Hub's request id is as hostile as anything else it sends
            ActionResult(ActionRef("create", "replicate", key), "failed", f"400 {key}", request_id=key)
            for key in HOSTILE
        ]
    )
    text = apply_markdown(result, at=Commit("f" * 40).markdown())
    assert {row.count("|") for row in _table_rows(text)[2:]} == {6}
    assert "<img" not in text and "<summary>click" not in text and "`" not in text
    assert text.count("(X-Request-Id <code>") == len(HOSTILE)


def test_escape_text_and_code() -> None:
    assert escape_text("a|b") == "a&#124;b"
    # a line break shows as the escape a reviewer can see (a space would hide it), never as a new row
    assert escape_text("a\nb\tc") == "a&#92;nb&#92;tc"
    assert code("x`y") == "<code>x&#96;y</code>"
    assert code("") == "<code></code>"


def test_marker_round_trip_cannot_be_closed_by_data() -> None:
    data = {"tool": "hfmap", "paths": ["a --> <b>"], "hash": "sha256:1"}
    text = marker("hfmap-plan", data)
    assert text.count("-->") == 1 and "<b>" not in text
    assert read_marker("intro\n" + text + "\nmore") == data
    assert read_marker("<!-- hfmap-plan {not json} -->") is None
    assert read_marker(marker("hfmap-plan", {"tool": "other"})) is None


def test_tokens_never_reach_markdown(monkeypatch) -> None:
    from hfmap.secrets import register_secret

    register_secret("ghp_supersecretvalue")
    text = plan_markdown(
        _plan(["org/ghp_supersecretvalue", "org/hf_abcdefghijklmnop"]), commit=Commit("f"), paths=["m"]
    )
    assert "supersecretvalue" not in text and "hf_abcdefghijklmnop" not in text


def test_live_counts_and_what_the_plan_leaves_alone() -> None:
    plan = _plan(["org/new"], reasons=())
    plan.providers = ["replicate", "together"]
    plan.live_counts = {"replicate": 30, "together": 16}
    plan.attention = [Attention("replicate", "org/broken", "error", "live")]
    plan.unmanaged = [
        Unmanaged("together", "org/kept", Record("together", "org/kept", None, "p/m", "t", "live"))
    ]

    text = plan_markdown(plan, commit=Commit("f" * 40), paths=["mappings"])

    assert "| <code>replicate</code> | 30 | 1 | 0 | 0 | 0 |" in text
    assert "| <code>together</code> | 16 | 0 | 0 | 0 | 0 |" in text
    assert "| **total** | | **1** | **0** | **0** | **0** |" in text
    broken = "<code>replicate&#58;org/broken &#40;error&#41;</code>"
    assert f"1 mapping(s) in a status the Hub's tests set, left alone: {broken}" in text
    assert "1 live mapping(s) not declared here are kept (`prune: false`)." in text
    assert "within the safety limits" in text


def test_applied_comment_names_mappings_the_hubs_tests_failed() -> None:
    result = _report(
        [ActionResult(ActionRef("create", "replicate", "org/a"), "done")],
        verified=True,
        attention=[Attention("replicate", "org/a", "error", "live")],
    )
    text = apply_markdown(result, at=Commit("f" * 40).markdown())
    broken = code("replicate:org/a (error)")
    assert f"1 mapping(s) in a status the Hub's tests set, left alone: {broken}" in text


def test_lint_errors_in_the_fork_comment_are_inert_cut_and_counted() -> None:
    errors = [
        {
            "path": f"mappings/{name}",
            "line": 3,
            "column": 5,
            "level": "error",
            "rule": "r|x",
            "message": name * 40,
        }
        for name in HOSTILE
    ] * 3
    text = lint_errors_markdown(errors)

    lines = text.strip().splitlines()
    assert lines[0] == f"> ❌ `hfmap lint` found {len(errors)} error(s) in the pull request's files:"
    items = [line for line in lines if line.startswith("> - <code>")]
    assert (
        len(items) == 20
        and lines[-1] == f"> - … and {len(errors) - 20} more (see the annotations of the pull request's run)"
    )
    for item in items:
        assert item.count("<code>") == 3 and item.endswith("…</code>")  # message cut at 300 characters
        assert "\n" not in item and "<img" not in item and "`" not in item.removeprefix("> - ")
    assert lint_errors_markdown([]) == ""
