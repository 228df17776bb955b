from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipreqs_action.errors import SettingsError
from pipreqs_action.github.action_settings import (
    ActionSettings,
    read_event,
    relative_path,
    requirement_inputs,
    split_list,
)
from pipreqs_action.pins import DEFAULT_INDEX_URL
from pipreqs_action.settings import Settings, engine_settings, http_url, parse_bool, parse_overrides

SECRET = "ghp_s3cr3tT0ken"


# --- engine settings (CLI, server) ---------------------------------------------------------------------------------


def test_defaults_check_the_current_directory_pinning_from_pypi() -> None:
    settings = engine_settings()
    assert settings == Settings(path=Path("."), index_url=DEFAULT_INDEX_URL)
    assert (settings.mode, settings.fail_on, settings.output_format, settings.offline) == (
        "pin",
        "missing",
        "text",
        False,
    )


def test_values_are_typed_and_cleaned(tmp_path) -> None:
    settings = engine_settings(
        path=str(tmp_path),
        requirements=["req/base.txt"],
        exclude=["build/", " ", ""],
        mode="compat",
        fail_on="any",
        index_url="https://mirror.example/pypi/",
        offline=True,
        output_format="json",
        full_parse=True,
        overrides=[" yaml = PyYAML ", "cv2=opencv-python-headless"],
    )
    assert settings.path == tmp_path
    assert settings.requirements == (Path("req/base.txt"),)
    assert settings.exclude == ("build/",)
    assert settings.index_url == "https://mirror.example/pypi"
    assert settings.overrides == {"yaml": "PyYAML", "cv2": "opencv-python-headless"}


@pytest.mark.parametrize(
    ("option", "kwargs"),
    [
        ("path", {"path": "/no/such/directory"}),
        ("mode", {"mode": "exact"}),
        ("fail-on", {"fail_on": "warnings"}),
        ("format", {"output_format": "yaml"}),
        ("index-url", {"index_url": "ftp://mirror.example/pypi"}),
        ("index-url", {"index_url": "https://"}),
        ("map", {"overrides": ["yaml"]}),
        ("map", {"overrides": ["=PyYAML"]}),
        ("map", {"overrides": ["yaml= "]}),
    ],
)
def test_each_bad_value_is_a_settings_error_naming_its_option(option, kwargs) -> None:
    with pytest.raises(SettingsError, match=rf"^{option}: "):
        engine_settings(**kwargs)


def test_a_path_that_is_a_file_is_refused(tmp_path) -> None:
    file = tmp_path / "requirements.txt"
    file.write_text("requests\n", "utf-8")
    with pytest.raises(SettingsError, match=r"^path: .*not a directory"):
        engine_settings(path=file)


def test_settings_errors_are_value_errors_for_callers_that_only_know_the_standard_library() -> None:
    with pytest.raises(ValueError, match="mode"):
        engine_settings(mode="exact")


@pytest.mark.parametrize(
    "url",
    [f"ftp://deploy:{SECRET}@mirror.example/pypi", f"https://deploy:{SECRET}@", f"deploy:{SECRET}@mirror.example"],
)
def test_a_bad_url_is_never_echoed(url) -> None:
    with pytest.raises(SettingsError) as error:
        http_url("index-url", url)
    assert SECRET not in str(error.value)
    assert str(error.value).startswith("index-url: ")


@pytest.mark.parametrize("value", ["true", "True", " YES ", "1", "on"])
def test_true_values(value) -> None:
    assert parse_bool("dry-run", value) is True


@pytest.mark.parametrize("value", ["false", "FALSE", "no", "0", "off", "", "  "])
def test_false_values(value) -> None:
    assert parse_bool("dry-run", value) is False


def test_anything_else_is_an_error_naming_the_input() -> None:
    with pytest.raises(SettingsError, match=r"^create-issue: expected true or false, got 'maybe'"):
        parse_bool("create-issue", "maybe")


def test_overrides_keep_the_last_word_for_an_import() -> None:
    assert parse_overrides("map", ["yaml=PyYAML", "yaml=ruamel.yaml"]) == {"yaml": "ruamel.yaml"}


# --- the Action's inputs ---------------------------------------------------------------------------------------


def action(inputs: dict[str, str] | None = None, **env: str) -> ActionSettings:
    given = inputs or {}
    return ActionSettings.from_action_env(lambda name: given.get(name, ""), env)


