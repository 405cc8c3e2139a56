/*
 * test_numerics.c -- liblinreg's numbers against independent references
 * (numpy, statsmodels, scikit-learn, PyTorch), embedded in references.h by
 * make_references.py. Tolerances:
 *   exact solver vs numpy.linalg.lstsq / sklearn / statsmodels WLS  1e-9 relative
 *   statistics vs statsmodels                                       1e-8 relative
 *   GD/SGD in float64 vs PyTorch float64                           1e-9 relative
 *   GD on Advertising vs PyTorch float32                           1e-5 relative
 *   SGD on Advertising vs PyTorch float32                          5e-5 relative (the float32
 *     reference itself is 5e-6 from float64 on the intercept: float rounding over 4000 steps)
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "references.h"
#include "test_groups.h"

static const double EXACT_TOL = 1e-9;
static const double STAT_TOL = 1e-8;

/* Fits m to (X, Y) with the current parameters and returns W (k*d) and b (k). */
static int fit_weights(linreg_model *m, const double *X, const double *Y, int64_t n, double *W, double *b)
{
    if (!CHECK_STATUS(linreg_fit_f64(m, X, Y, n), LINREG_OK)) return 0;
    return CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK);
}

/* |got - expected| <= tol * max|expected| for every element (for values that may be near zero). */
static int check_near_array(const double *got, const double *expected, size_t n, double tol, const char *what)
{
    double scale = 0;
    size_t i;
    int ok = 1;
    for (i = 0; i < n; i++) scale = fabs(expected[i]) > scale ? fabs(expected[i]) : scale;
    for (i = 0; i < n; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s[%lu] (within %.1g of the largest)", what, (unsigned long)i, tol);
        ok &= check_true(fabs(got[i] - expected[i]) <= tol * scale, name, __FILE__, __LINE__);
        if (fabs(got[i] - expected[i]) > tol * scale) printf("    got %.17g, expected %.17g\n", got[i], expected[i]);
    }
    return ok;
}

/* --------------------------------------------------------- exact solver */
static void test_exact_small(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double W[6], b[2], Yhat[SMALL_N * SMALL_K], Yref[SMALL_N * SMALL_K];
    float Xf[SMALL_N * SMALL_D], Yf[SMALL_N * SMALL_K], Yhatf[SMALL_N * SMALL_K];
    int i, j, c;
    if (!m) return;

    /* f64, with intercept, two outputs at once. */
    if (fit_weights(m, SMALL_X, SMALL_Y, SMALL_N, W, b)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
    }
    /* Predictions: X W_ref^T + b_ref. */
    for (i = 0; i < SMALL_N; i++) {
        for (j = 0; j < SMALL_K; j++) {
            double e = SMALL_LSTSQ_B[j];
            for (c = 0; c < SMALL_D; c++) e += SMALL_X[i * SMALL_D + c] * SMALL_LSTSQ_W[j * SMALL_D + c];
            Yref[i * SMALL_K + j] = e;
        }
    }
    if (CHECK_STATUS(linreg_predict_f64(m, SMALL_X, SMALL_N, Yhat), LINREG_OK)) {
        check_near_array(Yhat, Yref, SMALL_N * SMALL_K, EXACT_TOL, "predict_f64");
    }

    /* f32 input holding the same (exactly representable) values: same answer. */
    fixture_small_f32(Xf, Yf, NULL);
    if (CHECK_STATUS(linreg_fit_f32(m, Xf, Yf, SMALL_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
    }
    if (CHECK_STATUS(linreg_predict_f32(m, Xf, SMALL_N, Yhatf), LINREG_OK)) {
        double got[SMALL_N * SMALL_K];
        for (i = 0; i < SMALL_N * SMALL_K; i++) got[i] = Yhatf[i];
        check_near_array(got, Yref, SMALL_N * SMALL_K, 1e-6, "predict_f32");
    }

    /* Each output alone gives the same coefficients as the joint fit. */
    for (j = 0; j < SMALL_K; j++) {
        linreg_model *one = fixture_model(SMALL_D, 1);
        double y[SMALL_N], w1[3], b1;
        if (!one) break;
        for (i = 0; i < SMALL_N; i++) y[i] = SMALL_Y[i * SMALL_K + j];
        if (fit_weights(one, SMALL_X, y, SMALL_N, w1, &b1)) {
            CHECK_CLOSE_ARRAY(w1, SMALL_LSTSQ_W + j * SMALL_D, 3, EXACT_TOL);
            CHECK_CLOSE(b1, SMALL_LSTSQ_B[j], EXACT_TOL);
        }
        linreg_free(one);
    }

    /* Without intercept. */
    SET_PARAM(m, LINREG_PARAM_FIT_INTERCEPT, 0);
    if (fit_weights(m, SMALL_X, SMALL_Y, SMALL_N, W, b)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_NOINT_W, 6, EXACT_TOL);
        CHECK_SAME(b[0], 0.0);
        CHECK_SAME(b[1], 0.0);
    }
    /* The exact answer does not depend on the starting weights. */
    SET_PARAM(m, LINREG_PARAM_FIT_INTERCEPT, 1);
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    if (fit_weights(m, SMALL_X, SMALL_Y, SMALL_N, W, b)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
    }
    linreg_free(m);
}

static void test_exact_rank_deficient(void)
{
    linreg_model *m = fixture_model(RANKDEF_D, 1);
    double W[3], b, fitted[RANKDEF_N], v;
    if (!m) return;
    if (fit_weights(m, RANKDEF_X, RANKDEF_Y, RANKDEF_N, W, &b)) {
        /* Equal columns share the weight in a minimum-norm solution. */
        CHECK_CLOSE(W[0], W[1], EXACT_TOL);
        if (CHECK_STATUS(linreg_predict_f64(m, RANKDEF_X, RANKDEF_N, fitted), LINREG_OK)) {
            check_near_array(fitted, RANKDEF_FITTED, RANKDEF_N, EXACT_TOL, "rank-deficient fitted values");
        }
        if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_RANK, &v), LINREG_OK)) CHECK_SAME(v, RANKDEF_RANK);
        if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DF_RESID, &v), LINREG_OK)) {
            CHECK_SAME(v, RANKDEF_N - RANKDEF_RANK);
        }
        if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DF_MODEL, &v), LINREG_OK)) CHECK_SAME(v, RANKDEF_RANK - 1);
    }
    linreg_free(m);
}

