/* fixtures.c -- see fixtures.h. */
#include "fixtures.h"

#include <stdio.h>
#include <string.h>

#include "../csv_reader.h"
#include "check.h"
#include "references.h"

static advertising adv;
static int adv_loaded;

int fixture_load_advertising(const char *path)
{
    static const char *const columns[] = {"TV", "Radio", "Newspaper", "Sales"};
    csv_table t;
    char message[512];
    long col[4];
    size_t i, j;
    if (csv_read(path, &t, message, sizeof message) != CSV_OK) {
        printf("cannot load the Advertising data: %s\n", message);
        return 0;
    }
    for (j = 0; j < 4; j++) {
        col[j] = csv_find_column(&t, columns[j]);
        if (col[j] < 0) {
            printf("cannot load the Advertising data: %s has no column \"%s\"\n", path, columns[j]);
            csv_free(&t);
            return 0;
        }
    }
    if (t.n_rows != ADV_N) {
        printf("cannot load the Advertising data: %s has %lu rows, expected %d\n", path, (unsigned long)t.n_rows,
               ADV_N);
        csv_free(&t);
        return 0;
    }
    for (i = 0; i < ADV_N; i++) {
        for (j = 0; j < ADV_D; j++) {
            adv.X[i * ADV_D + j] = csv_value(&t, i, (size_t)col[j]);
            adv.Xf[i * ADV_D + j] = (float)adv.X[i * ADV_D + j];
        }
        adv.Y[i] = csv_value(&t, i, (size_t)col[3]);
        adv.Yf[i] = (float)adv.Y[i];
    }
    csv_free(&t);
    adv_loaded = 1;
    return 1;
}

const advertising *fixture_advertising(void)
{
    if (!CHECK(adv_loaded && "the Advertising CSV was loaded (pass its path as the first argument)")) return NULL;
    return &adv;
}

linreg_model *fixture_model(int64_t d, int64_t k)
{
    linreg_model *m = NULL;
    if (!CHECK_STATUS(linreg_create(d, k, &m), LINREG_OK)) return NULL;
    if (!CHECK(m != NULL)) return NULL;
    return m;
}

void fixture_small_f32(float *X, float *Y, float *sample_weight)
{
    int i;
    for (i = 0; X && i < SMALL_N * SMALL_D; i++) X[i] = (float)SMALL_X[i];
    for (i = 0; Y && i < SMALL_N * SMALL_K; i++) Y[i] = (float)SMALL_Y[i];
    for (i = 0; sample_weight && i < SMALL_N; i++) sample_weight[i] = (float)SMALL_SW[i];
}

int fixture_descend_small(linreg_model *m, int solver, int epochs, double *W, double *b)
{
    if (!SET_PARAM(m, LINREG_PARAM_SOLVER, solver) || !SET_PARAM(m, LINREG_PARAM_EPOCHS, epochs)) return 0;
    if (!CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK)) return 0;
    if (!CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK)) return 0;
    return CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK);
}

int64_t fixture_history(const linreg_model *m, double *out, int64_t cap)
{
    int64_t count = -1;
    if (!CHECK_STATUS(linreg_loss_history(m, out, cap, &count), LINREG_OK)) return -1;
    return count;
}

void fixture_snapshot(const linreg_model *m, model_state *s)
{
    int i;
    memset(s, 0, sizeof *s);
    /* Reads of a valid model cannot fail: each is a check. */
    CHECK_STATUS(linreg_get_shape(m, &s->d, &s->k), LINREG_OK);
    s->fitted = linreg_is_fitted(m);
    if (s->d * s->k <= SNAP_MAX_WEIGHTS) CHECK_STATUS(linreg_get_weights(m, s->W, s->b), LINREG_OK);
    CHECK_STATUS(linreg_loss_history(m, s->history, SNAP_MAX_HISTORY, &s->history_count), LINREG_OK);
    for (i = 0; i < SNAP_PARAMS; i++) CHECK_STATUS(linreg_get_param(m, (linreg_param)(i + 1), &s->params[i]), LINREG_OK);
    s->r2_status = linreg_get_stat(m, LINREG_STAT_R2, s->r2);
}

int fixture_check_unchanged(const linreg_model *m, const model_state *s, const char *file, int line)
{
    model_state now;
    int ok = 1, i;
    int64_t n;
    fixture_snapshot(m, &now);
    ok &= check_int(now.d, s->d, "n_features", file, line);
    ok &= check_int(now.k, s->k, "n_outputs", file, line);
    ok &= check_int(now.fitted, s->fitted, "linreg_is_fitted", file, line);
    ok &= check_true(memcmp(now.W, s->W, sizeof now.W) == 0, "weights unchanged", file, line);
    ok &= check_true(memcmp(now.b, s->b, sizeof now.b) == 0, "intercepts unchanged", file, line);
    ok &= check_int(now.history_count, s->history_count, "loss history length", file, line);
    n = s->history_count < SNAP_MAX_HISTORY ? s->history_count : SNAP_MAX_HISTORY;
    ok &= check_true(memcmp(now.history, s->history, (size_t)n * sizeof(double)) == 0, "loss history unchanged",
                     file, line);
    for (i = 0; i < SNAP_PARAMS; i++) {
        char name[64];
        snprintf(name, sizeof name, "parameter %d", i + 1);
        ok &= check_same(now.params[i], s->params[i], name, file, line);
    }
    ok &= check_int(now.r2_status, s->r2_status, "linreg_get_stat(R2) status", file, line);
    ok &= check_true(memcmp(now.r2, s->r2, sizeof now.r2) == 0, "statistics unchanged", file, line);
    return ok;
}
