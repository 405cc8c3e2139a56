/*
 * test_ridgecv_nnls.c -- LINREG_SOLVER_NNLS and the RidgeCV entry points
 * (linreg_ridgecv_loo_f32/_f64, linreg_ridgecv_solve).
 *
 * References (ridgecv_nnls_references.h) come from scipy.optimize.nnls and
 * scikit-learn's RidgeCV on the Advertising data, never from liblinreg.
 * Tolerances: coefficients 1e-9 relative (liblinreg's solutions are exact to
 * ~1e-15; scipy's and scikit-learn's double-precision solves to about
 * cond * 1e-16, cond ~ 1e3 here); mean leave-one-out errors 1e-9 relative
 * (both sides form 1 - h_ii in double); the chosen alpha exactly.
 * Refusals leave the model (and the caller's buffers) unchanged.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "ridgecv_nnls_references.h"
#include "test_groups.h"

static const double COEF_TOL = 1e-9;
static const double LOO_TOL = 1e-9;
enum { N_ALPHAS = 8 };

/* The weights whose references ridgecv_nnls_references.h holds: w_i = 1 + (i % 5) / 2. */
static void advertising_weights(double *w)
{
    int i;
    for (i = 0; i < ADV_N; i++) w[i] = 1.0 + (double)(i % 5) / 2.0;
}

/* An exact model of Advertising (weighted when w is given), with the solver `solver`. */
static linreg_model *advertising_model(int solver, const double *w)
{
    const advertising *a = fixture_advertising();
    linreg_model *m;
    if (!CHECK(a != NULL)) return NULL;
    m = fixture_model(ADV_D, 1);
    if (!m) return NULL;
    if (!SET_PARAM(m, LINREG_PARAM_SOLVER, solver) ||
        !CHECK_STATUS(w ? linreg_fit_weighted_f64(m, a->X, a->Y, w, ADV_N) : linreg_fit_f64(m, a->X, a->Y, ADV_N),
                      LINREG_OK)) {
        linreg_free(m);
        return NULL;
    }
    return m;
}

static void check_weights(const linreg_model *m, const double *W, const double *b, const char *what)
{
    double got[ADV_D], intercept;
    int i;
    if (!CHECK_STATUS(linreg_get_weights(m, got, &intercept), LINREG_OK)) return;
    for (i = 0; i < ADV_D; i++) {
        char label[96];
        snprintf(label, sizeof label, "%s: W[%d]", what, i);
        if (W[i] == 0) {
            check_same(got[i], 0.0, label, __FILE__, __LINE__); /* an active constraint is an exact zero */
        } else {
            check_close(got[i], W[i], COEF_TOL, label, __FILE__, __LINE__);
        }
    }
    check_close(intercept, b[0], COEF_TOL, what, __FILE__, __LINE__);
}

/* ------------------------------------------------------------------ NNLS */
static void test_nnls_advertising(void)
{
    double w[ADV_N], value[1];
    linreg_model *m = advertising_model(LINREG_SOLVER_NNLS, NULL);
    model_state before;
    const advertising *a = fixture_advertising();
    if (!m) return;
    check_weights(m, NNLS_ADV_W, NNLS_ADV_B, "NNLS");
    /* no inference for a constrained fit */
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, value), LINREG_E_UNAVAILABLE);
    /* not a solver, a negative alpha: refused, the model unchanged */
    fixture_snapshot(m, &before);
    CHECK_STATUS(linreg_set_param(m, LINREG_PARAM_SOLVER, 99), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_set_param(m, LINREG_PARAM_ALPHA, -1.0), LINREG_E_ARGUMENT);
    CHECK_UNCHANGED(m, &before);
    /* alpha > 0: non-negative ridge (since 0.2) */
    if (SET_PARAM(m, LINREG_PARAM_ALPHA, NNLS_RIDGE_ALPHA[0]) &&
        CHECK_STATUS(linreg_fit_f64(m, a->X, a->Y, ADV_N), LINREG_OK))
        check_weights(m, NNLS_RIDGE_ADV_W, NNLS_RIDGE_ADV_B, "non-negative ridge");
    linreg_free(m);

    advertising_weights(w);
    m = advertising_model(LINREG_SOLVER_NNLS, w);
    if (m) check_weights(m, NNLS_ADV_WEIGHTED_W, NNLS_ADV_WEIGHTED_B, "weighted NNLS");
    linreg_free(m);
}

