/*
 * test_inference.c -- robust inference through the C API (experimental,
 * since 0.2): LINREG_PARAM_COV_TYPE / USE_T, linreg_cov_begin,
 * linreg_cov_pass_*, linreg_cov_merge, linreg_get_cov_params,
 * linreg_wald_test, linreg_predict_interval_f64, against statsmodels'
 * values (references_inference.h), and their refusals (statuses, messages,
 * the model unchanged).
 *
 * Tolerance: 1e-10 relative for covariances, F, standard errors and
 * intervals (both sides compute in double from the same data; observed
 * ~1e-14); p-values 1e-8 relative (the normal tail is computed through the
 * incomplete beta function at df = 1e25, statsmodels through scipy's norm).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "references_inference.h"
#include "test_groups.h"

/* An exact fit of Advertising with the given covariance type. */
static linreg_model *fitted(int cov_type)
{
    const advertising *a = fixture_advertising();
    linreg_model *m;
    if (!a) return NULL;
    m = fixture_model(ADV_D, 1);
    if (!m) return NULL;
    SET_PARAM(m, LINREG_PARAM_COV_TYPE, cov_type);
    if (!CHECK_STATUS(linreg_fit_f64(m, a->X, a->Y, ADV_N), LINREG_OK)) {
        linreg_free(m);
        return NULL;
    }
    return m;
}

static void test_hc3_statistics(void)
{
    linreg_model *m = fitted(LINREG_COV_HC3);
    double cov[16], se[4], p[4], f, fp, use_t;
    if (!m) return;
    CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_USE_T, &use_t), LINREG_OK);
    CHECK_SAME(use_t, -1.0);
    /* HC types need no explicit pass after linreg_fit */
    if (CHECK_STATUS(linreg_get_cov_params(m, cov), LINREG_OK)) CHECK_CLOSE_ARRAY(cov, INF_HC3_COV, 16, 1e-10);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, se), LINREG_OK);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_PVALUE, p), LINREG_OK);
    /* layout: weights then the intercept; references: const first */
    CHECK_CLOSE(se[3], INF_HC3_BSE[0], 1e-10);
    CHECK_CLOSE(se[0], INF_HC3_BSE[1], 1e-10);
    CHECK_CLOSE(se[2], INF_HC3_BSE[3], 1e-10);
    CHECK_CLOSE(p[2], INF_HC3_PVALUES[3], 1e-8);
    CHECK_CLOSE(p[1], INF_HC3_PVALUES[2], 1e-8);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_F, &f), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_F_PVALUE, &fp), LINREG_OK);
    CHECK_CLOSE(f, INF_HC3_F[0], 1e-10);
    CHECK_CLOSE(fp, INF_HC3_F[1], 1e-8);
    linreg_free(m);
}

static void test_prediction_intervals(void)
{
    linreg_model *m = fitted(LINREG_COV_HC3);
    double out[18];
    if (!m) return;
    if (CHECK_STATUS(linreg_predict_interval_f64(m, INF_NEW_X, NULL, 3, 0.9, out), LINREG_OK))
        CHECK_CLOSE_ARRAY(out, INF_HC3_PREDICTION_90, 18, 1e-10);
    linreg_free(m);
}

/* A cluster pass in two chunks, then a Wald test; the pass split over two
 * models and merged gives the same covariance. */
static void test_cluster_pass_and_wald(void)
{
    const advertising *a = fixture_advertising();
    linreg_model *m = fitted(LINREG_COV_CLUSTER), *part = NULL;
    int64_t groups[ADV_N];
    double cov[16], merged[16], R[8] = {0, 1, -1, 0, 0, 0, 1, 1}, q[2] = {0.0, 0.1}, f, p, dn, dd;
    int i;
    if (!m || !a) {
        linreg_free(m);
        return;
    }
    for (i = 0; i < ADV_N; i++) groups[i] = i % 7;
    /* no pass yet: unavailable */
    CHECK_STATUS(linreg_get_cov_params(m, cov), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_cov_begin(m), LINREG_OK);
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 1, 120), LINREG_OK);
    CHECK_STATUS(linreg_get_cov_params(m, cov), LINREG_E_UNAVAILABLE); /* 120 of 200 rows */
    CHECK_CONTAINS(linreg_last_error(), "120 rows");
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X + 120 * ADV_D, a->Y + 120, NULL, groups + 120, 1, 80), LINREG_OK);
    if (CHECK_STATUS(linreg_get_cov_params(m, cov), LINREG_OK)) CHECK_CLOSE_ARRAY(cov, INF_CLUSTER_COV, 16, 1e-10);
    if (CHECK_STATUS(linreg_wald_test(m, 0, R, q, 2, &f, &p, &dn, &dd), LINREG_OK)) {
        CHECK_CLOSE(f, INF_CLUSTER_WALD[0], 1e-10);
        CHECK_CLOSE(p, INF_CLUSTER_WALD[1], 1e-8);
        CHECK_SAME(dn, INF_CLUSTER_WALD[2]);
        CHECK_SAME(dd, INF_CLUSTER_WALD[3]);
    }
    /* a distributed pass: a copy of the model passes the last 80 rows, m restarts with the first 120 */
    {
        int64_t size = 0;
        unsigned char buf[8192];
        if (CHECK_STATUS(linreg_serialize(m, buf, (int64_t)sizeof buf, &size), LINREG_OK)
            && CHECK_STATUS(linreg_deserialize(buf, size, &part), LINREG_OK)) {
            CHECK_STATUS(linreg_cov_begin(part), LINREG_OK);
            CHECK_STATUS(linreg_cov_pass_f64(part, a->X + 120 * ADV_D, a->Y + 120, NULL, groups + 120, 1, 80),
                         LINREG_OK);
            CHECK_STATUS(linreg_cov_begin(m), LINREG_OK);
            CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 1, 120), LINREG_OK);
            CHECK_STATUS(linreg_cov_merge(m, part), LINREG_OK);
            if (CHECK_STATUS(linreg_get_cov_params(m, merged), LINREG_OK))
                CHECK_CLOSE_ARRAY(merged, INF_CLUSTER_COV, 16, 1e-10);
        }
    }
    linreg_free(part);
    linreg_free(m);
}

