/*
 * linreg.h -- the C interface of liblinreg, an embeddable linear-regression
 * library (engine written in Swift, exported through a C ABI).
 * Copyright (c) 2026 the liblinreg authors. SPDX-License-Identifier: MIT
 * (the license text is installed as share/doc/liblinreg/LICENSE).
 *
 * Platforms: liblinreg is built and tested on Linux x86-64 (glibc), where it
 * is one ELF shared library, liblinreg.so, with no dependency on a Swift
 * installation. Other Linux architectures are expected to build but are
 * untested. There is no Windows or macOS build.
 *
 * Conventions:
 *   - A model is an opaque handle, made by linreg_create() and released by
 *     linreg_free(). linreg_free(NULL) does nothing.
 *   - Every function that can fail returns a linreg_status, and the compiler
 *     warns when it is ignored (LINREG_NODISCARD). On failure the function
 *     leaves the model exactly as it was before the call (fits are
 *     transactional) and records a message for the calling thread, read with
 *     linreg_last_error().
 *   - Options are key/value parameters (linreg_set_param), so adding an option
 *     never changes a struct layout or a prototype.
 *   - Matrices are dense and row-major. X is n_samples x n_features, Y is
 *     n_samples x n_outputs, W is n_outputs x n_features (the layout of
 *     torch.nn.Linear.weight), b has n_outputs entries. Float32 input is
 *     promoted: every sum is accumulated in double or better.
 *   - Sizes are int64_t. Counts of rows, features and outputs (n_samples,
 *     n_features, n_outputs) must be at least 1; the capacity of an output
 *     buffer and the byte size of model data may be 0. A size out of its
 *     range, or a product of sizes (an element or byte count) that overflows,
 *     is refused with LINREG_E_ARGUMENT before anything is read; the library
 *     never reads or writes past the extents the caller states.
 *
 * Threading: distinct models may be used from distinct threads at the same
 * time. Concurrent calls that only read one model (predict, get_*) are safe.
 * A call that changes a model (fit, set_*) must not run concurrently with
 * any other call on that same model. linreg_last_error() is per thread.
 *
 * Nothing reachable from this interface aborts the host process: bad input
 * is reported through a status and a message.
 *
 * Stability (before 1.0, after zstd.h's stable and experimental sections):
 *   - STABLE section: every function, enum value and parameter declared
 *     there keeps its name, prototype, value and meaning in every 0.x
 *     release; new functions, parameters, statuses and statistics may be
 *     added (with new values: a value is never reused).
 *   - EXPERIMENTAL section (at the end of this file):
 *       streaming and merging (linreg_partial_fit_*, linreg_merge);
 *       persistence (linreg_serialize, linreg_deserialize, linreg_save,
 *         linreg_load) together with the model byte format they write;
 *       feature and target names (linreg_set_names, linreg_get_feature_name,
 *         linreg_get_target_name);
 *       the solver report (linreg_get_solver_info and its path values);
 *       robust inference (linreg_cov_*, linreg_get_cov_params,
 *         linreg_wald_test, linreg_predict_interval_f64, the parameters
 *         LINREG_PARAM_COV_TYPE and LINREG_PARAM_USE_T and the
 *         linreg_cov_type values);
 *       regression diagnostics (linreg_residual_pass_*, linreg_influence_*,
 *         linreg_get_alias and the statistics they add);
 *       lasso and elastic net (linreg_enet_*);
 *       the non-negative least-squares solver (LINREG_SOLVER_NNLS) and ridge
 *         penalty selection (linreg_ridgecv_*);
 *       the parameter LINREG_PARAM_RCOND (its default rule).
 *     These may change in any 0.x release: a release that changes the byte
 *     format gives it a new format number; which older formats still load
 *     is stated with linreg_serialize below, and bytes of any other format
 *     are refused with LINREG_E_FORMAT.
 *     The experimental declarations need no opt-in macro.
 *   - Each function carries a "since" note: the first version that has it.
 *   - The SONAME is liblinreg.so.MAJOR; check at run time with
 *     linreg_version_number() that the loaded library is the one this
 *     header describes.
 */
#ifndef LINREG_H
#define LINREG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Attributes ------------------------------------------------------ */
/* LINREG_API marks the exported functions (ELF default visibility).
 * LINREG_NODISCARD makes GCC and Clang warn when a status is ignored; with
 * GCC a (void) cast does not silence it: test the status. Either may be
 * defined before including this header to override it (e.g. as nothing). */
#ifndef LINREG_API
#  if defined(__GNUC__) && __GNUC__ >= 4
#    define LINREG_API __attribute__((visibility("default")))
#  else
#    define LINREG_API
#  endif
#endif

#ifndef LINREG_NODISCARD
#  if defined(__GNUC__) && (__GNUC__ > 3 || (__GNUC__ == 3 && __GNUC_MINOR__ >= 4))
#    define LINREG_NODISCARD __attribute__((warn_unused_result))
#  else
#    define LINREG_NODISCARD
#  endif
#endif

/* ======================================================================== */
/* ======================== STABLE API (since 0.1) ======================== */
/* ======================================================================== */

/* ---- Version ---------------------------------------------------------- */
/* The one place the version is written: the Makefile (library file name,
 * SONAME, pkg-config file) reads these three lines, and the header check
 * (scripts/check-header.sh in the source tree) compares the Swift library and
 * the Python package with them. */
#define LINREG_VERSION_MAJOR 0
#define LINREG_VERSION_MINOR 1
#define LINREG_VERSION_PATCH 0
/* MAJOR*10000 + MINOR*100 + PATCH */
#define LINREG_VERSION_NUMBER (LINREG_VERSION_MAJOR * 10000 + LINREG_VERSION_MINOR * 100 + LINREG_VERSION_PATCH)
/* "MAJOR.MINOR.PATCH" */
#define LINREG_QUOTE_(x) #x
#define LINREG_EXPAND_AND_QUOTE_(x) LINREG_QUOTE_(x)
#define LINREG_VERSION_STRING \
    LINREG_EXPAND_AND_QUOTE_(LINREG_VERSION_MAJOR) "." LINREG_EXPAND_AND_QUOTE_(LINREG_VERSION_MINOR) "." \
    LINREG_EXPAND_AND_QUOTE_(LINREG_VERSION_PATCH)

/* The version of the library actually loaded, as LINREG_VERSION_NUMBER.
 * Compare it with the macro to detect a header/library mismatch. Never fails. */
LINREG_API int linreg_version_number(void); /* since 0.1 */

/* The version of the library actually loaded, as "MAJOR.MINOR.PATCH".
 * Static storage; never NULL; never fails. */
LINREG_API const char *linreg_version_string(void); /* since 0.1 */

/* ---- Status codes ----------------------------------------------------- */
/* Values are explicit and never reused for another meaning. */
typedef enum linreg_status {
    LINREG_OK = 0,             /* success */
    LINREG_E_ARGUMENT = 1,     /* NULL pointer, bad size, bad parameter key or value, shape mismatch */
    LINREG_E_NONFINITE = 2,    /* NaN or +-Inf in X, Y, weights or sample weights */
    LINREG_E_NOT_FITTED = 3,   /* the model has no weights yet (neither fitted nor set) */
    LINREG_E_DIVERGED = 4,     /* gradient descent produced a non-finite loss or weight */
    LINREG_E_NOMEM = 5,        /* an allocation failed */
    LINREG_E_UNAVAILABLE = 6,  /* the model holds no such result (statistics after a GD/SGD or ridge fit) */
    LINREG_E_INTERNAL = 7,     /* a bug in liblinreg: please report it with the message */
    LINREG_E_FORMAT = 8,       /* model bytes or file truncated, corrupted, of another version, or not a model */
    LINREG_E_IO = 9,           /* the operating system refused a file operation (message has the reason) */
    LINREG_E_OVERFLOW = 10     /* a result (coefficient or prediction) is too large for the output type */
} linreg_status;

/* Static English text for a status code, e.g. "invalid argument".
 * Unknown codes give "unknown status". Never NULL; never fails. */
LINREG_API const char *linreg_status_string(int status); /* since 0.1 */

/* The message of this thread's most recent failed call: the function's name,
 * then what is wrong, naming the argument, row or column at fault (e.g.
 * "linreg_fit_f64: X[3][1] is nan (row 3, column 1)"). "" when no call on
 * this thread has failed. The pointer stays valid until the next
 * failing call on the same thread. Never NULL; never fails. */
LINREG_API const char *linreg_last_error(void); /* since 0.1 */

/* ---- Model lifetime --------------------------------------------------- */
typedef struct linreg_model linreg_model;

/* Create a model for n_features inputs and n_outputs outputs, with default
 * parameters, zero weights and zero intercepts, not fitted.
 * *out receives the handle (set to NULL on failure). Free it with linreg_free.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (out NULL, n_features < 1,
 * n_outputs < 1, or n_features * n_outputs too large), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_create(int64_t n_features, int64_t n_outputs, linreg_model **out); /* since 0.1 */

