"""Distributed exact least squares on Dask: :func:`fit`.

When the rows outgrow one machine, the fit runs on an existing engine,
Dask (``dask.array`` for the data, ``dask.distributed`` for the cluster), in
the style of dask-ml: the work is split along the rows, each partition
(row block) is reduced to liblinreg's exact sufficient statistics *on the
worker that holds it*, and only those small statistics travel:

1. per partition: a fresh exact model, ``partial_fit`` on the block,
   ``linreg_serialize`` -> bytes (about 8 * (n_features + n_targets + 1)**2
   bytes, whatever the number of rows; an empty partition gives a model that
   was never fitted, which ``linreg_merge`` counts as "no rows");
2. a tree of merges, ``split_every`` parts per task: deserialize them,
   ``linreg_merge`` them into the first, serialize the result;
3. on the client: deserialize the root and wrap it in a fitted
   :class:`linreg.LinearRegression`, statistics included.

With a robust ``cov_type`` (HC0 ... HC3, cluster) the residuals at the final
coefficients are needed: a second map sends the root's bytes to every
partition, which runs ``linreg_cov_begin`` and ``linreg_cov_pass_*`` on its
rows (with its block of ``groups`` for clusters) and returns its model's
bytes; a second tree of ``linreg_cov_merge`` adds the passes. Only
(n_features + 1)**2 numbers per target (HC), or per cluster, travel.

``linreg_merge`` is exact whatever the tree's shape, so the result equals one
``LinearRegression().fit`` of all the rows on one machine (to 1e-10
relative, in practice to the last bit or two), including ``summary()``,
standard errors, p-values, R^2, F and the log-likelihood. Tasks are pure
functions of their inputs, so when a worker dies Dask simply recomputes what
was lost on it and the answer does not change.

Only ``solver="exact"`` (least squares, or ridge with ``alpha > 0``) can be
computed this way: gradient descent needs sequential passes over all rows.

Penalty selection works the same way: :func:`ridge_cv` (exact leave-one-out:
the statistics, then a second map of each partition's leave-one-out error
sums under the merged spectrum) and :func:`elastic_net_cv` /
:func:`lasso_cv` (contiguous K-fold by global row position: each partition
accumulates its rows of every fold it meets, one tree merges each fold, and
every training set is the total minus its fold).

This module imports dask only when :func:`fit` runs, so ``import linreg``
(and ``import linreg.dask``) never need it. The workers need the binding and
the library: install ``bindings/python`` on every worker (with the library
copied into ``linreg/_lib/``), or make ``LINREG_LIBRARY`` point to
``liblinreg.so`` in each worker's environment. See README.md.
"""

from __future__ import annotations

import numbers
from typing import Any, Dict, List, Tuple

from . import _arrays
from . import missing as _missing
from ._errors import ArgumentError, LinregError

__all__ = ["fit", "residual_diagnostics", "ridge_cv", "elastic_net_cv", "lasso_cv"]


def _import_dask():
    try:
        import dask
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - exercised only without dask
        raise ImportError(
            "linreg.dask.fit needs dask.array (pip install 'dask[array]', plus 'distributed' "
            f"to run on a cluster): {exc}"
        ) from exc
    return dask, da


# -- tasks (run on the workers; must stay importable as linreg.dask.*) ----------


def _new_model(n_features: int, n_outputs: int, c_params: Dict[int, float]):
    from ._model import Model

    model = Model(n_features, n_outputs)
    for key, value in c_params.items():
        model.set_param(key, value)
    return model


