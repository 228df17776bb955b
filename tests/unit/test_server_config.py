"""The HTTP API checks a repository with the repository's own configuration ([tool.pipreqs-action])."""

from __future__ import annotations

import pytest
from tests.api_server import local_config, running
from tests.pypi_stub import PyPIStub
from tests.unit.test_server import APP, VERSIONS, get

from git_server import GitServer


@pytest.fixture
def index(pypi: PyPIStub) -> PyPIStub:
    for name, version in VERSIONS.items():
        pypi.add_project(name, ["0.1", version])
    return pypi


CONFIG = '[tool.pipreqs-action]\nignore-missing = ["PyYAML"]\nignore-unused = ["Django"]\n'


def test_the_json_report_applies_the_repositorys_configuration(git_server: GitServer, index: PyPIStub) -> None:
    files = {"app.py": APP, "sibling.py": "", "requirements.txt": "Flask\nDjango>=4\n", "pyproject.toml": CONFIG}
    repo = git_server.create_repo("owner/configured", [files])
    with running(local_config(index_url=index.url)) as api:
        response = get(api, "/pipreqs", {"code_url": repo.url, "format": "json"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["config"] == "pyproject.toml"
    assert [item["package"] for item in report["missing"]] == ["requests"]
    assert report["unused"] == []


def test_a_bad_configuration_in_the_repository_is_an_error_naming_it(git_server: GitServer, index: PyPIStub) -> None:
    files = {"app.py": APP, "requirements.txt": "Flask\n", "pyproject.toml": "[tool.pipreqs-action]\nignore = 1\n"}
    repo = git_server.create_repo("owner/misconfigured", [files])
    with running(local_config(index_url=index.url)) as api:
        response = get(api, "/pipreqs", {"code_url": repo.url, "format": "json"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("pyproject.toml:2: unknown key 'ignore' (known keys: ignore-missing")
