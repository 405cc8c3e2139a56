/*
 * test_streaming.c -- linreg_partial_fit_* and linreg_merge.
 *
 * Exact solver: chunks fitted one after the other, and parts fitted apart and
 * merged in any order, must give the fit of all the rows at once (the header
 * promises 1e-10 relative) and so the independent references (numpy,
 * statsmodels WLS, scikit-learn Ridge, statsmodels OLS on Advertising), with
 * statistics after every chunk. GD/SGD partial fits are one epoch each,
 * appended to the loss history. Refusals leave the model unchanged.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "references.h"
#include "test_groups.h"

static const double SAME_FIT = 1e-10; /* the header's promise: partial/merge vs one fit */
static const double EXACT_TOL = 1e-9;
static const double STAT_TOL = 1e-8;

/* b's weights and every statistic (status and value) agree with a's within rel. */
static void check_same_fit(const linreg_model *got, const linreg_model *want, double rel, const char *what)
{
    double Wg[64], bg[8], Ww[64], bw[8], vg[8], vw[8];
    int64_t d = 0, k = 0;
    int key, i;
    char label[128];
    if (!CHECK_STATUS(linreg_get_shape(want, &d, &k), LINREG_OK) || !CHECK(d * k <= 64 && k <= 8)) return;
    if (!CHECK_STATUS(linreg_get_weights(got, Wg, bg), LINREG_OK)) return;
    if (!CHECK_STATUS(linreg_get_weights(want, Ww, bw), LINREG_OK)) return;
    for (i = 0; i < d * k; i++) {
        snprintf(label, sizeof label, "%s: W[%d]", what, i);
        check_close(Wg[i], Ww[i], rel, label, __FILE__, __LINE__);
    }
    for (i = 0; i < k; i++) {
        snprintf(label, sizeof label, "%s: b[%d]", what, i);
        check_close(bg[i], bw[i], rel, label, __FILE__, __LINE__);
    }
    for (key = LINREG_STAT_R2; key <= LINREG_STAT_RSS; key++) {
        int sg = linreg_get_stat(got, (linreg_stat)key, vg), sw = linreg_get_stat(want, (linreg_stat)key, vw);
        snprintf(label, sizeof label, "%s: status of statistic %d", what, key);
        if (!check_int(sg, sw, label, __FILE__, __LINE__) || sg != LINREG_OK) continue;
        for (i = 0; i < k; i++) {
            snprintf(label, sizeof label, "%s: statistic %d of output %d", what, key, i);
            if (isnan(vw[i])) {
                check_true(isnan(vg[i]), label, __FILE__, __LINE__); /* e.g. no residual degrees of freedom */
            } else {
                check_close(vg[i], vw[i], rel, label, __FILE__, __LINE__);
            }
        }
    }
}

/* partial_fit_f64 of rows [from, to) of (X, Y[, SW]) with d inputs and k outputs. */
static int partial_rows(linreg_model *m, const double *X, const double *Y, const double *SW, int d, int k, int from,
                        int to)
{
    if (SW) {
        return CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X + from * d, Y + from * k, SW + from, to - from),
                            LINREG_OK);
    }
    return CHECK_STATUS(linreg_partial_fit_f64(m, X + from * d, Y + from * k, to - from), LINREG_OK);
}

/* A model fitted (exact, f64) on rows [from, to) of SMALL. */
static linreg_model *small_part(int from, int to, const double *SW)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    if (!m) return NULL;
    if (SW) {
        if (!CHECK_STATUS(linreg_fit_weighted_f64(m, SMALL_X + from * SMALL_D, SMALL_Y + from * SMALL_K, SW + from,
                                                  to - from),
                          LINREG_OK)) {
            linreg_free(m);
            return NULL;
        }
    } else if (!CHECK_STATUS(linreg_fit_f64(m, SMALL_X + from * SMALL_D, SMALL_Y + from * SMALL_K, to - from),
                             LINREG_OK)) {
        linreg_free(m);
        return NULL;
    }
    return m;
}

