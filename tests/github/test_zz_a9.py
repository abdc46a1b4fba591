from test_action_approvals import _pull_request, _ours, KEY, HEAD1, MERGE, REPO
from github import events


def test_broken_config_in_repo(world):
    _pull_request(world)
    (world.workspace / "hfmap.toml").write_text("[apply\nmax-destructive = 3\n")
    pr = world.run("pull_request", events.pull_request(7, HEAD1), approval_key=KEY)
    print("PR", pr.conclusion, pr.outputs, pr.summary[:800])
    world.gh.merge_pull(REPO, 7, MERGE)
    push = world.run("push", events.push(MERGE), approval_key=KEY)
    print("PUSH", push.conclusion, push.outputs.get("failure-reason"), push.summary[:800])
    assert world.hub.writes == []


def test_config_selection_in_repo(world):
    _pull_request(world)
    pr = world.run("pull_request", events.pull_request(7, HEAD1), approval_key=KEY)
    (world.workspace / "hfmap.toml").write_text("[apply]\nonly-auto-status = true\n")
    world.gh.merge_pull(REPO, 7, MERGE)
    push = world.run("push", events.push(MERGE), approval_key=KEY)
    print("PUSH2", push.conclusion, push.outputs.get("failure-reason"), push.summary[:1200])