/* Release a model and everything it owns. NULL is accepted and ignored.
 * The handle must not be used afterwards. */
LINREG_API void linreg_free(linreg_model *model); /* since 0.1 */

/* The model's shape. Either out pointer may be NULL.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_shape(const linreg_model *model, int64_t *n_features, int64_t *n_outputs); /* since 0.1 */

/* 1 when the model has weights to predict with (after a successful fit or
 * linreg_set_weights), 0 otherwise or when model is NULL. */
LINREG_API int linreg_is_fitted(const linreg_model *model); /* since 0.1 */

/* ---- Parameters ------------------------------------------------------- */
typedef enum linreg_param {
    LINREG_PARAM_SOLVER = 1,        /* LINREG_SOLVER_*; default LINREG_SOLVER_EXACT */
    LINREG_PARAM_FIT_INTERCEPT = 2, /* 0 or 1; default 1 */
    LINREG_PARAM_LEARNING_RATE = 3, /* GD/SGD step size, finite and > 0; default 0.01 */
    LINREG_PARAM_EPOCHS = 4,        /* GD/SGD passes, integer 0 ... 2^31-1; default 1000 */
    LINREG_PARAM_BATCH_SIZE = 5,    /* SGD rows per mini-batch, integer 1 ... 2^31-1; default 32
                                       (a batch larger than n_samples uses all rows) */
    LINREG_PARAM_SHUFFLE = 6,       /* SGD: 0 = batches in row order, 1 = reshuffle rows
                                       every epoch (seeded, see LINREG_PARAM_SEED); default 0 */
    LINREG_PARAM_SEED = 7,          /* shuffle seed, integer 0 ... 2^53; default 0 */
    LINREG_PARAM_ALPHA = 8,         /* exact solver ridge penalty, finite and >= 0: minimises
                                       sum of squared (weighted) residuals + alpha * ||W||^2,
                                       intercept unpenalised (scikit-learn Ridge); default 0 */
    LINREG_PARAM_WEIGHT_DECAY = 9,  /* GD/SGD L2 term added to every gradient, as
                                       torch.optim.SGD(weight_decay); finite and >= 0; default 0 */
    LINREG_PARAM_MOMENTUM = 10,     /* GD/SGD momentum, as torch.optim.SGD(momentum);
                                       0 <= m < 1; default 0 */
    LINREG_PARAM_CI_LEVEL = 11,     /* confidence level of LINREG_COEF_CI_*; 0 < c < 1; default 0.95 */
    LINREG_PARAM_THREADS = 12,      /* worker threads, integer 0 ... 1024; 0 = all cores (default).
                                       Results do not depend on it. */
    LINREG_PARAM_RCOND = 13,        /* exact solver rank rule: after each column is scaled by the power
                                       of two nearest 1/||column||, singular values below
                                       rcond * largest count as zero (rank deficiency). Finite and
                                       >= 0, or -1 (default) for max(n_samples, n_params) * DBL_EPSILON,
                                       numpy.linalg.lstsq's rule. EXPERIMENTAL: the default rule
                                       may change before 1.0. */
    LINREG_PARAM_COV_TYPE = 14,     /* EXPERIMENTAL (since 0.2): the coefficient covariance estimator, a
                                       linreg_cov_type value (see "Robust inference" below); default
                                       LINREG_COV_NONROBUST. Read when statistics are asked for. */
    LINREG_PARAM_USE_T = 15         /* EXPERIMENTAL (since 0.2): reference distribution of the coefficient
                                       p-values and intervals and of prediction intervals: 1 Student t,
                                       0 normal, -1 (default) statsmodels' rule: t for
                                       LINREG_COV_NONROBUST, normal for the robust types. */
} linreg_param;

typedef enum linreg_solver {
    LINREG_SOLVER_EXACT = 0, /* least squares / ridge: the exact minimiser, by Householder QR
                                in double-double arithmetic */
    LINREG_SOLVER_GD = 1,    /* full-batch gradient descent on the mean squared error */
    LINREG_SOLVER_SGD = 2,   /* mini-batch SGD with torch.optim.SGD semantics */
    LINREG_SOLVER_NNLS = 5   /* since 0.2, EXPERIMENTAL: non-negative least squares, every feature
                                weight >= 0, the intercept free (scikit-learn
                                LinearRegression(positive=True)); exact to the KKT conditions
                                (Lawson-Hanson active set on the exact solver's accumulated
                                factor, in double-double), so it works after fit, partial fit
                                and merge like EXACT. With ALPHA > 0, non-negative ridge
                                (scikit-learn Ridge(positive=True)'s objective; since 0.2).
                                No statistics (linreg_get_stat
                                and linreg_get_coef_stats give LINREG_E_UNAVAILABLE); singular
                                values are the design's. */
} linreg_solver;

/* Set one parameter. Takes effect at the next fit; does not change weights.
 * Integer-valued parameters must be given an integral double.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL, unknown key, value out of
 * range or not integral where an integer is required; the model is unchanged). */
LINREG_API LINREG_NODISCARD linreg_status linreg_set_param(linreg_model *model, linreg_param key, double value); /* since 0.1 */

/* Read one parameter into *out.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or out NULL, unknown key). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_param(const linreg_model *model, linreg_param key, double *out); /* since 0.1 */

/* ---- Progress callback (GD/SGD) -------------------------------------- */
/* Called once per epoch, after the epoch's update has been applied and its
 * loss recorded (epoch counts from 0; loss is the value linreg_loss_history
 * reports for it). Return 0 to continue, non-zero to stop training early: the
 * fit then ends successfully with the weights reached so far and a shorter
 * loss history. Stopping at epoch e (returning non-zero when called with e)
 * leaves exactly the weights and the e + 1 losses of a fit with EPOCHS = e + 1.
 * Not called by the exact solver, nor by a fit that fails before training.
 * It runs on the thread that called fit and must not call into the same model. */
typedef int (*linreg_progress_fn)(int64_t epoch, double loss, void *user_data);

/* Install (fn non-NULL) or remove (fn NULL) the progress callback. user_data is
 * passed through untouched; the caller keeps it alive while installed.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL). */
LINREG_API LINREG_NODISCARD linreg_status linreg_set_progress(linreg_model *model, linreg_progress_fn fn, void *user_data); /* since 0.1 */

/* ---- Fitting ---------------------------------------------------------- */
/* Fit the model to X (n_samples x n_features) and Y (n_samples x n_outputs),
 * row-major, with the solver chosen by LINREG_PARAM_SOLVER.
 *
 * Exact: least squares (ridge when ALPHA > 0); rank-deficient problems get the
 *   minimum-norm solution. The result does not depend on the starting weights.
 * GD:  W -= lr * dL/dW, b -= lr * dL/db for EPOCHS epochs, where
 *   L = the mean of all n_samples * n_outputs squared errors (the mean
 *   squared error, as torch.nn.functional.mse_loss computes it).
 * SGD: the same loss over mini-batches of BATCH_SIZE rows, in row order or
 *   shuffled, with torch.optim.SGD's momentum and weight decay.
 * GD and SGD start from the model's current weights: zeros after create, the
 * values of the last linreg_set_weights, or the previous fit's result (a warm
 * start). Call linreg_set_weights first to start from chosen weights.
 *
 * On success the weights, loss history (GD/SGD) and statistics (exact,
 * unpenalised) are replaced; an exact fit also replaces the accumulated
 * statistics that linreg_partial_fit and linreg_merge (experimental, below)
 * continue from (a GD/SGD fit drops them). On failure the model is unchanged.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y, n_samples < 1, size
 * overflow), LINREG_E_NONFINITE (first non-finite X or Y entry named by row
 * and column), LINREG_E_DIVERGED (GD/SGD loss or weights became non-finite),
 * LINREG_E_OVERFLOW (the exact solution lies beyond the range of double),
 * LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_fit_f32(linreg_model *model, const float *X, const float *Y, int64_t n_samples); /* since 0.1 */
LINREG_API LINREG_NODISCARD linreg_status linreg_fit_f64(linreg_model *model, const double *X, const double *Y, int64_t n_samples); /* since 0.1 */

/* As linreg_fit_*, with one non-negative finite weight per row
 * (sample_weight has n_samples entries): weighted least squares for the
 * exact solver (statsmodels WLS, scikit-learn sample_weight); for GD/SGD each
 * squared error is multiplied by its row's weight. At least one weight must be
 * positive. Additional status: LINREG_E_ARGUMENT for a negative or all-zero
 * weight vector, LINREG_E_NONFINITE for a non-finite weight. */
LINREG_API LINREG_NODISCARD linreg_status linreg_fit_weighted_f32(linreg_model *model, const float *X, const float *Y,
                                                 const float *sample_weight, int64_t n_samples); /* since 0.1 */
