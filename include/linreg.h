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
 *   - EXPERIMENTAL section (at the end of this file): streaming and merging
 *     (linreg_partial_fit_*, linreg_merge) and persistence (linreg_serialize,
 *     linreg_deserialize, linreg_save, linreg_load) together with the model
 *     byte format they write, feature and target names (linreg_set_names,
 *     linreg_get_feature_name, linreg_get_target_name), the solver report
 *     (linreg_get_solver_info and its path values), and the parameter
 *     LINREG_PARAM_RCOND (its
 *     default rule), and since 0.3 the solver LINREG_SOLVER_NNLS and ridge
 *     penalty selection (linreg_ridgecv_*). These may change in any 0.x release: a release that
 *     changes the byte format gives it a new format number and refuses bytes
 *     of any other format with LINREG_E_FORMAT (it does not convert them).
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
    LINREG_PARAM_RCOND = 13         /* exact solver rank rule: after each column is scaled by the power
                                       of two nearest 1/||column||, singular values below
                                       rcond * largest count as zero (rank deficiency). Finite and
                                       >= 0, or -1 (default) for max(n_samples, n_params) * DBL_EPSILON,
                                       numpy.linalg.lstsq's rule. EXPERIMENTAL: the default rule
                                       may change before 1.0. */
} linreg_param;

typedef enum linreg_solver {
    LINREG_SOLVER_EXACT = 0, /* least squares / ridge: the exact minimiser, by Householder QR
                                in double-double arithmetic */
    LINREG_SOLVER_GD = 1,    /* full-batch gradient descent on the mean squared error */
    LINREG_SOLVER_SGD = 2,   /* mini-batch SGD with torch.optim.SGD semantics */
    LINREG_SOLVER_NNLS = 5   /* since 0.3, EXPERIMENTAL: non-negative least squares, every feature
                                weight >= 0, the intercept free (scikit-learn
                                LinearRegression(positive=True)); exact to the KKT conditions
                                (Lawson-Hanson active set on the exact solver's accumulated
                                factor, in double-double), so it works after fit, partial fit
                                and merge like EXACT. Needs ALPHA = 0 (a fit with ALPHA > 0 is
                                refused with LINREG_E_ARGUMENT). No statistics (linreg_get_stat
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
    LINREG_STAT_COND = 12,     /* condition number of the design (ratio of extreme singular values) */
    LINREG_STAT_N = 13,        /* number of observations */
    LINREG_STAT_RSS = 14       /* (weighted) residual sum of squares */
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
    LINREG_COEF_CI_HIGH = 5  /* upper confidence bound */
} linreg_coef_stat;

/* Write one value per coefficient into out, laid out like linreg_get_weights:
 * the n_outputs x n_features weights first, then the n_outputs intercepts
 * (n_outputs * (n_features + 1) values in all; intercept entries are NaN when
 * the model was fitted without intercept). The confidence level is read when
 * this is called. Statuses as linreg_get_stat. */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_coef_stats(const linreg_model *model, linreg_coef_stat key, double *out); /* since 0.1 */

/* The singular values of the design as scikit-learn's LinearRegression reports
 * them in `singular_`: of sqrt(w)*X, with X centred on its (weighted) column
 * means when the intercept is fitted; min(n_samples, n_features) values,
 * largest first. Copies min(capacity, length) values and sets *count to the
 * length.
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
 * plays no part, except that into's LINREG_SOLVER_NNLS (since 0.3) solves
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
 * been saved) and its feature and target names, if any. The bytes are
 * little-endian and carry a format number and a CRC-32 checksum; a model
 * saved on one machine loads on any other with identical predictions. This
 * library writes format 2 and reads formats 1 (written by liblinreg 0.1
 * before names existed; such a model loads without names) and 2; it refuses
 * any other format number with LINREG_E_FORMAT (a library that reads only
 * format 1 refuses format 2 the same way). The format may change before 1.0.
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
    LINREG_PATH_REFINED = 3,          /* the moments, then passes refining the coefficients (correlated or
                                         polynomial columns, fits of at least 32768 rows; coefficients and RSS
                                         refined, standard errors and later merges accurate to about
                                         cond^2 * 2^-52 relative) */
    LINREG_PATH_HOUSEHOLDER = 4       /* double-double Householder QR (small or very ill-conditioned data) */
} linreg_solver_path;

/* Write the path (a linreg_solver_path value) to *path and the number of
 * passes over the data (the first, declined moments pass of the Householder
 * path included) to *passes. Either pointer may be NULL.
 * Returns LINREG_OK, LINREG_E_ARGUMENT (model NULL), LINREG_E_NOT_FITTED,
 * LINREG_E_UNAVAILABLE (the last fit was not an exact one, or the model was
 * loaded, merged or given weights: the report is not stored). */
LINREG_API LINREG_NODISCARD linreg_status linreg_get_solver_info(const linreg_model *model, int32_t *path,
                                                 int64_t *passes); /* since 0.2 */

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
 * n_features * n_alphas * (n_outputs + 1) multiply-adds per row. */

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
                                                 double *error_sums, double *squared_errors); /* since 0.3 */
LINREG_API LINREG_NODISCARD linreg_status linreg_ridgecv_loo_f64(const linreg_model *model, const double *X,
                                                 const double *Y, const double *sample_weight,
                                                 int64_t n_samples, const double *alphas, int64_t n_alphas,
                                                 double *error_sums, double *squared_errors); /* since 0.3 */

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
LINREG_API LINREG_NODISCARD linreg_status linreg_ridgecv_solve(linreg_model *model, const double *alphas); /* since 0.3 */

#ifdef __cplusplus
}
#endif

#endif /* LINREG_H */
