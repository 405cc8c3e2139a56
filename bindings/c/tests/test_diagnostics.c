/*
 * test_diagnostics.c -- the regression diagnostics of the experimental API:
 * linreg_residual_pass_*, linreg_influence_*, linreg_get_alias and the
 * statistics they add (LINREG_STAT_OMNIBUS ... LINREG_STAT_JARQUE_BERA_PVALUE,
 * LINREG_COEF_ESTIMATE, LINREG_COEF_ALIASED).
 *
 * References are computed here, independently of the library, in long
 * double: the least-squares fit of the Advertising data from its normal
 * equations (Gauss-Jordan), its residuals, hat values and Durbin-Watson
 * statistic. The data are well conditioned (cond(X'X) ~ 1e5 after centring),
 * so long double's 64-bit mantissa leaves those references accurate to far
 * better than the 1e-10 relative the checks ask for. The Python tests compare
 * every measure with statsmodels and R; these check the C contract: layouts,
 * chunking, statuses, and that failures change nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "test_groups.h"

enum { P = ADV_D + 1 };

/* The OLS fit of Advertising with an intercept, in long double: residuals,
 * hat values, RSS (from the normal equations of [1, X]). */
typedef struct reference_fit {
    long double inverse[P][P];
    long double beta[P];
    double resid[ADV_N];
    double hat[ADV_N];
    double rss;
} reference_fit;

static void reference(const advertising *a, reference_fit *r)
{
    long double g[P][2 * P];
    long double rhs[P] = {0};
    memset(g, 0, sizeof g);
    for (int i = 0; i < ADV_N; i++) {
        long double row[P] = {1.0L, a->X[i * 3], a->X[i * 3 + 1], a->X[i * 3 + 2]};
        for (int s = 0; s < P; s++) {
            rhs[s] += row[s] * a->Y[i];
            for (int t = 0; t < P; t++) g[s][t] += row[s] * row[t];
        }
    }
    for (int s = 0; s < P; s++) g[s][P + s] = 1.0L;
    for (int c = 0; c < P; c++) { /* Gauss-Jordan (X'X is positive definite: no pivoting needed) */
        long double pivot = g[c][c];
        for (int t = 0; t < 2 * P; t++) g[c][t] /= pivot;
        for (int s = 0; s < P; s++) {
            if (s == c) continue;
            long double f = g[s][c];
            for (int t = 0; t < 2 * P; t++) g[s][t] -= f * g[c][t];
        }
    }
    for (int s = 0; s < P; s++) {
        r->beta[s] = 0;
        for (int t = 0; t < P; t++) {
            r->inverse[s][t] = g[s][P + t];
            r->beta[s] += g[s][P + t] * rhs[t];
        }
    }
    long double rss = 0;
    for (int i = 0; i < ADV_N; i++) {
        long double row[P] = {1.0L, a->X[i * 3], a->X[i * 3 + 1], a->X[i * 3 + 2]};
        long double fitted = 0, h = 0;
        for (int s = 0; s < P; s++) {
            fitted += row[s] * r->beta[s];
            for (int t = 0; t < P; t++) h += row[s] * r->inverse[s][t] * row[t];
        }
        long double e = a->Y[i] - fitted;
        r->resid[i] = (double)e;
        r->hat[i] = (double)h;
        rss += e * e;
    }
    r->rss = (double)rss;
}

static linreg_model *fitted_advertising(const advertising *a)
{
    linreg_model *m = fixture_model(ADV_D, 1);
    if (m && !CHECK_STATUS(linreg_fit_f64(m, a->X, a->Y, ADV_N), LINREG_OK)) {
        linreg_free(m);
        return NULL;
    }
    return m;
}