static void test_nnls_partial_fit_and_merge(void)
{
    const advertising *a = fixture_advertising();
    double w[ADV_N];
    linreg_model *streamed, *left, *right;
    int from;
    if (!CHECK(a != NULL)) return;
    advertising_weights(w);
    streamed = fixture_model(ADV_D, 1);
    if (!streamed) return;
    if (SET_PARAM(streamed, LINREG_PARAM_SOLVER, LINREG_SOLVER_NNLS)) {
        for (from = 0; from < ADV_N; from += 70) {
            int rows = ADV_N - from < 70 ? ADV_N - from : 70;
            if (!CHECK_STATUS(linreg_partial_fit_weighted_f64(streamed, a->X + from * ADV_D, a->Y + from, w + from, rows),
                              LINREG_OK))
                break;
        }
        check_weights(streamed, NNLS_ADV_WEIGHTED_W, NNLS_ADV_WEIGHTED_B, "NNLS partial fits");
    }
    linreg_free(streamed);

    /* merge: into's solver decides (the other part was fitted exactly, unconstrained) */
    left = fixture_model(ADV_D, 1);
    right = fixture_model(ADV_D, 1);
    if (left && right && SET_PARAM(left, LINREG_PARAM_SOLVER, LINREG_SOLVER_NNLS) &&
        CHECK_STATUS(linreg_fit_weighted_f64(left, a->X, a->Y, w, 120), LINREG_OK) &&
        CHECK_STATUS(linreg_fit_weighted_f64(right, a->X + 120 * ADV_D, a->Y + 120, w + 120, ADV_N - 120), LINREG_OK) &&
        CHECK_STATUS(linreg_merge(left, right), LINREG_OK)) {
        check_weights(left, NNLS_ADV_WEIGHTED_W, NNLS_ADV_WEIGHTED_B, "NNLS merge");
    }
    linreg_free(left);
    linreg_free(right);
}

/* --------------------------------------------------------------- RidgeCV */
static void check_ridgecv(const double *w, const double *mean_errors, int best, const double *W, const double *b,
                          const char *what)
{
    const advertising *a = fixture_advertising();
    linreg_model *m = advertising_model(LINREG_SOLVER_EXACT, w);
    double sums[N_ALPHAS] = {0}, chunked[N_ALPHAS] = {0}, per_row_sum[N_ALPHAS] = {0};
    static double rows[ADV_N * N_ALPHAS];
    double alpha = 0, chosen;
    int i, j, from, argmin = 0;
    if (!m) return;
    if (CHECK_STATUS(linreg_ridgecv_loo_f64(m, a->X, a->Y, w, ADV_N, RIDGECV_ALPHAS, N_ALPHAS, sums, rows),
                     LINREG_OK)) {
        for (j = 0; j < N_ALPHAS; j++) {
            char label[96];
            snprintf(label, sizeof label, "%s: mean LOO error of alpha %g", what, RIDGECV_ALPHAS[j]);
            check_close(sums[j] / ADV_N, mean_errors[j], LOO_TOL, label, __FILE__, __LINE__);
            if (sums[j] < sums[argmin]) argmin = j;
            for (i = 0; i < ADV_N; i++) per_row_sum[j] += rows[i * N_ALPHAS + j];
        }
        CHECK_INT(argmin, best);
        CHECK_CLOSE_ARRAY(per_row_sum, sums, N_ALPHAS, 1e-13);
    }
    /* chunk by chunk (sums added), and float32 data (promoted: the same values) */
    for (from = 0; from < ADV_N; from += 64) {
        int n = ADV_N - from < 64 ? ADV_N - from : 64;
        CHECK_STATUS(linreg_ridgecv_loo_f64(m, a->X + from * ADV_D, a->Y + from, w ? w + from : NULL, n, RIDGECV_ALPHAS,
                                            N_ALPHAS, chunked, NULL),
                     LINREG_OK);
    }
    CHECK_CLOSE_ARRAY(chunked, sums, N_ALPHAS, 1e-13);
    if (!w) {
        double f32[N_ALPHAS] = {0}, expected[N_ALPHAS];
        linreg_model *m32 = fixture_model(ADV_D, 1);
        if (m32 && CHECK_STATUS(linreg_fit_f32(m32, a->Xf, a->Yf, ADV_N), LINREG_OK) &&
            CHECK_STATUS(linreg_ridgecv_loo_f32(m32, a->Xf, a->Yf, NULL, ADV_N, RIDGECV_ALPHAS, N_ALPHAS, f32, NULL),
                         LINREG_OK)) {
            for (j = 0; j < N_ALPHAS; j++) expected[j] = mean_errors[j] * ADV_N;
            CHECK_CLOSE_ARRAY(f32, expected, N_ALPHAS, 1e-5); /* Advertising in float32: ~1e-7 relative data */
        }
        linreg_free(m32);
    }
    chosen = RIDGECV_ALPHAS[best];
    if (CHECK_STATUS(linreg_ridgecv_solve(m, &chosen), LINREG_OK)) {
        check_weights(m, W, b, what);
        CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_ALPHA, &alpha), LINREG_OK);
        CHECK_SAME(alpha, chosen);
    }
    linreg_free(m);
}

