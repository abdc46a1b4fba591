"""Approvals: what a reviewer saw on a pull request, recorded so that apply can check it and nobody can
forge or alter it.

An approval is the marker at the top of hfmap's plan comment (or of its check run with `comment: false`):
the repository, pull request, paths, head commit, plan hash and summary, a compact set of per-action
digests (so a rerun after a partial apply, or a push merging several pull requests, can be checked action
by action), a digest of the visible text, and — with the `approval-key` input — an HMAC-SHA256 over all of
it. Apply accepts a fresh plan only when every one of its actions is one that a verified approval
contains (same action, provider, key, before and after).

Per-action digests are the first 64 bits of SHA-256 (HMAC-SHA256 with the key) over the action's
canonical JSON, stored as a Golomb-Rice coded sorted set: about 52 bits per action, so a 5,000-change
plan takes ~44,000 characters and still fits GitHub's 65,536-character comment with the visible plan.

An approval covers only the rows the comment shows (`shown` of `total`): a plan too large to show whole is
approved for its first rows only. It is one-shot: apply records in it (`applied`, the same coded set) the
actions it carried out, re-signed, and an action applied from an approval is never applied from it again.
`approved_at` is when the approval was written (GitHub's own time, copied by the first apply that read it),
so an approval written after the merge never counts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from hfmap import __version__
from hfmap.github.marker import marker, split_marker
from hfmap.mapping.plan import Action, Plan

MARKER_VERSION = 3
DIGEST_BITS = 64
SET_BUDGET = 46_000  # characters the action set may take in a marker; beyond, only the plan hash counts
MAX_SET = 200_000  # a set claiming more members than this is not decoded


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def body_digest(visible: str) -> str:
    """The digest of a comment's visible text (line endings as `\\n`, outer whitespace ignored)."""
    return "sha256:" + hashlib.sha256(visible.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()


def follows_provider(action: Action) -> bool:
    """A promote or demote of a `status: auto` entry: the provider's warm/cold signal changed, not the files.

    Mode `sync` applies exactly these without review, so an apply on merge must not refuse one that
    appeared between the review and the merge.
    """
    return action.action == "update" and action.auto is not None


def _reviewed_form(action: Action) -> dict[str, Any]:
    """What a reviewer approves of an action: for an `auto` entry, that its status follows the provider, so
    the status resolved at review time is not part of it (it may differ at merge time)."""
    identity = action.semantic()
    if action.auto is not None and identity["after"] is not None:
        identity["after"] = {**identity["after"], "status": "auto"}
    return identity


def action_digest(action: Action, key: bytes | None) -> int:
    """64 bits that identify one action of `hfmap plan --format json`: kind, provider, key, before, after."""
    identity = _reviewed_form(action)
    text = b"hfmap-action\0" + _canonical(identity)
    digest = hmac.new(key, text, hashlib.sha256).digest() if key else hashlib.sha256(text).digest()
    return int.from_bytes(digest[: DIGEST_BITS // 8], "big")


def covered_digests(actions: Iterable[Action], key: bytes | None) -> set[int]:
    """The digests an approval of `actions` covers: each action, and for a `replace` also the `create`
    of its new mapping (what is left when the DELETE went through and the POST did not)."""
    out: set[int] = set()
    for action in actions:
        out.add(action_digest(action, key))
        if action.action == "replace":
            residue = replace(action, action="create", before=None)
            out.add(action_digest(residue, key))
    return out


# -- the compact set ------------------------------------------------------------------------------------


def _rice_parameter(count: int) -> int:
    mean = (1 << DIGEST_BITS) / max(count, 1)
    return max(0, int(math.log2(mean * math.log(2))))


def encode_set(values: set[int]) -> dict[str, Any]:
    """A sorted set of 64-bit values as Golomb-Rice coded deltas, base64url without padding."""
    items = sorted(values)
    rice = _rice_parameter(len(items))
    parts: list[str] = []
    previous = 0
    for value in items:
        delta, previous = value - previous, value
        parts.append(
            "1" * (delta >> rice) + "0" + (format(delta & ((1 << rice) - 1), f"0{rice}b") if rice else "")
        )
    bits = "".join(parts)
    bits += "0" * (-len(bits) % 8)
    raw = int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""
    return {"n": len(items), "r": rice, "set": base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")}


def decode_set(encoded: Mapping[str, Any]) -> set[int] | None:
    """The values `encode_set` wrote, or None for anything malformed."""
    try:
        count, rice, text = int(encoded["n"]), int(encoded["r"]), str(encoded["set"])
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= count <= MAX_SET or not 0 <= rice <= DIGEST_BITS:
        return None
    bits = format(int.from_bytes(raw, "big"), f"0{len(raw) * 8}b") if raw else ""
    out: set[int] = set()
    position, value = 0, 0
    for _ in range(count):
        end = bits.find("0", position)
        if end < 0 or end + 1 + rice > len(bits):
            return None
        quotient = end - position
        remainder = int(bits[end + 1 : end + 1 + rice], 2) if rice else 0
        position = end + 1 + rice
        value += (quotient << rice) | remainder
        if value >= 1 << DIGEST_BITS:
            return None
        out.add(value)
    return out


# -- making and sealing --------------------------------------------------------------------------------


def new_approval(
    *,
    repo: str,
    pr: int,
    paths: Sequence[str],
    head_sha: str,
    plan: Plan | None,
    key: bytes | None,
    shown: int | None = None,
) -> dict[str, Any]:
    """The marker data of a freshly planned pull request (sealed later with its visible text); only the
    first `shown` actions (the rows the comment shows; all by default) are approved."""
    actions = plan.actions if plan is not None else []
    shown = len(actions) if shown is None else shown
    encoded = encode_set(covered_digests(actions[:shown], key))
    return {
        "tool": "hfmap",
        "v": MARKER_VERSION,
        "version": __version__,
        "repo": repo,
        "pr": pr,
        "paths": list(paths),
        "head_sha": head_sha,
        "hash": plan.hash if plan is not None else None,
        "summary": plan.summary if plan is not None else None,
        "actions": encoded if len(encoded["set"]) <= SET_BUDGET else None,
        "shown": shown,
        "total": len(actions),
        "keyed": key is not None,
        "state": "planned",
    }


def _signature(data: Mapping[str, Any], key: bytes) -> str:
    unsigned = {name: value for name, value in data.items() if name != "sig"}
    return "hmac-sha256:" + hmac.new(key, _canonical(unsigned), hashlib.sha256).hexdigest()


def seal(data: Mapping[str, Any], visible: str, key: bytes | None) -> str:
    """The whole comment body: the marker (digest of `visible`, signed with `key`) and `visible`."""
    sealed = {name: value for name, value in data.items() if name not in ("sig", "body")}
    sealed["body"] = body_digest(visible)
    sealed["version"] = __version__
    if key is not None:
        sealed["sig"] = _signature(sealed, key)
    return marker("hfmap-plan", sealed) + "\n" + visible


# -- reading and verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalClaim:
    """One comment or check run that claims to be hfmap's approval: its data, and why it does not count
    (`problem` is None when it verifies)."""

    data: dict[str, Any]
    visible: str
    problem: str | None = None
    source: dict[str, Any] | None = None  # the comment or check run it came from

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(
    body: str | None,
    *,
    repo: str,
    pr: int,
    paths: Sequence[str],
    key: bytes | None,
    head_sha: str | None = None,
) -> ApprovalClaim | None:
    """The approval claimed by a body hfmap's own identity wrote; None when it approves nothing of `paths`."""
    parts = split_marker(body)
    if parts is None:
        return None
    data, visible = parts
    if data.get("paths") != list(paths):
        return None
    problem = None
    if data.get("v") != MARKER_VERSION:
        problem = "it was written by an older hfmap that does not record the reviewed actions"
    elif data.get("repo") != repo or data.get("pr") != pr:
        problem = f"it was copied from another pull request ({data.get('repo')}#{data.get('pr')})"
    elif data.get("body") != body_digest(visible):
        problem = "its visible plan was edited after hfmap wrote it, so it is not what was reviewed"
    elif key is not None and not data.get("sig"):
        problem = "it is not signed, but this run has an approval-key"
    elif key is not None and not hmac.compare_digest(str(data.get("sig")), _signature(data, key)):
        problem = "its signature does not verify (forged, altered, or signed with another approval-key)"
    elif key is None and data.get("sig"):
        problem = "it is signed, but this run has no approval-key to verify it with"
    elif head_sha is not None and data.get("head_sha") != head_sha:
        shown = str(data.get("head_sha") or "none")[:7]
        problem = f"it shows the plan of commit {shown}, but the pull request was merged at {head_sha[:7]}"
    return ApprovalClaim(data, visible, problem)


def _decoded(data: Mapping[str, Any], name: str) -> set[int]:
    return (decode_set(data[name]) or set()) if isinstance(data.get(name), Mapping) else set()


def applied_digests(data: Mapping[str, Any]) -> set[int]:
    """The actions already carried out from this approval."""
    return _decoded(data, "applied")


def available(data: Mapping[str, Any]) -> set[int]:
    """What an approval still allows: the shown actions, less those already applied from it."""
    return _decoded(data, "actions") - applied_digests(data)


def whole(data: Mapping[str, Any]) -> bool:
    """The approval shows every action of its plan and none was applied yet: its plan hash alone counts
    (the digest set may have been left out of a very large marker)."""
    return data.get("shown") == data.get("total") and not applied_digests(data)


def with_applied(data: Mapping[str, Any], done: Iterable[Action], key: bytes | None) -> dict[str, Any]:
    """`data` with the digests of `done` (what was carried out from it) recorded as applied."""
    mine = _decoded(data, "actions")
    fresh = {digest for digest in covered_digests(done, key) if digest in mine}
    return {**data, "applied": encode_set(applied_digests(data) | fresh)}


def unreviewed(approvals: Sequence[Mapping[str, Any]], plan: Plan, key: bytes | None) -> list[Action]:
    """The actions of `plan` that no approval still allows (empty: every action was reviewed, and none
    of them was applied from these approvals before)."""
    actions = plan.actions
    if not actions or any(a.get("hash") == plan.hash and whole(a) for a in approvals):
        return []
    allowed: set[int] = set()
    for approval in approvals:
        allowed |= available(approval)
    return [
        action
        for action in actions
        if not follows_provider(action) and action_digest(action, key) not in allowed
    ]