/* Every refusal: status, message, and the pass (hence the covariance) unchanged. */
static void test_refusals(void)
{
    const advertising *a = fixture_advertising();
    linreg_model *m = fitted(LINREG_COV_CLUSTER), *fresh = fixture_model(ADV_D, 1);
    int64_t groups[ADV_N];
    double before[16], after[16], R[4] = {0, 1, 0, 0}, out[6], bad_x[3] = {1, NAN, 2}, w0 = 0.0;
    int i;
    if (!m || !a || !fresh) goto done;
    for (i = 0; i < ADV_N; i++) groups[i] = i % 5;
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 1, ADV_N), LINREG_E_ARGUMENT); /* not begun */
    CHECK_CONTAINS(linreg_last_error(), "linreg_cov_begin");
    CHECK_STATUS(linreg_cov_begin(m), LINREG_OK);
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 1, ADV_N), LINREG_OK);
    if (!CHECK_STATUS(linreg_get_cov_params(m, before), LINREG_OK)) goto done;
    CHECK_STATUS(linreg_cov_begin(NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_pass_f64(NULL, a->X, a->Y, NULL, groups, 1, 1), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_pass_f64(m, NULL, a->Y, NULL, groups, 1, 1), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, NULL, NULL, groups, 1, 1), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 1, 0), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 3, 1), LINREG_E_ARGUMENT);
    CHECK_CONTAINS(linreg_last_error(), "n_ways");
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, NULL, 1, 1), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, NULL, groups, 2, 1), LINREG_E_ARGUMENT); /* ways changed */
    CHECK_STATUS(linreg_cov_pass_f64(m, a->X, a->Y, &w0, groups, 1, 1), LINREG_E_ARGUMENT); /* all-zero weights */
    CHECK_STATUS(linreg_cov_pass_f64(m, bad_x, a->Y, NULL, groups, 1, 1), LINREG_E_NONFINITE);
    CHECK_CONTAINS(linreg_last_error(), "X[0][1] is nan");
    CHECK_STATUS(linreg_cov_merge(m, m), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_merge(m, fresh), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_cov_merge(NULL, m), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_cov_params(m, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_cov_params(fresh, after), LINREG_E_NOT_FITTED);
    CHECK_STATUS(linreg_wald_test(m, 1, R, NULL, 1, NULL, NULL, NULL, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_wald_test(m, 0, R, NULL, 0, NULL, NULL, NULL, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_wald_test(m, 0, NULL, NULL, 1, NULL, NULL, NULL, NULL), LINREG_E_ARGUMENT);
    R[1] = NAN;
    CHECK_STATUS(linreg_wald_test(m, 0, R, NULL, 1, NULL, NULL, NULL, NULL), LINREG_E_NONFINITE);
    CHECK_STATUS(linreg_predict_interval_f64(m, a->X, NULL, 1, 1.0, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_interval_f64(m, a->X, NULL, 1, 0.9, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_interval_f64(m, NULL, NULL, 1, 0.9, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_interval_f64(m, a->X, &w0, 1, 0.9, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_interval_f64(m, bad_x, NULL, 1, 0.9, out), LINREG_E_NONFINITE);
    CHECK_STATUS(linreg_set_param(m, LINREG_PARAM_COV_TYPE, 6), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_set_param(m, LINREG_PARAM_USE_T, 2), LINREG_E_ARGUMENT);
    if (CHECK_STATUS(linreg_get_cov_params(m, after), LINREG_OK))
        for (i = 0; i < 16; i++) CHECK_SAME(after[i], before[i]);
    /* nonrobust needs no pass */
    SET_PARAM(m, LINREG_PARAM_COV_TYPE, LINREG_COV_NONROBUST);
    CHECK_STATUS(linreg_cov_begin(m), LINREG_E_ARGUMENT);
done:
    linreg_free(fresh);
    linreg_free(m);
}

const check_group INFERENCE_GROUPS[] = {
    {"inference_hc3", test_hc3_statistics},
    {"inference_prediction", test_prediction_intervals},
    {"inference_cluster_wald", test_cluster_pass_and_wald},
    {"inference_refusals", test_refusals},
};
const size_t INFERENCE_GROUP_COUNT = COUNT(INFERENCE_GROUPS);
