"""Mode `check`: only lint and check, with annotations and a one-line job summary."""

from __future__ import annotations

from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import FlowResult, lint_and_check, step_outputs
from hfmap.github.workflow import write_summary
from hfmap.report.escape import code


def check_flow(env: ActionEnv) -> FlowResult:
    checked = lint_and_check(env)
    verdict = "✅ no problems" if checked.exit_code == 0 else "❌ problems found (see the annotations)"
    where = ", ".join(code(p) for p in env.paths)
    write_summary(env.summary_path, f"**hfmap {'check' if env.check else 'lint'}:** {verdict} in {where}\n")
    return FlowResult(0 if checked.exit_code == 0 else 1, step_outputs(None))
