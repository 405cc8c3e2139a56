/*
 * fuzz_api.c -- libFuzzer harness: arbitrary call sequences on the public C API.
 *
 * The input is a small program: a model shape, then up to MAX_OPS operations
 * (create, set_param with any key and any double, get_param, set_weights,
 * fit f32/f64/weighted with every solver, predict, get_weights, loss_history,
 * singular_values, get_stat / get_coef_stats for every key, progress callback,
 * NULL-argument calls, free and re-create, and the lasso / elastic-net calls
 * linreg_enet_* with fuzzed penalties and options). Values come from fz_double/fz_float
 * (NaN, +-Inf, subnormals, huge magnitudes, arbitrary bits).
 *
 * Rules the harness keeps: every buffer it passes has exactly the size the
 * call implies (guarded by PROT_NONE pages, see fuzz_common.h); sizes are
 * small and EPOCHS is clamped to MAX_EPOCHS, so each input runs in
 * milliseconds. Absurd sizes are fuzzed separately, by fuzz_sizes.c.
 *
 * Invariants checked (abort = finding):
 *   - only the header's status codes; a non-empty message after each failure;
 *     no LINREG_E_INTERNAL, ever (fz_check_status in fuzz_common.h fails on it);
 *   - a failed fit / set_weights / set_param leaves the model exactly as it was
 *     (weights, intercepts, fitted flag, loss history, singular values,
 *     statistics, parameters -- compared bit for bit);
 *   - a failed predict leaves Y_out untouched; predict is deterministic;
 *   - after a successful fit every weight and intercept is finite; the loss
 *     history has at most EPOCHS entries (exactly as many as the progress
 *     callback allowed), all finite; it is empty after an exact fit;
 *   - statistics are available exactly after an unpenalised exact fit;
 *     singular values exactly after an exact fit;
 *   - calls with a NULL model or NULL required pointer return LINREG_E_ARGUMENT.
 */
#include "fuzz_common.h"

/* The largest linreg_param key (keys 1 ... LAST_PARAM_KEY are all valid). */
#define LAST_PARAM_KEY 15

#define MAX_OPS 48
#define MAX_FEATURES 12
#define MAX_OUTPUTS 4
#define MAX_SAMPLES 96
#define MAX_EPOCHS 40
#define MAX_THREADS 4
#define MAX_SNAP 256

/* ---- Model state snapshots (for the transactional checks) -------------- */

typedef struct snapshot {
    int fitted;
    int64_t d, k;
    double W[MAX_FEATURES * MAX_OUTPUTS];
    double b[MAX_OUTPUTS];
    linreg_status hist_st;
    int64_t hist_count;
    double hist[MAX_SNAP];
    linreg_status sv_st;
    int64_t sv_count;
    double sv[MAX_SNAP];
    linreg_status stat_st;
    double stat[MAX_OUTPUTS];
    double params[LAST_PARAM_KEY + 1];
} snapshot;

static void take_snapshot(const linreg_model *m, int64_t d, int64_t k, snapshot *s) {
    memset(s, 0, sizeof *s);
    s->fitted = linreg_is_fitted(m);
    if (linreg_get_shape(m, &s->d, &s->k) != LINREG_OK) FZ_FAIL("get_shape failed on a live model");
    if (s->d != d || s->k != k) FZ_FAIL("shape changed: %lld x %lld", (long long)s->d, (long long)s->k);
    if (linreg_get_weights(m, s->W, s->b) != LINREG_OK) FZ_FAIL("get_weights failed on a live model");
    s->hist_st = linreg_loss_history(m, s->hist, MAX_SNAP, &s->hist_count);
    s->sv_st = linreg_singular_values(m, s->sv, MAX_SNAP, &s->sv_count);
    s->stat_st = linreg_get_stat(m, LINREG_STAT_RSS, s->stat);
    for (int key = 1; key <= LAST_PARAM_KEY; key++)
        if (linreg_get_param(m, (linreg_param)key, &s->params[key]) != LINREG_OK)
            FZ_FAIL("get_param(%d) failed", key);
}

static void expect_unchanged(const char *what, const snapshot *a, const snapshot *b) {
    if (a->fitted != b->fitted) FZ_FAIL("%s failed but changed is_fitted %d -> %d", what, a->fitted, b->fitted);
    if (memcmp(a->W, b->W, sizeof a->W) || memcmp(a->b, b->b, sizeof a->b))
        FZ_FAIL("%s failed but changed the weights", what);
    if (a->hist_st != b->hist_st || a->hist_count != b->hist_count || memcmp(a->hist, b->hist, sizeof a->hist))
        FZ_FAIL("%s failed but changed the loss history", what);
    if (a->sv_st != b->sv_st || a->sv_count != b->sv_count || memcmp(a->sv, b->sv, sizeof a->sv))
        FZ_FAIL("%s failed but changed the singular values", what);
    if (a->stat_st != b->stat_st || memcmp(a->stat, b->stat, sizeof a->stat))
        FZ_FAIL("%s failed but changed the statistics", what);
    if (memcmp(a->params, b->params, sizeof a->params)) FZ_FAIL("%s failed but changed a parameter", what);
}

/* ---- Progress callback ------------------------------------------------- */

typedef struct progress_state {
    int64_t calls;
    int64_t stop_after; /* stop when epoch == stop_after (-1: never) */
    int64_t last_epoch;
} progress_state;

static int on_progress(int64_t epoch, double loss, void *user) {
    progress_state *p = user;
    if (epoch != p->last_epoch + 1) FZ_FAIL("progress epochs out of order: %lld after %lld",
                                            (long long)epoch, (long long)p->last_epoch);
    if (!isfinite(loss)) FZ_FAIL("progress reported a non-finite loss %g at epoch %lld", loss, (long long)epoch);
    p->last_epoch = epoch;
    p->calls++;
    (void)linreg_last_error(); /* allowed: not a call into the model */
    return p->stop_after >= 0 && epoch >= p->stop_after;
}

/* The exact solver and non-negative least squares (LINREG_SOLVER_NNLS, since
 * 0.3) both solve the accumulated statistics: no loss history, no progress
 * calls, singular values; only an unpenalised EXACT fit has statistics. */
#define EXACT_FAMILY(solver) ((solver) == LINREG_SOLVER_EXACT || (solver) == LINREG_SOLVER_NNLS)

/* ---- The interpreter --------------------------------------------------- */

typedef struct ctx {
    fz_in in;
    linreg_model *m;
    int64_t d, k;
    progress_state progress;
    int progress_installed;
} ctx;