def _partition_statistics(
    X: Any, y: Any, sample_weight: Any, n_features: int, n_outputs: int, c_params: Dict[int, float], index: int,
    drop: bool = False,
) -> Tuple[bytes, int]:
    """One row block -> the serialized exact model of its rows (never fitted when the block is empty)
    and the number of rows dropped; ``drop``: without its rows holding a NaN (``missing="drop"``)."""
    import numpy as np

    model = _new_model(n_features, n_outputs, c_params)
    dropped = 0
    try:
        X = np.asarray(X)
        y = np.asarray(y)
        if drop and X.ndim == 2 and y.shape[:1] == X.shape[:1]:
            X, y, sample_weight, _, dropped = _missing.drop_block(X, y, sample_weight)
        if X.ndim != 2 or X.shape[1] != n_features:
            raise ArgumentError(f"X block has shape {X.shape}; expected (n_rows, {n_features})")
        if y.shape[:1] != X.shape[:1]:
            raise ArgumentError(f"X block has {X.shape[0]} rows but the y block has shape {y.shape}")
        if sample_weight is not None and not np.isscalar(sample_weight):
            sample_weight = np.asarray(sample_weight)
            if sample_weight.shape != X.shape[:1]:
                raise ArgumentError(
                    f"X block has {X.shape[0]} rows but the sample_weight block has shape {sample_weight.shape}"
                )
        if X.shape[0] > 0:
            model.partial_fit(X, y, sample_weight)
        return model.serialize(), dropped
    except LinregError as exc:
        raise type(exc)(f"linreg.dask.fit, row block {index}: {exc.message}", status=exc.status) from None
    finally:
        model.close()


def _merged(parts: Any, merge: Any, prepare: Any = None) -> bytes:
    """Serialized models -> the first with every other merged into it by ``merge(into, other)``
    (after ``prepare(into)``), serialized; each model closed on the way."""
    from ._model import Model

    into = Model.deserialize(parts[0])
    try:
        if prepare is not None:
            prepare(into)
        for data in parts[1:]:
            other = Model.deserialize(data)
            try:
                merge(into, other)
            finally:
                other.close()
        return into.serialize()
    finally:
        into.close()


def _merge_statistics(c_params: Dict[int, float], *parts: Tuple[bytes, int]) -> Tuple[bytes, int]:
    """(Serialized exact model, rows dropped) of disjoint row sets -> those of their union."""

    def parameters(into: Any) -> None:
        for key, value in c_params.items():
            into.set_param(key, value)

    return (_merged([part[0] for part in parts], lambda into, other: into.merge(other), parameters),
            sum(part[1] for part in parts))


def _tree(level: List[Any], merge: Any, split_every: int, name: str, *leading: Any) -> Any:
    """The root of a tree of delayed ``merge(*leading, *group)`` over ``level``, ``split_every``
    parts per task (keys ``name-depth-index``)."""
    depth = 0
    while len(level) > 1:
        level = [merge(*leading, *level[i : i + split_every], dask_key_name=f"{name}-{depth}-{i // split_every}")
                 for i in range(0, len(level), split_every)]
        depth += 1
    return level[0]


def _partition_covariance(root: bytes, X: Any, y: Any, sample_weight: Any, groups: Any, index: int,
                          drop: bool = False) -> bytes:
    """One row block -> the final model with the covariance pass of its rows (``drop``: those the
    fit kept)."""
    import numpy as np

    from . import _inference
    from ._model import Model

    model = Model.deserialize(root)
    try:
        _inference.cov_begin(model)
        X = np.asarray(X)
        if drop:
            X, y, sample_weight, groups, _ = _missing.drop_block(X, y, sample_weight, groups)
        if X.shape[0] > 0:
            if sample_weight is not None and not np.isscalar(sample_weight):
                sample_weight = np.asarray(sample_weight)
            _inference.cov_pass(model, X, np.asarray(y), sample_weight,
                                None if groups is None else np.asarray(groups))
        return model.serialize()
    except LinregError as exc:
        raise type(exc)(f"linreg.dask.fit, covariance pass, row block {index}: {exc.message}",
                        status=exc.status) from None
    finally:
        model.close()


def _merge_covariance(*parts: bytes) -> bytes:
    """Models holding covariance passes of disjoint rows at the same coefficients -> one pass."""
    from . import _inference

    return _merged(parts, _inference.cov_merge)


# -- client side ------------------------------------------------------------------