LINREG_API LINREG_NODISCARD linreg_status linreg_fit_weighted_f64(linreg_model *model, const double *X, const double *Y,
                                                 const double *sample_weight, int64_t n_samples); /* since 0.1 */

/* ---- Prediction ------------------------------------------------------- */
/* Y_out (n_samples x n_outputs, row-major) = X * W^T + b, computed in double
 * and rounded to the output type. Y_out must not overlap X.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL pointer, n_samples < 1, size
 * overflow), LINREG_E_NOT_FITTED, LINREG_E_NONFINITE (non-finite X entry),
 * LINREG_E_OVERFLOW (a prediction beyond the output type's range; the message
 * names the row), LINREG_E_NOMEM. Y_out is untouched on failure.
 * Runs on LINREG_PARAM_THREADS workers; the result does not depend on it. */
LINREG_API LINREG_NODISCARD linreg_status linreg_predict_f32(const linreg_model *model, const float *X, int64_t n_samples, float *Y_out); /* since 0.1 */
LINREG_API LINREG_NODISCARD linreg_status linreg_predict_f64(const linreg_model *model, const double *X, int64_t n_samples, double *Y_out); /* since 0.1 */

/* ---- Weights ---------------------------------------------------------- */
/* Copy the weights into W (n_outputs x n_features) and the intercepts into b
 * (n_outputs). Either may be NULL to skip it. Unfitted models report zeros.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_weights(const linreg_model *model, double *W, double *b); /* since 0.1 */

/* Replace the weights (W: n_outputs x n_features) and intercepts (b: n_outputs;
 * NULL means zeros). The model becomes fitted; its loss history and
 * statistics are cleared (including the exact solver's accumulated statistics,
 * so it can no longer be merged). Use it to start GD/SGD from given weights.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or W NULL), LINREG_E_NONFINITE. */
LINREG_API LINREG_NODISCARD linreg_status linreg_set_weights(linreg_model *model, const double *W, const double *b); /* since 0.1 */

/* ---- Training history ------------------------------------------------- */
/* The loss recorded for each epoch of the last GD/SGD fit. GD: the full-batch
 * mean squared error before that epoch's update. SGD: the mean of the
 * epoch's squared errors, each mini-batch's computed before its own update.
 * Copies min(capacity, length) values to out (out may be NULL when capacity is
 * 0) and sets *count to the full length (0 after an exact fit).
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or count NULL, capacity < 0,
 * out NULL with capacity > 0). */
LINREG_API LINREG_NODISCARD linreg_status linreg_loss_history(const linreg_model *model, double *out, int64_t capacity, int64_t *count); /* since 0.1 */

/* ---- Statistics (exact solver, alpha = 0) ----------------------------- */
typedef enum linreg_stat {
    LINREG_STAT_R2 = 1,        /* coefficient of determination (uncentred without intercept, as statsmodels) */
    LINREG_STAT_ADJ_R2 = 2,    /* adjusted R^2 */
    LINREG_STAT_F = 3,         /* F statistic of the regression */
    LINREG_STAT_F_PVALUE = 4,  /* its p-value */
    LINREG_STAT_LOGLIK = 5,    /* Gaussian log-likelihood */
    LINREG_STAT_AIC = 6,       /* Akaike information criterion */
    LINREG_STAT_BIC = 7,       /* Bayesian information criterion */
    LINREG_STAT_SIGMA = 8,     /* residual standard error sqrt(RSS / df_resid) */
    LINREG_STAT_DF_MODEL = 9,  /* rank minus the intercept */
    LINREG_STAT_DF_RESID = 10, /* n_samples minus rank */
    LINREG_STAT_RANK = 11,     /* numerical rank of the design (intercept column included) */
    LINREG_STAT_COND = 12,     /* condition number of the design (ratio of extreme singular values;
                                  computed on the first read, O(p^3), since 0.2) */
    LINREG_STAT_N = 13,        /* number of observations */
    LINREG_STAT_RSS = 14,      /* (weighted) residual sum of squares */
    /* Residual diagnostics of statsmodels' summary (EXPERIMENTAL, since 0.2): available after a
       residual pass (linreg_residual_pass_*, experimental section), of the residuals
       sqrt(w_i) * (y_i - b - W x_i) in the pass's row order; LINREG_E_UNAVAILABLE before one. */
    LINREG_STAT_OMNIBUS = 20,            /* D'Agostino-Pearson K^2 (scipy normaltest); NaN for n < 8 */
    LINREG_STAT_OMNIBUS_PVALUE = 21,     /* its chi^2(2) p-value */
    LINREG_STAT_SKEW = 22,               /* m3 / m2^1.5 of the residuals (biased, scipy skew) */
    LINREG_STAT_KURTOSIS = 23,           /* m4 / m2^2 (Pearson's: 3 for normal data) */
    LINREG_STAT_DURBIN_WATSON = 24,      /* sum of (e_t - e_{t-1})^2 / sum of e_t^2, in row order */
    LINREG_STAT_JARQUE_BERA = 25,        /* n/6 * (skew^2 + (kurtosis - 3)^2 / 4) */
    LINREG_STAT_JARQUE_BERA_PVALUE = 26  /* its chi^2(2) p-value */
} linreg_stat;

/* Write one statistic per output into out[0 .. n_outputs-1].
 * Degenerate fits give NaN or infinities, never a number made of rounding:
 * with no residual degrees of freedom (df_resid = n_samples - rank <= 0, an
 * interpolating fit, e.g. more features than rows) SIGMA, ADJ_R2, F and
 * F_PVALUE are NaN (as every linreg_get_coef_stats value), LOGLIK is +Inf and
 * AIC, BIC are -Inf (the likelihood is unbounded), RSS is the fit's rounding
 * (about 0); COND is +Inf for a rank-deficient design; F and F_PVALUE are NaN
 * when df_model = 0; R2, ADJ_R2, F, F_PVALUE are NaN for a constant response.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL pointer, unknown key),
 * LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE (the last fit was not an
 * unpenalised exact fit, or the weights were set by hand). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_stat(const linreg_model *model, linreg_stat key, double *out); /* since 0.1 */

typedef enum linreg_coef_stat {
    LINREG_COEF_STDERR = 1,  /* standard error */
    LINREG_COEF_T = 2,       /* t statistic */
    LINREG_COEF_PVALUE = 3,  /* two-sided p-value */
    LINREG_COEF_CI_LOW = 4,  /* lower confidence bound at LINREG_PARAM_CI_LEVEL */
    LINREG_COEF_CI_HIGH = 5, /* upper confidence bound */
    /* EXPERIMENTAL (since 0.2), see "Aliased columns" in the experimental section: */
    LINREG_COEF_ESTIMATE = 10, /* R's estimate: the weight itself in a full-rank fit; in a rank-deficient
                                  one, the coefficient of the reduced design (aliased columns dropped),
                                  NaN for an aliased column */
    LINREG_COEF_ALIASED = 11   /* 1 for an aliased (dropped) column, 0 for a kept one */
} linreg_coef_stat;

/* Write one value per coefficient into out, laid out like linreg_get_weights
 * (in a rank-deficient fit STDERR, T, PVALUE and the bounds are those of the
 * reduced design, NaN for aliased columns, as R's lm; see "Aliased columns"):
 * the n_outputs x n_features weights first, then the n_outputs intercepts
 * (n_outputs * (n_features + 1) values in all; intercept entries are NaN when
 * the model was fitted without intercept). The confidence level is read when
 * this is called. Since 0.2 a full-rank exact fit forms (X^T W X)^-1 on the
 * first call that needs it (this one, linreg_get_cov_params, a robust
 * covariance pass, saving; O(p^3), under a lock: concurrent readers are
 * safe), not during the fit. Statuses as linreg_get_stat. */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_coef_stats(const linreg_model *model, linreg_coef_stat key, double *out); /* since 0.1 */

/* The singular values of the design as scikit-learn's LinearRegression reports
 * them in `singular_`: of sqrt(w)*X, with X centred on its (weighted) column
 * means when the intercept is fitted; min(n_samples, n_features) values,
 * largest first. Copies min(capacity, length) values and sets *count to the
 * length. Since 0.2 a full-rank or ridge fit computes them on the first call
 * (an O(p^3) decomposition, under a lock: concurrent readers are safe), not
 * during the fit.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or count NULL, capacity < 0,
 * out NULL with capacity > 0), LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE
 * (the last fit was not exact). */
LINREG_API LINREG_NODISCARD linreg_status linreg_singular_values(const linreg_model *model, double *out, int64_t capacity, int64_t *count); /* since 0.1 */

/* ======================================================================== */
/* ===================== EXPERIMENTAL API (since 0.1) ===================== */
/* ======================================================================== */
/* Everything below may change in any 0.x release (see "Stability" at the
 * top): the functions' prototypes and semantics, and the model byte format.
 * Today's behaviour is documented and tested as precisely as the stable API's. */