static void test_weighted_exact(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double W[6], b[2], W2[6], b2[2], v[2], se[8];
    double Xd[(SMALL_N + 1) * SMALL_D], Yd[(SMALL_N + 1) * SMALL_K], ones[SMALL_N], twice[SMALL_N];
    float Xf[SMALL_N * SMALL_D], Yf[SMALL_N * SMALL_K], Wf[SMALL_N];
    int i;
    if (!m) return;

    /* statsmodels WLS. */
    if (CHECK_STATUS(linreg_fit_weighted_f64(m, SMALL_X, SMALL_Y, SMALL_SW, SMALL_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_WLS_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_WLS_B, 2, EXACT_TOL);
        if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, v), LINREG_OK)) CHECK_CLOSE(v[0], SMALL_WLS_R2_0, STAT_TOL);
        if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_RSS, v), LINREG_OK)) {
            CHECK_CLOSE(v[0], SMALL_WLS_RSS_0, STAT_TOL);
        }
        if (CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, se), LINREG_OK)) {
            /* output 0: its 3 weights first, its intercept at index k*d. */
            double got[4];
            got[0] = se[0];
            got[1] = se[1];
            got[2] = se[2];
            got[3] = se[SMALL_K * SMALL_D];
            CHECK_CLOSE_ARRAY(got, SMALL_WLS_BSE_0, 4, STAT_TOL);
        }
    }
    /* float32 input with the same values. */
    fixture_small_f32(Xf, Yf, Wf);
    if (CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, Wf, SMALL_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_WLS_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_WLS_B, 2, EXACT_TOL);
    }

    /* Unit weights are the unweighted fit; weight 2 on a row is that row twice. */
    for (i = 0; i < SMALL_N; i++) {
        ones[i] = 1;
        twice[i] = i == 3 ? 2 : 1;
    }
    if (CHECK_STATUS(linreg_fit_weighted_f64(m, SMALL_X, SMALL_Y, ones, SMALL_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, SMALL_LSTSQ_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_LSTSQ_B, 2, EXACT_TOL);
    }
    memcpy(Xd, SMALL_X, sizeof SMALL_X);
    memcpy(Yd, SMALL_Y, sizeof SMALL_Y);
    memcpy(Xd + SMALL_N * SMALL_D, SMALL_X + 3 * SMALL_D, SMALL_D * sizeof(double));
    memcpy(Yd + SMALL_N * SMALL_K, SMALL_Y + 3 * SMALL_K, SMALL_K * sizeof(double));
    if (CHECK_STATUS(linreg_fit_weighted_f64(m, SMALL_X, SMALL_Y, twice, SMALL_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK) &&
        fit_weights(m, Xd, Yd, SMALL_N + 1, W2, b2)) {
        CHECK_CLOSE_ARRAY(W, W2, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, b2, 2, EXACT_TOL);
    }
    linreg_free(m);
}

static void test_ridge(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double W[6], b[2];
    if (!m) return;
    SET_PARAM(m, LINREG_PARAM_ALPHA, 0.5);
    if (fit_weights(m, SMALL_X, SMALL_Y, SMALL_N, W, b)) {
        CHECK_CLOSE_ARRAY(W, SMALL_RIDGE_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_RIDGE_B, 2, EXACT_TOL);
    }
    linreg_free(m);
}

/* ---------------------------------------------------------- GD and SGD */
static void test_gd_small(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double W[6], b[2], W2[6], b2[2], hist[64], hist2[64], ones[SMALL_N];
    int i;
    if (!m) return;
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.01);
    /* Full-batch GD with two outputs vs PyTorch float64. */
    if (fixture_descend_small(m, LINREG_SOLVER_GD, 50, W, b)) {
        CHECK_CLOSE_ARRAY(W, SMALL_GD_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_GD_B, 2, EXACT_TOL);
        if (CHECK_INT(fixture_history(m, hist, 64), 50)) {
            CHECK_CLOSE(hist[0], SMALL_GD_LOSS_FIRST, EXACT_TOL);
            CHECK_CLOSE(hist[49], SMALL_GD_LOSS_LAST, EXACT_TOL);
        }
    }
    /* A warm start continues where the last fit ended: 25 + 25 epochs = 50. */
    if (fixture_descend_small(m, LINREG_SOLVER_GD, 25, W2, b2) &&
        fit_weights(m, SMALL_X, SMALL_Y, SMALL_N, W2, b2)) {
        CHECK_CLOSE_ARRAY(W2, SMALL_GD_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b2, SMALL_GD_B, 2, EXACT_TOL);
        if (CHECK_INT(fixture_history(m, hist2, 64), 25)) CHECK_CLOSE(hist2[24], SMALL_GD_LOSS_LAST, EXACT_TOL);
    }
    /* SGD with a batch at least n_samples is GD. */
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 1000);
    if (fixture_descend_small(m, LINREG_SOLVER_SGD, 50, W2, b2)) {
        CHECK_CLOSE_ARRAY(W2, SMALL_GD_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b2, SMALL_GD_B, 2, EXACT_TOL);
        if (CHECK_INT(fixture_history(m, hist2, 64), 50)) CHECK_CLOSE_ARRAY(hist2, hist, 50, EXACT_TOL);
    }
    /* Unit sample weights change nothing. */
    for (i = 0; i < SMALL_N; i++) ones[i] = 1;
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
    if (CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK) &&
        CHECK_STATUS(linreg_fit_weighted_f64(m, SMALL_X, SMALL_Y, ones, SMALL_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W2, b2), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W2, SMALL_GD_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b2, SMALL_GD_B, 2, EXACT_TOL);
    }
    linreg_free(m);
}

