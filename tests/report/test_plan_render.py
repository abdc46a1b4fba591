"""Plan renderers: the Terraform-like text, the PR-comment markdown (escaped, bounded) and the JSON."""

from __future__ import annotations

import json

from hfmap.mapping.plan import Action, Plan
from hfmap.mapping.record import Record
from hfmap.mapping.safety import SafetyLimits
from hfmap.report import View
from hfmap.report.escape import code, escape_text
from hfmap.report.json_doc import render_json as render_json_doc
from hfmap.report.plan_markdown import render_markdown as render_markdown_doc
from hfmap.report.plan_text import render_plan
from hfmap.sync.safety import assess_safety


def rec(key: str, pm: str = "o/m", status: str = "live", task: str = "text-to-image") -> Record:
    return Record("replicate", key, None, pm, task, status)


def make(actions: list[Action], live: int = 100) -> Plan:
    counts = {"replicate": live}
    return Plan(actions, [], [], ["replicate"], counts, assess_safety(actions, counts, SafetyLimits()))


def render_text(plan: Plan, color: bool = False) -> str:
    return render_plan(plan, View(color=color))


def render_json(plan: Plan) -> str:
    return render_json_doc(plan)


def render_markdown(plan: Plan, **options) -> str:
    return render_markdown_doc(plan, **options)


MIXED = [
    Action("create", "replicate", "org/new", None, rec("org/new")),
    Action("update", "replicate", "org/up", rec("org/up", status="staging"), rec("org/up"), "1" * 24),
    Action(
        "replace",
        "replicate",
        "org/fix",
        rec("org/fix", pm="wrong/x"),
        rec("org/fix", pm="right/x"),
        "2" * 24,
    ),
    Action("delete", "replicate", "org/old", rec("org/old"), None, "3" * 24),
]


def test_text_is_terraform_like_with_a_summary_line():
    text = render_text(make(MIXED))
    assert "  + org/new  # create" in text
    assert "  ~ org/up  # update (promote)" in text
    assert "status: staging -> live" in text
    assert "  -/+ org/fix  # replace (providerModel changed; DELETE then POST)" in text
    assert "providerModel: wrong/x -> right/x" in text
    assert "  - org/old  # delete" in text
    assert text.splitlines()[-1] == "Plan: 1 to create, 1 to update, 1 to replace, 1 to delete."
    assert "\x1b[" not in text
    assert "\x1b[32m" in render_text(make(MIXED), color=True)


def test_text_shows_hostile_live_data_escaped():
    evil = Action(
        "delete", "replicate", "org/x\x1b[2Jboom", rec("org/x\x1b[2Jboom", pm="a\nb"), None, "4" * 24
    )
    text = render_text(make([evil]))
    assert "\x1b" not in text and "org/x\\x1b[2Jboom" in text and "a\\nb" in text


def test_no_changes_text():
    assert render_text(make([])).endswith("No changes. The live mapping matches the files.")


def test_markdown_summary_table_first_details_folded():
    md = render_markdown(make(MIXED))
    lines = md.splitlines()
    assert lines[0] == "### hfmap plan: 1 to create, 1 to update, 1 to replace, 1 to delete."
    assert lines[2].startswith("| provider | live | create | update | replace | delete |")
    assert "| <code>replicate</code> | 100 | 1 | 1 | 1 | 1 | 0 |" in md
    assert md.index("<details") > md.index("| <code>replicate</code> | 100 |")
    assert "Plan hash <code>sha256&#58;" in md
    assert "</details>" in md


