"""GD/SGD against PyTorch in float64 (1e-10 relative) and the progress callback.

The first recorded loss and the first step are also checked against their
closed forms (numpy, 1e-13: a handful of float64 roundings), for liblinreg
itself and not only for the PyTorch reference."""

from __future__ import annotations

import numpy as np
import pytest

import linreg

torch = pytest.importorskip("torch")
RTOL = 1e-10


@pytest.fixture
def data(rng):
    X = rng.normal(size=(37, 3))  # 37 rows: the last SGD batch is short
    Y = X @ np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]]).T + [2.0, -1.0] + 0.1 * rng.normal(size=(37, 2))
    return X, Y


def torch_reference(X, Y, W0, b0, lr, epochs, batch_size=None, momentum=0.0, weight_decay=0.0, sample_weight=None):
    """float64 torch: full batch when batch_size is None, else row-order mini-batches."""
    torch.set_num_threads(1)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    W = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr, momentum=momentum, weight_decay=weight_decay)
    n = X.shape[0]
    bs = n if batch_size is None else batch_size
    losses = []
    for _ in range(epochs):
        total = 0.0
        for start in range(0, n, bs):
            xb, yb = Xt[start : start + bs], Yt[start : start + bs]
            diff = xb @ W.t() + b - yb
            if sample_weight is not None:
                sq = diff * diff * torch.from_numpy(sample_weight[start : start + bs])[:, None]
            else:
                sq = diff * diff
            loss = torch.sum(sq) / sq.numel()
            total += loss.item() * sq.numel()
            opt.zero_grad()
            loss.backward()
            opt.step()
        losses.append(total / (n * Y.shape[1]))
    return W.detach().numpy(), b.detach().numpy(), np.array(losses)


def test_gd_matches_torch(data, rng):
    X, Y = data
    W0, b0 = rng.normal(size=(2, 3)), rng.normal(size=2)
    est = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=200)
    est.fit(X, Y, coef_init=W0, intercept_init=b0)
    W, b, losses = torch_reference(X, Y, W0, b0, 0.05, 200)
    np.testing.assert_allclose(est.coef_, W, rtol=RTOL)
    np.testing.assert_allclose(est.intercept_, b, rtol=RTOL)
    np.testing.assert_allclose(est.loss_history_, losses, rtol=RTOL)
    # GD records the loss before each update: the first is the MSE at the start, in closed form
    first = np.mean((X @ W0.T + b0 - Y) ** 2)
    np.testing.assert_allclose(est.loss_history_[0], first, rtol=1e-13)
    # and one step from there is W0 - lr * dL/dW with dL/dW = 2/(n k) R^T X (R the residuals)
    one = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=1).fit(X, Y, coef_init=W0, intercept_init=b0)
    R = X @ W0.T + b0 - Y
    scale = 2.0 / R.size
    np.testing.assert_allclose(one.coef_, W0 - 0.05 * scale * R.T @ X, rtol=1e-13)
    np.testing.assert_allclose(one.intercept_, b0 - 0.05 * scale * R.sum(axis=0), rtol=1e-13)


@pytest.mark.parametrize("batch_size", [1, 5, 8, 100])
@pytest.mark.parametrize("momentum,weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.5, 0.01)])
def test_sgd_matches_torch(data, rng, batch_size, momentum, weight_decay):
    X, Y = data
    W0, b0 = rng.normal(size=(2, 3)), rng.normal(size=2)
    est = linreg.LinearRegression(
        solver="sgd", learning_rate=0.01, epochs=30, batch_size=batch_size, momentum=momentum, weight_decay=weight_decay
    )
    est.fit(X, Y, coef_init=W0, intercept_init=b0)
    W, b, losses = torch_reference(X, Y, W0, b0, 0.01, 30, batch_size, momentum, weight_decay)
    np.testing.assert_allclose(est.coef_, W, rtol=RTOL)
    np.testing.assert_allclose(est.intercept_, b, rtol=RTOL)
    np.testing.assert_allclose(est.loss_history_, losses, rtol=RTOL)


def test_gd_defaults_start_from_zero(data):
    X, Y = data
    est = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=50).fit(X, Y[:, 0])
    W, b, losses = torch_reference(X, Y[:, :1], np.zeros((1, 3)), np.zeros(1), 0.05, 50)
    np.testing.assert_allclose(est.coef_, W[0], rtol=RTOL)
    assert isinstance(est.intercept_, float)
    np.testing.assert_allclose(est.intercept_, b[0], rtol=RTOL)
    np.testing.assert_allclose(est.loss_history_, losses, rtol=RTOL)
    # From zero weights the first loss is mean(y^2), for liblinreg as for the reference
    first = np.mean(Y[:, 0] ** 2)
    np.testing.assert_allclose(losses[0], first, rtol=RTOL)
    np.testing.assert_allclose(est.loss_history_[0], first, rtol=1e-13)
    # ... and the first step moves the intercept by lr * 2 * mean(y) (gradient at zero: -2 mean(y))
    one = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=1).fit(X, Y[:, 0])
    np.testing.assert_allclose(one.intercept_, 0.05 * 2.0 * np.mean(Y[:, 0]), rtol=1e-13)
    np.testing.assert_allclose(one.coef_, 0.05 * 2.0 * X.T @ Y[:, 0] / len(X), rtol=1e-13)
    assert est.intercept_ != 0.0 and abs(est.intercept_ - one.intercept_) > 1e-3  # it kept moving