static void test_residual_pass(void)
{
    const advertising *a = fixture_advertising();
    if (!a) return;
    reference_fit r;
    reference(a, &r);
    linreg_model *m = fitted_advertising(a);
    if (!m) return;
    double dw_num = 0;
    for (int i = 1; i < ADV_N; i++) dw_num += (r.resid[i] - r.resid[i - 1]) * (r.resid[i] - r.resid[i - 1]);
    double dw = dw_num / r.rss, value = 0;

    /* before any pass: unavailable */
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DURBIN_WATSON, &value), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, a->Y, NULL, ADV_N, 1), LINREG_E_ARGUMENT);

    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, a->Y, NULL, ADV_N, 0), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DURBIN_WATSON, &value), LINREG_OK);
    CHECK_CLOSE(value, dw, 1e-10);
    double whole[7];
    for (int s = 0; s < 7; s++) CHECK_STATUS(linreg_get_stat(m, (linreg_stat)(LINREG_STAT_OMNIBUS + s), &whole[s]), LINREG_OK);
    CHECK(whole[1] > 0 && whole[1] <= 1 && whole[6] > 0 && whole[6] <= 1); /* p-values */
    CHECK_CLOSE(whole[6], exp(-0.5 * whole[5]), 1e-14);                     /* chi2(2) survival */

    /* three chunks in order: the same statistics (Durbin-Watson crosses the boundaries) */
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, a->Y, NULL, 70, 0), LINREG_OK);
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X + 70 * 3, a->Y + 70, NULL, 60, 1), LINREG_OK);
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X + 130 * 3, a->Y + 130, NULL, 70, 1), LINREG_OK);
    for (int s = 0; s < 7; s++) {
        CHECK_STATUS(linreg_get_stat(m, (linreg_stat)(LINREG_STAT_OMNIBUS + s), &value), LINREG_OK);
        CHECK_CLOSE(value, whole[s], 1e-10);
    }
    /* float32 data: the same pass on the promoted values */
    CHECK_STATUS(linreg_residual_pass_f32(m, a->Xf, a->Yf, NULL, ADV_N, 0), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DURBIN_WATSON, &value), LINREG_OK);
    CHECK_CLOSE(value, dw, 1e-4);

    /* refusals leave the pass as it was; a refit clears it */
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, a->Y, NULL, ADV_N, 0), LINREG_OK);
    double nan_x[3 * 2] = {1, 2, 3, NAN, 5, 6}, y2[2] = {1, 2}, negative[2] = {1, -1};
    CHECK_STATUS(linreg_residual_pass_f64(m, nan_x, y2, NULL, 2, 0), LINREG_E_NONFINITE);
    CHECK_CONTAINS(linreg_last_error(), "X[1][0]");
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, y2, negative, 2, 0), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, a->Y, NULL, ADV_N, 2), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_residual_pass_f64(m, NULL, a->Y, NULL, ADV_N, 0), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, NULL, NULL, ADV_N, 0), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_residual_pass_f64(m, a->X, a->Y, NULL, 0, 0), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_residual_pass_f64(NULL, a->X, a->Y, NULL, ADV_N, 0), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DURBIN_WATSON, &value), LINREG_OK);
    CHECK_CLOSE(value, dw, 1e-10);
    CHECK_STATUS(linreg_fit_f64(m, a->X, a->Y, ADV_N), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_DURBIN_WATSON, &value), LINREG_E_UNAVAILABLE);
    linreg_free(m);

    linreg_model *fresh = fixture_model(ADV_D, 1);
    if (fresh) {
        CHECK_STATUS(linreg_residual_pass_f64(fresh, a->X, a->Y, NULL, ADV_N, 0), LINREG_E_NOT_FITTED);
        linreg_free(fresh);
    }
}