static void test_sgd_momentum_decay(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double W[6], b[2], hist[32];
    if (!m) return;
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.01);
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(m, LINREG_PARAM_MOMENTUM, 0.9);
    SET_PARAM(m, LINREG_PARAM_WEIGHT_DECAY, 0.01);
    if (fixture_descend_small(m, LINREG_SOLVER_SGD, 25, W, b)) {
        CHECK_CLOSE_ARRAY(W, SMALL_SGD_W, 6, EXACT_TOL);
        CHECK_CLOSE_ARRAY(b, SMALL_SGD_B, 2, EXACT_TOL);
        if (CHECK_INT(fixture_history(m, hist, 32), 25)) {
            CHECK_CLOSE(hist[0], SMALL_SGD_LOSS_FIRST, EXACT_TOL);
            CHECK_CLOSE(hist[24], SMALL_SGD_LOSS_LAST, EXACT_TOL);
        }
    }
    linreg_free(m);
}

/* The seed's runs on all 200 Advertising rows in float32, vs PyTorch float32. */
static void test_advertising_descent(void)
{
    const advertising *adv = fixture_advertising();
    linreg_model *m = fixture_model(ADV_D, 1);
    double W0[3], b0 = (double)SEED_B0[0], W[3], b, hist[1000];
    size_t i;
    if (!adv || !m) return;
    for (i = 0; i < 3; i++) W0[i] = (double)SEED_W0[i];
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 1e-5);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 1000);
    CHECK_STATUS(linreg_set_weights(m, W0, &b0), LINREG_OK);
    if (CHECK_STATUS(linreg_fit_f32(m, adv->Xf, adv->Yf, ADV_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, &b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, ADV_GD_W, 3, 1e-5);
        CHECK_CLOSE(b, ADV_GD_B[0], 1e-5);
        if (CHECK_INT(fixture_history(m, hist, 1000), 1000)) {
            for (i = 0; i < COUNT(ADV_GD_LOSS_AT); i++) CHECK_CLOSE(hist[ADV_GD_LOSS_AT[i]], ADV_GD_LOSS[i], 1e-5);
        }
    }

    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_SGD);
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 5);
    SET_PARAM(m, LINREG_PARAM_SHUFFLE, 0);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 100);
    CHECK_STATUS(linreg_set_weights(m, W0, &b0), LINREG_OK);
    if (CHECK_STATUS(linreg_fit_f32(m, adv->Xf, adv->Yf, ADV_N), LINREG_OK) &&
        CHECK_STATUS(linreg_get_weights(m, W, &b), LINREG_OK)) {
        CHECK_CLOSE_ARRAY(W, ADV_SGD_W, 3, 5e-5);
        CHECK_CLOSE(b, ADV_SGD_B[0], 5e-5);
        if (CHECK_INT(fixture_history(m, hist, 1000), 100)) {
            CHECK_CLOSE(hist[0], ADV_SGD_LOSS_FIRST, 5e-5);
            CHECK_CLOSE(hist[99], ADV_SGD_LOSS_LAST, 5e-5);
        }
    }
    linreg_free(m);
}