static void fresh_model(ctx *c) {
    if (c->m) linreg_free(c->m);
    c->m = NULL;
    c->d = 1 + fz_range(&c->in, 0, MAX_FEATURES - 1);
    c->k = 1 + fz_range(&c->in, 0, MAX_OUTPUTS - 1);
    c->progress_installed = 0;
    linreg_model *m = (linreg_model *)0x1; /* must be overwritten */
    if (FZ_CALL(linreg_create(c->d, c->k, &m)) != LINREG_OK) FZ_FAIL("create(%lld, %lld) failed: %s",
                                                                      (long long)c->d, (long long)c->k, linreg_last_error());
    if (!m || m == (linreg_model *)0x1) FZ_FAIL("create returned OK without a handle");
    c->m = m;
    if (linreg_is_fitted(m)) FZ_FAIL("a new model is fitted");
    /* Keep the defaults fast: epochs and threads clamped from the start. */
    FZ_OK(linreg_set_param(m, LINREG_PARAM_EPOCHS, 1 + (double)fz_range(&c->in, 0, MAX_EPOCHS - 1)));
    FZ_OK(linreg_set_param(m, LINREG_PARAM_THREADS, (double)fz_range(&c->in, 0, MAX_THREADS)));
}

static linreg_param fuzz_key(fz_in *in) {
    uint8_t sel = fz_u8(in);
    if (sel < 230) return (linreg_param)(1 + sel % LAST_PARAM_KEY);
    if (sel < 250) return (linreg_param)((int)sel - 240); /* -10 .. 9 around the valid range */
    return (linreg_param)(int32_t)fz_u32(in);
}

/* Keep every input fast: EPOCHS <= MAX_EPOCHS, THREADS <= MAX_THREADS. */
static void clamp_params(linreg_model *m) {
    double v;
    if (linreg_get_param(m, LINREG_PARAM_EPOCHS, &v) == LINREG_OK && v > MAX_EPOCHS)
        if (linreg_set_param(m, LINREG_PARAM_EPOCHS, MAX_EPOCHS) != LINREG_OK) FZ_FAIL("clamping epochs failed");
    if (linreg_get_param(m, LINREG_PARAM_THREADS, &v) == LINREG_OK && (v > MAX_THREADS || v == 0))
        if (linreg_set_param(m, LINREG_PARAM_THREADS, MAX_THREADS) != LINREG_OK) FZ_FAIL("clamping threads failed");
}

static void op_set_param(ctx *c) {
    linreg_param key = fuzz_key(&c->in);
    double value = fz_double(&c->in);
    snapshot before, after;
    take_snapshot(c->m, c->d, c->k, &before);
    linreg_status st = FZ_CALL(linreg_set_param(c->m, key, value));
    if (st != LINREG_OK) {
        if (st != LINREG_E_ARGUMENT) FZ_FAIL("set_param failed with %d, not LINREG_E_ARGUMENT", (int)st);
        take_snapshot(c->m, c->d, c->k, &after);
        expect_unchanged("set_param", &before, &after);
    } else {
        if ((int)key < 1 || (int)key > LAST_PARAM_KEY) FZ_FAIL("set_param accepted unknown key %d", (int)key);
        if (!isfinite(value)) FZ_FAIL("set_param(%d) accepted %g", (int)key, value);
        double back;
        if (linreg_get_param(c->m, key, &back) != LINREG_OK) FZ_FAIL("get_param after set failed");
        if (back != value) FZ_FAIL("set_param(%d, %.17g) reads back %.17g", (int)key, value, back);
        /* Setting a parameter never touches weights or results. */
        take_snapshot(c->m, c->d, c->k, &after);
        memcpy(after.params, before.params, sizeof after.params);
        expect_unchanged("set_param (weights/results)", &before, &after);
        clamp_params(c->m);
    }
}

static void op_get_param(ctx *c) {
    linreg_param key = fuzz_key(&c->in);
    double out = 12345.0;
    int null_out = (fz_u8(&c->in) & 15) == 0;
    linreg_status st = FZ_CALL(linreg_get_param(c->m, key, null_out ? NULL : &out));
    int known = (int)key >= 1 && (int)key <= LAST_PARAM_KEY;
    if (null_out && st != LINREG_E_ARGUMENT) FZ_FAIL("get_param(out=NULL) returned %d", (int)st);
    if (!null_out && known && st != LINREG_OK) FZ_FAIL("get_param(%d) returned %d", (int)key, (int)st);
    if (!known && st != LINREG_E_ARGUMENT) FZ_FAIL("get_param(unknown %d) returned %d", (int)key, (int)st);
    if (st != LINREG_OK && out != 12345.0) FZ_FAIL("failed get_param wrote its output");
}

/* Solver state tracked for the post-fit checks. */
static void check_after_success(ctx *c, double solver, double alpha, double epochs, int64_t stop_after) {
    double W[MAX_FEATURES * MAX_OUTPUTS], b[MAX_OUTPUTS];
    if (!linreg_is_fitted(c->m)) FZ_FAIL("fit succeeded but is_fitted is 0");
    if (linreg_get_weights(c->m, W, b) != LINREG_OK) FZ_FAIL("get_weights failed");
    for (int64_t i = 0; i < c->d * c->k; i++)
        if (!isfinite(W[i])) FZ_FAIL("fit returned OK with non-finite weight W[%lld] = %g (solver %g)", (long long)i, W[i], solver);
    for (int64_t i = 0; i < c->k; i++)
        if (!isfinite(b[i])) FZ_FAIL("fit returned OK with non-finite intercept b[%lld] = %g (solver %g)", (long long)i, b[i], solver);

    int64_t count = -1;
    double hist[MAX_EPOCHS + 1];
    if (linreg_loss_history(c->m, hist, MAX_EPOCHS + 1, &count) != LINREG_OK) FZ_FAIL("loss_history failed");
    if (EXACT_FAMILY(solver)) {
        if (count != 0) FZ_FAIL("exact fit left a loss history of %lld", (long long)count);
    } else {
        int64_t expected = (int64_t)epochs;
        if (stop_after >= 0 && stop_after + 1 < expected) expected = stop_after + 1;
        if (count != expected) FZ_FAIL("GD/SGD history has %lld entries, expected %lld", (long long)count, (long long)expected);
        for (int64_t i = 0; i < count; i++)
            if (!isfinite(hist[i])) FZ_FAIL("history[%lld] = %g after a successful fit", (long long)i, hist[i]);
    }

    double stat[MAX_OUTPUTS];
    linreg_status st = FZ_CALL(linreg_get_stat(c->m, LINREG_STAT_N, stat));
    int has_stats = solver == LINREG_SOLVER_EXACT && alpha == 0;
    if (has_stats && st != LINREG_OK)
        FZ_FAIL("no statistics after an unpenalised exact fit: %d %s", (int)st, linreg_last_error());
    if (!has_stats && st != LINREG_E_UNAVAILABLE)
        FZ_FAIL("get_stat after solver %g alpha %g returned %d, expected UNAVAILABLE", solver, alpha, (int)st);
    int64_t svc = 0;
    st = FZ_CALL(linreg_singular_values(c->m, NULL, 0, &svc));
    if (EXACT_FAMILY(solver) && st != LINREG_OK) FZ_FAIL("singular_values after exact fit: %d", (int)st);
    if (!EXACT_FAMILY(solver) && st != LINREG_E_UNAVAILABLE)
        FZ_FAIL("singular_values after GD/SGD returned %d", (int)st);
}