/* ------------------------------------------------------ exact partial fits */
static void test_partial_fit_exact(void)
{
    static const int cuts[] = {0, 5, 6, 8}; /* chunks of 5, 1 and 2 rows; 4 parameters per output */
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    size_t c;
    double W[6], b[2];
    if (!m) return;
    for (c = 1; c < COUNT(cuts); c++) {
        linreg_model *so_far;
        char what[64];
        if (!partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, cuts[c - 1], cuts[c])) break;
        /* After every chunk: the fit of all rows so far, with statistics. */
        so_far = small_part(0, cuts[c], NULL);
        snprintf(what, sizeof what, "after rows 0..%d", cuts[c] - 1);
        if (so_far) check_same_fit(m, so_far, SAME_FIT, what);
        linreg_free(so_far);
    }
    if (CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
    }
    CHECK_INT(fixture_history(m, NULL, 0), 0);
    linreg_free(m);

    /* float32 chunks holding the same values. */
    m = fixture_model(SMALL_D, SMALL_K);
    if (m) {
        float Xf[SMALL_N * SMALL_D], Yf[SMALL_N * SMALL_K], SWf[SMALL_N];
        fixture_small_f32(Xf, Yf, SWf);
        CHECK_STATUS(linreg_partial_fit_f32(m, Xf, Yf, 4), LINREG_OK);
        CHECK_STATUS(linreg_partial_fit_f32(m, Xf + 4 * SMALL_D, Yf + 4 * SMALL_K, 4), LINREG_OK);
        if (CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
            CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
        }
        /* Weighted and unweighted chunks mixed: weights SW on rows 0..4, 1 on rows 5..7. */
        {
            linreg_model *w = fixture_model(SMALL_D, SMALL_K), *all = fixture_model(SMALL_D, SMALL_K);
            double SW[SMALL_N];
            memcpy(SW, SMALL_SW, sizeof SW);
            SW[5] = SW[6] = SW[7] = 1;
            if (w && all) {
                CHECK_STATUS(linreg_partial_fit_weighted_f32(w, Xf, Yf, SWf, 5), LINREG_OK);
                CHECK_STATUS(linreg_partial_fit_f32(w, Xf + 5 * SMALL_D, Yf + 5 * SMALL_K, 3), LINREG_OK);
                CHECK_STATUS(linreg_fit_weighted_f64(all, SMALL_X, SMALL_Y, SW, SMALL_N), LINREG_OK);
                check_same_fit(w, all, SAME_FIT, "mixed weighted/unweighted chunks");
            }
            linreg_free(w);
            linreg_free(all);
        }
        /* Weighted chunks, f64: statsmodels WLS. */
        {
            linreg_model *w = fixture_model(SMALL_D, SMALL_K);
            double v[2];
            if (w && partial_rows(w, SMALL_X, SMALL_Y, SMALL_SW, SMALL_D, SMALL_K, 0, 3) &&
                partial_rows(w, SMALL_X, SMALL_Y, SMALL_SW, SMALL_D, SMALL_K, 3, 8) &&
                CHECK_STATUS(linreg_get_weights(w, W, b), LINREG_OK)) {
                CHECK_CLOSE_ARRAY(W, SMALL_WLS_W, 6, EXACT_TOL);
                CHECK_CLOSE_ARRAY(b, SMALL_WLS_B, 2, EXACT_TOL);
                if (CHECK_STATUS(linreg_get_stat(w, LINREG_STAT_R2, v), LINREG_OK)) {
                    CHECK_CLOSE(v[0], SMALL_WLS_R2_0, STAT_TOL);
                }
            }
            linreg_free(w);
        }
        linreg_free(m);
    }
}

