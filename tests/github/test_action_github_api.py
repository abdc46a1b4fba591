"""The GitHub client against the GitHub emulator: headers, pagination, rate limits, errors, secrecy."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from emulator.github import GitHubEmulator
from hfmap.clients.http import RetryPolicy
from hfmap.github.api import ACTIONS_BOT, GitHubClient, GitHubError

REPO = "acme/mappings"
TOKEN = "ghs_clienttoken0123456789abcdef"
FAST = RetryPolicy(attempts=4, base=0.01, jitter=0.0, max_wait=120.0)


@pytest.fixture
def gh() -> Iterator[GitHubEmulator]:
    with GitHubEmulator() as emulator:
        emulator.add_repo(REPO)
        emulator.add_token(TOKEN, kind="actions")
        emulator.add_token("ghp_usertoken0123456789", kind="user", login="mapping-bot")
        emulator.add_pull(REPO, 7, "a" * 40)
        yield emulator


def test_sends_the_documented_headers(gh: GitHubEmulator) -> None:
    with GitHubClient(TOKEN, REPO, gh.url) as client:
        client.create_comment(7, "hello")
    headers = gh.request_headers[-1]
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["authorization"] == f"Bearer {TOKEN}"


def test_paginates_comments_over_link_headers(gh: GitHubEmulator) -> None:
    for index in range(230):
        gh.add_comment(REPO, 7, f"comment {index}")
    with GitHubClient(TOKEN, REPO, gh.url) as client:
        bodies = [c["body"] for c in client.issue_comments(7)]
    assert bodies == [f"comment {index}" for index in range(230)]
    pages = [path for method, path, _status in gh.requests if "/comments" in path]
    assert len(pages) == 3 and "page=3" in pages[-1]


def test_who_the_token_is_for_every_kind_of_token(gh: GitHubEmulator) -> None:
    gh.add_token("ghs_apptoken0123456789", kind="app", login="acme-mapper")
    for token, login in [
        (TOKEN, ACTIONS_BOT),
        ("ghp_usertoken0123456789", "mapping-bot"),
        ("ghs_apptoken0123456789", "acme-mapper[bot]"),
    ]:
        with GitHubClient(token, REPO, gh.url) as client:
            assert client.own_login(job_token=False) == login
            assert client.create_comment(7, "x")["user"]["login"] == login  # as GitHub shows its comments


def test_without_graphql_a_pat_is_found_by_rest_and_only_the_job_token_by_convention(
    gh: GitHubEmulator,
) -> None:
    gh.graphql_enabled = False
    gh.add_token("ghs_apptoken0123456789", kind="app", login="acme-mapper")
    with GitHubClient("ghp_usertoken0123456789", REPO, gh.url) as client:
        assert client.own_login(job_token=False) == "mapping-bot"
    with GitHubClient(TOKEN, REPO, gh.url) as client:
        assert client.own_login(job_token=True) == ACTIONS_BOT
    with GitHubClient("ghs_apptoken0123456789", REPO, gh.url) as client:
        assert client.own_login(job_token=False) is None  # never guessed: nothing of its counts


@pytest.mark.parametrize("status", [403, 429])
def test_waits_out_a_secondary_rate_limit_as_retry_after_says(gh: GitHubEmulator, status: int) -> None:
    gh.rate_limit_next(1, status=status, retry_after=1)
    start = time.monotonic()
    with GitHubClient(TOKEN, REPO, gh.url) as client:
        client.create_comment(7, "after the limit")
    assert time.monotonic() - start >= 1.0
    assert [s for m, p, s in gh.requests if m == "POST"] == [status, 201]


def test_gives_up_after_the_tries_and_reports_the_limit(gh: GitHubEmulator) -> None:
    """Rate limits that say when to come back use no try, but only as many as the tries: 2 x 3 sends."""
    gh.rate_limit_next(20, retry_after=0)
    with (
        GitHubClient(TOKEN, REPO, gh.url, policy=RetryPolicy(attempts=3, base=2.0, jitter=0.0)) as client,
        pytest.raises(GitHubError) as err,
    ):
        client.create_comment(7, "x")
    assert err.value.status == 403 and "secondary rate limit" in err.value.message
    assert len([r for r in gh.requests if r[0] == "POST"]) == 6


def test_a_read_only_token_gets_403_which_is_not_retried(gh: GitHubEmulator) -> None:
    gh.add_token("ghs_fork", kind="readonly")
    with GitHubClient("ghs_fork", REPO, gh.url) as client:
        assert list(client.issue_comments(7)) == []
        with pytest.raises(GitHubError) as err:
            client.create_comment(7, "x")
    assert err.value.status == 403
    assert "Resource not accessible by integration" in str(err.value)
    assert len([r for r in gh.requests if r[0] == "POST"]) == 1


def test_enterprise_base_url_and_errors_never_show_the_token(gh: GitHubEmulator) -> None:
    with (
        GitHubClient("ghs_unknowntoken_abcdef", REPO, gh.url + "/") as client,
        pytest.raises(GitHubError) as err,
    ):
        client.create_comment(7, "x")
    assert err.value.status == 401
    assert "ghs_unknowntoken_abcdef" not in str(err.value)


def test_unsupported_api_version_is_what_github_says() -> None:
    with GitHubEmulator() as gh:
        gh.add_repo(REPO)
        asked = urllib.request.Request(
            f"{gh.url}/repos/{REPO}/issues", headers={"X-GitHub-Api-Version": "1999-01-01"}
        )
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(asked, timeout=5)
    assert err.value.code == 400 and "not supported" in json.loads(err.value.read())["message"]


def test_pulls_for_a_merge_commit(gh: GitHubEmulator) -> None:
    gh.merge_pull(REPO, 7, "b" * 40)
    with GitHubClient(TOKEN, REPO, gh.url) as client:
        pulls = client.pulls_for_commit("b" * 40)
        assert [(p["number"], p["merge_commit_sha"]) for p in pulls] == [(7, "b" * 40)]
        assert client.pulls_for_commit("c" * 40) == []


def test_github_enterprise_server_api_prefix_is_kept(gh: GitHubEmulator) -> None:
    gh.prefix = "/api/v3"
    for index in range(150):
        gh.add_comment(REPO, 7, f"comment {index}")
    with GitHubClient(TOKEN, REPO, gh.url + "/api/v3/") as client:
        assert client.create_comment(7, "x")["body"] == "x"
        assert len(list(client.issue_comments(7))) == 151  # the next page's link keeps the prefix too
    assert client.graphql_url == gh.url + "/api/graphql"
    assert [p for m, p, s in gh.requests if m == "POST"] == [f"/repos/{REPO}/issues/7/comments"]


def test_waits_for_an_exhausted_quota_to_reset(gh: GitHubEmulator) -> None:
    gh.rate_limit_next(1, retry_after=1, primary=True)
    start = time.monotonic()
    with GitHubClient(TOKEN, REPO, gh.url) as client:
        client.create_comment(7, "after the reset")
    assert time.monotonic() - start >= 1.0
    assert [s for m, p, s in gh.requests if m == "POST"] == [403, 201]


def test_a_quota_that_resets_too_late_is_an_error_not_a_long_sleep(gh: GitHubEmulator) -> None:
    gh.rate_limit_next(1, retry_after=3600, primary=True)
    start = time.monotonic()
    with GitHubClient(TOKEN, REPO, gh.url) as client, pytest.raises(GitHubError) as err:
        client.create_comment(7, "x")
    assert time.monotonic() - start < 5  # no long sleep
    assert [s for m, p, s in gh.requests if m == "POST"] == [403]
    assert err.value.status == 403 and "rate limit exceeded" in err.value.message


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b"<html>not json</html>", b'["a list where an object belongs"]'],
    ids=["nested-too-deeply", "not-json", "wrong-shape"],
)
def test_an_unusable_answer_from_github_is_a_github_error_not_a_crash(
    gh: GitHubEmulator, body: bytes
) -> None:
    gh.answer_next(201, body)
    with GitHubClient(TOKEN, REPO, gh.url) as client, pytest.raises(GitHubError) as err:
        client.create_comment(7, "x")
    assert "GitHub's answer was not" in err.value.message


def test_a_list_holding_something_else_than_objects_is_a_github_error(gh: GitHubEmulator) -> None:
    gh.answer_next(200, b'[{"id": 1}, "stray"]')
    with (
        GitHubClient(TOKEN, REPO, gh.url) as client,
        pytest.raises(GitHubError, match="something else than objects"),
    ):
        list(client.issue_comments(7))


@pytest.mark.parametrize("status", [None, 502], ids=["answer-lost", "502-after-acting"])
def test_a_comment_whose_answer_is_lost_is_read_back_not_posted_twice(gh: GitHubEmulator, status) -> None:
    """Before: GitHub's client re-sent every method after a timeout or a 5xx, so the PR got two comments."""
    gh.lose_answer_next("POST", r"/issues/7/comments$", status=status)
    with GitHubClient(TOKEN, REPO, gh.url, policy=FAST) as client:
        made = client.create_comment(7, "<!-- hfmap-plan {} -->\nthe plan")
    assert [c["body"] for c in gh.comments(REPO, 7)] == ["<!-- hfmap-plan {} -->\nthe plan"]
    assert made["id"] == gh.comments(REPO, 7)[0]["id"]
    assert len([r for r in gh.requests if r[0] == "POST"]) == 1


