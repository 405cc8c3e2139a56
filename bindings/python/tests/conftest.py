"""Shared fixtures for the liblinreg Python binding tests.

The binding is imported from the source tree (``bindings/python``) and finds
the library through its own loader: run with ``LINREG_LIBRARY`` pointing to
the built ``liblinreg.so`` (the Makefile does), or let it find
``<repo>/build/lib/liblinreg.so``. The loader refuses a library whose version
differs or that lacks a function of the header, so a stale build fails at
import instead of turning tests into skips.

The Advertising data is part of the fixture: without it the tests that use it
fail (``LINREG_ADVERTISING_CSV``, default ``<repo>/../shared/data/Advertising.csv``).

The hooks at the end hand scikit-learn's own suites (``test_sklearn_*.py``)
to ``sklearn_adaptor``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

PY_DIR = Path(__file__).resolve().parents[1]
REPO = PY_DIR.parents[1]


def advertising_path() -> Path:
    env = os.environ.get("LINREG_ADVERTISING_CSV")
    return Path(env) if env else REPO.parent / "shared" / "data" / "Advertising.csv"


@pytest.fixture(scope="session")
def advertising():
    """The full Advertising data as a DataFrame (fails when the CSV is absent: it is part of the fixture)."""
    import pandas as pd

    path = advertising_path()
    if not path.is_file():
        pytest.fail(
            f"Advertising data not found at {path}: set LINREG_ADVERTISING_CSV to the CSV "
            "(the tests need it; `make test` passes it)",
            pytrace=False,
        )
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


def pytest_collection_modifyitems(config, items):
    adaptor = sys.modules.get("sklearn_adaptor")  # imported by the test_sklearn_* modules
    if adaptor is not None:
        adaptor.modify_items(items)
    enet_adaptor = sys.modules.get("sklearn_adaptor_enet")  # test_sklearn_coordinate_descent.py
    if enet_adaptor is not None:
        enet_adaptor.modify_items(items)


def pytest_terminal_summary(terminalreporter):
    adaptor = sys.modules.get("sklearn_adaptor")
    if adaptor is not None:
        adaptor.terminal_summary(terminalreporter)
    enet_adaptor = sys.modules.get("sklearn_adaptor_enet")
    if enet_adaptor is not None:
        enet_adaptor.terminal_summary(terminalreporter)
