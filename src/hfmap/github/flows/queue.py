"""On `merge_group`: lint, check and plan the queued state into the job summary and the step outputs.

The queue's commit is what will land, so this is the last look before the apply; it writes nothing —
no pull request comment (the approvals stay as reviewed), no drift issue, nothing on the Hub.
"""

from __future__ import annotations

from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import (
    FlowResult,
    commit_of,
    job_summary,
    lint_and_check,
    make_plan,
    plan_failed,
    problems_note,
    save_plan,
    step_outputs,
)
from hfmap.github.workflow import write_summary


def queue_flow(env: ActionEnv) -> FlowResult:
    commit = commit_of(env)
    checked = lint_and_check(env, changed_only=True)
    planned = make_plan(env)
    plan = planned.plan
    problems = problems_note(env, checked)
    if plan is None:
        return plan_failed(env, planned.error, commit, problems)
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    write_summary(
        env.summary_path, job_summary(env, plan, commit, "hfmap plan of the merge queue") + problems
    )
    return FlowResult(0 if checked.exit_code == 0 else 1, outputs)
