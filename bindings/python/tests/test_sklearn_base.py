"""scikit-learn's own ``linear_model/tests/test_base.py`` against linreg (see sklearn_adaptor.py)."""

import pytest

pytest.importorskip("sklearn")

from sklearn_adaptor import collect  # noqa: E402

SKLEARN_SUITE = "test_base"
globals().update(collect(SKLEARN_SUITE))