/* A learning rate far too large for the raw Advertising features. */
static void test_divergence(void)
{
    const advertising *adv = fixture_advertising();
    linreg_model *m = fixture_model(ADV_D, 1);
    double W0[3], b0 = (double)SEED_B0[0];
    model_state before;
    int solver;
    size_t i;
    if (!adv || !m) return;
    for (i = 0; i < 3; i++) W0[i] = (double)SEED_W0[i];
    for (solver = LINREG_SOLVER_GD; solver <= LINREG_SOLVER_SGD; solver++) {
        SET_PARAM(m, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 1.0);
        SET_PARAM(m, LINREG_PARAM_EPOCHS, 1000);
        CHECK_STATUS(linreg_set_weights(m, W0, &b0), LINREG_OK);
        fixture_snapshot(m, &before);
        CHECK_STATUS(linreg_fit_f32(m, adv->Xf, adv->Yf, ADV_N), LINREG_E_DIVERGED);
        CHECK(strlen(linreg_last_error()) > 0);
        CHECK_UNCHANGED(m, &before);
        CHECK_STATUS(linreg_fit_f64(m, adv->X, adv->Y, ADV_N), LINREG_E_DIVERGED);
        CHECK_UNCHANGED(m, &before);
    }
    linreg_free(m);
}

/* ------------------------------------------------------------ statistics */
static void check_stat(linreg_model *m, linreg_stat key, double expected, const char *name)
{
    double v = NAN;
    if (check_status(linreg_get_stat(m, key, &v), LINREG_OK, name, __FILE__, __LINE__)) {
        check_close(v, expected, STAT_TOL, name, __FILE__, __LINE__);
    }
}