/* ---- Streaming and merging (experimental) ---------------------------- */
/* Fit one more chunk of rows: X (n_samples x n_features) and Y
 * (n_samples x n_outputs), row-major, with the solver chosen by
 * LINREG_PARAM_SOLVER. Chunks may have any sizes; memory use does not grow
 * with the number of rows seen.
 *
 * Exact: the model keeps the sufficient statistics of every row it has been
 *   fitted on (a small triangular factor of (n_features + n_outputs + 1)^2
 *   double-doubles), left by linreg_fit, by earlier
 *   partial fits and by linreg_merge. partial_fit adds the chunk's rows to
 *   them and solves again with the current ALPHA and RCOND: afterwards the
 *   weights, statistics and singular values are those of one linreg_fit on
 *   all the rows so far (in double, within 1e-10 relative and in practice
 *   to the last bit or two), so inference is available after any chunk. ALPHA and RCOND may
 *   change between calls (they apply when solving). A model without such
 *   statistics (new, GD/SGD-fitted, or weights set by hand) starts a new
 *   accumulation; its weights are discarded. If FIT_INTERCEPT changed since
 *   the statistics were started, the call is refused with LINREG_E_ARGUMENT:
 *   call linreg_fit to start over, or set FIT_INTERCEPT back.
 * GD/SGD: one epoch over the chunk starting from the current weights (as
 *   scikit-learn's SGDRegressor.partial_fit): linreg_fit with EPOCHS = 1
 *   whatever EPOCHS says; momentum buffers start at zero on every call; with
 *   SHUFFLE the chunk is shuffled by a generator seeded with SEED on every
 *   call. The epoch's loss is appended to the loss history, and the progress
 *   callback receives its index in that history. The exact solver's
 *   statistics are dropped.
 *
 * On failure the model is unchanged. Threading as linreg_fit.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y, n_samples < 1, size
 * overflow, FIT_INTERCEPT changed as above), LINREG_E_NONFINITE (first
 * non-finite X or Y entry named by row and column, rows counted within the
 * chunk), LINREG_E_DIVERGED (GD/SGD), LINREG_E_OVERFLOW (exact solution beyond
 * double), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_partial_fit_f32(linreg_model *model, const float *X, const float *Y, int64_t n_samples); /* since 0.1 */
LINREG_API LINREG_NODISCARD linreg_status linreg_partial_fit_f64(linreg_model *model, const double *X, const double *Y, int64_t n_samples); /* since 0.1 */

/* As linreg_partial_fit_*, with one non-negative finite weight per row of
 * the chunk (sample_weight has n_samples entries), as linreg_fit_weighted_*.
 * At least one weight of each chunk must be positive. Weighted and
 * unweighted chunks may be mixed (an unweighted row has weight 1).
 * Additional status: LINREG_E_ARGUMENT for a negative or all-zero weight
 * vector, LINREG_E_NONFINITE for a non-finite weight. */
LINREG_API LINREG_NODISCARD linreg_status linreg_partial_fit_weighted_f32(linreg_model *model, const float *X, const float *Y,
                                                         const float *sample_weight, int64_t n_samples); /* since 0.1 */
LINREG_API LINREG_NODISCARD linreg_status linreg_partial_fit_weighted_f64(linreg_model *model, const double *X, const double *Y,
                                                         const double *sample_weight, int64_t n_samples); /* since 0.1 */

/* Add to `into` the rows `other` was fitted on (the two row sets must be
 * disjoint: a row in both counts twice) and solve again with into's ALPHA and
 * RCOND. Afterwards `into` holds the exact fit of both row sets, with
 * statistics, whatever order or tree shape the merges take (equal to one
 * linreg_fit on all the rows within 1e-10 relative, in practice to the last
 * bit or two). `other` is unchanged
 * and may be freed afterwards; it may have been saved and loaded, or
 * deserialized (this is how a distributed fit combines its parts).
 *
 * Both models must hold the exact solver's statistics (left by linreg_fit,
 * linreg_partial_fit or linreg_merge with the exact solver, and kept by
 * linreg_save/linreg_serialize), have the same shape, and have been
 * accumulated with the same intercept setting, which must also be into's
 * current FIT_INTERCEPT. A model never fitted at all holds no rows: merging
 * it changes nothing, and merging into it copies other's rows (so a fresh
 * model from linreg_create can start a reduction). The solver parameter
 * plays no part, except that into's LINREG_SOLVER_NNLS (since 0.2) solves
 * the merged rows by non-negative least squares: merging always solves
 * exactly.
 *
 * Threading: into must not be used by any other call meanwhile; other may be
 * read concurrently by other readers (predict, get_*, serialize, merge from).
 * Returns LINREG_OK, LINREG_E_ARGUMENT (into or other NULL, into == other,
 * shapes differ, intercept settings differ, either model fitted by GD/SGD or
 * given its weights by linreg_set_weights, into's solver LINREG_SOLVER_NNLS
 * with ALPHA > 0: the message says which),
 * LINREG_E_NOMEM. On failure into is unchanged. */
LINREG_API LINREG_NODISCARD linreg_status linreg_merge(linreg_model *into, const linreg_model *other); /* since 0.1 */

/* ---- Persistence (experimental; so is the byte format) --------------- */
/* A model's bytes hold its shape, parameters, weights, loss history, the
 * results of its last exact fit (so statistics survive), the exact
 * solver's accumulated statistics (so a loaded model can continue
 * linreg_partial_fit and be merged, with the same results as if it had never
 * been saved), its feature and target names, if any, and its robust
 * covariance pass, if any (see "Robust inference"). The bytes are
 * little-endian and carry a format number and a CRC-32 checksum; a model
 * saved on one machine loads on any other with identical predictions. This
 * library writes format 3 and reads formats 1 (written by liblinreg 0.1
 * before names existed; such a model loads without names), 2 (before robust
 * inference; loads with the default covariance parameters) and 3; it refuses
 * any other format number with LINREG_E_FORMAT (a library that reads only
 * formats 1 and 2 refuses format 3 the same way). The format may change before 1.0.
 * The exact statistics take about 8 * (n_features + n_outputs + 1)^2 bytes. */

/* Write the model to buf. *size receives the number of bytes the model needs.
 * With buf NULL and capacity 0 this only reports the size (LINREG_OK).
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or size NULL, capacity < 0,
 * buf NULL with capacity > 0, or capacity < *size: nothing written),
 * LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_serialize(const linreg_model *model, void *buf, int64_t capacity, int64_t *size); /* since 0.1 */

/* Make a new model from size bytes at buf, as written by linreg_serialize or
 * linreg_save. *out receives the handle (NULL on failure).
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL pointer, size < 0),
 * LINREG_E_FORMAT (truncated, corrupted, wrong version, inconsistent sizes,
 * invalid parameters), LINREG_E_NOMEM. Never reads outside [buf, buf+size). */
LINREG_API LINREG_NODISCARD linreg_status linreg_deserialize(const void *buf, int64_t size, linreg_model **out); /* since 0.1 */

/* Save the model to the file at path (UTF-8), atomically: the bytes go to a
 * temporary file in the same folder, are flushed to disk and renamed over
 * path, so a crash never leaves a damaged file where a good one was.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL or empty path), LINREG_E_IO. */
LINREG_API LINREG_NODISCARD linreg_status linreg_save(const linreg_model *model, const char *path); /* since 0.1 */

/* Load a model saved by linreg_save. *out receives the handle (NULL on failure).
 * Returns LINREG_OK, LINREG_E_ARGUMENT, LINREG_E_IO (cannot open or read),
 * LINREG_E_FORMAT (as linreg_deserialize), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_load(const char *path, linreg_model **out); /* since 0.1 */

/* ---- Names (experimental) -------------------------------------------- */
/* A model may carry the names of its n_features features and of its
 * n_outputs targets (the columns of X and Y), for the user's benefit: they
 * play no part in fitting or prediction. They are saved with the model
 * (linreg_serialize, linreg_save) and kept by every fit, partial fit, merge
 * (into keeps its own names) and linreg_set_weights. A name is a
 * NUL-terminated UTF-8 string of at most 4096 bytes (the NUL not counted); it
 * may be empty, and names need not be distinct. */

/* Replace the model's names. feature_names points to n_features strings and
 * target_names to n_outputs strings; either may be NULL, meaning "no names"
 * (the model's names of that kind are removed). Both lists are checked before
 * either is stored: on failure the model is unchanged.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL, a NULL string in a list,
 * a name longer than 4096 bytes or not valid UTF-8; the message names its
 * index), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_set_names(linreg_model *model, const char *const *feature_names,
                                           const char *const *target_names); /* since 0.2 */