/* FUZZ_TRACE=1 in the environment prints each fit's options and data (to
 * turn a crash input into a stand-alone reproducer). */
static int trace = -1;

static void trace_values(const char *name, const void *p, int64_t count, int is32) {
    fprintf(stderr, "TRACE %s =", name);
    for (int64_t i = 0; i < count; i++)
        fprintf(stderr, " %a", is32 ? (double)((const float *)p)[i] : ((const double *)p)[i]);
    fprintf(stderr, "\n");
}

/* After a successful linreg_partial_fit_*: finite weights; exact keeps
 * statistics (alpha 0) and singular values; GD/SGD ran exactly one epoch,
 * appended to the history. */
static void check_after_partial(ctx *c, double solver, double alpha, int64_t hist_before) {
    double W[MAX_FEATURES * MAX_OUTPUTS], b[MAX_OUTPUTS], stat[MAX_OUTPUTS];
    if (!linreg_is_fitted(c->m)) FZ_FAIL("partial_fit succeeded but is_fitted is 0");
    FZ_OK(linreg_get_weights(c->m, W, b));
    for (int64_t i = 0; i < c->d * c->k; i++)
        if (!isfinite(W[i])) FZ_FAIL("partial_fit returned OK with W[%lld] = %g (solver %g)", (long long)i, W[i], solver);
    for (int64_t i = 0; i < c->k; i++)
        if (!isfinite(b[i])) FZ_FAIL("partial_fit returned OK with b[%lld] = %g (solver %g)", (long long)i, b[i], solver);
    int64_t count = -1, svc = 0;
    FZ_OK(linreg_loss_history(c->m, NULL, 0, &count));
    linreg_status st = FZ_CALL(linreg_get_stat(c->m, LINREG_STAT_RSS, stat));
    linreg_status sv = FZ_CALL(linreg_singular_values(c->m, NULL, 0, &svc));
    if (EXACT_FAMILY(solver)) {
        int has_stats = solver == LINREG_SOLVER_EXACT && alpha == 0;
        if (has_stats && st != LINREG_OK) FZ_FAIL("no statistics after an exact partial_fit: %d", (int)st);
        if (!has_stats && st != LINREG_E_UNAVAILABLE) FZ_FAIL("statistics after a ridge or NNLS partial_fit: %d", (int)st);
        if (sv != LINREG_OK) FZ_FAIL("no singular values after an exact partial_fit: %d", (int)sv);
    } else {
        if (count != hist_before + 1)
            FZ_FAIL("GD/SGD partial_fit: history %lld -> %lld, expected one more", (long long)hist_before, (long long)count);
        if (st != LINREG_E_UNAVAILABLE || sv != LINREG_E_UNAVAILABLE) FZ_FAIL("exact results after a GD/SGD partial_fit");
    }
}

static void op_fit(ctx *c, int partial) {
    uint8_t how = fz_u8(&c->in);
    int variant = how & 3;          /* 0 f64, 1 f32, 2 weighted f64, 3 weighted f32 */
    int solver_sel = (how >> 2) & 3; /* 3 = keep the current solver */
    int null_sel = (how >> 4) == 15 ? (fz_u8(&c->in) % 4) : -1; /* rare: NULL model/X/Y/sw */
    if (solver_sel < 3) FZ_OK(linreg_set_param(c->m, LINREG_PARAM_SOLVER, solver_sel));

    int64_t n = 1 + fz_range(&c->in, 0, MAX_SAMPLES - 1);
    int is32 = variant & 1, weighted = variant >> 1;
    size_t es = is32 ? sizeof(float) : sizeof(double);
    size_t xb = (size_t)(n * c->d) * es, yb = (size_t)(n * c->k) * es, wb = (size_t)n * es;
    void *X = gbuf_alloc(xb), *Y = gbuf_alloc(yb), *SW = weighted ? gbuf_alloc(wb) : NULL;
    if (is32) {
        fz_fill_f32(&c->in, X, n * c->d);
        fz_fill_f32(&c->in, Y, n * c->k);
    } else {
        fz_fill_f64(&c->in, X, n * c->d);
        fz_fill_f64(&c->in, Y, n * c->k);
    }
    if (weighted) {
        uint8_t wmode = fz_u8(&c->in) % 4;
        for (int64_t i = 0; i < n; i++) {
            double w = wmode == 0 ? 1.0 : wmode == 1 ? (double)(fz_u8(&c->in) % 4) : fz_double(&c->in);
            if (wmode == 3 && i > 0) w = fabs(w);
            if (is32) ((float *)SW)[i] = (float)w; else ((double *)SW)[i] = w;
        }
    }

    int64_t hist_before = 0;
    FZ_OK(linreg_loss_history(c->m, NULL, 0, &hist_before));
    progress_state *p = &c->progress;
    p->calls = 0;
    p->last_epoch = -1;
    double solver = 0, alpha = 0, epochs = 0;
    FZ_OK(linreg_get_param(c->m, LINREG_PARAM_SOLVER, &solver));
    FZ_OK(linreg_get_param(c->m, LINREG_PARAM_ALPHA, &alpha));
    FZ_OK(linreg_get_param(c->m, LINREG_PARAM_EPOCHS, &epochs));
    if (epochs > MAX_EPOCHS) FZ_FAIL("epochs not clamped: %g", epochs);
    /* A GD/SGD partial fit continues the history: its epoch is the next index. */
    if (partial && !EXACT_FAMILY(solver)) p->last_epoch = hist_before - 1;

    if (trace) {
        double p_fi = 0, p_lr = 0, p_bs = 0, p_mom = 0, p_wd = 0, p_rc = 0;
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_FIT_INTERCEPT, &p_fi));
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_LEARNING_RATE, &p_lr));
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_BATCH_SIZE, &p_bs));
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_MOMENTUM, &p_mom));
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_WEIGHT_DECAY, &p_wd));
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_RCOND, &p_rc));
        fprintf(stderr, "TRACE %sfit variant=%d (0 f64, 1 f32, 2 w64, 3 w32) solver=%g alpha=%g epochs=%g fit_intercept=%g "
                        "lr=%.17g batch=%g momentum=%g decay=%g rcond=%g fitted=%d n=%lld d=%lld k=%lld\n",
                partial ? "partial_" : "", variant, solver, alpha, epochs, p_fi, p_lr, p_bs, p_mom, p_wd, p_rc, linreg_is_fitted(c->m),
                (long long)n, (long long)c->d, (long long)c->k);
        trace_values("X", X, n * c->d, is32);
        trace_values("Y", Y, n * c->k, is32);
        if (weighted) trace_values("w", SW, n, is32);
    }
    snapshot before, after;
    take_snapshot(c->m, c->d, c->k, &before);
    linreg_model *mm = null_sel == 0 ? NULL : c->m;
    const void *xx = null_sel == 1 ? NULL : X, *yy = null_sel == 2 ? NULL : Y, *ww = null_sel == 3 ? NULL : SW;
    linreg_status st;
    switch (variant + 4 * partial) {
    case 0: st = FZ_CALL(linreg_fit_f64(mm, xx, yy, n)); break;
    case 1: st = FZ_CALL(linreg_fit_f32(mm, xx, yy, n)); break;
    case 2: st = FZ_CALL(linreg_fit_weighted_f64(mm, xx, yy, ww, n)); break;
    case 3: st = FZ_CALL(linreg_fit_weighted_f32(mm, xx, yy, ww, n)); break;
    case 4: st = FZ_CALL(linreg_partial_fit_f64(mm, xx, yy, n)); break;
    case 5: st = FZ_CALL(linreg_partial_fit_f32(mm, xx, yy, n)); break;
    case 6: st = FZ_CALL(linreg_partial_fit_weighted_f64(mm, xx, yy, ww, n)); break;
    default: st = FZ_CALL(linreg_partial_fit_weighted_f32(mm, xx, yy, ww, n)); break;
    }
    if (null_sel >= 0 && (null_sel != 3 || weighted) && st != LINREG_E_ARGUMENT)
        FZ_FAIL("fit with NULL argument %d returned %d", null_sel, (int)st);
    if (st == LINREG_OK && partial) {
        check_after_partial(c, solver, alpha, hist_before);
        if (!EXACT_FAMILY(solver) && c->progress_installed && p->calls != 1)
            FZ_FAIL("progress ran %lld times for one partial epoch", (long long)p->calls);
        if (EXACT_FAMILY(solver) && p->calls != 0) FZ_FAIL("progress called during an exact partial fit");
    } else if (st == LINREG_OK) {
        int64_t stop = c->progress_installed ? p->stop_after : -1;
        check_after_success(c, solver, alpha, epochs, stop);
        if (!EXACT_FAMILY(solver) && c->progress_installed) {
            int64_t count = 0;
            FZ_OK(linreg_loss_history(c->m, NULL, 0, &count));
            if (p->calls != count) FZ_FAIL("progress ran %lld times for %lld epochs", (long long)p->calls, (long long)count);
        }
        if (EXACT_FAMILY(solver) && p->calls != 0) FZ_FAIL("progress called during an exact fit");
    } else {
        if (st == LINREG_E_DIVERGED && EXACT_FAMILY(solver)) FZ_FAIL("exact solver reported DIVERGED");
        take_snapshot(c->m, c->d, c->k, &after);
        expect_unchanged("fit", &before, &after);
    }
    gbuf_free(X, xb);
    gbuf_free(Y, yb);
    gbuf_free(SW, wb);
}

