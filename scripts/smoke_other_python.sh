#!/usr/bin/env bash
# CI's quick run on a second Python (3.13 by default; SMOKE_PYTHON=3.10.13 for another): `pip install .` into a
# fresh venv (the README's quick start), then the sample app's JSON report must equal the one .venv's Python gives.
# The interpreter comes from pyenv (PYENV_VERSION) or PATH (python3.13); where neither has it, it says so and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${SMOKE_PYTHON:-3.13.0}"
if PYENV_VERSION="$version" python3 -c 'import sys' 2>/dev/null \
    && [ "$(PYENV_VERSION="$version" python3 -c 'import platform; print(platform.python_version())')" = "$version" ]; then
  python=(env PYENV_VERSION="$version" python3)
elif command -v "python${version%.*}" >/dev/null; then
  python=("python${version%.*}")
else
  echo "smoke: no Python $version here (pyenv or python${version%.*} on PATH): not run"
  exit 0
fi

venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
"${python[@]}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check .
echo "smoke: $("$venv/bin/python" --version) installed $("$venv/bin/pipreqs-action" --version)"

report() {  # the sample app is out of sync on purpose: exit 1
  local status=0
  HOME="$venv/home" "$1" check examples/sample-app --offline --format json > "$2" || status=$?
  [ "$status" -eq 1 ] || { echo "smoke: $1 exited $status, not 1"; exit 1; }
}
report "$venv/bin/pipreqs-action" "$venv/other.json"
report .venv/bin/pipreqs-action "$venv/this.json"
cmp "$venv/other.json" "$venv/this.json"
echo "smoke: the sample app's report is identical on both"
