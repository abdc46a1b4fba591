#!/usr/bin/env python3
"""Generate ``src/hfmap/data/hf_data.json`` from the real Hugging Face client packages.

Why generated: the valid mapping tasks and what each provider can serve change with every client release.
Typing them by hand drifts; extracting them from pinned package versions is reproducible and refreshable
(bump the pins, rerun, review the diff).

What it does:

1. ``npm install --prefix <tmp> @huggingface/tasks@<v> @huggingface/inference@<v>`` (``--ignore-scripts``).
2. Runs a small node script (``NODE_EXTRACT`` below) in that prefix that prints one JSON object:

   - ``PIPELINE_DATA`` from ``@huggingface/tasks``: its keys are the Hub pipeline tags; ``name`` and
     ``modality`` are kept when present.
   - ``PROVIDERS`` from ``@huggingface/inference`` (``lib/getProviderHelper``): provider -> {client task ->
     helper instance}. Since 4.x it is re-exported from the package index, so the script takes it from
     ``require("@huggingface/inference")``. If a future release stops exporting it, the script loads the
     compiled module file ``dist/commonjs/lib/getProviderHelper.js`` by absolute path (the package's
     ``exports`` map only blocks bare sub-path specifiers, not absolute paths) and reads ``PROVIDERS``
     from there; if that file moved, it scans every ``dist/commonjs/**/*.js`` for an export named
     ``PROVIDERS`` shaped like {string: {string: object}}. Which way was used is recorded in the output
     (``sources.providers_table``). No source text is parsed; the real module is evaluated.
   - per task helper, its ``clientSideRoutingOnly`` flag (true for ``openai``: the client calls the
     provider directly and never consults a Hub mapping), the ``INFERENCE_PROVIDERS`` list and the
     ``PROVIDERS_HUB_ORGS`` table (provider id -> Hub organization), when exported.
   - hf-inference's ``EQUIVALENT_SENTENCE_TRANSFORMERS_TASKS`` (``dist/commonjs/providers/hf-inference.js``):
     tasks the client treats as one for that provider (``equivalent_tasks``).
   - LoRA support (``lora.js``): each task helper's real ``preparePayload`` is called with a tag-filter
     mapping carrying ``adapter: "lora"`` and an ``adapterWeightsPath``, and again without them; a helper
     runs the LoRA when the adapter's Hub id is in the first payload and not in the plain one. A helper
     that throws is listed under ``lora.unprobed`` (unknown, never judged).
3. Optionally ``pip install huggingface_hub==<v>`` into a temp venv and dumps
   ``huggingface_hub.inference._providers.PROVIDERS`` (provider -> tasks) into ``python_client`` and
   probes each helper's ``_prepare_payload_as_dict`` the same way (``lora.python``). The JS client is the
   reference (the Hub tests mappings with it); the Python data feeds the warnings about Python users.
4. ``build_data()`` -- a pure function, unit-tested without npm -- turns those outputs into the JSON.

Client task names are Hub pipeline tags, except ``conversational`` (chat-completion route) which is valid
for mappings but is not a pipeline tag; it is added to ``tasks`` with ``"pipeline_tag": false``. A client
task that is neither is kept out of ``tasks`` and listed under the provider's ``unmapped_client_tasks``
(with a warning on stderr) rather than silently dropped or invented.

Output is stable: sorted keys, sorted lists; rerunning with the same versions only changes ``generated_at``.

Usage: ``python scripts/gen_hf_data.py [--tasks-version V] [--inference-version V] [--hub-version V |
--no-python] [--output PATH] [--check]``. Needs ``node``/``npm`` and network access to npm (and PyPI unless
``--no-python``). ``--check`` writes nothing and exits 1 with a diff when the shipped file is not what the
pinned versions give (CI runs it; see docs/data.md). The pinned versions are the constants below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

TASKS_VERSION = "0.21.54"
INFERENCE_VERSION = "4.13.30"
HUB_VERSION = "2.4.0"

EXTRACT_TIMEOUT = 300  # seconds: the LoRA probes run client code, which must never hang a CI run
CONVERSATIONAL = "conversational"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "src" / "hfmap" / "data" / "hf_data.json"

NODE_EXTRACT = r"""
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const prefix = process.argv[2];
const req = createRequire(path.join(prefix, "package.json"));
const pkgDir = (name) => path.join(prefix, "node_modules", ...name.split("/"));
const version = (dir) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;