def _as_dask_array(da, value: Any, name: str):
    if value is None:
        raise ArgumentError(f"{name} is None: a dask array (or array-like) is required")
    if hasattr(value, "to_dask_array") and not isinstance(value, da.Array):
        raise ArgumentError(
            f"{name} is a dask DataFrame/Series: convert it with {name}.to_dask_array(lengths=True)"
        )
    return value if isinstance(value, da.Array) else da.asarray(value)


def _single_column_chunk(arr):
    return arr.rechunk({1: -1}) if arr.ndim == 2 and len(arr.chunks[1]) > 1 else arr


def _align_rows(arr, row_chunks, name: str):
    """``arr`` with the row blocks ``row_chunks`` (X's)."""
    if arr.chunks[0] == row_chunks:
        return arr
    known = not any(c != c for c in arr.chunks[0] + row_chunks)  # NaN: unknown block sizes
    if not known:
        if len(arr.chunks[0]) == len(row_chunks):
            return arr  # same number of blocks: sizes are checked block by block on the workers
        raise ArgumentError(
            f"X and {name} have unknown row-block sizes and different numbers of blocks "
            f"({len(row_chunks)} and {len(arr.chunks[0])}): call .compute_chunk_sizes() on them first"
        )
    if sum(arr.chunks[0]) != sum(row_chunks):
        raise ArgumentError(
            f"Found input variables with inconsistent numbers of samples: "
            f"[{int(sum(row_chunks))}, {int(sum(arr.chunks[0]))}] (X, {name})"
        )
    return arr.rechunk({0: row_chunks})


