"""Reporters: findings, plans, apply, verify and suggest reports, rule lists as text, JSON, annotations
or Markdown.

One table says which function draws which kind of result in which format; commands call `render()` and
never choose a renderer themselves. Entries are imported on first use, so `hfmap lint` loads only the
findings renderer.
"""

from __future__ import annotations

import importlib
from typing import Any

from hfmap.report.view import View

__all__ = ["RENDERERS", "View", "render"]

# kind -> format -> "module:function"; every function is `(data, view) -> str`. A format a kind lacks here is
# one its command refuses (a usage error), never one drawn as text under another name.
RENDERERS: dict[str, dict[str, str]] = {
    "findings": {
        "text": "findings:render_text",
        "json": "findings:render_json",
        "github": "findings:render_github",
    },
    "plan": {
        "text": "plan_text:render_plan",
        "json": "json_doc:render_json",
        "markdown": "plan_markdown:render_plan",
    },
    "apply": {
        "text": "apply_text:render_report",
        "json": "json_doc:render_json",
    },
    "stats": {
        "text": "stats:render_text",
        "json": "stats:render_json",
    },
    "verify": {
        "text": "verify_text:render_text",
        "json": "json_doc:render_json",
        "markdown": "verify_markdown:render_verify",
        "github": "verify_text:render_github",
    },
    "suggest": {
        "text": "suggest_text:render_text",
        "json": "json_doc:render_json",
    },
    "suggest-file": {  # a mapping file is YAML whatever --format says
        "text": "suggest_text:render_file",
    },
    "rules": {
        "text": "rules:render_text",
        "json": "rules:render_json",
    },
}


def render(kind: str, fmt: str, data: Any, view: View = View()) -> str:  # noqa: B008 - frozen
    """`data` (findings, a `Plan`, `ApplyReport` or `VerifyReport`, or rule rows) drawn as `fmt`."""
    module_name, _, function = RENDERERS[kind][fmt].partition(":")
    module = importlib.import_module(f"hfmap.report.{module_name}")
    return getattr(module, function)(data, view)