const isProvidersTable = (t) =>
  t && typeof t === "object" && Object.keys(t).length > 0 &&
  Object.values(t).every((v) => v && typeof v === "object" && !Array.isArray(v));

function findProviders(inference) {
  if (isProvidersTable(inference.PROVIDERS)) return [inference.PROVIDERS, "export of @huggingface/inference"];
  const dist = path.join(pkgDir("@huggingface/inference"), "dist", "commonjs");
  const known = path.join(dist, "lib", "getProviderHelper.js");
  if (fs.existsSync(known)) {
    const mod = require(known);
    if (isProvidersTable(mod.PROVIDERS)) return [mod.PROVIDERS, "dist/commonjs/lib/getProviderHelper.js"];
  }
  const stack = [dist];
  while (stack.length) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.name.endsWith(".js") && fs.readFileSync(full, "utf8").includes("PROVIDERS")) {
        let mod;
        try { mod = require(full); } catch (e) { continue; }
        const where = path.relative(pkgDir("@huggingface/inference"), full);
        if (isProvidersTable(mod.PROVIDERS)) return [mod.PROVIDERS, where];
      }
    }
  }
  throw new Error("PROVIDERS table not found in @huggingface/inference");
}

const tasksPkg = req("@huggingface/tasks");
const inference = req("@huggingface/inference");
const pipeline = {};
for (const [tag, info] of Object.entries(tasksPkg.PIPELINE_DATA)) {
  pipeline[tag] = {};
  for (const key of ["name", "modality"]) if (info && info[key] !== undefined) pipeline[tag][key] = info[key];
}
const [table, where] = findProviders(inference);
const providers = {};
for (const [provider, helpers] of Object.entries(table)) {
  providers[provider] = {};
  for (const [task, helper] of Object.entries(helpers)) {
    providers[provider][task] = { clientSideRoutingOnly: Boolean(helper && helper.clientSideRoutingOnly) };
  }
}
// LoRA: build each helper's payload for a LoRA tag-filter mapping and look for the adapter's Hub id in it.
// The real preparePayload runs, so whatever condition a release uses is what the data records.
const LORA_MARK = "hfmap-probe-org/hfmap-probe-lora";
function loraProbe(helper, task, extra) {
  const mapping = {
    provider: "probe", hfModelId: LORA_MARK, providerId: "probe-provider-model", status: "live", task,
    type: "tag-filter", ...extra,
  };
  try {
    const payload = helper.preparePayload({
      args: { inputs: "https://example.invalid/probe.png", parameters: { prompt: "probe" } },
      model: "probe-provider-model", task, mapping,
    });
    return JSON.stringify(payload === undefined ? null : payload).includes(LORA_MARK);
  } catch (e) {
    return "error: " + String((e && e.message) || e).slice(0, 200);
  }
}
const lora = {};
for (const [provider, helpers] of Object.entries(table)) {
  for (const [task, helper] of Object.entries(helpers)) {
    if (!helper || typeof helper.preparePayload !== "function") continue;
    const withWeights = loraProbe(helper, task, { adapter: "lora", adapterWeightsPath: "probe.safetensors" });
    const without = loraProbe(helper, task, { adapter: "lora" });
    const plain = loraProbe(helper, task, {});
    if (withWeights === false && without === false) continue;
    lora[provider] = lora[provider] || {};
    lora[provider][task] = { with_weights_path: withWeights, without_weights_path: without, plain };
  }
}
// hf-inference answers a call for either of these tasks from a mapping of the other (the client's own list).
function equivalentTasks() {
  const dist = path.join(pkgDir("@huggingface/inference"), "dist", "commonjs");
  const file = path.join(dist, "providers", "hf-inference.js");
  if (!fs.existsSync(file)) return null;
  const list = require(file).EQUIVALENT_SENTENCE_TRANSFORMERS_TASKS;
  return Array.isArray(list) ? { "hf-inference": [list] } : null;
}
const nested = path.join(pkgDir("@huggingface/inference"), "node_modules", "@huggingface", "tasks");
process.stdout.write(JSON.stringify({
  versions: {
    "@huggingface/tasks": version(pkgDir("@huggingface/tasks")),
    "@huggingface/inference": version(pkgDir("@huggingface/inference")),
    "@huggingface/tasks (nested)": fs.existsSync(nested) ? version(nested) : null,
  },
  providers_table: where,
  pipeline_data: pipeline,
  providers: providers,
  inference_providers: Array.isArray(inference.INFERENCE_PROVIDERS) ? inference.INFERENCE_PROVIDERS : null,
  hub_orgs: inference.PROVIDERS_HUB_ORGS || null,
  lora: lora,
  equivalent_tasks: equivalentTasks(),
}));
"""

PYTHON_EXTRACT = r"""
import json, huggingface_hub
from huggingface_hub.hf_api import InferenceProviderMapping
from huggingface_hub.inference._providers import PROVIDERS