/* linreg_merge: another model of the same (or, rarely, another) shape, fitted
 * exactly, by GD, by hand, or not at all, merged into this one. A refused merge
 * leaves `into` unchanged; `other` is never changed. */
static void op_merge(ctx *c) {
    uint8_t how = fz_u8(&c->in);
    int64_t od = c->d, ok = c->k;
    if ((how & 15) == 15) od = 1 + fz_range(&c->in, 0, MAX_FEATURES - 1);
    if ((how & 15) == 14) ok = 1 + fz_range(&c->in, 0, MAX_OUTPUTS - 1);
    linreg_model *other = NULL;
    if (linreg_create(od, ok, &other) != LINREG_OK) FZ_FAIL("create for merge failed");
    FZ_OK(linreg_set_param(other, LINREG_PARAM_EPOCHS, 3));
    FZ_OK(linreg_set_param(other, LINREG_PARAM_FIT_INTERCEPT, fz_u8(&c->in) & 1));
    int prep = (how >> 4) % 4; /* 0 exact fit, 1 GD fit, 2 set_weights, 3 nothing */
    int64_t n = 1 + fz_range(&c->in, 0, 31);
    size_t xb = (size_t)(n * od) * sizeof(double), yb = (size_t)(n * ok) * sizeof(double);
    double *X = gbuf_alloc(xb), *Y = gbuf_alloc(yb);
    fz_fill_f64(&c->in, X, n * od);
    fz_fill_f64(&c->in, Y, n * ok);
    if (prep < 2) {
        FZ_OK(linreg_set_param(other, LINREG_PARAM_SOLVER, prep));
        fz_status_edge(FZ_CALL(linreg_fit_f64(other, X, Y, n)));
    } else if (prep == 2) {
        size_t wb = (size_t)(od * ok) * sizeof(double);
        double *W = gbuf_alloc(wb);
        fz_fill_f64(&c->in, W, od * ok);
        fz_status_edge(FZ_CALL(linreg_set_weights(other, W, NULL)));
        gbuf_free(W, wb);
    }
    gbuf_free(X, xb);
    gbuf_free(Y, yb);
    snapshot before, after, obefore, oafter;
    take_snapshot(c->m, c->d, c->k, &before);
    int same_shape = od == c->d && ok == c->k;
    if (same_shape) take_snapshot(other, od, ok, &obefore);
    int sel = (how >> 6) == 3 ? (int)(fz_u8(&c->in) % 3) : -1; /* rare: NULL into, NULL other, into == other */
    linreg_status st = FZ_CALL(linreg_merge(sel == 0 ? NULL : c->m, sel == 1 ? NULL : sel == 2 ? c->m : other));
    if (sel >= 0 && st != LINREG_E_ARGUMENT) FZ_FAIL("merge with bad argument %d returned %d", sel, (int)st);
    if (!same_shape && st == LINREG_OK) FZ_FAIL("merge of a %lld x %lld model into %lld x %lld succeeded", (long long)od,
                                                (long long)ok, (long long)c->d, (long long)c->k);
    if (st != LINREG_OK) {
        take_snapshot(c->m, c->d, c->k, &after);
        expect_unchanged("merge", &before, &after);
    } else if (linreg_is_fitted(c->m)) {
        double W[MAX_FEATURES * MAX_OUTPUTS], b[MAX_OUTPUTS];
        FZ_OK(linreg_get_weights(c->m, W, b));
        for (int64_t i = 0; i < c->d * c->k; i++) if (!isfinite(W[i])) FZ_FAIL("merge gave W[%lld] = %g", (long long)i, W[i]);
        for (int64_t i = 0; i < c->k; i++) if (!isfinite(b[i])) FZ_FAIL("merge gave b[%lld] = %g", (long long)i, b[i]);
    }
    if (same_shape) {
        take_snapshot(other, od, ok, &oafter);
        expect_unchanged("merge (the other model)", &obefore, &oafter);
    }
    linreg_free(other);
}