static void test_influence(void)
{
    const advertising *a = fixture_advertising();
    if (!a) return;
    reference_fit r;
    reference(a, &r);
    linreg_model *m = fitted_advertising(a);
    if (!m) return;
    double *hat = malloc(sizeof(double) * ADV_N);
    double *press = malloc(sizeof(double) * ADV_N);
    double *internal = malloc(sizeof(double) * ADV_N);
    double *dfbetas = malloc(sizeof(double) * ADV_N * P);
    if (!CHECK(hat && press && internal && dfbetas)) goto done;
    {
        int32_t kinds[4] = {LINREG_INFLUENCE_HAT, LINREG_INFLUENCE_RESID_PRESS,
                            LINREG_INFLUENCE_RESID_STUDENTIZED_INTERNAL, LINREG_INFLUENCE_DFBETAS};
        double *out[4] = {hat, press, internal, dfbetas};
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, ADV_N, kinds, 4, out), LINREG_OK);
        double s = sqrt(r.rss / (ADV_N - P));
        for (int i = 0; i < ADV_N; i++) {
            CHECK_CLOSE(hat[i], r.hat[i], 1e-10);
            CHECK_CLOSE(press[i], r.resid[i] / (1 - r.hat[i]), 1e-9);
            CHECK_CLOSE(internal[i], r.resid[i] / (s * sqrt(1 - r.hat[i])), 1e-9);
        }
        /* DFBETAS row layout: the weights, then the intercept (as linreg_get_coef_stats) */
        for (int i = 0; i < ADV_N; i += 37) {
            long double row[P] = {1.0L, a->X[i * 3], a->X[i * 3 + 1], a->X[i * 3 + 2]};
            double e = r.resid[i], h = r.hat[i];
            double s_i = sqrt((r.rss - e * e / (1 - h)) / (ADV_N - P - 1));
            for (int j = 0; j < P; j++) {
                long double cx = 0;
                for (int t = 0; t < P; t++) cx += r.inverse[j][t] * row[t];
                double expected = (double)(cx * e / (1 - h)) / (s_i * sqrt((double)r.inverse[j][j]));
                int slot = j == 0 ? ADV_D : j - 1;
                CHECK_CLOSE(dfbetas[i * P + slot], expected, 1e-8);
            }
        }
        /* rows in any chunks: the same values */
        double part[40];
        int32_t one[1] = {LINREG_INFLUENCE_HAT};
        double *part_out[1] = {part};
        CHECK_STATUS(linreg_influence_f64(m, a->X + 100 * 3, a->Y + 100, NULL, 40, one, 1, part_out), LINREG_OK);
        CHECK_CLOSE_ARRAY(part, hat + 100, 40, 1e-12);
        /* no measures: a valid call that writes nothing */
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, ADV_N, NULL, 0, NULL), LINREG_OK);

        /* refusals write nothing */
        for (int i = 0; i < 40; i++) part[i] = -7.0;
        int32_t unknown[1] = {99};
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, unknown, 1, part_out), LINREG_E_ARGUMENT);
        CHECK_CONTAINS(linreg_last_error(), "measures[0]");
        double *null_out[1] = {NULL};
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, one, 1, null_out), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, one, -1, part_out), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, one, 65, part_out), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, NULL, 1, part_out), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, one, 1, NULL), LINREG_E_ARGUMENT);
        double nan_x[3] = {1, NAN, 3}, y1[1] = {1};
        CHECK_STATUS(linreg_influence_f64(m, nan_x, y1, NULL, 1, one, 1, part_out), LINREG_E_NONFINITE);
        double zero[40] = {0};
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, zero, 40, one, 1, part_out), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_influence_f64(NULL, a->X, a->Y, NULL, 40, one, 1, part_out), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, INT64_MAX, one, 1, part_out), LINREG_E_ARGUMENT);
        int unchanged = 1;
        for (int i = 0; i < 40; i++) unchanged &= part[i] == -7.0;
        CHECK(unchanged);

        /* float32 input */
        float *xf = (float *)a->Xf, *yf = (float *)a->Yf;
        CHECK_STATUS(linreg_influence_f32(m, xf, yf, NULL, 40, one, 1, part_out), LINREG_OK);
        CHECK_CLOSE(part[0], hat[0], 1e-5);

        /* unavailable after a ridge fit; not fitted before any fit */
        CHECK_STATUS(linreg_set_param(m, LINREG_PARAM_ALPHA, 1.0), LINREG_OK);
        CHECK_STATUS(linreg_fit_f64(m, a->X, a->Y, ADV_N), LINREG_OK);
        CHECK_STATUS(linreg_influence_f64(m, a->X, a->Y, NULL, 40, one, 1, part_out), LINREG_E_UNAVAILABLE);
        linreg_model *fresh = fixture_model(ADV_D, 1);
        if (fresh) {
            CHECK_STATUS(linreg_influence_f64(fresh, a->X, a->Y, NULL, 40, one, 1, part_out), LINREG_E_NOT_FITTED);
            linreg_free(fresh);
        }
    }
