"""Shared fixtures for the liblinreg Python binding tests.

The binding is imported from the source tree (``bindings/python``) and finds
the library through its own loader: run with ``LINREG_LIBRARY`` pointing to
the built ``liblinreg.so`` (the Makefile does), or let it find
``<repo>/build/lib/liblinreg.so``.

Parts of the engine land progressively; a test that reaches one that is not
built yet (``LINREG_E_INTERNAL`` with "not built yet") is reported as skipped
with the engine's message instead of failing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

PY_DIR = Path(__file__).resolve().parents[1]
REPO = PY_DIR.parents[1]
if str(PY_DIR) not in sys.path:
    sys.path.insert(0, str(PY_DIR))

import linreg  # noqa: E402

NOT_BUILT = "not built yet"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    exc = outcome.excinfo
    if exc is not None and isinstance(exc[1], linreg.InternalError) and NOT_BUILT in str(exc[1]):
        outcome.force_exception(pytest.skip.Exception(f"engine part not built yet: {exc[1]}"))


def advertising_path() -> Path:
    env = os.environ.get("LINREG_ADVERTISING_CSV")
    return Path(env) if env else REPO.parent / "shared" / "data" / "Advertising.csv"


@pytest.fixture(scope="session")
def advertising():
    """The full Advertising data as a DataFrame (skips when the CSV is absent)."""
    pd = pytest.importorskip("pandas")
    path = advertising_path()
    if not path.is_file():
        pytest.skip(f"Advertising data not found at {path} (set LINREG_ADVERTISING_CSV)")
    return pd.read_csv(path, index_col=0)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def regression_data(rng):
    """A small well-conditioned problem: X (60, 4), y = X w + b + noise."""
    X = rng.normal(size=(60, 4))
    w = np.array([1.5, -2.0, 0.5, 3.0])
    y = X @ w + 0.7 + 0.1 * rng.normal(size=60)
    return X, y