static void check_coef(linreg_model *m, linreg_coef_stat key, const double *expected, const char *name)
{
    double v[4];
    size_t i;
    if (!check_status(linreg_get_coef_stats(m, key, v), LINREG_OK, name, __FILE__, __LINE__)) return;
    for (i = 0; i < 4; i++) {
        char label[96];
        snprintf(label, sizeof label, "%s[%lu]", name, (unsigned long)i);
        check_close(v[i], expected[i], STAT_TOL, label, __FILE__, __LINE__);
    }
}

static void test_statistics_advertising(void)
{
    const advertising *adv = fixture_advertising();
    linreg_model *m = fixture_model(ADV_D, 1);
    double W[3], b, sv[8];
    int64_t count = -1;
    int i;
    if (!adv || !m) return;
    if (!fit_weights(m, adv->X, adv->Y, ADV_N, W, &b)) return;
    CHECK_CLOSE_ARRAY(W, ADV_OLS_PARAMS, 3, EXACT_TOL);
    CHECK_CLOSE(b, ADV_OLS_PARAMS[3], EXACT_TOL);

    check_stat(m, LINREG_STAT_R2, ADV_OLS_R2, "R2");
    check_stat(m, LINREG_STAT_ADJ_R2, ADV_OLS_ADJ_R2, "ADJ_R2");
    check_stat(m, LINREG_STAT_F, ADV_OLS_F, "F");
    check_stat(m, LINREG_STAT_F_PVALUE, ADV_OLS_F_PVALUE, "F_PVALUE");
    check_stat(m, LINREG_STAT_LOGLIK, ADV_OLS_LOGLIK, "LOGLIK");
    check_stat(m, LINREG_STAT_AIC, ADV_OLS_AIC, "AIC");
    check_stat(m, LINREG_STAT_BIC, ADV_OLS_BIC, "BIC");
    check_stat(m, LINREG_STAT_SIGMA, ADV_OLS_SIGMA, "SIGMA");
    check_stat(m, LINREG_STAT_DF_MODEL, ADV_OLS_DF_MODEL, "DF_MODEL");
    check_stat(m, LINREG_STAT_DF_RESID, ADV_OLS_DF_RESID, "DF_RESID");
    check_stat(m, LINREG_STAT_RANK, ADV_OLS_RANK, "RANK");
    check_stat(m, LINREG_STAT_COND, ADV_OLS_COND, "COND");
    check_stat(m, LINREG_STAT_N, ADV_OLS_N, "N");
    check_stat(m, LINREG_STAT_RSS, ADV_OLS_RSS, "RSS");

    check_coef(m, LINREG_COEF_STDERR, ADV_OLS_BSE, "STDERR");
    check_coef(m, LINREG_COEF_T, ADV_OLS_T, "T");
    check_coef(m, LINREG_COEF_PVALUE, ADV_OLS_P, "PVALUE");
    check_coef(m, LINREG_COEF_CI_LOW, ADV_OLS_CI95_LOW, "CI_LOW (95%)");
    check_coef(m, LINREG_COEF_CI_HIGH, ADV_OLS_CI95_HIGH, "CI_HIGH (95%)");
    /* The confidence level is read when the bounds are asked for. */
    SET_PARAM(m, LINREG_PARAM_CI_LEVEL, 0.90);
    check_coef(m, LINREG_COEF_CI_LOW, ADV_OLS_CI90_LOW, "CI_LOW (90%)");
    check_coef(m, LINREG_COEF_CI_HIGH, ADV_OLS_CI90_HIGH, "CI_HIGH (90%)");

    /* Singular values: scikit-learn's singular_ (of X centred), largest
     * first; capacity semantics as the loss history. */
    if (CHECK_STATUS(linreg_singular_values(m, NULL, 0, &count), LINREG_OK)) CHECK_INT(count, 3);
    for (i = 0; i < 8; i++) sv[i] = -1;
    count = -1;
    if (CHECK_STATUS(linreg_singular_values(m, sv, 8, &count), LINREG_OK)) {
        CHECK_INT(count, 3);
        for (i = 0; i < 3; i++) CHECK_CLOSE(sv[i], ADV_OLS_SINGULAR[i], 1e-12);
        CHECK(sv[3] == -1 && sv[7] == -1);
    }
    {
        double two[4] = {-1, -1, -1, -1};
        count = -1;
        if (CHECK_STATUS(linreg_singular_values(m, two, 2, &count), LINREG_OK)) {
            CHECK_INT(count, 3);
            CHECK_SAME(two[0], sv[0]);
            CHECK_SAME(two[1], sv[1]);
            CHECK(two[2] == -1 && two[3] == -1);
        }
    }
    linreg_free(m);
}

