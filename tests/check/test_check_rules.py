"""`hfmap check` against the emulator: every online rule, both outcomes, at the entry's positions."""

from __future__ import annotations

import json

from check.conftest import OTHER_VERSION, VERSION

REPLICATE = """
provider: replicate
mappings:
{entries}
"""


def replicate_file(write, *entries: str):
    body = "\n".join(entries)
    return write(REPLICATE.format(entries=body))


def entry(hf_model: str, provider_model: str = "owner/image", task: str = "text-to-image") -> str:
    return f"  - hfModel: {hf_model}\n    providerModel: {provider_model}\n    task: {task}"


def lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if "[" in line]


def test_a_clean_file_passes_with_no_findings(world, run_cli, env_for, write):
    path = replicate_file(
        write, entry("org/image"), entry("org/lora-1", f"owner/pinned:{VERSION}", "text-to-image")
    )
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
    assert result.stderr == ""  # no progress bar outside a terminal
    assert world.errors == []


def test_missing_hub_model_is_an_error_at_the_hfmodel_value(world, run_cli, env_for, write):
    path = replicate_file(write, entry("org/image"), entry("org/absent"))
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 1
    assert lines(result) == [
        f"{path}:6:14: error [hf-model-missing] hfModel 'org/absent' does not exist on the Hub "
        "(or it is private: without HF_TOKEN the Hub does not say which)"
    ]


def test_missing_hub_model_with_a_token_says_plainly_missing(world, run_cli, env_for, write):
    world.add_token("hf_readtoken0123456789")
    path = replicate_file(write, entry("org/absent"))
    result = run_cli("check", path, env=env_for(world, HF_TOKEN="hf_readtoken0123456789"))
    assert result.exit_code == 1
    assert lines(result) == [
        f"{path}:3:14: error [hf-model-missing] hfModel 'org/absent' does not exist on the Hub"
    ]


def test_disabled_model(world, run_cli, env_for, write):
    world.add_model("org/gone", pipeline_tag="text-to-image", disabled=True)
    path = replicate_file(write, entry("org/gone"), entry("org/image"))
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 1
    assert lines(result) == [
        f"{path}:3:14: error [hf-model-disabled] hfModel 'org/gone' is disabled on the Hub; "
        "the Hub serves no mapping of a disabled model"
    ]


def test_private_model_is_a_warning_that_strict_makes_fail(world, run_cli, env_for, write):
    world.add_token("hf_readtoken0123456789")
    world.add_model("org/secret", pipeline_tag="text-to-image", private=True)
    world.add_model("org/gated", pipeline_tag="text-to-image", gated="manual")
    path = replicate_file(write, entry("org/secret"), entry("org/gated"))
    env = env_for(world, HF_TOKEN="hf_readtoken0123456789")
    result = run_cli("check", path, env=env)
    assert result.exit_code == 0  # gated is fine; private only warns
    assert lines(result) == [
        f"{path}:3:14: warning [hf-model-private] hfModel 'org/secret' is private: "
        "people using the Hub cannot see or run it"
    ]
    assert run_cli("check", "--strict", path, env=env).exit_code == 1


def test_task_mismatch_follows_the_hubs_create_rule(world, run_cli, env_for, write):
    path = replicate_file(
        write,
        entry("org/image", task="text-to-video"),  # 3-5: wrong task
        entry("org/chat", task="conversational"),  # fine: text-generation + conversational tag
        entry("org/vision-chat", task="conversational"),  # fine: image-text-to-text + tag
        entry("org/base-lm", task="conversational"),  # 12-14: no conversational tag
        entry("org/chat", task="text-generation"),  # fine: pipeline tag == task
        entry("org/untagged", task="text-to-image"),  # 18-20: no pipeline tag at all
        entry("org/chat", task="text-to-image"),  # 21-23: chat model: suggest conversational
    )
    result = run_cli(
        "check",
        *(
            "--disable",
            "task-unsupported",
            "--disable",
            "conversational-task",
            "--disable",
            "duplicate-mapping",
        ),
        path,
        env=env_for(world),
    )
    assert result.exit_code == 1
    assert lines(result) == [
        f"{path}:5:11: error [hf-task-mismatch] task 'text-to-video' does not fit 'org/image', "
        "whose pipeline tag is 'text-to-image'; use task 'text-to-image'",
        f"{path}:14:11: error [hf-task-mismatch] task 'conversational' needs a chat model: 'org/base-lm' has "
        "pipeline tag 'text-generation' but not the 'conversational' tag; use task 'text-generation'",
        f"{path}:20:11: error [hf-task-mismatch] task 'text-to-image' does not fit 'org/untagged': it has "
        "no pipeline tag on the Hub, so the Hub accepts no mapping of it until its model card sets "
        "`pipeline_tag`",
        f"{path}:23:11: error [hf-task-mismatch] task 'text-to-image' does not fit 'org/chat', "
        "whose pipeline tag is 'text-generation'; use task 'conversational'",
    ]