def test_gd_no_intercept_and_zero_epochs(data, rng):
    X, Y = data
    W0 = rng.normal(size=3)
    est = linreg.LinearRegression(solver="gd", fit_intercept=False, epochs=0).fit(X, Y[:, 0], coef_init=W0)
    np.testing.assert_array_equal(est.coef_, W0)
    assert est.loss_history_.shape == (0,)
    with pytest.raises(ValueError, match="intercept_init"):
        linreg.LinearRegression(solver="gd", fit_intercept=False).fit(X, Y[:, 0], intercept_init=1.0)
    with pytest.raises(ValueError, match="coef_init"):
        linreg.LinearRegression(solver="gd").fit(X, Y[:, 0], coef_init=np.ones(4))


def test_divergence_is_floating_point_error(data):
    X, Y = data
    est = linreg.LinearRegression(solver="gd", learning_rate=1e6, epochs=1000)
    with pytest.raises(FloatingPointError) as ei:
        est.fit(X * 1e3, Y)
    assert isinstance(ei.value, linreg.DivergedError) and not isinstance(ei.value, ValueError)
    assert str(ei.value)
    assert not hasattr(est, "coef_")


def test_unit_weights_equal_unweighted(data):
    X, Y = data
    a = linreg.LinearRegression(solver="sgd", learning_rate=0.01, epochs=10, batch_size=4).fit(X, Y)
    b = linreg.LinearRegression(solver="sgd", learning_rate=0.01, epochs=10, batch_size=4).fit(
        X, Y, sample_weight=np.ones(len(X))
    )
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=RTOL)


def test_shuffle_is_seeded(data):
    X, Y = data
    kw = dict(solver="sgd", learning_rate=0.01, epochs=5, batch_size=4, shuffle=True)
    a = linreg.LinearRegression(random_state=3, **kw).fit(X, Y)
    b = linreg.LinearRegression(random_state=3, **kw).fit(X, Y)
    c = linreg.LinearRegression(random_state=4, **kw).fit(X, Y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert not np.array_equal(a.coef_, c.coef_)
    d = linreg.LinearRegression(random_state=np.random.RandomState(0), **kw).fit(X, Y)
    assert np.all(np.isfinite(d.coef_))


# -- progress callback ---------------------------------------------------
def test_callback_sees_every_epoch(data):
    X, Y = data
    seen = []
    est = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=25)
    est.fit(X, Y, callback=lambda epoch, loss: seen.append((epoch, loss)))
    assert [e for e, _ in seen] == list(range(25))
    np.testing.assert_array_equal([l for _, l in seen], est.loss_history_)


def test_callback_early_stop(data):
    X, Y = data
    est = linreg.LinearRegression(solver="sgd", learning_rate=0.01, epochs=1000, batch_size=8)
    est.fit(X, Y, callback=lambda epoch, loss: epoch < 4)
    assert est.loss_history_.shape == (5,)
    W, b, losses = torch_reference(X, Y, np.zeros((2, 3)), np.zeros(2), 0.01, 5, 8)
    np.testing.assert_allclose(est.coef_, W, rtol=RTOL)
    np.testing.assert_allclose(est.loss_history_, losses, rtol=RTOL)


def test_constructor_callback_and_override(data):
    X, Y = data
    calls = []
    est = linreg.LinearRegression(solver="gd", epochs=10, callback=lambda e, l: calls.append(e) or e < 2)
    est.fit(X, Y)
    assert calls == [0, 1, 2] and len(est.loss_history_) == 3
    est.fit(X, Y, callback=lambda e, l: None)
    assert len(est.loss_history_) == 10


def test_callback_exception_propagates_after_c_returns(data):
    X, Y = data

    class Boom(Exception):
        pass

    calls = []

    def cb(epoch, loss):
        calls.append(epoch)
        if epoch == 3:
            raise Boom("stop here")

    est = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=100)
    with pytest.raises(Boom, match="stop here"):
        est.fit(X, Y, callback=cb)
    assert calls == [0, 1, 2, 3]  # training stopped at once
    assert not hasattr(est, "coef_")  # a failed fit leaves the estimator as it was
    est.fit(X, Y)  # the model is usable afterwards
    assert len(est.loss_history_) == 100


def test_callback_not_called_by_exact_solver(data):
    X, Y = data
    calls = []
    linreg.LinearRegression().fit(X, Y, callback=lambda e, l: calls.append(e))
    assert calls == []


def test_shuffled_epochs_use_every_row_once(data):
    """With one batch per epoch, a shuffled epoch must be exactly a full-batch GD step."""
    X, Y = data
    n = len(X)
    W0 = np.full((2, 3), 0.1)
    gd = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=20).fit(X, Y, coef_init=W0)
    sgd = linreg.LinearRegression(
        solver="sgd", learning_rate=0.05, epochs=20, batch_size=n, shuffle=True, random_state=5
    ).fit(X, Y, coef_init=W0)
    np.testing.assert_allclose(sgd.coef_, gd.coef_, rtol=1e-12)
    np.testing.assert_allclose(sgd.loss_history_, gd.loss_history_, rtol=1e-12)


def test_shuffle_differs_from_row_order_and_is_reproducible(data):
    """Shuffled SGD differs from row order; its epochs replay identically for the same seed."""
    X, Y = data
    kw = dict(solver="sgd", learning_rate=0.01, batch_size=4, shuffle=True, random_state=11)
    ordered = linreg.LinearRegression(solver="sgd", learning_rate=0.01, epochs=3, batch_size=4).fit(X, Y)
    shuffled = linreg.LinearRegression(epochs=3, **kw).fit(X, Y)
    assert not np.allclose(shuffled.coef_, ordered.coef_, rtol=1e-9)
    one = linreg.LinearRegression(epochs=1, **kw).fit(X, Y)
    np.testing.assert_allclose(shuffled.loss_history_[0], one.loss_history_[0], rtol=1e-12)
