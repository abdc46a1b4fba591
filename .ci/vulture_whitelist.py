"""Names vulture cannot see used: called by click, by the renderer table (by name), or by the tests only.

Dead-code check: `vulture src .ci/vulture_whitelist.py --min-confidence 60` (run by .ci/run).
"""

# click calls these: a lazy group's hooks, and subcommands registered by decorator.
_.get_command  # noqa
_.format_commands  # noqa
run_command  # noqa
pr_command  # noqa
apply_command  # noqa
drift_command  # noqa
queue_command  # noqa
comment_command  # noqa
check_command  # noqa

# hfmap.report.RENDERERS names these as "module:function".
render_report  # noqa
render_text  # noqa
render_json  # noqa
render_github  # noqa
render_plan  # noqa
render_verify  # noqa
render_file  # noqa

# hfmap.status_sources.STATUS_SOURCES names the status plug-ins as "module:class".
ReplicateWebStatus  # noqa

# Test isolation: many CLI invocations share one process.
clear_secrets  # noqa

# Read by ruamel.yaml (files/dump.py): the emitter class a YAML instance builds, and its scalar analysis.
Emitter  # noqa
allow_flow_plain  # noqa
allow_block_plain  # noqa
allow_single_quoted  # noqa
allow_block  # noqa