def fit(X: Any, y: Any, sample_weight: Any = None, *, groups: Any = None, split_every: int = 4, **params: Any):
    """Fit a :class:`linreg.LinearRegression` on Dask arrays, partition by partition.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
        Any row blocks (partitions), empty ones included; several column
        blocks are first joined into one. float32 and float64 blocks are fitted
        as they are (liblinreg accumulates in double-double). A numpy array
        is wrapped with ``dask.array.asarray``.
    y : dask.array.Array of shape (n_samples,) or (n_samples, n_targets)
        Rechunked to X's row blocks when they differ.
    sample_weight : dask.array.Array of shape (n_samples,), scalar or None
        Non-negative weights (weighted least squares, statsmodels WLS). Each
        non-empty row block needs at least one positive weight.
    groups : dask.array.Array of shape (n_samples,) or (n_samples, 2), or None
        Integer cluster labels for ``cov_type="cluster"`` (required then, and
        only then), as ``LinearRegression.fit``'s ``groups``.
    split_every : int, default 4
        Fan-in of the merge tree (2 gives a binary tree).
    **params
        :class:`linreg.LinearRegression` parameters: ``fit_intercept``,
        ``alpha`` (ridge), ``positive`` (non-negative least squares: the
        merges solve with it), ``rcond``, ``ci_level``, ``n_threads``
        (liblinreg threads per task), ``cov_type``, ``use_t``, ``missing``
        (``"drop"``: each partition drops its rows with a NaN in X, y or the
        weights, in the fit and in the covariance pass; ``n_dropped_``
        counts them). ``solver`` must be ``"exact"``.

    Returns
    -------
    linreg.LinearRegression
        Fitted, with ``coef_``, ``intercept_``, ``n_features_in_`` and (when
        ``alpha == 0``) every statistic and ``summary()``; it pickles,
        saves and can continue with ``partial_fit`` like any exact fit.

    The computation runs on Dask's current scheduler: the ``distributed``
    ``Client`` created last (``Client("tcp://scheduler:8786")``), else the
    local threaded scheduler.

    Raises
    ------
    ValueError (linreg.ArgumentError)
        ``solver`` other than "exact", an invalid parameter, inconsistent
        shapes, or no rows at all.
    ImportError
        dask is not installed.
    """
    from .estimator import LinearRegression

    est = LinearRegression(**params)
    if est.solver != "exact":
        raise ArgumentError(
            f"linreg.dask.fit supports solver='exact' only (least squares, or ridge with alpha > 0), "
            f"got solver={est.solver!r}: it merges each partition's exact sufficient statistics, while "
            "gradient descent needs sequential passes over all the rows. Use solver='exact', or "
            "LinearRegression.partial_fit over the partitions in turn for one GD/SGD epoch each."
        )
    c_params = {int(key): float(value) for key, value in est._c_params().items()}
    if not (isinstance(split_every, numbers.Integral) and not isinstance(split_every, bool) and split_every >= 2):
        raise ArgumentError(f"split_every must be an integer >= 2, got {split_every!r}")

    dask, da = _import_dask()
    X = _as_dask_array(da, X, "X")
    y = _as_dask_array(da, y, "y")
    if X.ndim != 2:
        raise ArgumentError(f"Expected a 2-D dask array for X, got {X.ndim}-D with shape {X.shape}")
    if y.ndim not in (1, 2):
        raise ArgumentError(f"y must be 1-D (n_samples,) or 2-D (n_samples, n_targets); got shape {y.shape}")
    n_features = X.shape[1]
    n_outputs = 1 if y.ndim == 1 else y.shape[1]
    if n_features != n_features or n_outputs != n_outputs:
        raise ArgumentError("the number of columns of X and y must be known (not NaN)")
    n_features, n_outputs = int(n_features), int(n_outputs)
    if n_features < 1 or n_outputs < 1:
        raise ArgumentError(f"X has {n_features} feature(s) and y {n_outputs} target(s); at least 1 of each is required")

    X = _single_column_chunk(X)
    y = _align_rows(_single_column_chunk(y), X.chunks[0], "y")
    w_blocks: List[Any]
    n_blocks = len(X.chunks[0])
    if sample_weight is None or isinstance(sample_weight, numbers.Real):
        w_blocks = [None if sample_weight is None else float(sample_weight)] * n_blocks
    else:
        w = _as_dask_array(da, sample_weight, "sample_weight")
        if w.ndim != 1:
            raise ArgumentError(f"sample_weight must be 1-D, got shape {w.shape}")
        w_blocks = list(_align_rows(w, X.chunks[0], "sample_weight").to_delayed().ravel())

    x_blocks = X.to_delayed().ravel()
    y_blocks = y.to_delayed().ravel()
    token = dask.base.tokenize(X, y, w_blocks, c_params, split_every)
    partition = dask.delayed(_partition_statistics, pure=True)
    merge = dask.delayed(_merge_statistics, pure=True)
    drop = _missing.check_policy("linreg.dask.fit", est.missing) == "drop"
    if drop:
        token = dask.base.tokenize(token, "drop")
    level = [
        partition(xb, yb, wb, n_features, n_outputs, c_params, i, drop,
                  dask_key_name=f"linreg-partition-{token}-{i}")
        for i, (xb, yb, wb) in enumerate(zip(x_blocks, y_blocks, w_blocks))
    ]
    reduced = _tree(level, merge, split_every, f"linreg-merge-{token}", c_params)  # (bytes, rows dropped)
    root = reduced[0]
    if (groups is not None) != (est.cov_type == "cluster"):
        raise ArgumentError("groups are required with cov_type='cluster' and only then")
    if est.cov_type != "nonrobust" and float(est.alpha) == 0.0:
        root = _covariance_tree(dask, da, root, x_blocks, y_blocks, w_blocks, X, groups, split_every, token, drop)
    data, dropped = dask.compute(root, reduced[1])

    from ._model import Model

    model = Model.deserialize(data)
    for key, value in c_params.items():  # ci_level etc.: the client's view of the parameters
        model.set_param(key, value)
    if not model.is_fitted():
        if int(dropped):
            raise ArgumentError(f"linreg.dask.fit: every one of the {int(dropped)} rows has a missing value (NaN): "
                                "nothing left to fit")
        raise ArgumentError("linreg.dask.fit: X has no rows (every partition is empty)")
    fitted = LinearRegression._from_model(
        model, y_1d=(y.ndim == 1), params=est.get_params(deep=False), weighted=sample_weight is not None,
        dtype=_arrays.common_dtype(_arrays.choose_dtype(X.dtype), _arrays.choose_dtype(y.dtype)),
    )
    fitted.results_.n_dropped = int(dropped)  # n_dropped_ and the summary's note
    return fitted