MARK = "hfmap-probe-org/hfmap-probe-lora"


def probe(helper, provider, task, extra):
    info = InferenceProviderMapping(
        provider=provider, hf_model_id=MARK, providerId="probe-provider-model", status="live", task=task,
        type="tag-filter", **extra,
    )
    try:
        inputs = "https://example.invalid/probe.png"
        payload = helper._prepare_payload_as_dict(inputs, {"prompt": "probe"}, info)
    except Exception as exc:
        return "error: " + f"{type(exc).__name__}: {exc}"[:200]
    return MARK in json.dumps(payload, default=str)


lora = {}
for provider, helpers in PROVIDERS.items():
    for task, helper in helpers.items():
        lora_mapping = {"adapter": "lora", "adapterWeightsPath": "probe.safetensors"}
        with_weights = probe(helper, provider, task, lora_mapping)
        without = probe(helper, provider, task, {"adapter": "lora"})
        if with_weights is False and without is False:
            continue
        plain = probe(helper, provider, task, {})
        lora.setdefault(provider, {})[task] = {
            "with_weights_path": with_weights, "without_weights_path": without, "plain": plain,
        }
print(json.dumps({
    "version": huggingface_hub.__version__,
    "providers": {p: sorted(t) for p, t in PROVIDERS.items()},
    "lora": lora,
}))
"""


LORA_NOTE = (
    "provider -> tasks whose client helper sends the adapter when a mapping has adapter 'lora' and an "
    "adapterWeightsPath (found by building each helper's payload); elsewhere a LoRA tag filter runs the "
    "base model. 'unprobed': helpers whose payload could not be built, so their LoRA support is unknown"
)


def lora_table(
    probes: dict[str, Any], client: str, warnings: list[str]
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """(provider -> tasks that run a LoRA, provider -> {task: why} for helpers the probe could not build).

    A task counts only when the adapter's Hub id is in the payload with the LoRA mapping and not without
    it: a payload that always names the model proves nothing.
    """
    table: dict[str, list[str]] = {}
    unprobed: dict[str, dict[str, str]] = {}
    for provider, tasks in sorted(probes.items()):
        for task, result in sorted(tasks.items()):
            outcome = result.get("with_weights_path")
            if isinstance(outcome, str):
                unprobed.setdefault(provider, {})[task] = outcome
                warnings.append(f"{client}: LoRA support of {provider} {task} unknown ({outcome})")
            elif outcome is True and result.get("plain") is False:
                table.setdefault(provider, []).append(task)
    return table, unprobed


def build_data(
    node_output: dict[str, Any],
    python_output: dict[str, Any] | None,
    generated_at: str,
) -> tuple[dict[str, Any], list[str]]:
    """Turn the raw extraction outputs into the shipped JSON document; return it with warnings.

    Pure (no I/O) so the conversion rules are tested on small fake inputs without npm or network.
    """
    warnings: list[str] = []
    sources: dict[str, Any] = {k: v for k, v in node_output["versions"].items() if v is not None}
    sources["providers_table"] = node_output["providers_table"]

    tasks: dict[str, dict[str, Any]] = {
        tag: {**info, "pipeline_tag": True} for tag, info in node_output["pipeline_data"].items()
    }
    if CONVERSATIONAL not in tasks:
        tasks[CONVERSATIONAL] = {
            "name": "Conversational",
            "pipeline_tag": False,
            "note": "chat-completion route of the inference client; valid for mappings of models whose "
            "pipeline_tag is text-generation or image-text-to-text and that carry the tag conversational",
        }

    hub_orgs = node_output.get("hub_orgs") or {}
    equivalent: dict[str, list[list[str]]] = node_output.get("equivalent_tasks") or {}
    if not equivalent:
        warnings.append(
            "hf-inference: no EQUIVALENT_SENTENCE_TRANSFORMERS_TASKS found; tasks compared strictly"
        )
    names = set(node_output["providers"]) | set(node_output.get("inference_providers") or [])
    providers: dict[str, dict[str, Any]] = {}
    for provider in sorted(names):
        helpers: dict[str, dict[str, Any]] = node_output["providers"].get(provider, {})
        served = sorted(t for t in helpers if t in tasks)
        unmapped = sorted(t for t in helpers if t not in tasks)
        record: dict[str, Any] = {
            "tasks": served,
            # A mapping is only consulted when the client routes through the Hub; a provider whose every
            # helper is client-side-only (openai) cannot usefully have Hub mappings.
            "hub_mapping": not helpers or not all(h.get("clientSideRoutingOnly") for h in helpers.values()),
        }
        if provider in hub_orgs:
            record["hub_org"] = hub_orgs[provider]
        if provider in equivalent:
            record["equivalent_tasks"] = sorted(sorted(group) for group in equivalent[provider])
        if unmapped:
            record["unmapped_client_tasks"] = unmapped
            warnings.append(f"{provider}: client tasks that are not pipeline tags: {', '.join(unmapped)}")
        if provider not in node_output["providers"]:
            warnings.append(f"{provider}: listed in INFERENCE_PROVIDERS but has no task helpers")
        providers[provider] = record

    js_lora, js_unprobed = lora_table(node_output.get("lora") or {}, "@huggingface/inference", warnings)
    lora: dict[str, Any] = {"note": LORA_NOTE, "js": js_lora, "unprobed": {"js": js_unprobed}}
    data: dict[str, Any] = {
        "generated_by": "scripts/gen_hf_data.py",
        "generated_at": generated_at,
        "sources": sources,
        "tasks": tasks,
        "providers": providers,
        "lora": lora,
    }
    if python_output is not None:
        sources["huggingface_hub"] = python_output["version"]
        data["python_client"] = {
            "note": "providers and tasks of huggingface_hub's InferenceClient (python-client-unsupported)",
            "providers": {p: sorted(t) for p, t in python_output["providers"].items()},
        }
        py_lora, py_unprobed = lora_table(python_output.get("lora") or {}, "huggingface_hub", warnings)
        lora["python"] = py_lora
        lora["unprobed"]["python"] = py_unprobed
    return data, warnings


def dump(data: dict[str, Any]) -> str:
    """Serialize deterministically (sorted keys, 2-space indent, trailing newline) for reviewable diffs."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def run_node_extraction(tmp: Path, tasks_version: str, inference_version: str) -> dict[str, Any]:
    """Install the pinned npm packages into ``tmp`` and return the node script's JSON output."""
    subprocess.run(
        [
            "npm", "install", "--prefix", str(tmp), "--no-audit", "--no-fund", "--ignore-scripts",
            "--loglevel=error",
            f"@huggingface/tasks@{tasks_version}",
            f"@huggingface/inference@{inference_version}",
        ],
        check=True,
        stdout=sys.stderr,
    )  # fmt: skip
    script = tmp / "extract.cjs"
    script.write_text(NODE_EXTRACT, encoding="utf-8")
    out = subprocess.run(
        ["node", str(script), str(tmp)], check=True, capture_output=True, text=True, timeout=EXTRACT_TIMEOUT
    )
    result: dict[str, Any] = json.loads(out.stdout)
    expected = {"@huggingface/tasks": tasks_version, "@huggingface/inference": inference_version}
    for name, want in expected.items():
        if result["versions"][name] != want:
            raise SystemExit(f"npm installed {name} {result['versions'][name]}, expected {want}")
    return result


