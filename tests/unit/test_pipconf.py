"""pip's own configuration, read the way pip reads it (without importing pip): files in pip's order, [install]
over [global], PIP_CONFIG_FILE, PIP_INDEX_URL over everything."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pipreqs_action import pipconf
from pipreqs_action.pipconf import config_files, pip_index_url

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locations")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(pipconf.sys, "prefix", str(tmp_path / "venv"))
    monkeypatch.setattr(pipconf, "SYSTEM_DIR", tmp_path / "etc")  # the machine's own /etc/pip.conf stays out
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def env_for(home: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(home), "XDG_CONFIG_DIRS": str(home.parent / "xdg"), **extra}


def conf(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_nothing_configured_means_pips_default(home) -> None:
    assert pip_index_url(env_for(home)) == ""


def test_the_user_file_is_read_and_install_beats_global(home) -> None:
    conf(home / ".config/pip/pip.conf", "[global]\nindex-url = https://g.example/simple\n")
    assert pip_index_url(env_for(home)) == "https://g.example/simple"
    conf(
        home / ".config/pip/pip.conf",
        "[install]\nindex-url=https://i.example/simple\n[global]\nindex-url=https://g.example/simple\n",
    )
    assert pip_index_url(env_for(home)) == "https://i.example/simple"


def test_later_files_win_in_pips_order(home) -> None:
    site_wide = conf(home.parent / "xdg/pip/pip.conf", "[global]\nindex-url = https://site-wide.example/simple\n")
    system = conf(home.parent / "etc/pip.conf", "[global]\nindex-url = https://system.example/simple\n")
    legacy = conf(home / ".pip/pip.conf", "[global]\nindex-url = https://legacy.example/simple\n")
    user = conf(home / ".config/pip/pip.conf", "[global]\ntimeout = 5\n")
    venv = conf(home.parent / "venv/pip.conf", "[global]\nindex-url = https://venv.example/simple\n")
    assert config_files(env_for(home)) == [site_wide, system, legacy, user, venv]
    assert pip_index_url(env_for(home)) == "https://venv.example/simple"
    venv.unlink()
    assert pip_index_url(env_for(home)) == "https://legacy.example/simple"  # the user file sets no index


def test_pip_config_file_beats_the_files_and_hides_the_users(home) -> None:
    conf(home / ".config/pip/pip.conf", "[global]\nindex-url = https://user.example/simple\n")
    given = conf(home / "ci.conf", "[global]\nindex-url = https://ci.example/simple\n")
    env = env_for(home, PIP_CONFIG_FILE=str(given))
    assert pip_index_url(env) == "https://ci.example/simple"
    assert home / ".config/pip/pip.conf" not in config_files(env)
    assert pip_index_url(env_for(home, PIP_CONFIG_FILE=os.devnull)) == ""


def test_the_environment_variable_beats_every_file(home) -> None:
    conf(home / ".config/pip/pip.conf", "[global]\nindex-url = https://user.example/simple\n")
    assert pip_index_url(env_for(home, PIP_INDEX_URL=" https://env.example/simple ")) == "https://env.example/simple"


def test_xdg_config_home_moves_the_user_file(home) -> None:
    conf(home / "elsewhere/pip/pip.conf", "[global]\nindex-url = https://xdg.example/simple\n")
    assert pip_index_url(env_for(home, XDG_CONFIG_HOME=str(home / "elsewhere"))) == "https://xdg.example/simple"


def test_a_broken_file_is_a_warning_not_a_failure(home, caplog) -> None:
    conf(home / ".config/pip/pip.conf", "index-url = no section\n")
    assert pip_index_url(env_for(home)) == ""
    assert "not a readable pip configuration file" in caplog.text