/* Copy the name of feature `index` (0 ... n_features-1) into buf, with its
 * terminating NUL, and set *length to its length in bytes (NUL not counted).
 * With buf NULL and capacity 0 this only reports the length (LINREG_OK): call
 * again with capacity >= *length + 1.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or length NULL, capacity < 0,
 * buf NULL with capacity > 0, index out of range, or capacity <= *length:
 * *length is set and nothing is written), LINREG_E_UNAVAILABLE (the model has
 * no feature names). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_feature_name(const linreg_model *model, int64_t index, char *buf,
                                                  int64_t capacity, int64_t *length); /* since 0.2 */

/* As linreg_get_feature_name, for target `index` (0 ... n_outputs-1). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_target_name(const linreg_model *model, int64_t index, char *buf,
                                                 int64_t capacity, int64_t *length); /* since 0.2 */

/* ---- Solver report (experimental) ------------------------------------ */
/* How the exact solver reduced the rows of the last linreg_fit_* or
 * linreg_partial_fit_* call, and how many times it read the data: */
typedef enum linreg_solver_path {
    LINREG_PATH_NORMAL_EQUATIONS = 1, /* one pass: the factor from the data's moments (well-conditioned data) */
    LINREG_PATH_RESIDUAL_PASS = 2,    /* the moments, then one pass for the residuals (nearly exact fits) */
    LINREG_PATH_REFINED = 3,          /* the moments, then passes refining the coefficients (fits of at least
                                         32768 rows: correlated or polynomial columns, and nearly exact fits
                                         beyond the residual pass, whose passes then compute correctly
                                         rounded residuals); coefficients refined to what residuals in double
                                         resolve, about cond * 2^-52 relative, RSS to 1e-9 relative. Standard
                                         errors and later merges carry the factor's error: about
                                         0.1 * cond^2 * 2^-52 relative up to cond ~ 15000; beyond, one of the
                                         passes whitens the rows to make a better factor (about cond * 2^-52,
                                         or at most 1.25e-8 when it whitens only the ill-conditioned
                                         columns; since 0.2) */
    LINREG_PATH_HOUSEHOLDER = 4       /* double-double Householder QR (small or very ill-conditioned data) */
} linreg_solver_path;

/* Write the path (a linreg_solver_path value) to *path and the number of
 * passes over the data (on the Householder path, the passes of the
 * declined faster path included: its moments pass, and any refinement or
 * residual pass made before it declined) to *passes. Either pointer may be
 * NULL.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL), LINREG_E_NOT_FITTED,
 * LINREG_E_UNAVAILABLE (the last fit was not an exact one, or the model was
 * loaded, merged or given weights: the report is not stored). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_solver_info(const linreg_model *model, int32_t *path,
                                                 int64_t *passes); /* since 0.2 */

/* ---- Robust inference (experimental) --------------------------------- */
/* The estimator of the coefficients' covariance (LINREG_PARAM_COV_TYPE).
 * Every coefficient statistic (linreg_get_coef_stats), the regression's F and
 * its p-value (linreg_get_stat: a Wald F that all slopes are zero under a
 * robust type, as statsmodels), linreg_get_cov_params, linreg_wald_test and
 * linreg_predict_interval_f64 follow it, with these formulas and
 * small-sample corrections (statsmodels'). With e_i the residual at the final
 * coefficients, w_i the row's weight, x_i the row with the intercept's 1,
 * V = (X'WX)^+ and h_i = w_i x_i' V x_i:
 *   NONROBUST  scale * V (scale = RSS / df_resid)
 *   HC0        V (sum (w_i e_i)^2 x_i x_i') V
 *   HC1        HC0 * n / df_resid
 *   HC2        as HC0 with (w_i e_i)^2 / (1 - h_i)
 *   HC3        as HC0 with (w_i e_i)^2 / (1 - h_i)^2
 *   CLUSTER    one-way: V (sum_g s_g s_g') V * G/(G-1) * (n-1)/(n-p), s_g the
 *              sum of w_i e_i x_i over cluster g, p = n_features + intercept;
 *              two-way: the one-way matrices of both groupings minus that of
 *              their intersection (statsmodels' cov_cluster_2groups). t and F
 *              tests then use G - 1 denominator degrees of freedom (two-way:
 *              the smaller G), statsmodels' df_resid_inference.
 * The robust types need the residuals at the final coefficients, a second
 * look at the data: linreg_fit_* makes it itself for HC0 ... HC3. After
 * linreg_partial_fit_* or linreg_merge, and always for CLUSTER (which needs
 * the group labels), call linreg_cov_begin and then linreg_cov_pass_* over
 * every row the model was fitted on (in any chunks). Until then, and after
 * any later fit, partial fit, merge or linreg_set_weights (which discard the
 * pass), the statistics of a robust type are LINREG_E_UNAVAILABLE, as they
 * are when the pass has seen a different number of rows than the fit, or was
 * made for another type (HC0 and HC1 share one pass). The pass is saved with
 * the model (format 3). */
typedef enum linreg_cov_type {
    LINREG_COV_NONROBUST = 0, /* classical: scale * (X'WX)^+ */
    LINREG_COV_HC0 = 1,       /* White's heteroscedasticity-consistent sandwich */
    LINREG_COV_HC1 = 2,       /* HC0 * n / (n - rank) */
    LINREG_COV_HC2 = 3,       /* squared scores over 1 - leverage */
    LINREG_COV_HC3 = 4,       /* squared scores over (1 - leverage)^2 */
    LINREG_COV_CLUSTER = 5    /* cluster-robust, one- or two-way (groups given to linreg_cov_pass_*) */
} linreg_cov_type;

/* Start a covariance pass at the model's current coefficients for the
 * current LINREG_PARAM_COV_TYPE (an earlier pass is discarded).
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL, COV_TYPE is NONROBUST),
 * LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE (no unpenalised exact fit). */
LINREG_API LINREG_NODISCARD linreg_status linreg_cov_begin(linreg_model *model); /* since 0.2 */

/* Add rows to the pass started by linreg_cov_begin: X (n_samples x
 * n_features) and Y (n_samples x n_outputs) row-major as for linreg_fit,
 * sample_weight (n_samples non-negative weights, or NULL for weight 1; the
 * same weights the rows were fitted with), and for LINREG_COV_CLUSTER the
 * rows' cluster labels: groups holds n_ways (1 or 2) int64 labels per row,
 * row-major (n_samples x n_ways; any values, equal labels are one cluster);
 * NULL with n_ways = 0 for the HC types. The number of groupings is fixed
 * by the first call. Memory: p * p doubles per output (HC), or n_outputs * p
 * doubles per cluster (and per intersection cluster, two-way).
 * On failure the pass is unchanged.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y, n_samples < 1, size
 * overflow, n_ways out of 0 ... 2 or not matching groups, groups given for an
 * HC pass or missing for a cluster pass, n_ways differing from the first
 * call's, a negative or all-zero weight vector, no pass open: the
 * coefficients changed since linreg_cov_begin, or it was not called),
 * LINREG_E_NONFINITE (X, Y or a weight; named by row and column),
 * LINREG_E_OVERFLOW (finite rows whose residuals at the coefficients
 * overflow double; since 0.2), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_cov_pass_f32(linreg_model *model, const float *X, const float *Y,
                                              const float *sample_weight, const int64_t *groups,
                                              int64_t n_ways, int64_t n_samples); /* since 0.2 */
LINREG_API LINREG_NODISCARD linreg_status linreg_cov_pass_f64(linreg_model *model, const double *X, const double *Y,
                                              const double *sample_weight, const int64_t *groups,
                                              int64_t n_ways, int64_t n_samples); /* since 0.2 */

/* Add the covariance pass of `other` to into's (a distributed pass: each
 * part runs linreg_cov_begin and linreg_cov_pass_* on its rows of a copy of
 * the final model, then the parts are merged in any order or tree shape).
 * Both passes must have been started at bitwise the same coefficients, for
 * the same kind (HC0/HC1, HC2, HC3 or CLUSTER) and, for clusters, the same
 * n_ways (or one of them with no rows yet). other is unchanged.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL, into == other, shapes differ,
 * either has no pass, coefficients or kinds differ), LINREG_E_NOMEM. On
 * failure into is unchanged. */
LINREG_API LINREG_NODISCARD linreg_status linreg_cov_merge(linreg_model *into, const linreg_model *other); /* since 0.2 */

/* Write the covariance matrix of the coefficients under LINREG_PARAM_COV_TYPE
 * into out: for each output, a (n_features + 1) x (n_features + 1) row-major
 * matrix in statsmodels' params order (index 0 the intercept, then the
 * features; the intercept's row and column are NaN when the model was fitted
 * without intercept), outputs one after another: n_outputs *
 * (n_features + 1)^2 values. NaN everywhere when df_resid <= 0.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL pointer), LINREG_E_NOT_FITTED,
 * LINREG_E_UNAVAILABLE (no unpenalised exact fit; a robust type without a
 * complete pass, see above). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_cov_params(const linreg_model *model, double *out); /* since 0.2 */

