"""scikit-learn's own ``linear_model/tests/test_coordinate_descent.py`` against
linreg's lasso and elastic net (see sklearn_adaptor_enet.py)."""

import pytest

pytest.importorskip("sklearn")

from sklearn_adaptor_enet import SUITE, collect  # noqa: E402

SKLEARN_SUITE = SUITE
globals().update(collect())