static void op_predict(ctx *c) {
    uint8_t how = fz_u8(&c->in);
    int is32 = how & 1;
    int null_sel = (how >> 1) == 127 ? (fz_u8(&c->in) % 3) : -1;
    int64_t n = 1 + fz_range(&c->in, 0, MAX_SAMPLES - 1);
    size_t es = is32 ? sizeof(float) : sizeof(double);
    size_t xb = (size_t)(n * c->d) * es, yb = (size_t)(n * c->k) * es;
    void *X = gbuf_alloc(xb), *Yo = gbuf_alloc(yb), *Y2 = gbuf_alloc(yb);
    if (is32) fz_fill_f32(&c->in, X, n * c->d); else fz_fill_f64(&c->in, X, n * c->d);
    uint8_t *sentinel = malloc(yb);
    memcpy(sentinel, Yo, yb);
    linreg_model *mm = null_sel == 0 ? NULL : c->m;
    const void *xx = null_sel == 1 ? NULL : X;
    void *yy = null_sel == 2 ? NULL : Yo;
    linreg_status st = is32 ? FZ_CALL(linreg_predict_f32(mm, xx, n, yy)) : FZ_CALL(linreg_predict_f64(mm, xx, n, yy));
    if (null_sel >= 0 && st != LINREG_E_ARGUMENT) FZ_FAIL("predict with NULL argument %d returned %d", null_sel, (int)st);
    if (st != LINREG_OK) {
        if (memcmp(sentinel, Yo, yb)) FZ_FAIL("failed predict (%d) wrote to Y_out", (int)st);
        if (st == LINREG_E_NOT_FITTED && linreg_is_fitted(c->m)) FZ_FAIL("NOT_FITTED from a fitted model");
    } else {
        if (!linreg_is_fitted(c->m)) FZ_FAIL("predict succeeded on an unfitted model");
        /* Deterministic: a second call gives the same bits. */
        linreg_status st2 = is32 ? linreg_predict_f32(c->m, X, n, Y2) : linreg_predict_f64(c->m, X, n, Y2);
        if (st2 != LINREG_OK || memcmp(Yo, Y2, yb)) FZ_FAIL("predict is not deterministic");
    }
    free(sentinel);
    gbuf_free(X, xb);
    gbuf_free(Yo, yb);
    gbuf_free(Y2, yb);
}

static void op_set_weights(ctx *c) {
    uint8_t how = fz_u8(&c->in);
    size_t wb = (size_t)(c->d * c->k) * sizeof(double), bb = (size_t)c->k * sizeof(double);
    double *W = gbuf_alloc(wb), *b = (how & 1) ? NULL : gbuf_alloc(bb);
    fz_fill_f64(&c->in, W, c->d * c->k);
    if (b) fz_fill_f64(&c->in, b, c->k);
    int null_sel = (how >> 1) == 127 ? (fz_u8(&c->in) % 2) : -1;
    snapshot before, after;
    take_snapshot(c->m, c->d, c->k, &before);
    linreg_status st = FZ_CALL(linreg_set_weights(null_sel == 0 ? NULL : c->m, null_sel == 1 ? NULL : W, b));
    if (null_sel >= 0 && st != LINREG_E_ARGUMENT) FZ_FAIL("set_weights with NULL argument returned %d", (int)st);
    if (st == LINREG_OK) {
        double W2[MAX_FEATURES * MAX_OUTPUTS], b2[MAX_OUTPUTS];
        FZ_OK(linreg_get_weights(c->m, W2, b2));
        if (memcmp(W, W2, wb)) FZ_FAIL("get_weights differs from set_weights");
        for (int64_t j = 0; j < c->k; j++)
            if (b ? memcmp(&b[j], &b2[j], sizeof(double)) : b2[j] != 0) FZ_FAIL("intercepts differ after set_weights");
        if (!linreg_is_fitted(c->m)) FZ_FAIL("set_weights did not make the model fitted");
        int64_t count = -1;
        if (linreg_loss_history(c->m, NULL, 0, &count) != LINREG_OK || count != 0) FZ_FAIL("history not cleared by set_weights");
        double stat[MAX_OUTPUTS];
        if (linreg_get_stat(c->m, LINREG_STAT_R2, stat) != LINREG_E_UNAVAILABLE) FZ_FAIL("stats after set_weights");
        if (linreg_singular_values(c->m, NULL, 0, &count) != LINREG_E_UNAVAILABLE) FZ_FAIL("singular values after set_weights");
    } else {
        take_snapshot(c->m, c->d, c->k, &after);
        expect_unchanged("set_weights", &before, &after);
    }
    gbuf_free(W, wb);
    gbuf_free(b, bb);
}

static void op_get_weights(ctx *c) {
    uint8_t how = fz_u8(&c->in);
    size_t wb = (size_t)(c->d * c->k) * sizeof(double), bb = (size_t)c->k * sizeof(double);
    double *W = (how & 1) ? NULL : gbuf_alloc(wb), *b = (how & 2) ? NULL : gbuf_alloc(bb);
    linreg_status st = FZ_CALL(linreg_get_weights(c->m, W, b));
    if (st != LINREG_OK) FZ_FAIL("get_weights failed: %d", (int)st);
    if (!linreg_is_fitted(c->m)) {
        for (int64_t i = 0; W && i < c->d * c->k; i++) if (W[i] != 0) FZ_FAIL("unfitted model has W != 0");
        for (int64_t i = 0; b && i < c->k; i++) if (b[i] != 0) FZ_FAIL("unfitted model has b != 0");
    }
    gbuf_free(W, wb);
    gbuf_free(b, bb);
}

/* loss_history / singular_values share the (out, capacity, count) shape. */
static void op_copy_out(ctx *c, int which) {
    uint8_t how = fz_u8(&c->in);
    int64_t full = 0;
    linreg_status st0 = which ? linreg_singular_values(c->m, NULL, 0, &full) : linreg_loss_history(c->m, NULL, 0, &full);
    int64_t capacity = fz_range(&c->in, 0, full + 2);
    int null_count = (how & 15) == 0, null_out = (how & 0x30) == 0x30;
    size_t ob = (size_t)(capacity > 0 ? capacity : 1) * sizeof(double);
    double *out = null_out ? NULL : gbuf_alloc(ob);
    int64_t count = -7;
    linreg_status st = which ? FZ_CALL(linreg_singular_values(c->m, out, capacity, null_count ? NULL : &count))
                             : FZ_CALL(linreg_loss_history(c->m, out, capacity, null_count ? NULL : &count));
    int must_fail = null_count || (null_out && capacity > 0);
    if (must_fail && st == LINREG_OK) FZ_FAIL("copy-out %d accepted NULL count/out", which);
    if (!must_fail && st0 == LINREG_OK && st != LINREG_OK) FZ_FAIL("copy-out %d failed: %s", which, linreg_last_error());
    if (st == LINREG_OK && count != full) FZ_FAIL("copy-out %d count %lld vs %lld", which, (long long)count, (long long)full);
    if (st != LINREG_OK && count != -7) FZ_FAIL("failed copy-out %d wrote count", which);
    gbuf_free(out, ob);
}