/* Advertising in uneven chunks (one of a single row) vs statsmodels. */
static void test_partial_fit_advertising(void)
{
    static const int cuts[] = {0, 1, 14, 64, 128, 129, 200};
    const advertising *adv = fixture_advertising();
    linreg_model *m = fixture_model(ADV_D, 1);
    double W[3], b, v;
    size_t c;
    if (!adv || !m) return;
    for (c = 1; c < COUNT(cuts); c++) {
        if (!partial_rows(m, adv->X, adv->Y, NULL, ADV_D, 1, cuts[c - 1], cuts[c])) break;
    }
    if (CHECK_STATUS(linreg_get_weights(m, W, &b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, ADV_OLS_PARAMS, 3, EXACT_TOL);
        CHECK_CLOSE(b, ADV_OLS_PARAMS[3], EXACT_TOL);
    }
    if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, &v), LINREG_OK)) CHECK_CLOSE(v, ADV_OLS_R2, STAT_TOL);
    if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_F, &v), LINREG_OK)) CHECK_CLOSE(v, ADV_OLS_F, STAT_TOL);
    if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_N, &v), LINREG_OK)) CHECK_SAME(v, ADV_OLS_N);
    if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_RSS, &v), LINREG_OK)) CHECK_CLOSE(v, ADV_OLS_RSS, STAT_TOL);
    {
        double se[4];
        if (CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, se), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(se, ADV_OLS_BSE, 4, STAT_TOL);
        }
    }
    linreg_free(m);
}

/* How partial fits continue from, or restart after, other calls. */
static void test_partial_fit_continuation(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K), *ref = small_part(2, 8, NULL);
    model_state s;
    double W[6], b[2];
    if (!m || !ref) goto done;

    /* After linreg_fit on rows 0..4: continues with rows 5..7. */
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, 5), LINREG_OK);
    if (partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 5, 8) &&
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
    }
    /* After GD or set_weights: a new accumulation (the weights are discarded). */
    CHECK(fixture_descend_small(m, LINREG_SOLVER_GD, 3, W, b));
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
    if (partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 2, 8)) check_same_fit(m, ref, SAME_FIT, "after GD");
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    if (partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 2, 8)) {
        check_same_fit(m, ref, SAME_FIT, "after set_weights");
    }

    /* ALPHA applies when solving: rows 0..4 unpenalised, then rows 5..7 with ALPHA 0.5 = Ridge of all. */
    linreg_free(m);
    m = fixture_model(SMALL_D, SMALL_K);
    if (!m) goto done;
    if (partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 0, 5)) {
        double v[2];
        SET_PARAM(m, LINREG_PARAM_ALPHA, 0.5);
        if (partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 5, 8) &&
            CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(W, SMALL_RIDGE_W, 6, EXACT_TOL);
            CHECK_CLOSE_ARRAY(b, SMALL_RIDGE_B, 2, EXACT_TOL);
            CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, v), LINREG_E_UNAVAILABLE);
        }
    }

    /* FIT_INTERCEPT changed since the accumulation started: refused, unchanged; set back: fine. */
    SET_PARAM(m, LINREG_PARAM_ALPHA, 0);
    SET_PARAM(m, LINREG_PARAM_FIT_INTERCEPT, 0);
    fixture_snapshot(m, &s);
    CHECK_STATUS(linreg_partial_fit_f64(m, SMALL_X, SMALL_Y, 2), LINREG_E_ARGUMENT);
    CHECK(strlen(linreg_last_error()) > 0);
    CHECK_UNCHANGED(m, &s);
    SET_PARAM(m, LINREG_PARAM_FIT_INTERCEPT, 1);
    CHECK_STATUS(linreg_partial_fit_f64(m, SMALL_X, SMALL_Y, 2), LINREG_OK);

    /* A model saved and loaded continues as if it had not been (serialize/deserialize). */
    {
        linreg_model *part = small_part(0, 5, NULL), *copy = NULL;
        int64_t size = 0;
        unsigned char *bytes = NULL;
        if (part && CHECK_STATUS(linreg_serialize(part, NULL, 0, &size), LINREG_OK) &&
            (bytes = malloc((size_t)size)) != NULL &&
            CHECK_STATUS(linreg_serialize(part, bytes, size, &size), LINREG_OK) &&
            CHECK_STATUS(linreg_deserialize(bytes, size, &copy), LINREG_OK) &&
            partial_rows(copy, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 5, 8) &&
            CHECK_STATUS(linreg_get_weights(copy, W, b), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
            CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
        }
        free(bytes);
        linreg_free(part);
        linreg_free(copy);
    }
done:
    linreg_free(m);
    linreg_free(ref);
}