/* Wald test of the linear restrictions R * beta = q for output `output`
 * (0 ... n_outputs-1) under LINREG_PARAM_COV_TYPE (statsmodels' f_test):
 * R is n_restrictions x (n_features + 1), row-major, its columns in params
 * order (column 0 the intercept, which must be 0 when the model has none);
 * q has n_restrictions values, or is NULL for zeros. With C the covariance,
 * F = (R b - q)' (R C R')^+ (R b - q) / J, J = the rank of R C R'
 * (eigenvalues above n_restrictions * DBL_EPSILON * the largest count), and
 * p = P(F(J, df_denom) > F) with df_denom = df_resid (G - 1 for clusters).
 * Each out pointer may be NULL. NaN F and p when J = 0 or df_denom <= 0.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model or R, n_restrictions < 1,
 * size overflow, output out of range, an intercept restriction without an
 * intercept), LINREG_E_NONFINITE (R or q), LINREG_E_NOT_FITTED,
 * LINREG_E_UNAVAILABLE (as linreg_get_cov_params), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_wald_test(const linreg_model *model, int64_t output, const double *R,
                                           const double *q, int64_t n_restrictions, double *fvalue,
                                           double *pvalue, double *df_num, double *df_denom); /* since 0.2 */

/* Predictions for new rows with their uncertainty (statsmodels'
 * get_prediction(X).summary_frame(alpha = 1 - level)): for row i and output
 * j, six values at out[(i * n_outputs + j) * 6 + c]: c = 0 the predicted
 * mean, 1 its standard error sqrt(x' C x) (C the covariance under
 * LINREG_PARAM_COV_TYPE, x the row with the intercept's 1), 2 and 3 the
 * mean's confidence interval, 4 and 5 the observation (prediction)
 * interval, whose variance adds scale / w_i (scale = RSS / df_resid; w_i
 * the row's sample_weight, or 1 when sample_weight is NULL). Intervals at
 * `level` (0 < level < 1) use Student t with df_resid degrees of freedom
 * when t is used (LINREG_PARAM_USE_T), else the normal distribution.
 * out must hold n_samples * n_outputs * 6 doubles; it is untouched on failure.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/out, n_samples < 1, size
 * overflow, level out of range, a weight <= 0), LINREG_E_NONFINITE (X or a
 * weight), LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE (as
 * linreg_get_cov_params). */
LINREG_API LINREG_NODISCARD linreg_status linreg_predict_interval_f64(const linreg_model *model, const double *X,
                                                      const double *sample_weight, int64_t n_samples,
                                                      double level, double *out); /* since 0.2 */
/* ---- Regression diagnostics (experimental) --------------------------- */
/* Residual diagnostics, influence measures and aliased columns, with
 * statsmodels' and R's definitions. */

/* Residual pass: summarise the residuals of the model's current weights on
 * X (n_samples x n_features) and Y (n_samples x n_outputs), row-major, in row
 * order, for the residual diagnostics LINREG_STAT_OMNIBUS ... 
 * LINREG_STAT_JARQUE_BERA_PVALUE (read them with linreg_get_stat). The
 * residuals are statsmodels' wresid, sqrt(w_i) * (y_i - b - W x_i), with
 * sample_weight (n_samples non-negative finite weights, not all zero) or NULL
 * for weights 1. append = 0 starts a new pass (replacing the previous one);
 * append = 1 continues it with rows that follow the previous call's rows, so
 * that a data set given in chunks, in order, has the diagnostics of one pass
 * over all of it (Durbin-Watson includes the difference across each chunk
 * boundary). Works for any fitted model. The pass is cleared by every fit,
 * partial fit, merge and linreg_set_weights, and is not saved with the model.
 * One pass over the data, on LINREG_PARAM_THREADS workers; the result does
 * not depend on their number. Threading: a call that changes the model.
 * On failure the previous pass is kept unchanged.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y, n_samples < 1, size
 * overflow, append not 0 or 1, append = 1 with no pass since the last fit, a
 * negative or all-zero weight vector), LINREG_E_NONFINITE (a non-finite X, Y
 * or weight entry, named by row and column), LINREG_E_NOT_FITTED,
 * LINREG_E_OVERFLOW (residuals whose fourth powers overflow), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_residual_pass_f32(linreg_model *model, const float *X, const float *Y,
                                                   const float *sample_weight, int64_t n_samples,
                                                   int32_t append); /* since 0.2 */
LINREG_API LINREG_NODISCARD linreg_status linreg_residual_pass_f64(linreg_model *model, const double *X, const double *Y,
                                                   const double *sample_weight, int64_t n_samples,
                                                   int32_t append); /* since 0.2 */

/* Influence measures (statsmodels' OLSInfluence names, R's lm.influence
 * definitions) of an unpenalised exact fit, per row, in closed form from the
 * fit's triangular factor: no refits. For row i with weight w_i, weighted
 * residual e_i = sqrt(w_i) * (y_i - b - W x_i), hat value h_i, r the rank of
 * the design (of its kept columns, see "Aliased columns"), df = n - r and
 * s^2 = RSS / df: */
typedef enum linreg_influence_measure {
    LINREG_INFLUENCE_HAT = 1,                        /* h_i = w_i x_i' (X'WX)^-1 x_i (x_i with the intercept's 1) */
    LINREG_INFLUENCE_RESID_STUDENTIZED_INTERNAL = 2, /* e_i / (s sqrt(1 - h_i)) */
    LINREG_INFLUENCE_RESID_STUDENTIZED_EXTERNAL = 3, /* e_i / (s_(i) sqrt(1 - h_i)), s_(i)^2 = (RSS - e_i^2/(1 - h_i)) / (df - 1) */
    LINREG_INFLUENCE_COOKS_DISTANCE = 4,             /* internal^2 h_i / ((1 - h_i) r) */
    LINREG_INFLUENCE_COOKS_PVALUE = 5,               /* P(F(r, df) > Cook's distance) */
    LINREG_INFLUENCE_DFFITS = 6,                     /* external * sqrt(h_i / (1 - h_i)) */
    LINREG_INFLUENCE_RESID_PRESS = 7,                /* e_i / (1 - h_i), the leave-one-out prediction error */
    LINREG_INFLUENCE_DFBETAS = 8                     /* (beta - beta_(i))_j / (s_(i) sqrt(((X'WX)^-1)_jj)) */
} linreg_influence_measure;

/* Write measures[j] (a linreg_influence_measure) of every row of X, Y
 * (row-major, n_samples rows) and sample_weight (NULL: weights 1) to out[j],
 * for j = 0 ... n_measures-1 (0 <= n_measures <= 64; measures and out may be
 * NULL when n_measures is 0). out[j] must hold n_samples values for
 * LINREG_INFLUENCE_HAT; n_samples x (n_outputs * (n_features + 1)) for
 * LINREG_INFLUENCE_DFBETAS; n_samples x n_outputs (row-major) for the other
 * measures. Each DFBETAS row is laid out like linreg_get_coef_stats
 * (weights, then intercepts; NaN for the intercept without one and for
 * aliased columns). The rows must be rows the model was fitted on, with
 * their fitting weights: any of them, in any order, in any number of calls
 * (each row's values depend on that row and the fit only), so a fit made in
 * chunks (linreg_partial_fit_*, linreg_merge) is measured chunk by chunk.
 * Without weights the values are statsmodels' OLSInfluence; with weights,
 * R's lm.influence of a weighted lm (OLSInfluence of OLS(sqrt(w) y,
 * sqrt(w) X)); a row of weight 0 gets 0 (Cook's p-value 1). A row with
 * h_i = 1 gives infinities or NaN, as statsmodels. One scan for non-finite
 * values, then one pass over the data on LINREG_PARAM_THREADS workers (the
 * result does not depend on them). The model is not changed.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y, n_samples < 1, size
 * overflow, n_measures out of range, measures or out NULL with n_measures > 0,
 * an unknown measure, a NULL out[j], a negative or all-zero weight vector),
 * LINREG_E_NONFINITE (X, Y or weight entry named by row and column),
 * LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE (the last fit was not an
 * unpenalised exact fit, or the weights were set by hand), LINREG_E_NOMEM.
 * Nothing is written on failure. */
LINREG_API LINREG_NODISCARD linreg_status linreg_influence_f32(const linreg_model *model, const float *X, const float *Y,
                                               const float *sample_weight, int64_t n_samples,
                                               const int32_t *measures, int64_t n_measures,
                                               double *const *out); /* since 0.2 */
LINREG_API LINREG_NODISCARD linreg_status linreg_influence_f64(const linreg_model *model, const double *X, const double *Y,
                                               const double *sample_weight, int64_t n_samples,
                                               const int32_t *measures, int64_t n_measures,
                                               double *const *out); /* since 0.2 */

