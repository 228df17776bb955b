"""entrypoint.runner_env: a `uses: docker://...` step has no action.yml defaults, so GITHUB_TOKEN stands in for
an empty `github-token` input; a given input always wins."""

from __future__ import annotations

import entrypoint


def test_an_absent_or_empty_token_input_falls_back_to_github_token() -> None:
    for inputs in ({}, {"INPUT_GITHUB-TOKEN": ""}):
        env = entrypoint.runner_env({**inputs, "GITHUB_TOKEN": "ghs_fromEnv", "INPUT_PATH": "."})
        assert env["INPUT_GITHUB-TOKEN"] == "ghs_fromEnv"
        assert env["INPUT_PATH"] == "."


def test_a_given_token_input_wins_and_nothing_is_invented() -> None:
    given = {"INPUT_GITHUB-TOKEN": "ghs_input", "GITHUB_TOKEN": "ghs_fromEnv"}
    assert entrypoint.runner_env(given) == given
    assert "INPUT_GITHUB-TOKEN" not in entrypoint.runner_env({"INPUT_PATH": "."})