static void op_stats(ctx *c) {
    uint8_t sel = fz_u8(&c->in);
    int coef = sel & 1;
    int key = (sel >> 1) < 110 ? (int)((sel >> 1) % 17) - 1 /* -1 .. 15 */ : (int)(int32_t)fz_u32(&c->in);
    int64_t count = coef ? c->k * (c->d + 1) : c->k;
    size_t ob = (size_t)count * sizeof(double);
    double *out = gbuf_alloc(ob);
    int null_out = (fz_u8(&c->in) & 31) == 0;
    linreg_status st = coef ? FZ_CALL(linreg_get_coef_stats(c->m, (linreg_coef_stat)key, null_out ? NULL : out))
                            : FZ_CALL(linreg_get_stat(c->m, (linreg_stat)key, null_out ? NULL : out));
    int known = coef ? ((key >= 1 && key <= 5) || key == 10 || key == 11)
                     : ((key >= 1 && key <= 14) || (key >= 20 && key <= 26));
    if ((null_out || !known) && st == LINREG_OK) FZ_FAIL("stat accepted key %d / NULL out", key);
    if (st == LINREG_OK) {
        double ci = 0;
        FZ_OK(linreg_get_param(c->m, LINREG_PARAM_CI_LEVEL, &ci));
        volatile double sink = 0;
        for (int64_t i = 0; i < count; i++) sink += out[i]; /* every entry was written (guard page would catch more) */
        (void)sink;
    }
    gbuf_free(out, ob);
}

/* The diagnostics: a residual pass (new or continued), influence measures
 * (random kinds, some invalid), the alias matrix, and the robust covariance
 * (linreg_cov_begin, linreg_cov_pass_* with fuzzed cluster labels,
 * linreg_get_cov_params). A failed influence call
 * writes nothing; a successful one writes every entry; the residual
 * statistics are available after a successful pass and the model is
 * otherwise unchanged. */
static void op_diagnostics(ctx *c) {
    uint8_t how = fz_u8(&c->in);
    int is32 = how & 1, weighted = (how >> 1) & 1, what = (how >> 2) % 4;
    int64_t n = 1 + fz_range(&c->in, 0, MAX_SAMPLES - 1);
    size_t es = is32 ? sizeof(float) : sizeof(double);
    size_t xb = (size_t)(n * c->d) * es, yb = (size_t)(n * c->k) * es, wb = (size_t)n * es;
    void *X = gbuf_alloc(xb), *Y = gbuf_alloc(yb), *SW = weighted ? gbuf_alloc(wb) : NULL;
    if (is32) {
        fz_fill_f32(&c->in, X, n * c->d);
        fz_fill_f32(&c->in, Y, n * c->k);
    } else {
        fz_fill_f64(&c->in, X, n * c->d);
        fz_fill_f64(&c->in, Y, n * c->k);
    }
    if (weighted) {
        for (int64_t i = 0; i < n; i++) {
            double w = (double)(fz_u8(&c->in) % 4);
            if (is32) ((float *)SW)[i] = (float)w; else ((double *)SW)[i] = w;
        }
    }
    snapshot before, after;
    take_snapshot(c->m, c->d, c->k, &before);
    if (what == 0) {
        int32_t append = (int32_t)(fz_u8(&c->in) % 3); /* 2 is refused */
        linreg_status st = is32 ? FZ_CALL(linreg_residual_pass_f32(c->m, X, Y, SW, n, append))
                                : FZ_CALL(linreg_residual_pass_f64(c->m, X, Y, SW, n, append));
        if (append == 2 && st == LINREG_OK) FZ_FAIL("residual pass accepted append = 2");
        if (st == LINREG_OK) {
            double dw[MAX_OUTPUTS];
            if (FZ_CALL(linreg_get_stat(c->m, LINREG_STAT_DURBIN_WATSON, dw)) != LINREG_OK)
                FZ_FAIL("no Durbin-Watson after a successful residual pass");
        }
    } else if (what == 1) {
        int64_t count = fz_range(&c->in, 0, 4);
        int32_t kinds[4];
        double *outs[4] = {NULL, NULL, NULL, NULL};
        size_t sizes[4] = {0, 0, 0, 0};
        for (int64_t j = 0; j < count; j++) {
            kinds[j] = (int32_t)(fz_u8(&c->in) % 10); /* 0 and 9 are not measures */
            int64_t width = kinds[j] == LINREG_INFLUENCE_HAT ? 1 : kinds[j] == LINREG_INFLUENCE_DFBETAS
                                                                       ? c->k * (c->d + 1) : c->k;
            sizes[j] = (size_t)(n * width) * sizeof(double);
            outs[j] = gbuf_alloc(sizes[j]);
            memset(outs[j], 0x5a, sizes[j]);
        }
        linreg_status st = is32 ? FZ_CALL(linreg_influence_f32(c->m, X, Y, SW, n, kinds, count, outs))
                                : FZ_CALL(linreg_influence_f64(c->m, X, Y, SW, n, kinds, count, outs));
        for (int64_t j = 0; j < count; j++) {
            if ((kinds[j] < 1 || kinds[j] > 8) && st == LINREG_OK) FZ_FAIL("influence accepted measure %d", kinds[j]);
            const unsigned char *bytes = (const unsigned char *)outs[j];
            size_t untouched = 0;
            for (size_t b = 0; b < sizes[j]; b++) untouched += bytes[b] == 0x5a;
            if (st != LINREG_OK && untouched != sizes[j]) FZ_FAIL("failed influence (%d) wrote to out[%lld]", (int)st, (long long)j);
            gbuf_free(outs[j], sizes[j]);
        }
    } else if (what == 2) {
        size_t ab = (size_t)((c->d + 1) * (c->d + 1)) * sizeof(double);
        double *A = gbuf_alloc(ab);
        linreg_status st = FZ_CALL(linreg_get_alias(c->m, A));
        if (st == LINREG_OK && !linreg_is_fitted(c->m)) FZ_FAIL("alias of an unfitted model");
        gbuf_free(A, ab);
    } else {
        /* The robust covariance: a pass over the fuzzed rows (cluster labels
         * small, huge or negative; n_ways 3 is refused), then the covariance
         * matrix. Neither may change the weights, statistics or parameters. */
        int64_t ways = fz_u8(&c->in) % 4;
        size_t gb = (size_t)(n * (ways ? ways : 1)) * sizeof(int64_t);
        int64_t *G = ways ? gbuf_alloc(gb) : NULL;
        for (int64_t i = 0; G && i < n * ways; i++) {
            uint8_t kind = fz_u8(&c->in);
            G[i] = kind < 200 ? (int64_t)(kind % 7) : kind < 240 ? (int64_t)fz_u64(&c->in) : -(int64_t)(kind % 5);
        }
        /* (A pass begun by an earlier op may still be open: no claim on begin's status.) */
        (void)FZ_CALL(linreg_cov_begin(c->m));
        linreg_status st = is32 ? FZ_CALL(linreg_cov_pass_f32(c->m, X, Y, SW, G, ways, n))
                                : FZ_CALL(linreg_cov_pass_f64(c->m, X, Y, SW, G, ways, n));
        if (ways == 3 && st == LINREG_OK) FZ_FAIL("covariance pass accepted n_ways = 3");
        size_t cb = (size_t)(c->k * (c->d + 1) * (c->d + 1)) * sizeof(double);
        double *cov = gbuf_alloc(cb);
        (void)FZ_CALL(linreg_get_cov_params(c->m, cov));
        gbuf_free(cov, cb);
        if (G) gbuf_free(G, gb);
    }
    take_snapshot(c->m, c->d, c->k, &after);
    expect_unchanged("a diagnostics call", &before, &after); /* none of them changes weights or results */
    gbuf_free(X, xb);
    gbuf_free(Y, yb);
    if (SW) gbuf_free(SW, wb);
}