@pytest.mark.parametrize("status", [None, 502], ids=["answer-lost", "502-after-acting"])
def test_an_issue_whose_answer_is_lost_is_read_back_not_opened_twice(gh: GitHubEmulator, status) -> None:
    gh.lose_answer_next("POST", r"/issues$", status=status)
    with GitHubClient(TOKEN, REPO, gh.url, policy=FAST) as client:
        made = client.create_issue("Mapping drift", "<!-- hfmap-drift {} -->\ndrift")
    assert [i["title"] for i in gh.issues(REPO)] == ["Mapping drift"]
    assert made["number"] == gh.issues(REPO)[0]["number"]


def test_a_post_github_did_not_act_on_is_sent_again_after_the_read_back(gh: GitHubEmulator) -> None:
    gh.answer_next(502, b'{"message": "Server Error"}')  # a canned answer stores nothing: GitHub did not act
    with GitHubClient(TOKEN, REPO, gh.url, policy=FAST) as client:
        client.create_comment(7, "once")
    assert [c["body"] for c in gh.comments(REPO, 7)] == ["once"]
    reads = [m for m, p, s in gh.requests if p.startswith(f"/repos/{REPO}/issues/7/comments")]
    assert reads[:3] == ["POST", "GET", "POST"]  # read back, then sent again


def test_a_patch_is_not_sent_again_after_a_5xx(gh: GitHubEmulator) -> None:
    made = gh.add_comment(REPO, 7, "old")
    gh.answer_next(502, b'{"message": "Server Error"}')
    with GitHubClient(TOKEN, REPO, gh.url, policy=FAST) as client, pytest.raises(GitHubError) as err:
        client.update_comment(made["id"], "new")
    assert err.value.status == 502
    assert len([r for r in gh.requests if r[0] == "PATCH"]) == 1