def test_tag_filter_that_matches_nothing(world, run_cli, env_for, write):
    path = write(
        """
        provider: replicate
        mappings:
          - hfFilter: [lora, "base_model:adapter:org/image"]
            providerModel: owner/image
            task: text-to-image
            adapterType: lora
          - hfFilter: [lora, "base_model:adapter:org/nothing"]
            providerModel: owner/image
            task: text-to-image
            adapterType: lora
        """
    )
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 1
    assert lines(result) == [
        f"{path}:7:15: error [hf-filter-empty] no Hub model carries all the tags "
        "[lora, base_model:adapter:org/nothing]: this filter maps nothing"
    ]


def test_provider_model_and_pinned_version(world, run_cli, env_for, write):
    path = replicate_file(
        write,
        entry("org/image", "owner/image"),
        entry("org/image", "owner/absent"),
        entry("org/image", f"owner/pinned:{VERSION}"),
        entry("org/image", f"owner/pinned:{OTHER_VERSION}"),
        entry("org/image", f"owner/absent:{VERSION}"),
    )
    result = run_cli("check", "--disable", "duplicate-mapping", path, env=env_for(world))
    assert result.exit_code == 1
    assert lines(result) == [
        f"{path}:7:20: error [provider-model-missing] providerModel 'owner/absent' does not exist on "
        "replicate (not found on Replicate)",
        f"{path}:13:20: error [provider-version-missing] replicate model 'owner/pinned' exists but has no "
        f"version '{OTHER_VERSION}'",
        f"{path}:16:20: error [provider-model-missing] providerModel 'owner/absent:{VERSION}' does not "
        "exist on replicate (not found on Replicate)",
    ]


def test_list_provider_model_missing(world, run_cli, env_for, write):
    path = write(
        """
        provider: together
        mappings:
          - hfModel: org/chat
            providerModel: org/chat
            task: conversational
          - hfModel: org/vision-chat
            providerModel: org/not-served
            task: conversational
        """
    )
    result = run_cli("check", path, env=env_for(world))
    assert lines(result) == [
        f"{path}:7:20: error [provider-model-missing] providerModel 'org/not-served' does not exist on "
        "together (not in the together model list)"
    ]


def test_provider_without_token_is_a_notice_that_strict_makes_fail(world, run_cli, env_for, write):
    path = replicate_file(write, entry("org/image"), entry("org/image", "owner/absent"))
    env = env_for(world)
    del env["REPLICATE_API_TOKEN"]
    result = run_cli("check", "--disable", "duplicate-mapping", path, env=env)
    assert result.exit_code == 0
    assert lines(result) == [
        f"{path}:4:20: notice [provider-check-skipped] providerModel 'owner/image' not checked "
        "(and 1 more entry in this file): no API token for replicate: set REPLICATE_API_TOKEN or "
        "HFMAP_REPLICATE_TOKEN to check replicate models"
    ]
    assert not any("/providers/" in r.path for r in world.requests)
    strict = run_cli("check", "--strict", "--disable", "duplicate-mapping", path, env=env)
    assert strict.exit_code == 1
    assert "warning [provider-check-skipped]" in strict.stdout


def test_hfmap_specific_token_variable_wins(world, run_cli, env_for, write):
    world.require_provider_token("replicate", "r8_hfmapspecific0123456")
    path = replicate_file(write, entry("org/image", "owner/absent"))
    env = env_for(world, HFMAP_REPLICATE_TOKEN="r8_hfmapspecific0123456")
    result = run_cli("check", path, env=env)
    assert "[provider-model-missing]" in result.stdout
    # A token the provider refuses: a skipped check, not a "missing" model.
    env = env_for(world, HFMAP_REPLICATE_TOKEN="r8_wrongwrongwrong0000")
    result = run_cli("check", "--no-cache", path, env=env)
    assert result.exit_code == 0
    assert "notice [provider-check-skipped]" in result.stdout
    assert "refused the token (HTTP 401)" in result.stdout


def test_provider_without_plugin_is_skipped(world, run_cli, env_for, write):
    path = write(
        """
        provider: zai-org
        mappings:
          - hfModel: org/chat
            providerModel: glm-4.5
            task: conversational
        """
    )
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 0
    assert lines(result) == [
        f"{path}:4:20: notice [provider-check-skipped] providerModel 'glm-4.5' not checked: "
        "hfmap has no model check for provider 'zai-org'"
    ]