def test_action_defaults_report_without_failing_the_workflow() -> None:
    settings = action(GITHUB_REPOSITORY="octo/app", GITHUB_WORKSPACE="/github/workspace")
    assert settings.fail_on == "never"
    assert settings.mode == "pin"
    assert settings.path == "."
    assert settings.requirements == ()
    assert settings.create_issue is True
    assert settings.close_when_fixed is True
    assert settings.dry_run is False
    assert settings.issue_repository == "octo/app"
    assert settings.issue_labels == ("pipreqs-action",)  # not Dependabot's `dependencies`
    assert (settings.issue_key, settings.issue_branch, settings.pr_comment) == ("", "", False)
    assert settings.workspace == Path("/github/workspace")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("mode", "exact"),
        ("fail-on", "sometimes"),
        ("index-url", "not a url"),
        ("api-url", "ftp://pipreqs.example"),
        ("create-issue", "maybe"),
        ("close-when-fixed", "sure"),
        ("dry-run", "perhaps"),
        ("path", "../outside"),
        ("path", "/etc"),
        ("requirements", "../../secrets.txt"),
    ],
)
def test_each_bad_input_is_an_error_naming_the_input(name, value) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}: "):
        action({name: value})


@pytest.mark.parametrize("variable", ["GITHUB_SERVER_URL", "GITHUB_API_URL"])
def test_a_bad_runner_url_names_the_variable(variable) -> None:
    with pytest.raises(SettingsError, match=rf"^{variable}: "):
        action(**{variable: "github.example"})


def test_the_token_is_kept_but_never_shown() -> None:
    settings = action({"github-token": SECRET})
    assert settings.token == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)


def test_list_inputs_take_lines_or_commas() -> None:
    settings = action({"exclude": "build/\n docs/ , vendor/\n\n", "issue-labels": "deps, ci"})
    assert settings.exclude == ("build/", "docs/", "vendor/")
    assert settings.issue_labels == ("deps", "ci")


@pytest.mark.parametrize(
    ("value", "expected"), [("", ()), ("requirements.txt", ()), ("a.txt\nb.txt", ("a.txt", "b.txt"))]
)
def test_the_default_requirements_input_means_find_the_declarations(value, expected) -> None:
    assert requirement_inputs(value) == expected


def test_dispatch_inputs_in_the_event_are_never_read(tmp_path) -> None:
    """Only declared inputs count: a workflow passes `repository: ${{ inputs.repository }}` explicitly."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"inputs": {"repository": "octo/other", "ref": "v2"}}), "utf-8")
    assert (action(GITHUB_EVENT_PATH=str(event)).repository, action(GITHUB_EVENT_PATH=str(event)).ref) == ("", "")
    given = action({"repository": "octo/lib", "ref": "main"}, GITHUB_EVENT_PATH=str(event))
    assert (given.repository, given.ref) == ("octo/lib", "main")


def test_the_ref_input_means_nothing_without_repository() -> None:
    assert action({"ref": "main"}).ref == ""


def test_the_runner_context_and_new_inputs_are_read(tmp_path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"repository": {"default_branch": "trunk"}}), "utf-8")
    inputs = {
        "issue-branch": "refs/heads/release",
        "issue-key": "api",
        "pr-comment": "true",
        "repository-token": SECRET,
    }
    settings = action(inputs, GITHUB_EVENT_PATH=str(event), GITHUB_REF="refs/heads/x", GITHUB_ACTOR="dependabot[bot]")
    assert (settings.github_ref, settings.actor, settings.event) == (
        "refs/heads/x",
        "dependabot[bot]",
        {"repository": {"default_branch": "trunk"}},
    )
    assert (settings.issue_branch, settings.issue_key, settings.pr_comment) == ("release", "api", True)
    assert settings.repository_token == SECRET and SECRET not in repr(settings)


def test_an_unreadable_event_names_the_variable(tmp_path) -> None:
    event = tmp_path / "event.json"
    event.write_text("{not json", "utf-8")
    with pytest.raises(SettingsError, match=r"^GITHUB_EVENT_PATH: "):
        read_event(str(event))


def test_a_missing_or_non_object_event_is_no_event(tmp_path) -> None:
    assert read_event("") == {}
    assert read_event(str(tmp_path / "absent.json")) == {}
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", "utf-8")
    assert read_event(str(listed)) == {}


def test_split_list_drops_blanks() -> None:
    assert split_list(" a, ,b\n\n c ") == ["a", "b", "c"]


@pytest.mark.parametrize("value", ["src", "./src", "src/app", "."])
def test_relative_paths_inside_the_tree_are_accepted(value) -> None:
    assert relative_path("path", value) == str(Path(value.strip()))


def test_the_ignore_and_map_inputs_take_lines_or_commas() -> None:
    settings = action(
        {"ignore": "PyYAML\ninternal_tool, gunicorn\n", "map": "cv2=opencv-python-headless\nacme = acme-sdk"}
    )
    assert settings.ignore == ("PyYAML", "internal_tool", "gunicorn")
    assert settings.overrides == ("cv2=opencv-python-headless", "acme = acme-sdk")
    with pytest.raises(SettingsError, match=r"^map: expected IMPORT=DISTRIBUTION, got 'cv2'"):
        action({"map": "cv2"})


def test_an_empty_fail_on_input_is_remembered_as_not_given() -> None:
    assert action().fail_on_given is False
    assert action({"fail-on": "missing"}).fail_on_given is True
