"""What the reviewer sees, as GitHub renders it: the PR comment, the job summary and the drift issue put
through cmark-gfm (GitHub's own renderer, with its extensions), from a run whose Hub data is hostile."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from github import events
from github.events import REPO
from github.world import World

HOSTILE = [
    "evil/x<img src=x onerror=alert(1)>",
    "evil/@octocat-please-merge",
    "evil/[click](https://evil.example)",
    "evil/a|b</code><details open><summary>x",
    "evil/www.evil.example/#12",
    "evil/\u202eexe.txt\u2066",
]
ALLOWED = {
    "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "details", "summary", "sub",
    "strong", "del", "ul", "li", "hr", "blockquote", "a", "em",
}  # fmt: skip
BIDI = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def render(markdown: str) -> str:
    options = Options.CMARK_OPT_UNSAFE  # GitHub passes raw HTML through (then sanitizes): the worst case
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=options)


class Page(HTMLParser):
    """Tags, links and table rows of rendered HTML, and the text outside <code> and links."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.rows: list[list[str]] = []
        self.loose_text: list[str] = []
        self.all_text: list[str] = []
        self._inside: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self._inside.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._inside:
            del self._inside[len(self._inside) - 1 - self._inside[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self.rows and self.rows[-1] and ("td" in self._inside or "th" in self._inside):
            self.rows[-1][-1] += data
        if "code" not in self._inside and "a" not in self._inside:
            self.loose_text.append(data)


def assert_inert(markdown: str) -> Page:
    page = Page(render(markdown))
    assert page.tags <= ALLOWED, page.tags - ALLOWED  # no <img>, <script>, no second <details> from data
    assert all(
        re.fullmatch(r"https://github\.com/acme/mappings/(commit|actions/runs)/\w+", h) for h in page.links
    )
    loose = "".join(page.loose_text)
    # GitHub links @user, #12 and bare domains in plain text, never inside <code>: no data outside it
    for fragment in ("@octocat", "#12", "evil.example", "<img", "evil/"):
        assert fragment not in loose, fragment
    assert not BIDI.search("".join(page.all_text)), "a raw bidi control reached the page"
    return page


def _hostile_hub(world: World) -> None:
    for key in HOSTILE:
        world.hub.seed_mapping("replicate", task="text-to-image", hf_model=key, provider_model=key + "/m")
    world.gh.add_pull(REPO, 7, "1" * 40)


def test_the_pr_comment_and_job_summary_render_hostile_hub_data_as_text(world: World) -> None:
    _hostile_hub(world)
    run = world.run("pull_request", events.pull_request(7, "1" * 40))
    assert run.conclusion == "success", run.log

    (comment,) = world.gh.comments(REPO, 7)
    for markdown in (comment["body"], run.summary):
        page = assert_inert(markdown)
        changes = [row for row in page.rows if row and row[0].startswith(("🔴", "🟢", "🔵", "🟠"))]
        assert len(changes) == len(HOSTILE)
        assert {len(row) for row in changes} == {6}  # no `|` or `</code>` in data split or closed a cell
        mappings = {row[2] for row in changes}
        # the ids are shown whole, as text (bidi controls written out as \\uXXXX)
        assert "evil/x<img src=x onerror=alert(1)>" in mappings
        assert "evil/a|b</code><details open><summary>x" in mappings
        assert "evil/\\u202eexe.txt\\u2066" in mappings
        assert changes[0][5] == "live"  # the struck-out status cell, intact


def test_the_drift_issue_renders_hostile_hub_data_as_text(world: World) -> None:
    _hostile_hub(world)
    run = world.run("schedule", events.schedule(), mode="plan")
    assert run.conclusion == "success", run.log

    (issue,) = world.gh.issues(REPO)
    page = assert_inert(issue["body"])
    assert sum(1 for row in page.rows if row and row[0].startswith("🔴")) == len(HOSTILE)


def test_the_refusal_names_hostile_actions_as_text(world: World) -> None:
    _hostile_hub(world)
    world.gh.merge_pull(REPO, 7, "3" * 40)

    run = world.run("push", events.push("3" * 40))

    assert run.conclusion == "failure"
    (refusal,) = world.gh.comments(REPO, 7)
    page = assert_inert(refusal["body"])
    items = "".join(page.all_text)
    assert "delete replicate evil/@octocat-please-merge" in items