/* Aliased columns. In a rank-deficient fit some columns of the design
 * sqrt(w) [1, X] (intercept first) are aliased, decided as R's lm does
 * (LINPACK dqrdc2's limited pivoting): in column order, a column whose norm
 * after removing its projection on the kept columns before it is below
 * tol times its own norm is aliased (an all-zero column always is), the
 * others are kept, in order. tol is the rank rule's relative number:
 * LINREG_PARAM_RCOND, or max(n_samples, n_params) * DBL_EPSILON by default
 * (R uses 1e-7: set RCOND to 1e-7 for R's decisions on nearly collinear
 * data). The coefficient statistics then follow R: LINREG_COEF_ESTIMATE,
 * STDERR, T, PVALUE, CI_* are those of the reduced design (the kept columns
 * alone, df_resid = n - their number), NaN for aliased columns, and
 * LINREG_COEF_ALIASED marks them; the weights (linreg_get_weights) stay the
 * minimum-norm solution. Under a robust LINREG_PARAM_COV_TYPE (and with
 * LINREG_PARAM_USE_T) they are the reduced design's robust statistics too
 * (since 0.2; its corrections count the kept columns), from the same
 * covariance pass; linreg_get_cov_params, the model F, Wald tests and
 * prediction intervals keep the full design's pseudo-inverse form. All of it
 * is derived from the fit's stored factor (and pass), so it survives
 * linreg_save/linreg_load.
 *
 * linreg_get_alias writes R's alias() "Complete" matrix: (n_features + 1) x
 * (n_features + 1) values, row-major, parameters ordered as linreg_get_weights'
 * (the features, then the intercept). Row a of an aliased parameter holds the
 * coefficients of the kept parameters whose combination equals its column of
 * the design (so column_a = sum over c of out[a][c] * column_c); every other
 * entry is 0. Without an intercept, its row and column are NaN.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model or out NULL),
 * LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE (statuses as linreg_get_stat). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_alias(const linreg_model *model, double *out); /* since 0.2 */
/* ---- Lasso and elastic net (experimental, since 0.2) ----------------- */
/* scikit-learn's ElasticNet / Lasso, solved on the statistics the exact
 * solver accumulates (linreg_fit, linreg_partial_fit, linreg_merge with
 * LINREG_SOLVER_EXACT, or linreg_enet_accumulate_* below; kept by
 * linreg_save/linreg_load): no function here
 * reads the data, so they work after any fit, partial fit, merge or load,
 * and a whole path costs no pass over the rows. For each output j
 * independently they minimise scikit-learn's objective
 *
 *   F(w, b) = 1/(2 S) * sum_i s_i (Y[i][j] - X[i] . w - b)^2
 *             + alpha * l1_ratio * ||w||_1 + 0.5 * alpha * (1 - l1_ratio) * ||w||_2^2
 *
 * where s_i are the sample weights (1 when unweighted) and S = sum_i s_i
 * (n_samples when unweighted): scikit-learn rescales weights to sum to
 * n_samples, which is this objective. The intercept b is unpenalised (with
 * fit_intercept = 1 it is mean(Y[:,j]) - mean(X) . w, weighted means). S is
 * read from the statistics' intercept column; statistics accumulated with
 * FIT_INTERCEPT = 0 do not hold it, and S is then the number of rows (so
 * with weights and no intercept accumulate with FIT_INTERCEPT = 1 and pass
 * fit_intercept = 0 here, or give weights that sum to n_samples).
 *
 * Solver: cyclic coordinate descent with covariance updates on the centred
 * Gram matrix X^T W X / S, X^T W y / S and y^T W y / S (glmnet's covariance
 * method), formed from the accumulated factor in double-double. Stopping
 * rule (scikit-learn's): after a sweep whose largest coefficient change is
 * at most tol * the largest |coefficient| (or on the last of max_iter
 * sweeps), the duality gap G is computed, and the solver stops when
 * G <= tol * y^T W y / S (y centred with an intercept). G is scikit-learn's
 * dual_gap_ (the gap of F, its "formulation A", as in its coordinate
 * descent). Reaching max_iter is not an error: the gap is reported.
 *
 * Arguments common to the functions below (checked first; any out of range
 * gives LINREG_E_ARGUMENT and changes nothing):
 *   l1_ratio       0 <= l1_ratio <= 1 (1 = lasso, 0 = ridge penalty)
 *   fit_intercept  0 or 1; 1 needs statistics accumulated with
 *                  FIT_INTERCEPT = 1
 *   positive       0 or 1; 1 constrains every coefficient to be >= 0
 *   tol            finite and >= 0 (scikit-learn's default 1e-4)
 *   max_iter       sweeps per penalty and output, 1 ... 2^31-1
 * Statuses common to them: LINREG_E_ARGUMENT (NULL model or required
 * pointer, an argument out of range, fit_intercept = 1 on statistics
 * without intercept), LINREG_E_UNAVAILABLE (the model holds no exact-solver
 * statistics: never fitted, fitted by GD/SGD, or given its weights by
 * linreg_set_weights), LINREG_E_OVERFLOW (a second moment of the data or a
 * coefficient is beyond the range of double), LINREG_E_NOMEM. */

/* scikit-learn's alpha grid (LassoCV's alphas=n_alphas): alpha_max =
 * max over features f of sqrt(sum_j (X[:,f]^T W y_j / S)^2) / l1_ratio
 * (max(0, max_f X[:,f]^T W y / S) / l1_ratio with positive = 1; centred
 * X, y with fit_intercept), the smallest penalty whose solution is zero,
 * then n_alphas values log-spaced down to eps * alpha_max (numpy.geomspace),
 * written to alphas_out (n_alphas values, largest first). When alpha_max is
 * at most 1e-15 every value is 1e-15 (as scikit-learn).
 * Additional checks: l1_ratio > 0, eps finite and > 0, n_alphas >= 1,
 * alphas_out non-NULL. The model is not changed. */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_alpha_grid(const linreg_model *model, double l1_ratio,
                                                 int32_t fit_intercept, int32_t positive, double eps,
                                                 int64_t n_alphas, double *alphas_out); /* since 0.2 */

/* The regularisation path at the n_alphas penalties alphas[0 .. n_alphas-1]
 * (each finite and >= 0), solved in the order given, each warm-started from
 * the previous one's solution (the first from zero): give them in
 * decreasing order, as scikit-learn's enet_path sorts them, for speed. Outputs
 * (any may be NULL to skip it; written only on success):
 *   coefs       n_alphas x n_outputs x n_features, row-major: the weights
 *               of penalty a, output j at coefs[(a * n_outputs + j) * n_features]
 *   intercepts  n_alphas x n_outputs (0 when fit_intercept = 0)
 *   gaps        n_alphas x n_outputs: the final duality gap G
 *   n_iters     n_alphas x n_outputs: coordinate-descent sweeps (0 when the
 *               warm start already met the rule)
 * The model is not changed. Additional checks: alphas non-NULL,
 * n_alphas >= 1, the output sizes must not overflow. */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_path(const linreg_model *model, const double *alphas,
                                           int64_t n_alphas, double l1_ratio, int32_t fit_intercept,
                                           int32_t positive, double tol, int64_t max_iter, double *coefs,
                                           double *intercepts, double *gaps, int64_t *n_iters); /* since 0.2 */

/* Fit the elastic net at one penalty alpha (finite, >= 0): the path of
 * length one, from zero coefficients. The model's weights and intercepts
 * become the solution; its accumulated statistics are kept (so
 * linreg_partial_fit, linreg_merge, linreg_save and further paths still
 * work; note that linreg_partial_fit and linreg_merge solve exactly again,
 * with ALPHA as ridge: call linreg_enet_fit after them), its singular values
 * stay those of the design, and the regression statistics (linreg_get_stat,
 * linreg_get_coef_stats) become LINREG_E_UNAVAILABLE, as after ridge. A
 * model whose statistics were never solved (linreg_enet_accumulate_*)
 * becomes fitted; its singular values then come from one exact solve.
 * gaps and n_iters (n_outputs values each; either may be NULL) receive the
 * final duality gap and the sweeps per output. On failure the model is
 * unchanged. */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_fit(linreg_model *model, double alpha, double l1_ratio,
                                          int32_t fit_intercept, int32_t positive, double tol,
                                          int64_t max_iter, double *gaps, int64_t *n_iters); /* since 0.2 */

