"""Mode `sync` (scheduled): follow the providers' warm/cold signal for `status: auto` entries, nothing else.

`hfmap apply --only-auto-status` writes only the promotes and demotes of `auto` entries — never a create,
replace or delete, whatever else the files would change — so it needs no reviewed pull request. When the
providers' answers change nothing it writes nothing (the seed systems' hourly re-PUT of every status, each
one starting a Hub test, is exactly what this avoids). The safety limits still hold: a mass demotion needs
`allow-unsafe`.
"""

from __future__ import annotations

from hfmap.github import report
from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import FlowResult, commit_of, step_outputs
from hfmap.github.runner import read_as, run_json
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.mapping.apply_report import ApplyReport
from hfmap.report.apply_markdown import apply_markdown

TITLE = "hfmap sync (`status: auto`)"


def sync_flow(env: ActionEnv) -> FlowResult:
    commit = commit_of(env)
    # `--yes`: a scheduled run has no terminal, and `status: auto` changes need no review (see above).
    args = [
        "apply",
        "--yes",
        "--only-auto-status",
        "--format",
        "json",
        *(["--force"] if env.allow_unsafe else []),
    ]
    applied = run_json([*args, *env.paths])
    result = read_as(applied.data, ApplyReport.from_json)
    if result is None:
        annotate("error", f"hfmap sync failed: {applied.error}")
        write_summary(
            env.summary_path, report.failure_markdown("sync the auto statuses", applied.error, commit)
        )
        return FlowResult(applied.exit_code or 1, step_outputs(None))
    outputs = step_outputs(
        None,
        **{
            "plan-hash": result.plan.hash if result.plan is not None else "",
            "has-changes": "true" if result.results else "false",
            "applied": "true" if result.applied else "false",
        },
    )
    refused = result.refused
    if refused:
        annotate("error", f"hfmap sync refused ({refused.code}): {refused.reason}")
        body = report.failure_markdown("sync the auto statuses", refused.reason, commit)
    else:
        if applied.exit_code:
            annotate("error", "hfmap sync: some status changes failed (see the job summary)")
        body = apply_markdown(result, at=commit.markdown(), budget=SUMMARY_BUDGET - 4096)
    write_summary(env.summary_path, f"## {TITLE}\n\n{body}")
    return FlowResult(applied.exit_code, outputs)