static void op_progress(ctx *c) {
    uint8_t how = fz_u8(&c->in);
    if (how & 1) {
        c->progress.stop_after = (how & 2) ? -1 : (int64_t)(how >> 2) % (MAX_EPOCHS + 4);
        if (FZ_CALL(linreg_set_progress(c->m, on_progress, &c->progress)) != LINREG_OK) FZ_FAIL("set_progress failed");
        c->progress_installed = 1;
    } else {
        if (FZ_CALL(linreg_set_progress(c->m, NULL, NULL)) != LINREG_OK) FZ_FAIL("set_progress(NULL) failed");
        c->progress_installed = 0;
    }
}

static void op_misc(ctx *c) {
    uint8_t sel = fz_u8(&c->in) % 6;
    switch (sel) {
    case 0: {
        int code = (int)(int32_t)fz_u32(&c->in);
        const char *s = linreg_status_string(code);
        if (!s || !*s) FZ_FAIL("status_string(%d) empty", code);
        if ((code < 0 || code > 64) && strcmp(s, "unknown status")) FZ_FAIL("status_string(%d) = %s", code, s);
        break;
    }
    case 1: {
        if (linreg_version_number() != LINREG_VERSION_NUMBER) FZ_FAIL("version mismatch");
        if (strcmp(linreg_version_string(), LINREG_VERSION_STRING)) FZ_FAIL("version string mismatch");
        break;
    }
    case 2: { /* every entry point with a NULL model */
        double buf[4] = {0};
        float fbuf[4] = {0};
        int64_t cnt = 0, d = 0, k = 0;
        if (linreg_is_fitted(NULL) != 0) FZ_FAIL("is_fitted(NULL)");
        if (FZ_CALL(linreg_get_shape(NULL, &d, &k)) != LINREG_E_ARGUMENT) FZ_FAIL("get_shape(NULL)");
        if (FZ_CALL(linreg_set_param(NULL, LINREG_PARAM_ALPHA, 1)) != LINREG_E_ARGUMENT) FZ_FAIL("set_param(NULL)");
        if (FZ_CALL(linreg_get_param(NULL, LINREG_PARAM_ALPHA, buf)) != LINREG_E_ARGUMENT) FZ_FAIL("get_param(NULL)");
        if (FZ_CALL(linreg_set_progress(NULL, NULL, NULL)) != LINREG_E_ARGUMENT) FZ_FAIL("set_progress(NULL)");
        if (FZ_CALL(linreg_fit_f64(NULL, buf, buf, 1)) != LINREG_E_ARGUMENT) FZ_FAIL("fit_f64(NULL)");
        if (FZ_CALL(linreg_fit_f32(NULL, fbuf, fbuf, 1)) != LINREG_E_ARGUMENT) FZ_FAIL("fit_f32(NULL)");
        if (FZ_CALL(linreg_fit_weighted_f64(NULL, buf, buf, buf, 1)) != LINREG_E_ARGUMENT) FZ_FAIL("fit_w64(NULL)");
        if (FZ_CALL(linreg_fit_weighted_f32(NULL, fbuf, fbuf, fbuf, 1)) != LINREG_E_ARGUMENT) FZ_FAIL("fit_w32(NULL)");
        if (FZ_CALL(linreg_predict_f64(NULL, buf, 1, buf)) != LINREG_E_ARGUMENT) FZ_FAIL("predict_f64(NULL)");
        if (FZ_CALL(linreg_predict_f32(NULL, fbuf, 1, fbuf)) != LINREG_E_ARGUMENT) FZ_FAIL("predict_f32(NULL)");
        if (FZ_CALL(linreg_get_weights(NULL, buf, buf)) != LINREG_E_ARGUMENT) FZ_FAIL("get_weights(NULL)");
        if (FZ_CALL(linreg_set_weights(NULL, buf, buf)) != LINREG_E_ARGUMENT) FZ_FAIL("set_weights(NULL)");
        if (FZ_CALL(linreg_loss_history(NULL, buf, 4, &cnt)) != LINREG_E_ARGUMENT) FZ_FAIL("loss_history(NULL)");
        if (FZ_CALL(linreg_singular_values(NULL, buf, 4, &cnt)) != LINREG_E_ARGUMENT) FZ_FAIL("singular_values(NULL)");
        if (FZ_CALL(linreg_get_stat(NULL, LINREG_STAT_R2, buf)) != LINREG_E_ARGUMENT) FZ_FAIL("get_stat(NULL)");
        if (FZ_CALL(linreg_get_coef_stats(NULL, LINREG_COEF_T, buf)) != LINREG_E_ARGUMENT) FZ_FAIL("get_coef_stats(NULL)");
        if (FZ_CALL(linreg_create(1, 1, NULL)) != LINREG_E_ARGUMENT) FZ_FAIL("create(out=NULL)");
        linreg_free(NULL);
        break;
    }
    case 3: { /* shape with optional NULL outputs */
        int64_t d = -1, k = -1;
        uint8_t how = fz_u8(&c->in);
        if (FZ_CALL(linreg_get_shape(c->m, (how & 1) ? NULL : &d, (how & 2) ? NULL : &k)) != LINREG_OK) FZ_FAIL("get_shape");
        if (!(how & 1) && d != c->d) FZ_FAIL("get_shape d");
        if (!(how & 2) && k != c->k) FZ_FAIL("get_shape k");
        break;
    }
    case 4: /* a second, independent model lives and dies alongside */ {
        linreg_model *other = NULL;
        int64_t d = fz_range(&c->in, -2, MAX_FEATURES), k = fz_range(&c->in, -2, MAX_OUTPUTS);
        linreg_status st = FZ_CALL(linreg_create(d, k, &other));
        if ((d < 1 || k < 1) != (st == LINREG_E_ARGUMENT)) FZ_FAIL("create(%lld, %lld) returned %d", (long long)d, (long long)k, (int)st);
        if (st != LINREG_OK && other) FZ_FAIL("failed create left a handle");
        linreg_free(other);
        break;
    }
    default:
        fresh_model(c);
        break;
    }
}