/* statsmodels' bundled Longley data: six strongly collinear regressors
 * (condition number ~5e9), the classic test of regression software. Every
 * statistic against statsmodels OLS at STAT_TOL (1e-8 relative), except the
 * condition number: statsmodels takes it from the eigenvalues of X'X in
 * double, which for this matrix carry a relative error of about
 * cond^2 * eps ~ 1e-6 of the smallest eigenvalue; liblinreg's comes from the
 * singular values of the (double-double) R factor. 1e-6 covers that. */
static void test_statistics_longley(void)
{
    enum { LN = 16, LD = 6 };
    linreg_model *m = fixture_model(LD, 1);
    double W[LD], b, v[2 * (LD + 1)];
    int i, key;
    static const struct { linreg_stat key; const char *name; double expected; } stats[] = {
        {LINREG_STAT_R2, "R2", 0}, {LINREG_STAT_ADJ_R2, "ADJ_R2", 0}, {LINREG_STAT_F, "F", 0},
        {LINREG_STAT_F_PVALUE, "F_PVALUE", 0}, {LINREG_STAT_LOGLIK, "LOGLIK", 0}, {LINREG_STAT_AIC, "AIC", 0},
        {LINREG_STAT_BIC, "BIC", 0}, {LINREG_STAT_SIGMA, "SIGMA", 0}, {LINREG_STAT_DF_MODEL, "DF_MODEL", 0},
        {LINREG_STAT_DF_RESID, "DF_RESID", 0}, {LINREG_STAT_N, "N", 0}, {LINREG_STAT_RSS, "RSS", 0},
    };
    const double expected[] = {LONGLEY_OLS_R2, LONGLEY_OLS_ADJ_R2, LONGLEY_OLS_F, LONGLEY_OLS_F_PVALUE,
                               LONGLEY_OLS_LOGLIK, LONGLEY_OLS_AIC, LONGLEY_OLS_BIC, LONGLEY_OLS_SIGMA,
                               LONGLEY_OLS_DF_MODEL, LONGLEY_OLS_DF_RESID, LONGLEY_OLS_N, LONGLEY_OLS_RSS};
    static const struct { linreg_coef_stat key; const char *name; const double *expected; } coefs[] = {
        {LINREG_COEF_STDERR, "STDERR", LONGLEY_OLS_BSE}, {LINREG_COEF_T, "T", LONGLEY_OLS_T},
        {LINREG_COEF_PVALUE, "PVALUE", LONGLEY_OLS_P}, {LINREG_COEF_CI_LOW, "CI_LOW", LONGLEY_OLS_CI95_LOW},
        {LINREG_COEF_CI_HIGH, "CI_HIGH", LONGLEY_OLS_CI95_HIGH},
    };
    if (!m) return;
    if (!fit_weights(m, LONGLEY_X, LONGLEY_Y, LN, W, &b)) return;
    CHECK_CLOSE_ARRAY(W, LONGLEY_OLS_PARAMS, LD, STAT_TOL);
    CHECK_CLOSE(b, LONGLEY_OLS_PARAMS[LD], STAT_TOL);
    for (i = 0; i < (int)(sizeof stats / sizeof stats[0]); i++) {
        double got = NAN;
        if (check_status(linreg_get_stat(m, stats[i].key, &got), LINREG_OK, stats[i].name, __FILE__, __LINE__))
            check_close(got, expected[i], STAT_TOL, stats[i].name, __FILE__, __LINE__);
    }
    {
        double cond = NAN;
        if (CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_COND, &cond), LINREG_OK)) CHECK_CLOSE(cond, LONGLEY_OLS_COND, 1e-6);
    }
    for (key = 0; key < (int)(sizeof coefs / sizeof coefs[0]); key++) {
        if (!check_status(linreg_get_coef_stats(m, coefs[key].key, v), LINREG_OK, coefs[key].name, __FILE__, __LINE__))
            continue;
        for (i = 0; i <= LD; i++) {
            char label[64];
            snprintf(label, sizeof label, "Longley %s[%d]", coefs[key].name, i);
            check_close(v[i], coefs[key].expected[i], STAT_TOL, label, __FILE__, __LINE__);
        }
    }
    linreg_free(m);
}

