"""What every command needs from the global options, resolved once."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from hfmap.errors import HfmapError, UsageError
from hfmap.report import RENDERERS, View, render
from hfmap.report.escape import one_line
from hfmap.report.findings import format_text
from hfmap.secrets import redact

if TYPE_CHECKING:
    from hfmap.findings import Finding
    from hfmap.lint.disables import Suppressed

DEFAULT_ENDPOINT = "https://huggingface.co"
FORMATS = ("text", "json", "github", "markdown")
# What each command prints, by the renderer table's kind; a command not named here prints text only
# (`import` writes YAML).
OUTPUT_KINDS = {
    "lint": "findings",
    "fmt": "findings",
    "check": "findings",
    "plan": "plan",
    "apply": "apply",
    "verify": "verify",
    "suggest": "suggest",
}


def formats_of(command: str) -> tuple[str, ...]:
    """The `--format` values `command` can really produce, in FORMATS order."""
    kind = OUTPUT_KINDS.get(command)
    produced = RENDERERS[kind] if kind is not None else {"text": ""}
    return tuple(fmt for fmt in FORMATS if fmt in produced)


def use_color(choice: str, stream: TextIO | None = None) -> bool:
    """`always`/`never` win; `auto` means a terminal and no NO_COLOR (https://no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


@dataclass
class RunContext:
    """Global options after defaults and environment were applied (`ctx.obj` of every command)."""

    endpoint: str = DEFAULT_ENDPOINT
    token: str | None = field(default=None, repr=False)
    format: str = "text"
    color: bool = False
    verbose: int = 0
    quiet: bool = False
    offline: bool = False

    def echo(self, text: str = "", *, nl: bool = True) -> None:
        """Print to stdout (redacted: user data may carry a pasted token)."""
        click.echo(redact(text), nl=nl, color=self.color)

    def err(self, text: str, *, nl: bool = True) -> None:
        """Print to stderr (redacted)."""
        click.echo(redact(text), err=True, nl=nl, color=self.color)

    def info(self, text: str) -> None:
        """A progress or diagnostic line on stderr, silenced by -q (escaped: it may quote any data)."""
        if not self.quiet:
            self.err(one_line(text))

    def debug(self, text: str) -> None:
        """Shown with -v only, as one escaped line (HTTP notes and the like quote ids and URLs)."""
        if self.verbose:
            self.err(one_line(text))

    def show(
        self,
        kind: str,
        data: Any,
        *,
        fmt: str | None = None,
        files: int = 0,
        quiet: bool | None = None,
        streamed: bool = False,
        apply_args: tuple[str, ...] | None = None,
    ) -> str:
        """`data` drawn by the renderer table for this run's format (or `fmt`), colour and quietness."""
        quiet = self.quiet if quiet is None else quiet
        view = View(color=self.color, files=files, quiet=quiet, streamed=streamed, apply_args=apply_args)
        chosen = fmt or self.format
        if chosen not in RENDERERS[kind]:  # e.g. `lint --list-rules --format github`
            produced = ", ".join(f for f in FORMATS if f in RENDERERS[kind])
            raise UsageError(f"--format {chosen}: this output is printed as {produced} only")
        return render(kind, chosen, data, view)

    def show_blocking(self, errors: list[Finding], files: int) -> None:
        """The lint errors that stop plan or apply, on stderr (as annotations under `--format github`)."""
        fmt = "github" if self.format == "github" else "text"
        self.err(self.show("findings", errors, fmt=fmt, files=files, quiet=True), nl=False)

    def show_context(self, paths: list[str]) -> None:
        """With -v: the other files of the same providers read as part of the declared state."""
        for path in paths:
            self.debug(f"hfmap: also read {path} (declares the same provider)")

    def show_suppressed(self, suppressed: Iterable[Suppressed]) -> None:
        """With -v: each finding a `# hfmap: disable=` comment switched off, and which comment did."""
        if self.verbose:
            for item in suppressed:
                self.err(f"{format_text(item.finding)} ({one_line(item.describe())})")


def exit_with(code: int) -> None:
    """End the command with `code` (nothing happens for 0)."""
    if code:
        raise click.exceptions.Exit(code)


def write_output(path: Path, text: str, what: str) -> None:
    """Write a file the user asked for (`plan -o`, `import -o`), creating its folder; an OS error is one
    line naming `what` (exit 1), never a traceback."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise HfmapError(f"cannot write {what}: {exc.strerror or exc}") from None


def get_run(ctx: click.Context | None = None) -> RunContext:
    """The RunContext of the current invocation (a default one when a command is called alone in tests)."""
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, RunContext):
        root.obj = RunContext()
    return root.obj


def get_online_run(command: str, needs: str) -> RunContext:
    """The run of a command that cannot do without the Hub: `--offline` (`HFMAP_OFFLINE=1`, `check`'s
    answers from its cache only) is refused rather than ignored, so no one who asked for no network gets
    some."""
    run = get_run()
    if run.offline:
        raise UsageError(f"{command} {needs}; it cannot run offline (--offline, HFMAP_OFFLINE)")
    return run


def format_option(command: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--format` repeated on a command, offering only what `command` can print (a global `--format` is
    checked against the same list)."""
    choices = formats_of(command)

    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            get_run(ctx).format = value
        return value

    return click.option(
        "--format",
        "command_format",
        type=click.Choice(choices),
        default=None,
        expose_value=False,
        callback=callback,
        help="Output format (same as the global --format).",
    )
