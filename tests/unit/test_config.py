from __future__ import annotations

from pathlib import Path

import pytest

from pipreqs_action.config import CONFIG_FILES, KEYS, ProjectConfig, read_config
from pipreqs_action.errors import SettingsError
from pipreqs_action.settings import engine_settings

FULL = """\
ignore-missing = ["PyYAML", "internal_tool"]
ignore-unused  = ["gunicorn"]
map = { cv2 = "opencv-python-headless", acme = "acme-sdk" }
first-party = ["acme_shared"]
exclude = ["legacy/", "*.generated.py"]
secondary = ["scripts/deploy/"]
app = ["tools/server/"]
fail-on = "missing"
"""
EXPECTED = ProjectConfig(
    ignore_missing=("PyYAML", "internal_tool"),
    ignore_unused=("gunicorn",),
    map={"cv2": "opencv-python-headless", "acme": "acme-sdk"},
    first_party=("acme_shared",),
    exclude=("legacy/", "*.generated.py"),
    secondary=("scripts/deploy/",),
    app=("tools/server/",),
    fail_on="missing",
)


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, "utf-8")
    return path


def pyproject(body: str, before: str = '[project]\nname = "app"\n\n') -> str:
    return f"{before}[tool.pipreqs-action]\n{body}"


def test_every_key_of_the_pyproject_table_is_read_into_typed_values(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", pyproject(FULL))
    config = read_config(tmp_path)
    assert config == ProjectConfig(**{**_fields(EXPECTED), "source": "pyproject.toml"})
    assert KEYS == (
        "ignore-missing",
        "ignore-unused",
        "map",
        "first-party",
        "exclude",
        "secondary",
        "app",
        "fail-on",
    )


def _fields(config: ProjectConfig) -> dict:
    return config._asdict()


@pytest.mark.parametrize("name", CONFIG_FILES)
def test_a_dedicated_file_holds_the_same_keys_at_top_level(tmp_path, name) -> None:
    write(tmp_path, name, FULL)
    assert read_config(tmp_path) == ProjectConfig(**{**_fields(EXPECTED), "source": name})


def test_the_pyproject_table_comes_first_then_the_dedicated_files_in_order(tmp_path) -> None:
    write(tmp_path, ".pipreqs-action.toml", 'fail-on = "never"\n')
    assert read_config(tmp_path).source == ".pipreqs-action.toml"
    write(tmp_path, "pipreqs-action.toml", 'fail-on = "any"\n')
    assert read_config(tmp_path).source == "pipreqs-action.toml"
    write(tmp_path, "pyproject.toml", pyproject('fail-on = "missing"\n'))
    assert (read_config(tmp_path).source, read_config(tmp_path).fail_on) == ("pyproject.toml", "missing")


def test_a_pyproject_without_the_table_is_not_a_configuration(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "pipreqs-action-demo"\n')
    assert read_config(tmp_path) == ProjectConfig()
    write(tmp_path, "pipreqs-action.toml", 'fail-on = "any"\n')
    assert read_config(tmp_path).source == "pipreqs-action.toml"


def test_a_broken_pyproject_that_never_mentions_us_is_left_to_the_declared_stage(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", "[project\nname = ")
    assert read_config(tmp_path) == ProjectConfig()


def test_no_file_is_an_empty_configuration(tmp_path) -> None:
    assert read_config(tmp_path) == ProjectConfig()


def test_an_explicit_file_wins_and_is_shown_as_given(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", pyproject('fail-on = "any"\n'))
    other = write(tmp_path, "ci.toml", 'fail-on = "never"\n')
    config = read_config(tmp_path, other)
    assert (config.source, config.fail_on) == (str(other), "never")


def test_an_explicit_pyproject_is_read_at_its_table(tmp_path) -> None:
    (tmp_path / "elsewhere").mkdir()
    given = write(tmp_path / "elsewhere", "pyproject.toml", pyproject('first-party = ["mine"]\n'))
    assert read_config(tmp_path, given).first_party == ("mine",)


def test_an_explicit_file_that_does_not_exist_is_an_error(tmp_path) -> None:
    with pytest.raises(SettingsError, match=r"^config: .*nope\.toml.* is not a file"):
        read_config(tmp_path, tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("body", "line", "key", "why"),
    [
        ('fail-on = "any"\nignore_missing = ["x"]\n', 6, "ignore_missing", "unknown key"),
        ('map = { cv2 = "opencv-python" }\n\nexclude = "legacy/"\n', 7, "exclude", "must be a list"),
        ('ignore-unused = ["ok", 3]\n', 5, "ignore-unused", "must be a list"),
        ('first-party = [""]\n', 5, "first-party", "must be a list"),
        ('fail-on = "sometimes"\n', 5, "fail-on", "must be one of missing, any, never"),
        ("fail-on = true\n", 5, "fail-on", "must be one of"),
        ('map = ["cv2=opencv-python"]\n', 5, "map", "must be a table"),
        ("map = { cv2 = 1 }\n", 5, "map", "must be a table"),
    ],
)
def test_a_bad_key_or_value_names_the_file_the_line_and_the_key(tmp_path, body, line, key, why) -> None:
    write(tmp_path, "pyproject.toml", pyproject(body))
    with pytest.raises(SettingsError) as raised:
        read_config(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"pyproject.toml:{line}: ")
    assert repr(key) in message and why in message
    assert "\n" not in message


def test_bad_toml_in_our_file_names_the_file_and_the_line(tmp_path) -> None:
    write(tmp_path, "pipreqs-action.toml", 'fail-on = "any"\nexclude = [\n')
    with pytest.raises(SettingsError, match=r"^pipreqs-action\.toml:3: invalid TOML: "):
        read_config(tmp_path)


def test_bad_toml_in_a_pyproject_with_our_table_is_an_error(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.pipreqs-action]\nfail-on = "any\n')
    with pytest.raises(SettingsError, match=r"^pyproject\.toml:2: invalid TOML: .*line 2"):
        read_config(tmp_path)


def test_the_table_must_be_a_table(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", '[tool]\n"pipreqs-action" = 3\n')
    with pytest.raises(SettingsError, match=r"^pyproject\.toml:1: \[tool\.pipreqs-action\] must be a table"):
        read_config(tmp_path)


def test_a_file_that_is_not_utf8_is_an_error_naming_it(tmp_path) -> None:
    (tmp_path / "pipreqs-action.toml").write_bytes(b'fail-on = "\xff"\n')
    with pytest.raises(SettingsError, match=r"^pipreqs-action\.toml: configuration is not UTF-8"):
        read_config(tmp_path)


# --- merged into Settings: flags and inputs win --------------------------------------------------------------------


def test_settings_take_the_files_values_when_no_flag_is_given(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", pyproject(FULL))
    settings = engine_settings(path=tmp_path)
    assert settings.fail_on == "missing"
    assert settings.exclude == ("legacy/", "*.generated.py")
    assert settings.overrides == {"cv2": "opencv-python-headless", "acme": "acme-sdk"}
    assert settings.config.source == "pyproject.toml"
    assert settings.config.first_party == ("acme_shared",)


def test_flags_win_over_the_file_and_lists_add_to_it(tmp_path) -> None:
    write(tmp_path, "pyproject.toml", pyproject(FULL))
    settings = engine_settings(
        path=tmp_path,
        fail_on="never",
        exclude=["build/"],
        overrides=["cv2=opencv-contrib-python"],
        ignore=["boto3"],
    )
    assert settings.fail_on == "never"
    assert settings.exclude == ("legacy/", "*.generated.py", "build/")
    assert settings.overrides == {"cv2": "opencv-contrib-python", "acme": "acme-sdk"}
    assert settings.config.ignore_missing == ("PyYAML", "internal_tool", "boto3")
    assert settings.config.ignore_unused == ("gunicorn", "boto3")


def test_without_a_flag_or_a_file_the_front_doors_default_applies(tmp_path) -> None:
    assert engine_settings(path=tmp_path).fail_on == "missing"
    assert engine_settings(path=tmp_path, default_fail_on="never").fail_on == "never"
    write(tmp_path, "pipreqs-action.toml", 'fail-on = "any"\n')
    assert engine_settings(path=tmp_path, default_fail_on="never").fail_on == "any"


def test_the_project_file_can_be_left_unread(tmp_path) -> None:
    write(tmp_path, "pipreqs-action.toml", "unknown = 1\n")
    assert engine_settings(path=tmp_path, project_config=False).config == ProjectConfig()
    with pytest.raises(SettingsError, match="unknown key"):
        engine_settings(path=tmp_path)