done:
    free(hat);
    free(press);
    free(internal);
    free(dfbetas);
    linreg_free(m);
}

static void test_alias(void)
{
    /* x3 = x1 + 2 x2 exactly (small integers): x3 is aliased; R's alias() row is (1, 2) */
    enum { N = 12 };
    double X[N * 3], Y[N];
    for (int i = 0; i < N; i++) {
        double x1 = (double)((i * 7) % 5) - 2.0, x2 = (double)((i * 3) % 7) - 3.0;
        X[i * 3] = x1;
        X[i * 3 + 1] = x2;
        X[i * 3 + 2] = x1 + 2 * x2;
        Y[i] = 1.0 + 0.5 * x1 - x2 + ((i % 3) - 1) * 0.25;
    }
    linreg_model *m = fixture_model(3, 1);
    if (!m) return;
    double out[16], aliased[4], estimate[4], se[4];
    CHECK_STATUS(linreg_get_alias(m, out), LINREG_E_NOT_FITTED);
    if (!CHECK_STATUS(linreg_fit_f64(m, X, Y, N), LINREG_OK)) goto done;
    CHECK_STATUS(linreg_get_alias(m, out), LINREG_OK);
    /* row 2 (x3): 1 * x1 + 2 * x2 + 0 * const; every other row 0 */
    CHECK_CLOSE(out[2 * 4 + 0], 1.0, 1e-12);
    CHECK_CLOSE(out[2 * 4 + 1], 2.0, 1e-12);
    CHECK(fabs(out[2 * 4 + 3]) < 1e-12);
    CHECK(out[0] == 0 && out[5] == 0 && out[15] == 0 && out[3 * 4 + 2] == 0);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_ALIASED, aliased), LINREG_OK);
    CHECK(aliased[0] == 0 && aliased[1] == 0 && aliased[2] == 1 && aliased[3] == 0);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_ESTIMATE, estimate), LINREG_OK);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, se), LINREG_OK);
    CHECK(isnan(estimate[2]) && isnan(se[2]) && !isnan(se[0]) && !isnan(se[3]));
    /* the reduced design's estimates: the data were made from b = 1, 0.5, -1 plus centred noise */
    CHECK(fabs(estimate[0] - 0.5) < 0.2 && fabs(estimate[1] + 1.0) < 0.2 && fabs(estimate[3] - 1.0) < 0.2);
    CHECK_STATUS(linreg_get_alias(NULL, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_alias(m, NULL), LINREG_E_ARGUMENT);
    /* without an intercept: its row and column are NaN */
    CHECK_STATUS(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 0), LINREG_OK);
    CHECK_STATUS(linreg_fit_f64(m, X, Y, N), LINREG_OK);
    CHECK_STATUS(linreg_get_alias(m, out), LINREG_OK);
    CHECK(isnan(out[3]) && isnan(out[12]) && isnan(out[15]));
    CHECK_CLOSE(out[2 * 4 + 1], 2.0, 1e-12);
done:
    linreg_free(m);
}

const check_group DIAGNOSTIC_GROUPS[] = {
    {"residual_pass", test_residual_pass},
    {"influence", test_influence},
    {"alias", test_alias},
};
const size_t DIAGNOSTIC_GROUP_COUNT = COUNT(DIAGNOSTIC_GROUPS);