static void test_partial_fit_arguments(void)
{
    linreg_model *m = small_part(0, 5, NULL), *tall = fixture_model(3, 1), *wide = fixture_model(1, 3);
    double X[SMALL_N * SMALL_D], Y[SMALL_N * SMALL_K], SW[SMALL_N];
    float Xf[SMALL_N * SMALL_D], Yf[SMALL_N * SMALL_K], SWf[SMALL_N];
    const int64_t huge = INT64_MAX / 2;
    model_state s;
    const char *msg;
    int solver;
    if (!m || !tall || !wide) goto done;
    memcpy(X, SMALL_X, sizeof X);
    memcpy(Y, SMALL_Y, sizeof Y);
    memcpy(SW, SMALL_SW, sizeof SW);
    fixture_small_f32(Xf, Yf, SWf);

    for (solver = LINREG_SOLVER_EXACT; solver <= LINREG_SOLVER_SGD; solver++) {
        SET_PARAM(m, LINREG_PARAM_SOLVER, solver);
        fixture_snapshot(m, &s);
        CHECK_STATUS(linreg_partial_fit_f64(NULL, X, Y, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f64(m, NULL, Y, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f64(m, X, NULL, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f32(NULL, Xf, Yf, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f32(m, NULL, Yf, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f32(m, Xf, NULL, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f64(NULL, X, Y, SW, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, NULL, Y, SW, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X, NULL, SW, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X, Y, NULL, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f32(NULL, Xf, Yf, SWf, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f32(m, NULL, Yf, SWf, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f32(m, Xf, NULL, SWf, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f32(m, Xf, Yf, NULL, 3), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f64(m, X, Y, 0), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f64(m, X, Y, -2), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f32(m, Xf, Yf, INT64_MIN), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X, Y, SW, 0), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f32(m, Xf, Yf, SWf, -1), LINREG_E_ARGUMENT);

        /* Non-finite values: rows counted within the chunk. */
        X[(5 + 1) * SMALL_D + 2] = NAN;
        CHECK_STATUS(linreg_partial_fit_f64(m, X + 5 * SMALL_D, Y + 5 * SMALL_K, 3), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_HAS_NUMBER(msg, 1);
        CHECK_HAS_NUMBER(msg, 2);
        memcpy(X, SMALL_X, sizeof X);
        Yf[(4 + 2) * SMALL_K + 1] = INFINITY;
        CHECK_STATUS(linreg_partial_fit_f32(m, Xf + 4 * SMALL_D, Yf + 4 * SMALL_K, 4), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_CONTAINS(msg, "Y");
        CHECK_HAS_NUMBER(msg, 2);
        CHECK_HAS_NUMBER(msg, 1);
        fixture_small_f32(Xf, Yf, SWf);
        SW[7] = NAN;
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X + 5 * SMALL_D, Y + 5 * SMALL_K, SW + 5, 3),
                     LINREG_E_NONFINITE);
        CHECK_HAS_NUMBER(linreg_last_error(), 2);
        SW[7] = -1;
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X + 5 * SMALL_D, Y + 5 * SMALL_K, SW + 5, 3),
                     LINREG_E_ARGUMENT);
        SW[5] = SW[6] = SW[7] = 0;
        CHECK_STATUS(linreg_partial_fit_weighted_f64(m, X + 5 * SMALL_D, Y + 5 * SMALL_K, SW + 5, 3),
                     LINREG_E_ARGUMENT);
        memcpy(SW, SMALL_SW, sizeof SW);
        CHECK_UNCHANGED(m, &s);

        /* Overflowing sizes, refused before reading the one-chunk buffers. */
        SET_PARAM(tall, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(wide, LINREG_PARAM_SOLVER, solver);
        CHECK_STATUS(linreg_partial_fit_f64(tall, X, Y, huge), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f32(tall, Xf, Yf, huge), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f64(wide, X, Y, SW, huge), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_weighted_f32(wide, Xf, Yf, SWf, huge), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_partial_fit_f64(wide, X, Y, huge), LINREG_E_ARGUMENT);
        CHECK_INT(linreg_is_fitted(tall), 0);
        CHECK_INT(linreg_is_fitted(wide), 0);
    }
done:
    linreg_free(m);
    linreg_free(tall);
    linreg_free(wide);
}

/* ---------------------------------------------------- GD/SGD partial fits */
typedef struct epochs_seen {
    int64_t calls, last_epoch;
} epochs_seen;

static int count_epochs(int64_t epoch, double loss, void *user_data)
{
    epochs_seen *seen = user_data;
    (void)loss;
    seen->calls++;
    seen->last_epoch = epoch;
    return 0;
}

static void test_partial_fit_descent(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K), *ref = fixture_model(SMALL_D, SMALL_K);
    double W[6], b[2], Wr[6], br[2], hist[16], hist_ref[16];
    epochs_seen seen = {0, -1};
    int solver;
    if (!m || !ref) goto done;
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.01);
    SET_PARAM(ref, LINREG_PARAM_LEARNING_RATE, 0.01);
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(ref, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(m, LINREG_PARAM_MOMENTUM, 0.9);
    SET_PARAM(ref, LINREG_PARAM_MOMENTUM, 0.9);
    for (solver = LINREG_SOLVER_GD; solver <= LINREG_SOLVER_SGD; solver++) {
        int i;
        /* One epoch per call whatever EPOCHS says; momentum restarts at zero each call:
         * partial(rows 0..4) then partial(rows 5..7) = fit(EPOCHS 1) on each chunk in turn. */
        SET_PARAM(m, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(m, LINREG_PARAM_EPOCHS, 50);
        SET_PARAM(ref, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(ref, LINREG_PARAM_EPOCHS, 1);
        CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
        CHECK_STATUS(linreg_set_weights(ref, SMALL_W0, SMALL_B0), LINREG_OK);
        for (i = 0; i < 2; i++) {
            int from = i ? 5 : 0, to = i ? 8 : 5;
            CHECK_STATUS(linreg_partial_fit_f64(m, SMALL_X + from * SMALL_D, SMALL_Y + from * SMALL_K, to - from),
                         LINREG_OK);
            CHECK_STATUS(linreg_fit_f64(ref, SMALL_X + from * SMALL_D, SMALL_Y + from * SMALL_K, to - from),
                         LINREG_OK);
            CHECK_INT(fixture_history(ref, hist_ref + i, 1), 1);
        }
        if (CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK) &&
            CHECK_STATUS(linreg_get_weights(ref, Wr, br), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(W, Wr, 6, 1e-12);
            CHECK_CLOSE_ARRAY(b, br, 2, 1e-12);
        }
        /* Each call appended its epoch's loss. */
        if (CHECK_INT(fixture_history(m, hist, 16), 2)) CHECK_CLOSE_ARRAY(hist, hist_ref, 2, 1e-12);

        /* Appended after a full fit's history too; the callback gets the index in it. */
        CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
        SET_PARAM(m, LINREG_PARAM_EPOCHS, 5);
        CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
        CHECK_INT(fixture_history(m, hist, 16), 5);
        CHECK_STATUS(linreg_set_progress(m, count_epochs, &seen), LINREG_OK);
        seen.calls = 0;
        CHECK_STATUS(linreg_partial_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
        CHECK_INT(seen.calls, 1);
        CHECK_INT(seen.last_epoch, 5);
        {
            double after[16];
            if (CHECK_INT(fixture_history(m, after, 16), 6)) CHECK(memcmp(after, hist, 5 * sizeof(double)) == 0);
        }
        CHECK_STATUS(linreg_set_progress(m, NULL, NULL), LINREG_OK);
        {
            double v[2];
            CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, v), LINREG_E_UNAVAILABLE);
        }
    }
    /* A GD partial fit after an exact fit drops its statistics (and merging refuses it). */
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
    CHECK_STATUS(linreg_partial_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    {
        double v[2];
        CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, v), LINREG_E_UNAVAILABLE);
    }
    CHECK_STATUS(linreg_merge(ref, m), LINREG_E_ARGUMENT);
    /* Divergence within the one epoch (SGD, one row per step, the second step
     * overflows): refused, unchanged. */
    {
        model_state s;
        SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_SGD);
        SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 1);
        SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 1e200);
        fixture_snapshot(m, &s);
        CHECK_STATUS(linreg_partial_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_E_DIVERGED);
        CHECK_UNCHANGED(m, &s);
    }
done:
    linreg_free(m);
    linreg_free(ref);
}

/* ------------------------------------------------------------------ merge */
/* Advertising in three parts fitted apart, merged into a fresh model and in
 * another order: statsmodels OLS of all 200 rows. */
static void test_merge_advertising(void)
{
    static const int cuts[] = {0, 37, 120, 200};
    const advertising *adv = fixture_advertising();
    linreg_model *parts[3] = {NULL, NULL, NULL}, *all = NULL, *fresh = NULL;
    model_state before;
    double W[3], b, v;
    int i;
    if (!adv) return;
    for (i = 0; i < 3; i++) {
        parts[i] = fixture_model(ADV_D, 1);
        if (!parts[i] || !CHECK_STATUS(linreg_fit_f64(parts[i], adv->X + cuts[i] * ADV_D, adv->Y + cuts[i],
                                                      cuts[i + 1] - cuts[i]),
                                       LINREG_OK)) {
            goto done;
        }
    }
    all = fixture_model(ADV_D, 1);
    fresh = fixture_model(ADV_D, 1);
    if (!all || !fresh || !CHECK_STATUS(linreg_fit_f64(all, adv->X, adv->Y, ADV_N), LINREG_OK)) goto done;

    /* Into a fresh model: other is unchanged by each merge. */
    for (i = 0; i < 3; i++) {
        fixture_snapshot(parts[i], &before);
        CHECK_STATUS(linreg_merge(fresh, parts[i]), LINREG_OK);
        CHECK_UNCHANGED(parts[i], &before);
    }
    if (CHECK_STATUS(linreg_get_weights(fresh, W, &b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, ADV_OLS_PARAMS, 3, EXACT_TOL);
        CHECK_CLOSE(b, ADV_OLS_PARAMS[3], EXACT_TOL);
    }
    if (CHECK_STATUS(linreg_get_stat(fresh, LINREG_STAT_R2, &v), LINREG_OK)) CHECK_CLOSE(v, ADV_OLS_R2, STAT_TOL);
    if (CHECK_STATUS(linreg_get_stat(fresh, LINREG_STAT_N, &v), LINREG_OK)) CHECK_SAME(v, ADV_OLS_N);
    {
        double p[4];
        if (CHECK_STATUS(linreg_get_coef_stats(fresh, LINREG_COEF_PVALUE, p), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(p, ADV_OLS_P, 4, STAT_TOL);
        }
    }
    check_same_fit(fresh, all, SAME_FIT, "merged into a fresh model");

    /* Another tree: (2 <- 0), then (1 <- 2). */
    CHECK_STATUS(linreg_merge(parts[2], parts[0]), LINREG_OK);
    CHECK_STATUS(linreg_merge(parts[1], parts[2]), LINREG_OK);
    check_same_fit(parts[1], all, SAME_FIT, "merged as ((2 <- 0) -> 1)");

    /* Merging a never-fitted model changes nothing. */
    {
        linreg_model *empty = fixture_model(ADV_D, 1);
        if (empty) {
            fixture_snapshot(all, &before);
            CHECK_STATUS(linreg_merge(all, empty), LINREG_OK);
            CHECK_UNCHANGED(all, &before);
            linreg_free(empty);
        }
    }
done:
    for (i = 0; i < 3; i++) linreg_free(parts[i]);
    linreg_free(all);
    linreg_free(fresh);
}

static void test_merge_small(void)
{
    linreg_model *a = small_part(0, 4, SMALL_SW), *b = small_part(4, 8, SMALL_SW), *copy = NULL;
    linreg_model *r1 = small_part(0, 5, NULL), *r2 = small_part(5, 8, NULL);
    double W[6], bb[2];
    int64_t size = 0;
    unsigned char *bytes = NULL;
    if (!a || !b || !r1 || !r2) goto done;

    /* Weighted parts: statsmodels WLS; other from deserialized bytes. */
    if (CHECK_STATUS(linreg_serialize(b, NULL, 0, &size), LINREG_OK) && (bytes = malloc((size_t)size)) != NULL &&
        CHECK_STATUS(linreg_serialize(b, bytes, size, &size), LINREG_OK) &&
        CHECK_STATUS(linreg_deserialize(bytes, size, &copy), LINREG_OK) &&
        CHECK_STATUS(linreg_merge(a, copy), LINREG_OK) && CHECK_STATUS(linreg_get_weights(a, W, bb), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_WLS_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(bb, SMALL_WLS_B, 2, EXACT_TOL);
    }

    /* into's ALPHA applies: ridge of all rows. The solver parameter plays no part. */
    SET_PARAM(r1, LINREG_PARAM_ALPHA, 0.5);
    SET_PARAM(r1, LINREG_PARAM_SOLVER, LINREG_SOLVER_SGD);
    if (CHECK_STATUS(linreg_merge(r1, r2), LINREG_OK) && CHECK_STATUS(linreg_get_weights(r1, W, bb), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_RIDGE_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(bb, SMALL_RIDGE_B, 2, EXACT_TOL);
    }
    /* A merged model continues with partial fits. */
    {
        linreg_model *m = fixture_model(SMALL_D, SMALL_K), *p = small_part(0, 3, NULL);
        if (m && p && CHECK_STATUS(linreg_merge(m, p), LINREG_OK) &&
            partial_rows(m, SMALL_X, SMALL_Y, NULL, SMALL_D, SMALL_K, 3, 8) &&
            CHECK_STATUS(linreg_get_weights(m, W, bb), LINREG_OK)) {
            CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
            CHECK_CLOSE_ARRAY(bb, SMALL_LSTSQ_B, 2, EXACT_TOL);
        }
        linreg_free(m);
        linreg_free(p);
    }
done:
    free(bytes);
    linreg_free(a);
    linreg_free(b);
    linreg_free(copy);
    linreg_free(r1);
    linreg_free(r2);
}

static void test_merge_refusals(void)
{
    linreg_model *into = small_part(0, 5, NULL), *other = small_part(5, 8, NULL);
    linreg_model *shape = fixture_model(SMALL_D, 1), *noint = fixture_model(SMALL_D, SMALL_K);
    linreg_model *gd = fixture_model(SMALL_D, SMALL_K), *manual = fixture_model(SMALL_D, SMALL_K);
    model_state s, so;
    double W[6], b[2];
    if (!into || !other || !shape || !noint || !gd || !manual) goto done;
    {   /* shape differs: one output */
        double y0[SMALL_N];
        int i;
        for (i = 0; i < SMALL_N; i++) y0[i] = SMALL_Y[i * SMALL_K];
        CHECK_STATUS(linreg_fit_f64(shape, SMALL_X, y0, SMALL_N), LINREG_OK);
    }
    SET_PARAM(noint, LINREG_PARAM_FIT_INTERCEPT, 0);
    CHECK_STATUS(linreg_fit_f64(noint, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK(fixture_descend_small(gd, LINREG_SOLVER_GD, 3, W, b));
    CHECK_STATUS(linreg_set_weights(manual, SMALL_W0, SMALL_B0), LINREG_OK);

    fixture_snapshot(into, &s);
    fixture_snapshot(other, &so);
    CHECK_STATUS(linreg_merge(NULL, other), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_merge(into, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_merge(into, into), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_merge(into, shape), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_merge(into, noint), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_merge(into, gd), LINREG_E_ARGUMENT);
    CHECK(strlen(linreg_last_error()) > 0);
    CHECK_STATUS(linreg_merge(into, manual), LINREG_E_ARGUMENT);
    CHECK_UNCHANGED(into, &s);
    CHECK_STATUS(linreg_merge(gd, other), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_merge(manual, other), LINREG_E_ARGUMENT);
    /* into's current FIT_INTERCEPT must match too. */
    SET_PARAM(into, LINREG_PARAM_FIT_INTERCEPT, 0);
    fixture_snapshot(into, &s);
    CHECK_STATUS(linreg_merge(into, other), LINREG_E_ARGUMENT);
    CHECK_UNCHANGED(into, &s);
    CHECK_UNCHANGED(other, &so);
    SET_PARAM(into, LINREG_PARAM_FIT_INTERCEPT, 1);
    CHECK_STATUS(linreg_merge(into, other), LINREG_OK);
done:
    linreg_free(into);
    linreg_free(other);
    linreg_free(shape);
    linreg_free(noint);
    linreg_free(gd);
    linreg_free(manual);
}

/* One `other` read by merges into four models on four threads at once. */
typedef struct merge_job {
    const linreg_model *other;
    linreg_model *into;
    int status;
} merge_job;

static void *merge_job_run(void *arg)
{
    merge_job *job = arg;
    job->status = linreg_merge(job->into, job->other);
    return NULL;
}

static void test_merge_concurrent_other(void)
{
    linreg_model *other = small_part(4, 8, NULL), *ref = small_part(0, 8, NULL);
    merge_job jobs[4];
    pthread_t tid[4];
    int i, started = 0;
    memset(jobs, 0, sizeof jobs);
    if (!other || !ref) goto done;
    for (i = 0; i < 4; i++) {
        jobs[i].other = other;
        jobs[i].into = small_part(0, 4, NULL);
        if (!jobs[i].into) goto done;
    }
    for (i = 0; i < 4; i++) started += pthread_create(&tid[i], NULL, merge_job_run, &jobs[i]) == 0;
    CHECK_INT(started, 4);
    for (i = 0; i < started; i++) pthread_join(tid[i], NULL);
    for (i = 0; i < 4; i++) {
        CHECK_STATUS(jobs[i].status, LINREG_OK);
        check_same_fit(jobs[i].into, ref, SAME_FIT, "merge on a thread");
    }
done:
    for (i = 0; i < 4; i++) linreg_free(jobs[i].into);
    linreg_free(other);
    linreg_free(ref);
}

const check_group STREAMING_GROUPS[] = {
    {"partial_fit_exact", test_partial_fit_exact},
    {"partial_fit_advertising", test_partial_fit_advertising},
    {"partial_fit_continuation", test_partial_fit_continuation},
    {"partial_fit_arguments", test_partial_fit_arguments},
    {"partial_fit_descent", test_partial_fit_descent},
    {"merge_advertising", test_merge_advertising},
    {"merge_small", test_merge_small},
    {"merge_refusals", test_merge_refusals},
    {"merge_concurrent_other", test_merge_concurrent_other},
};
const size_t STREAMING_GROUP_COUNT = COUNT(STREAMING_GROUPS);
