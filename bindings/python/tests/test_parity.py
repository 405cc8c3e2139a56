"""The PyTorch parity suite: compare_torch.py's numbers, asserted.

GD (from scratch) and unshuffled SGD (builtins) must agree with PyTorch to
1e-5 relative in every weight, the bias, the first and last loss, and the
train and test MSE: against PyTorch float64 outright, against PyTorch float32
(the seed's type) up to 1e-5 plus PyTorch's own float32 rounding error
(see compare_torch.py). Shuffled SGD's final test MSE within 5%; the three
exact least-squares answers to 1e-9.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")

import compare_torch as ct  # noqa: E402  (bindings/python is on sys.path via conftest)

SEED = 42


@pytest.fixture(scope="module")
def split(advertising):
    from conftest import advertising_path

    return ct.load_split(advertising_path())


@pytest.fixture(scope="module")
def split64(advertising):
    from conftest import advertising_path

    return ct.load_split(advertising_path(), np.float64)


def test_split_is_the_seeds(split):
    from sklearn.model_selection import train_test_split

    from conftest import advertising_path

    assert split.X_train.shape == (160, 3) and split.X_test.shape == (40, 3)
    assert split.X_train.dtype == np.float32 and split.y_train.dtype == np.float32
    X, y = ct.load_advertising(advertising_path())
    assert X.shape == (200, 3) and y.shape == (200,)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    np.testing.assert_array_equal(split.X_train, X_train)
    np.testing.assert_array_equal(split.y_test, y_test)
    np.testing.assert_array_equal(X[0], np.array([230.1, 37.8, 69.2], np.float32))


def _check(comp: ct.Comparison, rtol: float):
    table = ct.format_comparison(comp)
    print(table)
    assert comp.torch64 is not None
    for key, value in comp.checked.items():
        assert comp.diffs64[key] <= rtol, f"{key}: {comp.diffs64[key]:.3e} from PyTorch float64 > {rtol}\n{table}"
        allowed = rtol + comp.rounding[key]
        assert value <= allowed, f"{key}: {value:.3e} from PyTorch float32 > {allowed:.3e}\n{table}"
    assert comp.ok
    # same arithmetic as PyTorch float64: weights, bias and losses agree far below the tolerance
    for key in ["w[TV]", "w[Radio]", "w[Newspaper]", "bias", "first loss", "last loss"]:
        assert comp.diffs64[key] <= 1e-12, (key, comp.diffs64[key])


@pytest.fixture(scope="module")
def scratch(split):
    return ct.compare_scratch(split, SEED)


@pytest.fixture(scope="module")
def builtins(split):
    return ct.compare_builtins(split, SEED)


def test_scratch_gd_parity(scratch):
    _check(scratch, 1e-5)
    assert len(scratch.torch.losses) == len(scratch.liblinreg.losses) == 1000
    for key in ["w[TV]", "w[Radio]", "w[Newspaper]", "bias", "first loss", "last loss", "train MSE", "test MSE"]:
        assert key in scratch.checked


def test_scratch_starts_from_torch_randn(scratch):
    import torch

    torch.manual_seed(SEED)
    w = torch.randn(1, 3)
    b = torch.randn(1)
    np.testing.assert_array_equal(scratch.init_weights, w.numpy().reshape(-1))
    assert scratch.init_bias == float(b.item())
    # the first loss is the MSE at those weights
    assert scratch.liblinreg.first_loss == pytest.approx(scratch.torch.first_loss, rel=1e-6)


def test_builtins_sgd_parity(builtins):
    _check(builtins, 1e-5)
    assert len(builtins.liblinreg.losses) == 100


@pytest.mark.parametrize("seed", [0, 7])
def test_parity_other_seeds(split, seed):
    _check(ct.compare_scratch(split, seed, epochs=300), 1e-5)
    _check(ct.compare_builtins(split, seed, epochs=20), 1e-5)


@pytest.fixture(scope="module")
def shuffled(split):
    return ct.compare_shuffled(split, SEED)


def test_shuffled_sgd_within_tolerance(shuffled, split):
    print(ct.format_shuffled(shuffled))
    assert len(shuffled.torch_mse) == len(shuffled.liblinreg_mse) == ct.SHUFFLE_RUNS
    assert shuffled.seeds == list(range(SEED, SEED + ct.SHUFFLE_RUNS))
    assert shuffled.rel_diff <= ct.SHUFFLE_RTOL
    assert shuffled.ok
    # every run starts from seed 42's nn.Linear weights
    _, w0, b0 = ct.torch_builtins(split, SEED, epochs=0)
    np.testing.assert_array_equal(shuffled.pair.init_weights, w0.reshape(-1))


def test_shuffled_runs_are_plausible(shuffled, builtins):
    """Each shuffled run lands in the region of the unshuffled one (test MSE within 50%)."""
    ref = builtins.torch.test_mse
    for v in shuffled.torch_mse + shuffled.liblinreg_mse:
        assert 0.5 * ref < v < 1.5 * ref


def test_exact_three_ways(split64, scratch):
    e = ct.exact_solutions(split64)
    text = ct.format_exact(e, scratch)
    print(text)
    assert e.max_rel_diff <= 1e-9
    ref = e.test_mse["numpy.linalg.lstsq"]
    for v in e.test_mse.values():
        assert v == pytest.approx(ref, rel=1e-9)
    # 1000 epochs of GD at lr 1e-5 are still far from the optimum
    assert scratch.liblinreg.test_mse > ref
    assert scratch.liblinreg.train_mse > e.train_mse["liblinreg exact"]


def test_script_runs_and_exits_zero(tmp_path):
    from conftest import advertising_path

    script = Path(ct.__file__)
    r = subprocess.run(
        [sys.executable, str(script), "--data", str(advertising_path()), "--plots", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "parity: OK" in r.stdout
    for name in ("actual_vs_predicted.png", "loss_curve.png"):
        p = tmp_path / name
        assert p.is_file() and p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert str(p) in r.stdout


def test_data_path_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv(ct.DATA_ENV, str(tmp_path / "x.csv"))
    assert ct.data_path(None) == tmp_path / "x.csv"
    assert ct.data_path(tmp_path / "y.csv") == tmp_path / "y.csv"
    monkeypatch.delenv(ct.DATA_ENV)
    assert ct.data_path(None) == ct.REPO.parent / "shared" / "data" / "Advertising.csv"
    with pytest.raises(FileNotFoundError, match="--data"):
        ct.load_advertising(tmp_path / "missing.csv")


def test_demo_progress_bar_sees_every_epoch():
    """The demo's progress bar is driven by the C callback once per epoch."""
    import io

    import compare_torch

    out = io.StringIO()
    split = compare_torch.load_split(None)
    assert compare_torch.progress_bar_fit(split, epochs=200, stream=out) == 200
    assert "200/200 epochs" in out.getvalue()