def test_markdown_user_data_is_inert():
    hostile = "a|b`c</details><img src=x>@octocat [link](http://x) #1 *em* _u_\nnext"
    escaped = escape_text(hostile)
    for raw in ("|", "`", "<", ">", "[", "]", "\n", "*", "_", "http:"):
        assert raw not in escaped, raw
    assert "&#64;octo" in escaped  # a mention that cannot ping
    md = render_markdown(make([Action("create", "replicate", hostile, None, rec(hostile, pm=hostile))]))
    row = next(line for line in md.splitlines() if line.startswith("| 🟢"))
    header = next(line for line in md.splitlines() if line.startswith("| Action"))
    assert row.count("|") == header.count("|")  # the table row is not broken by the data
    assert md.count("</details>") == 1
    assert "@octocat" not in md


def test_markdown_truncates_details_with_a_note():
    many = [
        Action("create", "replicate", f"org/model-{i:05d}", None, rec(f"org/model-{i:05d}"))
        for i in range(3000)
    ]
    md = render_markdown(make(many), max_chars=20000)
    assert len(md) <= 20000
    assert md.startswith("### hfmap plan: 3000 to create")
    assert "more not shown. Run `hfmap plan`" in md
    assert md.count("<details") == md.count("</details>")
    shown = sum(1 for line in md.splitlines() if line.startswith("| 🟢"))
    assert f"… {3000 - shown} more not shown" in md


def test_markdown_warns_when_force_is_needed():
    deletes = [
        Action("delete", "replicate", f"org/m{i}", rec(f"org/m{i}"), None, f"{i:024x}") for i in range(5)
    ]
    md = render_markdown(make(deletes, live=10))
    assert "⚠️ **needs force**" in md and "requires `--force`" in md
    assert "5 of 10 live mappings &#40;50 %&#41;" in md


def test_markdown_is_the_same_from_the_printed_json():
    """The Action renders what `hfmap plan --format json` printed: the same Markdown as the CLI's."""
    plan = make(MIXED)
    assert render_markdown_doc(Plan.from_json(json.loads(render_json(plan)))) == render_markdown(plan)
    assert render_markdown(make([])) == "**hfmap plan:** ✅ no changes — the Hub already matches the files."


def test_json_has_the_contract_shape():
    doc = json.loads(render_json(make(MIXED)))
    assert doc["version"] == 1 and doc["hash"].startswith("sha256:")
    assert doc["needs_force"] is False
    assert doc["summary"] == {"create": 1, "update": 1, "replace": 1, "delete": 1}
    update = doc["actions"][1]
    assert update["change"] == "promote" and update["fields"] == ["status"] and update["destructive"] is False
    assert set(update) >= {"action", "provider", "key", "before", "after"}
    assert update["before"] == {
        "hfModel": "org/up",
        "providerModel": "o/m",
        "task": "text-to-image",
        "status": "staging",
    }
    assert doc["actions"][0]["before"] is None and doc["actions"][3]["after"] is None
    assert doc["unmanaged"] == [] and doc["safety"]["reasons"] == []
    assert "_id" not in render_json(make(MIXED)) and "1" * 24 not in render_json(make(MIXED))


def test_markdown_without_changes_still_says_what_is_left_alone():
    """A PR comment must not hide a mapping the Hub's tests failed, nor which mappings prune: false keeps."""
    from hfmap.mapping.plan import Attention, Unmanaged

    counts = {"replicate": 3}
    plan = Plan(
        [],
        [Unmanaged("replicate", "zeke/stray", rec("zeke/stray")), Unmanaged("replicate", "a/b", rec("a/b"))],
        [Attention("replicate", "org/broken", "error", "live")],
        ["replicate"],
        counts,
        assess_safety([], counts, SafetyLimits()),
    )
    md = render_markdown(plan)
    lines = md.splitlines()
    assert lines[0] == "**hfmap plan:** ✅ no changes — the Hub already matches the files."
    assert code("replicate:org/broken (error)") in md
    assert "2 live mapping(s) not declared here are kept (`prune: false`)" in md
    assert code("replicate:zeke/stray") in md and code("replicate:a/b") in md
    assert render_markdown_doc(Plan.from_json(json.loads(render_json(plan)))) == md
