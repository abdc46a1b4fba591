"""`hfmap lint` through the CLI: formats, exit codes, rule switches, --list-rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lint"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad.yaml"
WARNING = FIXTURES / "warning.yaml"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mappings"


def test_good_files_exit_0_with_a_summary(run_cli):
    result = run_cli("lint", GOOD)
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_text_format_lines_and_exit_1(run_cli):
    result = run_cli("lint", BAD)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{BAD}:5:11: error [task-invalid] unknown task 'text-to-imag'; did you mean 'text-to-image'? "
        "(tasks are Hub pipeline tags, or `conversational` for chat models)"
    )
    assert lines[1].startswith(f"{BAD}:8:11: warning [conversational-task] ")
    assert lines[-1] == "1 error, 1 warning in 1 file"
    assert "Traceback" not in result.output


def test_json_format(run_cli):
    result = run_cli("lint", "--format", "json", BAD)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert findings[0] == {
        "path": str(BAD),
        "line": 5,
        "column": 11,
        "level": "error",
        "rule": "task-invalid",
        "message": findings[0]["message"],
    }
    assert [f["rule"] for f in findings] == ["task-invalid", "conversational-task"]


def test_global_format_works_too(run_cli):
    assert json.loads(run_cli("--format", "json", "lint", GOOD).stdout) == []


def test_github_format_escapes_properties_and_data(run_cli, tmp_path):
    odd = tmp_path / "50%,a:b\nc.yaml"
    odd.write_text(
        "provider: replicate\nmappings:\n  - {hfModel: a/b, providerModel: a/b, task: 100%-image}\n"
    )
    result = run_cli("lint", "--format", "github", odd)
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    escaped_path = str(tmp_path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert line.startswith(f"::error file={escaped_path}/50%25%2Ca%3Ab%0Ac.yaml,line=3,col=46,")
    assert "title=hfmap [task-invalid]::unknown task '100%25-image'" in line
    assert "\n" not in line


@pytest.mark.parametrize("where", ["global", "command"])
def test_a_format_lint_cannot_print_is_a_usage_error(run_cli, where):
    """It printed the text findings under the name `markdown` (exit 1), as if that were Markdown."""
    args = (
        ["--format", "markdown", "lint", BAD] if where == "global" else ["lint", "--format", "markdown", BAD]
    )
    result = run_cli(*args)
    assert result.exit_code == 2
    assert "markdown" in result.stderr and result.stdout == ""


def test_warnings_pass_unless_strict(run_cli):
    assert run_cli("lint", WARNING).exit_code == 0
    strict = run_cli("lint", "--strict", WARNING)
    assert strict.exit_code == 1
    assert "warning [conversational-task]" in strict.stdout


def test_disable_turns_a_rule_off(run_cli):
    result = run_cli("lint", "--disable", "task-invalid", "--disable", "conversational-task", BAD)
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_unknown_rule_id_is_a_usage_error_with_suggestion(run_cli):
    result = run_cli("lint", "--disable", "task-invalidd", BAD)
    assert result.exit_code == 2
    assert result.stderr.strip() == "hfmap: error: unknown rule 'task-invalidd'; did you mean 'task-invalid'?"
    assert result.stdout == ""


def test_syntax_cannot_be_disabled(run_cli):
    result = run_cli("lint", "--disable", "syntax", GOOD)
    assert result.exit_code == 2
    assert "cannot be disabled" in result.stderr


def test_comment_disable_is_silent_and_shown_with_verbose(run_cli):
    quiet = run_cli("lint", BAD)
    assert "task-unsupported" not in quiet.output
    verbose = run_cli("-v", "lint", BAD)
    assert verbose.exit_code == 1
    assert "[task-unsupported]" in verbose.stderr
    assert f"(suppressed by comment at {BAD}:6)" in verbose.stderr
    assert "task-unsupported" not in verbose.stdout


def test_allow_provider(run_cli, tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text(
        "provider: brand-new-ai\nmappings:\n  - {hfModel: a/b, providerModel: x, task: conversational}\n"
    )
    assert run_cli("lint", path).exit_code == 1
    assert run_cli("lint", "--allow-provider", "brand-new-ai", path).exit_code == 0


def test_quiet_drops_the_summary(run_cli):
    assert run_cli("-q", "lint", GOOD).stdout == ""


def test_list_rules_text_and_json(run_cli):
    text = run_cli("lint", "--list-rules")
    assert text.exit_code == 0
    first = text.stdout.splitlines()[0].split()
    assert first[:2] == ["syntax", "error"]
    assert any(line.split()[:2] == ["conversational-task", "warning"] for line in text.stdout.splitlines())
    rules = json.loads(run_cli("--format", "json", "lint", "--list-rules").stdout)
    ids = [r["id"] for r in rules]
    assert ids == [
        "syntax",
        "schema",
        "unknown-provider",
        "task-invalid",
        "task-unsupported",
        "python-client-unsupported",
        "hf-model-id",
        "provider-model-id",
        "hfmodel-with-hffilter",
        "hffilter-adapter",
        "lora-unsupported",
        "lora-python-unsupported",
        "hffilter-tags",
        "duplicate-mapping",
        "provider-settings",
        "status-auto",
        "ignored-entry",
        "conversational-task",
        "disable-comment",
    ]
    assert all(r["description"] and r["level"] in ("error", "warning") for r in rules)
    shipped_data = {r["id"]: r["can_disable"] for r in rules}
    assert (
        shipped_data["unknown-provider"] and shipped_data["task-invalid"] and shipped_data["task-unsupported"]
    )
    assert shipped_data["syntax"] is False


def test_files_are_merged_across_a_directory(run_cli, tmp_path):
    entry = "  - {hfModel: a/b, providerModel: a/b, task: text-to-image}\n"
    (tmp_path / "one.yaml").write_text("provider: replicate\nmappings:\n" + entry)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.yml").write_text("provider: replicate\nmappings:\n" + entry)
    result = run_cli("lint", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.count("[duplicate-mapping]") == 2
    assert "in 2 files" in result.stdout


def test_default_path_is_mappings(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = run_cli("lint")
    assert missing.exit_code == 2
    assert "path 'mappings' does not exist" in missing.stderr
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "r.yaml").write_text((GOOD / "replicate.yaml").read_text())
    assert run_cli("lint").exit_code == 0


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples not there yet")
def test_examples_lint_clean_even_when_strict(run_cli):
    result = run_cli("lint", "--strict", EXAMPLES)
    assert result.exit_code == 0, result.stdout


def test_lint_never_imports_the_http_stack(tmp_path):
    code = (
        "import sys\n"
        "from hfmap.cli import cli\n"
        f"try:\n    cli.main(args=['lint', {str(BAD)!r}], prog_name='hfmap')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "stack = {'httpx', 'aiohttp'} & set(sys.modules)\n"
        "print('HTTPX' if stack else 'NO-HTTPX', code, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "[task-invalid]" in proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "NO-HTTPX 1"