def _covariance_tree(dask, da, root, x_blocks, y_blocks, w_blocks, X, groups, split_every: int, token: str,
                     drop: bool = False):
    """The second map (each block's covariance pass at the root's coefficients) and tree reduce."""
    n_blocks = len(x_blocks)
    if groups is None:
        g_blocks: List[Any] = [None] * n_blocks
    else:
        g = _as_dask_array(da, groups, "groups")
        if g.ndim not in (1, 2):
            raise ArgumentError(f"groups must be 1-D or (n_samples, 2), got shape {g.shape}")
        g_blocks = list(_align_rows(_single_column_chunk(g), X.chunks[0], "groups").to_delayed().ravel())
        token = dask.base.tokenize(token, g)
    partition = dask.delayed(_partition_covariance, pure=True)
    merge = dask.delayed(_merge_covariance, pure=True)
    level = [
        partition(root, xb, yb, wb, gb, i, drop, dask_key_name=f"linreg-cov-partition-{token}-{i}")
        for i, (xb, yb, wb, gb) in enumerate(zip(x_blocks, y_blocks, w_blocks, g_blocks))
    ]
    return _tree(level, merge, split_every, f"linreg-cov-merge-{token}")


def residual_diagnostics(est: Any, X: Any, y: Any, sample_weight: Any = None) -> Dict[str, Any]:
    """statsmodels' residual diagnostics of a fitted estimator on Dask arrays (``est.diagn_``).

    The residual pass needs the rows in order (Durbin-Watson differences
    consecutive residuals), so the partitions are computed one after the
    other and each is passed to :meth:`linreg.RegressionResults.residual_pass`
    on the client, continuing the pass (memory: one partition at a time).
    Afterwards ``est.diagn_`` and ``est.summary()`` include the diagnostics.
    """
    dask, da = _import_dask()
    X = _single_column_chunk(_as_dask_array(da, X, "X"))
    y = _align_rows(_single_column_chunk(_as_dask_array(da, y, "y")), X.chunks[0], "y")
    w_blocks = _weight_blocks(da, sample_weight, X)
    started = False
    diagn: Dict[str, Any] = {}
    for xb, yb, wb in zip(X.to_delayed().ravel(), y.to_delayed().ravel(), w_blocks):
        xv, yv, wv = dask.compute(xb, yb, wb)
        if getattr(est, "missing", "raise") == "drop":  # the rows the fit kept
            xv, yv, wv, _, _ = _missing.drop_block(xv, yv, wv)
        if len(xv) == 0:
            continue
        diagn = est.residual_pass(xv, yv, wv, append=started)
        started = True
    if not started:
        raise ArgumentError("linreg.dask.residual_diagnostics: X has no rows (every partition is empty)")
    return diagn


# -- penalty selection on Dask ---------------------------------------------------------


def _weight_blocks(da, sample_weight: Any, X) -> List[Any]:
    """One weights block (or the scalar, or None) per row block of X."""
    if sample_weight is None or isinstance(sample_weight, numbers.Real):
        return [sample_weight] * len(X.chunks[0])
    w = _align_rows(_known_rows(_as_dask_array(da, sample_weight, "sample_weight")), X.chunks[0], "sample_weight")
    return list(w.to_delayed().ravel())


def _known_rows(arr):
    """``arr`` with its row blocks' sizes known (arrays from dask.dataframe have NaN sizes;
    the selection needs the row positions): computed once when missing."""
    import math

    if any(isinstance(c, float) and math.isnan(c) for c in arr.chunks[0]):
        return arr.compute_chunk_sizes()
    return arr