def test_unavailable_is_never_reported_as_missing(world, run_cli, env_for, write):
    from emulator import Fault

    world.inject(Fault(path="/api/models/org/image", kind="status", status=503, times=None))
    world.inject(Fault(path="/providers/replicate/*", kind="status", status=500, times=None))
    path = replicate_file(write, entry("org/image"))
    result = run_cli("check", "--retries", "1", path, env=env_for(world))
    assert result.exit_code == 0  # a warning: nothing is known to be wrong with the file
    assert lines(result) == [
        f"{path}:3:14: warning [check-unavailable] could not check hfModel 'org/image' on the Hub: "
        "the Hub answered HTTP 503: Injected fault: HTTP 503",
        f"{path}:4:20: warning [check-unavailable] could not check providerModel 'owner/image' on replicate: "
        "the replicate API answered HTTP 500",
    ]
    assert run_cli("check", "--retries", "0", "--strict", path, env=env_for(world)).exit_code == 1


def test_a_route_failing_twice_then_answering_is_a_pass(world, run_cli, env_for, write):
    from emulator import Fault

    fault = world.inject(Fault(path="/api/models/org/image", kind="status", status=503, times=2))
    dropped = world.inject(Fault(path="/providers/replicate/*", kind="drop", times=1))
    path = replicate_file(write, entry("org/image"))
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 0 and lines(result) == []
    assert fault.fired == 2 and dropped.fired == 1


def test_lint_errors_come_first_and_stop_the_online_checks_of_that_entry(world, run_cli, env_for, write):
    path = replicate_file(write, entry("org/absent", task="text-to-imag"), entry("org/image"))
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 1
    assert [line.split(" [")[1].split("]")[0] for line in lines(result)] == ["task-invalid"]
    assert not any(r.path.endswith("org/absent") for r in world.requests)


def test_the_same_model_is_asked_for_once(world, run_cli, env_for, write):
    write(REPLICATE.format(entries=entry("org/image")), "a.yaml")
    write(
        "provider: together\nmappings:\n"
        + entry("org/image", "org/chat", "text-to-image")
        + "\n"
        + entry("org/chat", "org/chat", "conversational"),
        "b.yaml",
    )
    folder = write(
        REPLICATE.format(entries=entry("org/chat", "owner/image", "conversational")), "c.yaml"
    ).parent
    result = run_cli("check", "--disable", "task-unsupported", folder, env=env_for(world))
    assert result.exit_code == 0, result.stdout
    paths = [r.path for r in world.requests]
    assert paths.count("/api/models/org/image") == 1
    assert paths.count("/api/models/org/chat") == 1
    assert paths.count("/providers/replicate/v1/models/owner/image") == 1
    assert paths.count("/providers/together/v1/models") == 1  # a list API: one call per run


def test_rules_can_be_switched_off_per_run_and_per_entry(world, run_cli, env_for, write):
    path = replicate_file(
        write,
        entry("org/absent").replace("org/absent", "org/absent # hfmap: disable=hf-model-missing", 1),
        entry("org/absent-too"),
    )
    result = run_cli("-v", "check", path, env=env_for(world))
    assert [line.split(":")[1] for line in lines(result)] == ["6"]
    assert "suppressed by comment at" in result.stderr and "org/absent'" in result.stderr
    result = run_cli("check", "--disable", "hf-model-missing", path, env=env_for(world))
    assert result.exit_code == 0 and lines(result) == []


def test_unknown_rule_is_a_usage_error(world, run_cli, env_for, write):
    path = replicate_file(write, entry("org/image"))
    result = run_cli("check", "--disable", "hf-model-mising", path, env=env_for(world))
    assert result.exit_code == 2
    assert "unknown rule 'hf-model-mising'; did you mean 'hf-model-missing'?" in result.stderr


def test_list_rules_names_lint_and_check_rules(run_cli):
    result = run_cli("check", "--list-rules")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert "task-invalid" in ids and "hf-task-mismatch" in ids and "check-unavailable" in ids


def test_json_and_github_output(world, run_cli, env_for, write):
    path = replicate_file(write, entry("org/absent"))
    result = run_cli("check", "--format", "json", path, env=env_for(world))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == [
        {
            "path": str(path),
            "line": 3,
            "column": 14,
            "level": "error",
            "rule": "hf-model-missing",
            "message": "hfModel 'org/absent' does not exist on the Hub (or it is private: without HF_TOKEN "
            "the Hub does not say which)",
        }
    ]
    result = run_cli("--format", "github", "check", path, env=env_for(world))
    assert result.stdout.startswith(f"::error file={path},line=3,col=14,title=hfmap [hf-model-missing]::")


def test_allow_provider_reaches_lint_and_the_provider_is_skipped(world, run_cli, env_for, write):
    path = write("provider: newco\nmappings:\n" + entry("org/image", "newco-image"))
    refused = run_cli("check", path, env=env_for(world))
    assert refused.exit_code == 1 and "[unknown-provider]" in refused.stdout
    allowed = run_cli("check", "--allow-provider", "newco", path, env=env_for(world))
    assert allowed.exit_code == 0, allowed.stdout
    assert lines(allowed) == [
        f"{path}:4:20: notice [provider-check-skipped] providerModel 'newco-image' not checked: "
        "hfmap has no model check for provider 'newco'"
    ]
