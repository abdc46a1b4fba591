"""The command line: global options, lazy subcommands, and the one place errors become exit codes.

Subcommands live in `hfmap.cli.<name>` and are imported only when invoked, so `hfmap lint`
and `hfmap --version` never pay for the HTTP stack.
"""

from __future__ import annotations

import importlib
import os
import traceback
from typing import Any

import click

from hfmap import __version__
from hfmap.cli.config import default_map, discover
from hfmap.cli.context import DEFAULT_ENDPOINT, FORMATS, RunContext, formats_of, use_color
from hfmap.cli.order import hoist_global_options
from hfmap.cli.token import find_token
from hfmap.errors import HfmapError
from hfmap.report.escape import one_line
from hfmap.secrets import redact, register_secret

# command name -> (module, one-line help shown in `hfmap --help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("hfmap.cli.lint", "Check mapping files offline: schema and every rule."),
    "fmt": ("hfmap.cli.fmt", "Rewrite mapping files in canonical order, comments kept."),
    "check": ("hfmap.cli.check", "Lint, then check models and tasks against the Hub and providers."),
    "plan": ("hfmap.cli.plan", "Show the changes that would make the live mapping equal the files."),
    "apply": ("hfmap.cli.apply", "Carry out the plan on the Hub, safely, and verify it."),
    "import": ("hfmap.cli.import_", "Write a provider's live mapping as a mapping file."),
    "suggest": ("hfmap.cli.suggest", "Suggest mappings a provider could add, from its model list."),
    "verify": ("hfmap.cli.verify", "Check what inference clients see of every declared mapping."),
    "action": ("hfmap.cli.action", "The GitHub Action's steps (used by action.yml)."),
}
HIDDEN = frozenset({"action"})  # internal: run by action.yml, not by people
INFORMATION = frozenset({"-h", "--help", "-V", "--version"})


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, short_help = COMMANDS[cmd_name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        attribute = cmd_name.replace("-", "_") + ("_" if cmd_name == "import" else "")
        command = getattr(module, attribute, None) or module.command
        if command.short_help is None:
            command.short_help = short_help
        command.hidden = cmd_name in HIDDEN
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Global options are moved in front of the command wherever they were given, and the config
        file becomes click's `default_map`, before click parses anything."""
        hoisted = hoist_global_options(args, self, lambda name: self.get_command(ctx, name))
        options = args[: args.index("--")] if "--" in args else args
        # Shell completion, --help and --version never fail on a broken config file; nor does the
        # Action's driver, which takes no option from it: the commands it runs read the file and their
        # errors reach the job summary, the comment and `failure-reason`.
        if (
            not ctx.resilient_parsing
            and not INFORMATION.intersection(options)
            and hoisted.command != "action"
        ):
            config = discover(hoisted.config)
            ctx.meta[CONFIG_KEY] = config
            command = self.get_command(ctx, hoisted.command) if hoisted.command else None
            defaults = default_map(config, self, hoisted.command, command)
            if defaults:
                ctx.default_map = defaults
        return super().parse_args(ctx, hoisted.args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`hfmap --help` lists commands from the table, without importing any of them."""
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx) if name not in HIDDEN]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HfmapError as exc:
            _fail(ctx, redact(exc.message), exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise  # `hfmap lint | head`: click ends quietly on EPIPE, as command-line tools should
        except Exception as exc:  # a bug or an unexpected environment: one line unless -v
            run = ctx.obj if isinstance(ctx.obj, RunContext) else RunContext()
            if run.verbose:
                click.echo(redact(traceback.format_exc()), err=True)
            message = redact(f"{type(exc).__name__}: {exc}")
            hint = "" if run.verbose else " (run with -v for the traceback)"
            _fail(ctx, f"internal error: {message}{hint}", 1)


CONFIG_KEY = "hfmap.config"


def _fail(ctx: click.Context, message: str, code: int) -> None:
    """One line on stderr, whatever the message quotes from a file or the Hub (see `one_line`)."""
    click.echo(f"hfmap: error: {one_line(message)}", err=True)
    ctx.exit(code)


@click.group(
    cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, "-V", "--version", prog_name="hfmap")
@click.option(
    "--endpoint",
    envvar="HF_ENDPOINT",
    default=DEFAULT_ENDPOINT,
    show_envvar=True,
    metavar="URL",
    help=f"The Hub's base URL (default {DEFAULT_ENDPOINT}).",
)
@click.option(
    "--token",
    default=None,
    metavar="TOKEN",
    help="Hugging Face token (default: HF_TOKEN, else the file at HF_TOKEN_PATH, else $HF_HOME/token, "
    "as huggingface_hub finds it); never printed or written anywhere.",
)
@click.option(
    "--config",
    default=None,
    expose_value=False,  # read before parsing (LazyGroup.parse_args): it supplies the other defaults
    metavar="FILE",
    help="Options from this TOML file (default: the nearest hfmap.toml or pyproject.toml [tool.hfmap] up "
    "to the repository root).",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour output (auto: only on a terminal and without NO_COLOR).",
)
@click.option(
    "--offline",
    is_flag=True,
    default=lambda: (
        os.environ.get("HFMAP_OFFLINE", "").strip().lower() not in ("", "0", "false", "no", "off")
    ),
    help="`check` answers from its cache only; plan, apply, verify, import and suggest refuse it "
    "(env HFMAP_OFFLINE=1).",
)
@click.option("-v", "--verbose", count=True, help="More detail; tracebacks on internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only findings and errors.")
@click.pass_context
def cli(
    ctx: click.Context,
    endpoint: str,
    token: str | None,
    format_: str,
    color: str,
    offline: bool,
    verbose: int,
    quiet: bool,
) -> None:
    """Keep a Hugging Face inference provider's model mappings as code.

    PATHS default to `mappings/`. Global options work before or after the command.
    Exit codes: 0 fine, 1 findings or failures, 2 usage, 3 apply refused.
    """
    found = find_token(token)
    register_secret(found.value)
    command = ctx.invoked_subcommand
    if command is not None and command not in HIDDEN and format_ not in formats_of(command):
        choices = ", ".join(formats_of(command))
        raise click.UsageError(f"`hfmap {command}` cannot print --format {format_} (it prints: {choices})")
    ctx.obj = RunContext(
        endpoint=endpoint.rstrip("/"),
        token=found.value,
        format=format_,
        color=use_color(color),
        verbose=verbose,
        quiet=quiet,
        offline=offline,
    )
    ctx.obj.debug(f"hfmap: token: {found.source}")
    if CONFIG_KEY in ctx.meta:  # not read for the Action's driver (see LazyGroup.parse_args)
        ctx.obj.debug(f"hfmap: {ctx.meta[CONFIG_KEY].describe()}")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="hfmap")
