#!/usr/bin/env bash
# Print the path of the test virtual environment, creating it first if needed.
# The environment lives outside the clone, in a cache folder keyed by the hash
# of bindings/python/requirements-test.txt, so CI and later runs reuse it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
req="$root/bindings/python/requirements-test.txt"
cache="${LINREG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/liblinreg}"
key=$(sha256sum "$req" | cut -c1-16)
venv="$cache/venv-$key"
mkdir -p "$cache"
# One builder at a time: a second caller waits for the first to finish.
exec 9>"$cache/.venv-$key.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  python3 -c 'import ctypes' >/dev/null 2>&1 || {
    echo "venv.sh: python3 lacks ctypes; installing libffi-dev" >&2
    (apt-get update && apt-get install -y libffi-dev) >&2
  }
  rm -rf "$venv"
  mkdir -p "$cache"
  echo "venv.sh: creating $venv (first run installs torch and friends; a few minutes)" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet -r "$req" >&2
  touch "$venv/.complete"
fi
echo "$venv"