/* Add rows to the model's exact statistics WITHOUT solving: one read of the
 * rows (as linreg_partial_fit_* with the exact solver), but no
 * factorisation, rank decision or SVD, so it is the cheap way to build the
 * fold models of linreg_enet_cv_path and their total. X (n_samples x
 * n_features), Y (n_samples x n_outputs) row-major; sample_weight has
 * n_samples non-negative finite entries, or is NULL (unweighted). Only for
 * models that were never solved: a new model, or one only accumulated and
 * merged by these two functions. Such a model stays unfitted
 * (linreg_is_fitted is 0, predict gives LINREG_E_NOT_FITTED) until
 * linreg_enet_fit, linreg_fit, linreg_partial_fit or linreg_merge solves it;
 * the linreg_enet_* functions read its statistics, and linreg_merge and
 * linreg_partial_fit treat it as a model holding those rows. The
 * statistics' intercept setting is FIT_INTERCEPT's.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y, n_samples < 1, size
 * overflow, the model is fitted, FIT_INTERCEPT differs from the statistics'
 * setting, a negative or all-zero weight vector), LINREG_E_NONFINITE (the
 * first non-finite X, Y or weight named by row and column), LINREG_E_NOMEM.
 * On failure the model is unchanged. */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_accumulate_f32(linreg_model *model, const float *X, const float *Y,
                                                     const float *sample_weight, int64_t n_samples); /* since 0.2 */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_accumulate_f64(linreg_model *model, const double *X,
                                                     const double *Y, const double *sample_weight,
                                                     int64_t n_samples); /* since 0.2 */

/* Add the rows `other` holds (disjoint from into's) to into's statistics
 * WITHOUT solving: linreg_merge for models that were never solved (see
 * linreg_enet_accumulate_*). other (solved or not) must hold exact
 * statistics of into's shape and intercept setting; it is unchanged.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL pointer, into == other, into is
 * fitted, shapes or intercept settings differ, other holds no statistics),
 * LINREG_E_NOMEM. On failure into is unchanged. */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_merge_statistics(linreg_model *into,
                                                       const linreg_model *other); /* since 0.2 */

/* K-fold cross-validation of the path from statistics, with no pass over
 * the data: test_models[f] (n_folds models) each hold the statistics of
 * fold f's test rows; fold f trains on train_models[f] when train_models
 * and that entry are non-NULL, otherwise on total's rows minus
 * test_models[f]'s (total minus fold, in double-double: the test rows must
 * then be among total's, as when total is the merge of every fold). Build
 * the folds with linreg_enet_accumulate_* on their rows (one read of the
 * data for all folds, no solving) and their total with
 * linreg_enet_merge_statistics (or use solved models: any model holding
 * exact statistics will do). The path runs at alphas (as
 * linreg_enet_path; the alpha grid is usually total's, as scikit-learn's
 * LassoCV computes it on the full data), centring each training set on its
 * own means, and fold f's mean squared error at penalty a,
 *   sum over its rows of s_i * r_i^2 / sum of its s_i   (r_i the residual),
 * averaged over the outputs, is written to mse_out[a * n_folds + f]
 * (n_alphas x n_folds, row-major: scikit-learn's mse_path_). The sum of the
 * test weights is read from the intercept column (the row count without it).
 * Folds are computed on total's LINREG_PARAM_THREADS workers; the result
 * does not depend on it. No model is changed.
 * Additional checks: test_models, alphas and mse_out non-NULL;
 * 1 <= n_folds <= 2^20; no test model NULL; every model of total's shape,
 * holding exact statistics accumulated with the same intercept setting;
 * a test model without a training model must have fewer rows than total.
 * Errors found in a fold name it ("fold 2: ..."). */
LINREG_API LINREG_NODISCARD linreg_status linreg_enet_cv_path(const linreg_model *total,
                                              const linreg_model *const *test_models,
                                              const linreg_model *const *train_models, int64_t n_folds,
                                              const double *alphas, int64_t n_alphas, double l1_ratio,
                                              int32_t fit_intercept, int32_t positive, double tol,
                                              int64_t max_iter, double *mse_out); /* since 0.2 */
/* ---- Ridge penalty selection (experimental) -------------------------- */
/* scikit-learn's RidgeCV with cv=None (exact leave-one-out, scoring None)
 * without refits: fit once with the exact solver (linreg_fit_*, partial fits
 * or merges: the model then holds the statistics of its rows), call
 * linreg_ridgecv_loo_* over the same rows to get every penalty's
 * leave-one-out error, pick the smallest mean, and linreg_ridgecv_solve to
 * commit it. The errors come from the eigendecomposition of the model's
 * centred, weighted Gram matrix X^T W X = V diag(lambda) V^T (from its
 * triangular factor): for a row with weight w, t = V^T (x - xbar),
 *   h(alpha) = w * sum_j t_j^2 / (lambda_j + alpha) + w / sum(w)
 *              (the last term only with an intercept, which is not penalised)
 *   r(alpha) = (y - ybar) - t^T diag(1/(lambda + alpha)) V^T X^T W (y - ybar)
 *   e(alpha) = w * r(alpha)^2 / (1 - h(alpha))^2,
 * exactly scikit-learn's squared errors (RidgeCV's cv_results_ with
 * store_cv_results=True); its best_score_ is -mean(e) over rows (and
 * outputs unless alpha_per_target). Cost: one pass over the rows with about
 * n_features * n_alphas * (n_outputs + 1) multiply-adds per row; since 0.2,
 * when squared_errors is NULL, the penalties at most lambda_min / 16 (every
 * usual grid on large data) instead share one power series in
 * alpha / lambda_min per output, about 2 * n_features * M + M^2 per row for
 * M orders (M from 1e-20 truncation, typically 6 to 20), checked against
 * the exact errors of its smallest and largest penalty (1e-11 relative;
 * otherwise, or when a row's leverage at alpha = 0 exceeds 0.6, every
 * penalty is computed exactly). */

/* Add to error_sums the sums over these rows of the squared leave-one-out
 * errors e(alpha) of ridge regression with each of the n_alphas penalties in
 * alphas (each finite and > 0), one per output: error_sums has
 * n_alphas x n_outputs entries, row-major (error_sums[a * n_outputs + j] +=
 * sum_i e_ij(alphas[a])). X (n_samples x n_features), Y (n_samples x
 * n_outputs), row-major; sample_weight has n_samples non-negative finite
 * entries, at least one positive, or is NULL (every weight 1).
 * squared_errors is NULL, or receives every e: n_samples x n_outputs x
 * n_alphas values, squared_errors[(i * n_outputs + j) * n_alphas + a].
 *
 * The leverages and fitted values are those of the model's exact
 * statistics (its linreg_fit_*, partial fits and merges), so the rows must
 * be rows the model was fitted on, with the same weights: all of them in
 * one call, or chunk by chunk in any number of calls (the sums add up;
 * each row once). The mean error of penalty a for output j is then
 * error_sums[a * n_outputs + j] / n_samples_total (zero-weight rows count
 * in n and contribute 0). The model is only read: calls may run
 * concurrently, e.g. one per partition on the workers of a distributed fit
 * holding the merged model (linreg_serialize / linreg_deserialize).
 * Threads: LINREG_PARAM_THREADS; the sums do not depend on it.
 *
 * On failure neither error_sums nor squared_errors is written.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL model/X/Y/alphas/error_sums,
 * n_samples < 1, n_alphas < 1, size overflow, an alpha not finite and > 0,
 * a negative or all-zero weight vector), LINREG_E_NOT_FITTED,
 * LINREG_E_UNAVAILABLE (the model holds no exact statistics: fitted by
 * GD/SGD or given weights by linreg_set_weights), LINREG_E_NONFINITE (X, Y
 * or weight entry named by row and column), LINREG_E_OVERFLOW (the Gram
 * matrix is beyond double range), LINREG_E_NOMEM. */
LINREG_API LINREG_NODISCARD linreg_status linreg_ridgecv_loo_f32(const linreg_model *model, const float *X,
                                                 const float *Y, const float *sample_weight,
                                                 int64_t n_samples, const double *alphas, int64_t n_alphas,
                                                 double *error_sums, double *squared_errors); /* since 0.2 */
LINREG_API LINREG_NODISCARD linreg_status linreg_ridgecv_loo_f64(const linreg_model *model, const double *X,
                                                 const double *Y, const double *sample_weight,
                                                 int64_t n_samples, const double *alphas, int64_t n_alphas,
                                                 double *error_sums, double *squared_errors); /* since 0.2 */

/* Solve the model's exact statistics again with ridge penalty alphas[j]
 * for output j (alphas has n_outputs entries, each finite and >= 0; the
 * intercept is not penalised) and make that the model's fit, as an exact
 * fit with that ALPHA would (no row is read). LINREG_PARAM_ALPHA is set to
 * alphas[0] when all entries are equal and otherwise keeps its value: a
 * later partial fit or merge solves every output with it. Statistics
 * (linreg_get_stat) exist afterwards only when every penalty is 0. The
 * solver parameter plays no part.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (NULL pointer, a bad alpha),
 * LINREG_E_NOT_FITTED, LINREG_E_UNAVAILABLE (no exact statistics, as
 * above), LINREG_E_OVERFLOW, LINREG_E_NOMEM. On failure the model is
 * unchanged. */
LINREG_API LINREG_NODISCARD linreg_status linreg_ridgecv_solve(linreg_model *model, const double *alphas); /* since 0.2 */

#ifdef __cplusplus
}
#endif

#endif /* LINREG_H */
