"""The web page at /, in a real headless Chromium: it loads, a person submits a repository URL, the report and the
suggested requirements appear; /?code_url=URL opens with the report shown; names from the repository are text."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from tests.api_server import WAIT, local_config, running
from tests.browser import Browser, Page, find_chromium

from git_server import GitServer, Repo

pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="chromium is not installed (apt-get install chromium; .ci/run installs it)"
)

REPORT_SHOWN = "!document.querySelector('#report').hidden"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser.start() as started:
        yield started


@pytest.fixture
def api() -> Iterator[str]:
    with running(local_config()) as base:
        yield base


@pytest.fixture
def repo(git_server: GitServer) -> Repo:
    files = {
        "app.py": "import requests\nimport yaml\n",
        "requirements.txt": "requests\nDjango\n",
    }
    return git_server.create_repo("owner/webapp", [files])


def table_column(page: Page, table: str) -> list[str]:
    script = f"[...document.querySelectorAll('#{table} tbody tr td:first-child')].map(td => td.textContent)"
    return list(page.evaluate(script))


def test_the_page_is_served_with_its_script_and_a_strict_policy(api: str) -> None:
    response = requests.get(f"{api}/", timeout=WAIT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'self' covers it
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert '<script src="/static/page.js"' in response.text
    assert "<script>" not in response.text  # no inline script: the policy would block it
    assert requests.get(f"{api}/static/page.js", timeout=WAIT).headers["Content-Type"].startswith("text/javascript")


def test_a_person_pastes_a_url_submits_and_sees_the_report(browser: Browser, api: str, repo: Repo) -> None:
    page = browser.open(f"{api}/")
    page.wait_for("document.readyState === 'complete' && document.querySelector('#code_url') !== null")
    assert page.evaluate("document.querySelector('#report').hidden") is True
    page.evaluate(f"document.querySelector('#code_url').value = {json.dumps(repo.url)}")
    page.evaluate("document.querySelector('#submit').click()")
    page.wait_for(REPORT_SHOWN)
    assert page.text("#verdict") == "1 package missing from the declared requirements."
    assert table_column(page, "missing") == ["PyYAML"]
    assert page.evaluate("[...document.querySelectorAll('#unused li')].map(li => li.textContent)") == ["Django"]
    requirements = page.text("#requirements").splitlines()
    assert "requests" in requirements and any(line.startswith("PyYAML") for line in requirements)
    # the address bar now holds a link to this report
    assert page.evaluate("location.search") == "?" + requests.compat.urlencode({"code_url": repo.url})


def test_a_shared_link_opens_with_the_report_shown(browser: Browser, api: str, repo: Repo) -> None:
    query = requests.compat.urlencode({"code_url": repo.url})
    page = browser.open(f"{api}/?{query}")
    page.wait_for(REPORT_SHOWN)
    assert page.evaluate("document.querySelector('#code_url').value") == repo.url
    assert table_column(page, "missing") == ["PyYAML"]
    assert page.evaluate("document.querySelector('#share').getAttribute('href')") == f"/?{query}"


def test_an_error_is_shown_as_the_apis_detail(browser: Browser, api: str, git_server: GitServer) -> None:
    query = requests.compat.urlencode({"code_url": f"{git_server.base_url}/owner/absent"})
    page = browser.open(f"{api}/?{query}")
    page.wait_for("document.querySelector('#status').className === 'error'")
    assert page.text("#status") == "Could not check it. 404: repository not found"
    assert page.evaluate("document.querySelector('#report').hidden") is True


def test_names_from_the_repository_are_shown_as_text_never_as_html(
    browser: Browser, api: str, git_server: GitServer
) -> None:
    hostile = "<img src=x onerror=\"document.title='pwned'\">"
    files = {"app.py": "import requests\n", f"{hostile}.py": "import yaml\n", "requirements.txt": "requests\n"}
    repo = git_server.create_repo("owner/hostile", [files])
    page = browser.open(f"{api}/?{requests.compat.urlencode({'code_url': repo.url})}")
    page.wait_for(REPORT_SHOWN)
    cells = page.evaluate("[...document.querySelectorAll('#missing td')].map(td => td.textContent).join(' ')")
    assert hostile in cells
    assert page.evaluate("document.querySelectorAll('#report img').length") == 0
    assert page.evaluate("document.title") != "pwned"