def run_python_extraction(tmp: Path, hub_version: str) -> dict[str, Any]:
    """Install ``huggingface_hub`` into a temp venv and dump its provider table."""
    env_dir = tmp / "pyvenv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, f"huggingface_hub=={hub_version}"],
        check=True,
        stdout=sys.stderr,
    )
    out = subprocess.run(
        [str(python), "-c", PYTHON_EXTRACT],
        check=True,
        capture_output=True,
        text=True,
        timeout=EXTRACT_TIMEOUT,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    if result["version"] != hub_version:
        raise SystemExit(f"pip installed huggingface_hub {result['version']}, expected {hub_version}")
    return result


def differences(shipped: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """Lines of a unified diff between the shipped data and a fresh generation, ignoring `generated_at`."""
    old = dump({**shipped, "generated_at": ""}).splitlines()
    new = dump({**fresh, "generated_at": ""}).splitlines()
    return list(difflib.unified_diff(old, new, "shipped", "regenerated", lineterm="", n=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks-version", default=TASKS_VERSION, help="@huggingface/tasks")
    parser.add_argument("--inference-version", default=INFERENCE_VERSION, help="@huggingface/inference")
    parser.add_argument("--hub-version", default=HUB_VERSION, help="huggingface_hub (PyPI)")
    parser.add_argument("--no-python", action="store_true", help="skip the huggingface_hub extra information")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the data regenerated from the pinned versions differs from --output",
    )
    args = parser.parse_args(argv)
    if args.check and args.no_python:
        parser.error(
            "--check compares the whole file, which needs the huggingface_hub data: drop --no-python"
        )

    try:
        with tempfile.TemporaryDirectory(prefix="hfmap-gen-") as tmp_name:
            tmp = Path(tmp_name)
            node_output = run_node_extraction(tmp, args.tasks_version, args.inference_version)
            python_output = None if args.no_python else run_python_extraction(tmp, args.hub_version)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        # npm or PyPI unreachable, node missing, a probe that hung: say which step, not a traceback
        detail = getattr(exc, "stderr", None) or ""
        print(f"cannot extract the client data: {exc}\n{detail}".rstrip(), file=sys.stderr)
        return 1

    generated_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    data, warnings = build_data(node_output, python_output, generated_at)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        return check_against(args.output, data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dump(data), encoding="utf-8")
    pipeline = sum(1 for t in data["tasks"].values() if t["pipeline_tag"])
    print(
        f"wrote {args.output}: {pipeline} pipeline tags + conversational, {len(data['providers'])} providers",
        file=sys.stderr,
    )
    return 0


def check_against(path: Path, fresh: dict[str, Any]) -> int:
    """0 when `path` holds what the pinned packages give (apart from the date); 1 with the diff otherwise."""
    try:
        shipped = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{path}: cannot read the shipped data: {exc}", file=sys.stderr)
        return 1
    diff = differences(shipped, fresh)
    if not diff:
        print(f"{path}: matches the pinned client packages", file=sys.stderr)
        return 0
    print("\n".join(diff))
    print(
        f"{path} differs from what the pinned client packages give; run `python scripts/gen_hf_data.py` "
        "and commit the result (docs/data.md)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
