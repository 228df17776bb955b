#!/usr/bin/env bash
# The whole test suite on every other Python this machine has (pyenv's 3.10, 3.12 and 3.13 by default;
# OTHER_PYTHONS="3.12.1 3.13.0" for others), each in a fresh venv with the test extras, beside .venv's Python.
# An interpreter that is not here is named and passed over; a red suite on any of them fails the script.
# Usage: bash scripts/test_other_pythons.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
for version in ${OTHER_PYTHONS:-3.10.13 3.12.1 3.13.0}; do
  if ! PYENV_VERSION="$version" python3 -c 'import sys' 2>/dev/null \
      || [ "$(PYENV_VERSION="$version" python3 -c 'import platform; print(platform.python_version())')" != "$version" ]; then
    echo "== Python $version: not on this machine (pyenv), not run"
    continue
  fi
  venv="$(mktemp -d)"
  PYENV_VERSION="$version" python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
  echo "== Python $version: the test suite"
  "$venv/bin/python" -m pytest "$@" || status=1
  rm -rf "$venv"
done
exit "$status"