static void test_statistics_small(void)
{
    linreg_model *m = fixture_model(SMALL_D, 1), *joint = fixture_model(SMALL_D, SMALL_K);
    double y0[SMALL_N], W[3], b, v[2], coef[8];
    int64_t count = -1;
    int i, key;
    if (!m || !joint) return;
    for (i = 0; i < SMALL_N; i++) y0[i] = SMALL_Y[i * SMALL_K];

    /* Without intercept: uncentred R^2 as statsmodels; NaN intercept entries. */
    SET_PARAM(m, LINREG_PARAM_FIT_INTERCEPT, 0);
    if (fit_weights(m, SMALL_X, y0, SMALL_N, W, &b)) {
        check_stat(m, LINREG_STAT_R2, SMALL_NOINT_R2, "R2 (no intercept)");
        check_stat(m, LINREG_STAT_F, SMALL_NOINT_F, "F (no intercept)");
        check_stat(m, LINREG_STAT_DF_MODEL, SMALL_NOINT_DF_MODEL, "DF_MODEL (no intercept)");
        check_stat(m, LINREG_STAT_DF_RESID, SMALL_NOINT_DF_RESID, "DF_RESID (no intercept)");
        for (key = LINREG_COEF_STDERR; key <= LINREG_COEF_CI_HIGH; key++) {
            for (i = 0; i < 4; i++) coef[i] = 0;
            if (CHECK_STATUS(linreg_get_coef_stats(m, (linreg_coef_stat)key, coef), LINREG_OK)) {
                CHECK(isfinite(coef[0]) && isfinite(coef[1]) && isfinite(coef[2]));
                CHECK(isnan(coef[3]));
            }
        }
        if (CHECK_STATUS(linreg_singular_values(m, NULL, 0, &count), LINREG_OK)) CHECK_INT(count, SMALL_D);
    }

    /* Two outputs: each output's statistics are those of its own fit. */
    SET_PARAM(m, LINREG_PARAM_FIT_INTERCEPT, 1);
    if (!CHECK_STATUS(linreg_fit_f64(joint, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK)) goto done;
    for (i = 0; i < SMALL_K; i++) {
        double y[SMALL_N], alone;
        int r;
        for (r = 0; r < SMALL_N; r++) y[r] = SMALL_Y[r * SMALL_K + i];
        if (!fit_weights(m, SMALL_X, y, SMALL_N, W, &b)) break;
        for (key = LINREG_STAT_R2; key <= LINREG_STAT_RSS; key++) {
            char label[64];
            if (linreg_get_stat(m, (linreg_stat)key, &alone) != LINREG_OK ||
                linreg_get_stat(joint, (linreg_stat)key, v) != LINREG_OK) {
                CHECK_STATUS(linreg_get_stat(joint, (linreg_stat)key, v), LINREG_OK);
                continue;
            }
            snprintf(label, sizeof label, "statistic %d of output %d", key, i);
            check_close(v[i], alone, 1e-10, label, __FILE__, __LINE__);
        }
    }
done:
    linreg_free(m);
    linreg_free(joint);
}

const check_group NUMERIC_GROUPS[] = {
    {"exact_small", test_exact_small},
    {"exact_rank_deficient", test_exact_rank_deficient},
    {"weighted_exact", test_weighted_exact},
    {"ridge", test_ridge},
    {"gd_small", test_gd_small},
    {"sgd_momentum_decay", test_sgd_momentum_decay},
    {"advertising_descent", test_advertising_descent},
    {"divergence", test_divergence},
    {"statistics_advertising", test_statistics_advertising},
    {"statistics_longley", test_statistics_longley},
    {"statistics_small", test_statistics_small},
};
const size_t NUMERIC_GROUP_COUNT = COUNT(NUMERIC_GROUPS);