def _partition_leave_one_out(root: bytes, X: Any, y: Any, sample_weight: Any, alphas: Any, store: bool,
                             index: int):
    """One row block -> its squared leave-one-out errors' sums (and rows) under the root's spectrum."""
    import numpy as np

    from ._model import Model
    from ._ridge_cv_calls import leave_one_out_errors

    X = np.asarray(X)
    k = 1 if np.ndim(y) == 1 else np.shape(y)[1]
    if X.shape[0] == 0:
        return np.zeros((len(alphas), k)), (np.zeros((0, k, len(alphas))) if store else None)
    model = Model.deserialize(root)
    try:
        if sample_weight is not None and not np.isscalar(sample_weight):
            sample_weight = np.asarray(sample_weight)
        return leave_one_out_errors(model, X, np.asarray(y), sample_weight, np.asarray(alphas), store)
    except LinregError as exc:
        raise type(exc)(f"linreg.dask.ridge_cv, row block {index}: {exc.message}", status=exc.status) from None
    finally:
        model.close()


def ridge_cv(X: Any, y: Any, sample_weight: Any = None, *, split_every: int = 4, **params: Any):
    """:class:`linreg.RidgeCV` (exact leave-one-out, ``cv=None``) on Dask arrays.

    Two maps over the partitions: the exact statistics (as :func:`fit`, tree
    reduced), then each partition's leave-one-out errors under the merged
    statistics' spectrum (``linreg_ridgecv_loo_*``; their sums are added in
    partition order); the penalty is chosen and solved on the client as
    ``RidgeCV.fit`` does. ``params``: RidgeCV's (``alphas``,
    ``fit_intercept``, ``alpha_per_target``, ``store_cv_results`` (rows in
    partition order), ``n_threads``); ``cv`` must be None.
    """
    import numpy as np

    from .ridge_cv import RidgeCV

    cv = RidgeCV(**params)
    cv._check_params()
    if cv.cv is not None:
        raise ArgumentError(f"linreg.dask.ridge_cv: leave-one-out only (cv=None), got cv={cv.cv!r}")
    alphas = cv._checked_alphas()
    est = fit(X, y, sample_weight, split_every=split_every, fit_intercept=bool(cv.fit_intercept),
              n_threads=cv.n_threads)
    dask, da = _import_dask()
    X = _known_rows(_single_column_chunk(_as_dask_array(da, X, "X")))
    y = _align_rows(_known_rows(_single_column_chunk(_as_dask_array(da, y, "y"))), X.chunks[0], "y")
    w_blocks = _weight_blocks(da, sample_weight, X)
    root = est._model.serialize()
    store = bool(cv.store_cv_results)
    task = dask.delayed(_partition_leave_one_out, pure=True)
    parts = dask.compute(*[task(root, xb, yb, wb, alphas, store, i)
                           for i, (xb, yb, wb) in enumerate(zip(X.to_delayed().ravel(), y.to_delayed().ravel(),
                                                                w_blocks))])
    sums = sum((p[0] for p in parts[1:]), parts[0][0].copy())
    per_row = np.concatenate([p[1] for p in parts]) if store else None
    return RidgeCV._from_passes(est, int(X.shape[0]), sums, per_row, cv.get_params(deep=False))


def _partition_folds(X: Any, y: Any, sample_weight: Any, start: int, bounds: Any, n_features: int,
                     index: int) -> Dict[int, bytes]:
    """One row block (global rows start ...) -> the elastic net statistics of its rows in each
    cross-validation fold it meets (``bounds``: the folds' global (start, stop))."""
    import numpy as np

    from . import _enet
    from .regularized import ElasticNetCV

    X, y = np.asarray(X), np.asarray(y)
    out: Dict[int, bytes] = {}
    if X.shape[0] == 0:
        return out
    Y = y.reshape(X.shape[0], -1)
    try:
        for f, (low, high) in enumerate(bounds):
            a, b = max(low, start) - start, min(high, start + X.shape[0]) - start
            if a >= b:
                continue
            model = ElasticNetCV._new_model(n_features, 1)
            try:
                w = sample_weight
                if w is not None and not np.isscalar(w):
                    w = np.asarray(w)[a:b]
                _enet.accumulate(model, X[a:b], Y[a:b], w)
                out[f] = model.serialize()
            finally:
                model.close()
        return out
    except LinregError as exc:
        raise type(exc)(f"linreg.dask cross-validation, row block {index}: {exc.message}", status=exc.status) from None


