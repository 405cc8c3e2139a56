#!/usr/bin/env bash
# The Python wheel and the linreg command (issue 13): bindings/python/tests/test_wheel.py builds the
# platform wheel through the Makefile (pip wheel --no-build-isolation), checks that it carries
# build/lib/liblinreg.so and the manylinux policy the README names, installs it into a fresh venv and
# runs the README's example and the command from a temporary folder with no LINREG_LIBRARY;
# test_cli.py checks the command's answers and its bad-input contract. make test runs both within
# test-python; this runs them alone. Extra arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(bash "$root/scripts/venv.sh")
data=${DATA:-$root/../shared/data/Advertising.csv}
cd "$root"
LINREG_LIBRARY="$root/build/lib/liblinreg.so" LINREG_ADVERTISING_CSV="$data" \
  "$venv/bin/python" -m pytest bindings/python/tests/test_wheel.py bindings/python/tests/test_cli.py -q "$@"
