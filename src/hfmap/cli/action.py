"""`hfmap action`: the steps of the composite GitHub Action (action.yml calls `hfmap action run`).

Inputs come from `INPUT_*` variables and the context from `GITHUB_*`, as in a real workflow run, so the
same command works in Actions, in the test harness and by hand (`GITHUB_EVENT_PATH=... hfmap action pr`).
"""

from __future__ import annotations

import click

from hfmap.cli.context import exit_with, get_run
from hfmap.secrets import register_secret


def _run_flow(requested: str) -> None:
    from hfmap.cli import main
    from hfmap.github.api import GitHubClient
    from hfmap.github.env import load_env
    from hfmap.github.flows import FLOWS, flow_for
    from hfmap.github.runner import use_entry_point
    from hfmap.github.workflow import set_outputs

    use_entry_point(main)
    env = load_env()
    register_secret(env.github_token)
    register_secret(env.job_token)
    register_secret(env.approval_key.decode("utf-8") if env.approval_key else None)
    name = flow_for(env, requested)
    client = (
        GitHubClient(env.github_token, env.repository, env.api_url, graphql_url=env.graphql_url)
        if env.repository
        else None
    )
    try:
        result = FLOWS[name](env, client)
    finally:
        if client is not None:
            client.close()
    set_outputs(env.output_path, result.outputs)
    get_run().debug(f"hfmap action {name}: exit {result.exit_code}")
    exit_with(result.exit_code)


@click.group("action")
def action() -> None:
    """The GitHub Action's steps: read INPUT_* and GITHUB_*, write outputs and the job summary."""


@action.command("run")
def run_command() -> None:
    """Per event: `pr` on pull requests, `queue` on merge_group, `apply` on pushes, `comment` on
    workflow_run, else `drift`."""
    _run_flow("run")


@action.command("pr")
def pr_command() -> None:
    """Lint and check with annotations, plan, and keep one PR comment and the job summary up to date."""
    _run_flow("pr")


@action.command("apply")
def apply_command() -> None:
    """Apply what the merged pull requests' verified approvals cover, and mark their comments."""
    _run_flow("apply")


@action.command("drift")
def drift_command() -> None:
    """Plan and keep one open drift issue up to date (closed when there is no drift)."""
    _run_flow("drift")


@action.command("comment")
def comment_command() -> None:
    """On `workflow_run` after a fork's plan: plan the fork's files and write the PR comment."""
    _run_flow("comment")


@action.command("queue")
def queue_command() -> None:
    """On merge_group: lint, check and plan the queued state into the job summary; writes nothing."""
    _run_flow("queue")


@action.command("check")
def check_command() -> None:
    """Only lint and check, with annotations."""
    _run_flow("check")


command = action