def _merge_folds(*parts: Dict[int, bytes]) -> Dict[int, bytes]:
    """Fold statistics of disjoint row blocks -> each fold's merged statistics."""
    from . import _enet

    return {fold: _merged([part[fold] for part in parts if fold in part], _enet.merge_statistics)
            for fold in sorted({f for part in parts for f in part})}


def elastic_net_cv(X: Any, y: Any, sample_weight: Any = None, *, split_every: int = 4, lasso: bool = False,
                   **params: Any):
    """:class:`linreg.ElasticNetCV` (or :class:`linreg.LassoCV` with ``lasso=True``) on Dask arrays.

    ``cv`` (None: 5, or an int K) is scikit-learn's ``KFold(K)`` over the
    rows in order (contiguous, unshuffled, the global row positions): one
    map accumulates each partition's rows of every fold it meets, a tree
    reduce merges each fold, and the client chooses the penalty from the
    folds' statistics exactly as ``fit`` does (every training set is the
    total minus its fold). ``params``: the estimator's. Returns it fitted.
    """
    from .regularized import ElasticNetCV, LassoCV, _kfold_bounds

    est = (LassoCV if lasso else ElasticNetCV)(**params)
    est._check_common()
    cv = 5 if est.cv is None else est.cv
    if isinstance(cv, bool) or not isinstance(cv, numbers.Integral):
        raise ArgumentError(f"linreg.dask cross-validation: cv must be None or an int (contiguous KFold), got {cv!r}")
    if not (isinstance(split_every, numbers.Integral) and not isinstance(split_every, bool) and split_every >= 2):
        raise ArgumentError(f"split_every must be an integer >= 2, got {split_every!r}")
    ratios = est._l1_ratios()
    dask, da = _import_dask()
    X = _known_rows(_single_column_chunk(_as_dask_array(da, X, "X")))
    y = _align_rows(_known_rows(_single_column_chunk(_as_dask_array(da, y, "y"))), X.chunks[0], "y")
    if X.ndim != 2 or y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] != 1):
        raise ArgumentError(f"X must be 2-D and y one target; got shapes {X.shape} and {y.shape}")
    n, d = int(X.shape[0]), int(X.shape[1])
    bounds = _kfold_bounds(n, int(cv))
    w_blocks = _weight_blocks(da, sample_weight, X)
    starts = [0]
    for size in X.chunks[0][:-1]:
        starts.append(starts[-1] + int(size))
    token = dask.base.tokenize(X, y, w_blocks, bounds, split_every)
    part = dask.delayed(_partition_folds, pure=True)
    merge = dask.delayed(_merge_folds, pure=True)
    level = [part(xb, yb, wb, s, bounds, d, i, dask_key_name=f"linreg-folds-{token}-{i}")
             for i, (xb, yb, wb, s) in enumerate(zip(X.to_delayed().ravel(), y.to_delayed().ravel(), w_blocks,
                                                     starts))]
    (folds,) = dask.compute(_tree(level, merge, split_every, f"linreg-folds-merge-{token}"))

    from ._model import Model

    tests = [Model.deserialize(folds[f]) for f in range(len(bounds))]
    dtype = _arrays.common_dtype(_arrays.choose_dtype(X.dtype), _arrays.choose_dtype(y.dtype))
    est._select(est._union(tests), tests, [None] * len(tests), ratios, None, True, dtype, None)
    return est


def lasso_cv(X: Any, y: Any, sample_weight: Any = None, *, split_every: int = 4, **params: Any):
    """:class:`linreg.LassoCV` on Dask arrays (:func:`elastic_net_cv` with ``lasso=True``)."""
    return elastic_net_cv(X, y, sample_weight, split_every=split_every, lasso=True, **params)
