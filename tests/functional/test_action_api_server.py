"""The Action's ``api-url`` mode end to end against this project's own server: the Action asks the running API
(uvicorn, over HTTP) about a repository on the local git server and compares the answer with the workspace."""

from __future__ import annotations

import json

from git_server import GitServer
from tests.api_server import local_config, running
from tests.unit.test_action import NO_ISSUE, make_step, run


def test_the_action_asks_this_server_and_reports_what_the_workspace_lacks(tmp_path, capsys, git_server: GitServer):
    repo = git_server.create_repo("octo/app", [{"app.py": "import requests\nimport yaml\nfrom flask import Flask\n"}])
    with running(local_config()) as api:
        inputs = {"api-url": api, "repository": repo.url, "mode": "no-pin", **NO_ISSUE}
        step = run(make_step(tmp_path, None, inputs), capsys)  # the workspace declares requests only
    assert step.code == 0
    missing = sorted(item["package"] for item in json.loads(step.outputs["missing"]))
    assert missing == ["Flask", "PyYAML"]
    assert step.outputs["in-sync"] == "false"
    assert any(path.endswith("info/refs?service=git-upload-pack") for path in git_server.state.paths)


def test_a_refusal_from_this_server_fails_the_step_with_its_reason(tmp_path, capsys, git_server: GitServer) -> None:
    with running(local_config()) as api:
        inputs = {"api-url": api, "repository": f"{git_server.base_url}/octo/absent", "mode": "no-pin", **NO_ISSUE}
        step = run(make_step(tmp_path, None, inputs), capsys)
    assert step.code != 0
    assert "repository not found" in step.out + step.err