static void test_ridgecv_advertising(void)
{
    double w[ADV_N];
    check_ridgecv(NULL, RIDGECV_ADV_MEAN_ERRORS, RIDGECV_ADV_BEST, RIDGECV_ADV_W, RIDGECV_ADV_B, "RidgeCV");
    advertising_weights(w);
    check_ridgecv(w, RIDGECV_ADV_WEIGHTED_MEAN_ERRORS, RIDGECV_ADV_WEIGHTED_BEST, RIDGECV_ADV_WEIGHTED_W,
                  RIDGECV_ADV_WEIGHTED_B, "weighted RidgeCV");
}

static void test_ridgecv_bad_input(void)
{
    const advertising *a = fixture_advertising();
    linreg_model *m = advertising_model(LINREG_SOLVER_EXACT, NULL);
    linreg_model *fresh = fixture_model(ADV_D, 1), *gd = fixture_model(ADV_D, 1);
    double sums[N_ALPHAS], rows[4 * N_ALPHAS], bad[2] = {1.0, 0.0}, X[2 * ADV_D], w[2] = {1, -1};
    double nan_alpha = NAN, alpha = 1.0;
    model_state before;
    int i;
    if (!m || !fresh || !gd) goto done;
    for (i = 0; i < N_ALPHAS; i++) sums[i] = 7.0;
    for (i = 0; i < 4 * N_ALPHAS; i++) rows[i] = 7.0;
    fixture_snapshot(m, &before);
#define LOO(model, x, y, sw, n, al, na, s, r) linreg_ridgecv_loo_f64((model), (x), (y), (sw), (n), (al), (na), (s), (r))
    CHECK_STATUS(LOO(NULL, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, NULL, a->Y, NULL, 4, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, NULL, NULL, 4, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, NULL, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, N_ALPHAS, NULL, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 0, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, -1, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, 0, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, INT64_MAX, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, INT64_MAX, sums, rows), LINREG_E_ARGUMENT);
    /* 2^40 alphas (8 TiB): refused before a single alpha is read */
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, (int64_t)1 << 40, sums, NULL), LINREG_E_NOMEM);
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, bad, 2, sums, rows), LINREG_E_ARGUMENT);
    CHECK_CONTAINS(linreg_last_error(), "alphas[1]");
    CHECK_STATUS(LOO(m, a->X, a->Y, NULL, 4, &nan_alpha, 1, sums, rows), LINREG_E_ARGUMENT);
    CHECK_STATUS(LOO(m, a->X, a->Y, w, 2, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_ARGUMENT);
    memcpy(X, a->X, sizeof X);
    X[ADV_D + 1] = NAN;
    CHECK_STATUS(LOO(m, X, a->Y, NULL, 2, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_NONFINITE);
    CHECK_CONTAINS(linreg_last_error(), "row 1");
    CHECK_STATUS(LOO(fresh, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_NOT_FITTED);
    if (SET_PARAM(gd, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD) && SET_PARAM(gd, LINREG_PARAM_EPOCHS, 2) &&
        SET_PARAM(gd, LINREG_PARAM_LEARNING_RATE, 1e-6) &&
        CHECK_STATUS(linreg_fit_f64(gd, a->X, a->Y, ADV_N), LINREG_OK)) {
        CHECK_STATUS(LOO(gd, a->X, a->Y, NULL, 4, RIDGECV_ALPHAS, N_ALPHAS, sums, rows), LINREG_E_UNAVAILABLE);
        CHECK_STATUS(linreg_ridgecv_solve(gd, &alpha), LINREG_E_UNAVAILABLE);
    }
#undef LOO
    /* no buffer was written by a refused call */
    for (i = 0; i < N_ALPHAS; i++) CHECK_SAME(sums[i], 7.0);
    for (i = 0; i < 4 * N_ALPHAS; i++) CHECK_SAME(rows[i], 7.0);

    CHECK_STATUS(linreg_ridgecv_solve(NULL, &alpha), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_ridgecv_solve(m, NULL), LINREG_E_ARGUMENT);
    alpha = -1.0;
    CHECK_STATUS(linreg_ridgecv_solve(m, &alpha), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_ridgecv_solve(m, &nan_alpha), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_ridgecv_solve(fresh, &alpha), LINREG_E_NOT_FITTED);
    CHECK_UNCHANGED(m, &before);
done:
    linreg_free(m);
    linreg_free(fresh);
    linreg_free(gd);
}

const check_group RIDGECV_NNLS_GROUPS[] = {
    {"nnls_advertising", test_nnls_advertising},
    {"nnls_partial_fit_and_merge", test_nnls_partial_fit_and_merge},
    {"ridgecv_advertising", test_ridgecv_advertising},
    {"ridgecv_bad_input", test_ridgecv_bad_input},
};
const size_t RIDGECV_NNLS_GROUP_COUNT = COUNT(RIDGECV_NNLS_GROUPS);