/* Lasso / elastic net on the current model's statistics (linreg_enet_*):
 * fuzzed penalties and options, small path lengths and sweep limits; every
 * status must be a documented one, the read-only calls must not change the
 * model, and a failed linreg_enet_fit must leave it unchanged. */
static void op_enet(ctx *c) {
    uint8_t which = fz_u8(&c->in) % 6;
    int64_t n_alphas = 1 + fz_range(&c->in, 0, 7);
    double alphas[8], grid[8], coefs[8 * MAX_FEATURES * MAX_OUTPUTS], icepts[8 * MAX_OUTPUTS];
    double gaps[8 * MAX_OUTPUTS], mse[8 * 2];
    int64_t iters[8 * MAX_OUTPUTS];
    for (int i = 0; i < 8; i++) alphas[i] = fz_bool(&c->in) ? fz_double(&c->in) : (double)fz_u8(&c->in) / 16.0;
    double l1 = fz_bool(&c->in) ? fz_double(&c->in) : (double)(fz_u8(&c->in) % 5) / 4.0;
    int32_t fi = fz_u8(&c->in) % 3, pos = fz_u8(&c->in) % 3; /* 2: out of range */
    double tol = fz_bool(&c->in) ? fz_double(&c->in) : 1e-4;
    int64_t max_iter = fz_range(&c->in, 0, 50);
    snapshot before, after;
    take_snapshot(c->m, c->d, c->k, &before);
    linreg_status st = LINREG_OK;
    switch (which) {
    case 0:
        st = FZ_CALL(linreg_enet_alpha_grid(c->m, l1, fi, pos, fz_bool(&c->in) ? fz_double(&c->in) : 1e-3, n_alphas,
                                            grid));
        break;
    case 1:
        st = FZ_CALL(linreg_enet_path(c->m, alphas, n_alphas, l1, fi, pos, tol, max_iter, coefs, icepts, gaps, iters));
        break;
    case 2:
        st = FZ_CALL(linreg_enet_fit(c->m, alphas[0], l1, fi, pos, tol, max_iter, gaps, iters));
        break;
    case 3: { /* two folds: the model's own rows against a fresh fit of a few fuzzed rows */
        linreg_model *fold = NULL;
        if (linreg_create(c->d, c->k, &fold) != LINREG_OK) FZ_FAIL("create for enet cv failed");
        int64_t n = 1 + fz_range(&c->in, 0, 15);
        size_t xb = (size_t)(n * c->d) * sizeof(double), yb = (size_t)(n * c->k) * sizeof(double);
        double *X = gbuf_alloc(xb), *Y = gbuf_alloc(yb);
        fz_fill_f64(&c->in, X, n * c->d);
        fz_fill_f64(&c->in, Y, n * c->k);
        fz_status_edge(FZ_CALL(linreg_enet_accumulate_f64(fold, X, Y, NULL, n)));
        gbuf_free(X, xb);
        gbuf_free(Y, yb);
        const linreg_model *tests[2] = {fold, c->m};
        const linreg_model *trains[2] = {c->m, fold};
        st = FZ_CALL(linreg_enet_cv_path(c->m, tests, fz_bool(&c->in) ? trains : NULL, 1 + fz_bool(&c->in), alphas,
                                         n_alphas, l1, fi, pos, tol, max_iter, mse));
        linreg_free(fold);
        break;
    }
    case 4: { /* statistics without solving, then into the current model (refused when it is fitted) */
        linreg_model *other = NULL;
        if (linreg_create(c->d, c->k, &other) != LINREG_OK) FZ_FAIL("create for enet accumulate failed");
        int64_t n = 1 + fz_range(&c->in, 0, 15);
        size_t xb = (size_t)(n * c->d) * sizeof(double), yb = (size_t)(n * c->k) * sizeof(double);
        double *X = gbuf_alloc(xb), *Y = gbuf_alloc(yb);
        fz_fill_f64(&c->in, X, n * c->d);
        fz_fill_f64(&c->in, Y, n * c->k);
        fz_status_edge(FZ_CALL(linreg_enet_accumulate_f64(other, X, Y, NULL, n)));
        if (linreg_is_fitted(other)) FZ_FAIL("linreg_enet_accumulate_f64 made a model fitted");
        st = FZ_CALL(linreg_enet_merge_statistics(c->m, other));
        if (linreg_is_fitted(c->m) && st == LINREG_OK) FZ_FAIL("merge_statistics into a fitted model succeeded");
        gbuf_free(X, xb);
        gbuf_free(Y, yb);
        linreg_free(other);
        if (st == LINREG_OK) return; /* the model's statistics grew: nothing to compare */
        break;
    }
    default:
        st = FZ_CALL(linreg_enet_merge_statistics(c->m, c->m));
        if (st != LINREG_E_ARGUMENT) FZ_FAIL("merge_statistics of a model into itself returned %d", (int)st);
        break;
    }
    if (which == 2 && st == LINREG_OK) {
        if (!linreg_is_fitted(c->m)) FZ_FAIL("linreg_enet_fit succeeded but the model is not fitted");
        return;
    }
    take_snapshot(c->m, c->d, c->k, &after);
    expect_unchanged("linreg_enet_*", &before, &after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ctx c;
    if (trace < 0) trace = getenv("FUZZ_TRACE") != NULL;
    memset(&c, 0, sizeof c);
    c.in.p = data;
    c.in.n = size;
    fresh_model(&c);
    for (int i = 0; i < MAX_OPS && c.in.n > 0; i++) {
        uint8_t op = fz_u8(&c.in) % 15;
        switch (op) {
        case 0: case 1: op_set_param(&c); break;
        case 2: op_get_param(&c); break;
        case 3: case 4: case 5: op_fit(&c, 0); break;
        case 12: op_fit(&c, 1); break;
        case 13: op_merge(&c); break;
        case 6: op_predict(&c); break;
        case 7: op_set_weights(&c); break;
        case 8: op_get_weights(&c); break;
        case 9: op_copy_out(&c, fz_bool(&c.in)); break;
        case 10: op_stats(&c); break;
        case 14: op_diagnostics(&c); break;
        default: {
            uint8_t sub = fz_u8(&c.in) % 3;
            if (sub == 0) op_progress(&c); else if (sub == 1) op_misc(&c); else op_enet(&c);
            break;
        }
        }
    }
    linreg_free(c.m);
    return 0;
}
