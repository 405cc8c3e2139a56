/*
 * leak_driver.c -- calls every function of include/linreg.h, on its success
 * and its failure paths, several rounds over, for valgrind (memcheck) to watch:
 *
 *   valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 out/leak_driver
 *
 * Memcheck instruments the Swift library too (ASan cannot), so this is where an
 * uninitialised read, an out-of-bounds access or a leak inside liblinreg shows.
 * Rounds repeat the same work: a leak per call would grow with the round count.
 * Worker threads make failing calls so that their per-thread error messages are
 * allocated and then released by the thread-exit destructor.
 *
 * Also a functional check of the statuses: prints "N passed, M failed".
 */
#include "linreg.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;

#define EXPECT(cond, ...)                                              \
    do {                                                               \
        if (cond) {                                                    \
            passed++;                                                  \
        } else {                                                       \
            failed++;                                                  \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);       \
            fprintf(stderr, __VA_ARGS__);                              \
            fprintf(stderr, " [last error: %s]\n", linreg_last_error()); \
        }                                                              \
    } while (0)

#define EXPECT_ST(call, want)                                                            \
    do {                                                                                 \
        linreg_status st_ = (call);                                                      \
        EXPECT(st_ == (want), "%s returned %d (%s), expected %d", #call, (int)st_,       \
               linreg_status_string((int)st_), (int)(want));                             \
        if (st_ != LINREG_OK) EXPECT(linreg_last_error()[0] != '\0', "empty message after %s", #call); \
    } while (0)

enum { N = 40, D = 3, K = 2 };

static double X[N * D], Y[N * K], SW[N], XP[N * D], OUT[N * K];
static float Xf[N * D], Yf[N * K], SWf[N], OUTf[N * K];

static void make_data(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++) X[i * D + j] = (double)((i * 7 + j * 3) % 11) - 5.0 + 0.1 * j;
        for (int o = 0; o < K; o++)
            Y[i * K + o] = 1.5 * X[i * D] - 2.0 * X[i * D + 1] + 0.5 * o * X[i * D + 2] + o + 0.01 * ((i * 13) % 5);
        SW[i] = 1.0 + (i % 3);
    }
    for (int i = 0; i < N * D; i++) { Xf[i] = (float)X[i]; XP[i] = X[i] * 0.5; }
    for (int i = 0; i < N * K; i++) Yf[i] = (float)Y[i];
    for (int i = 0; i < N; i++) SWf[i] = (float)SW[i];
}

static int stop_at_three(int64_t epoch, double loss, void *user) {
    (void)loss;
    ++*(int *)user;
    return epoch >= 2;
}

static void exercise_getters(linreg_model *m, int exact_unpenalised) {
    double W[D * K], b[K], buf[64], stat[K], coef[K * (D + 1)];
    int64_t count = -1;
    EXPECT_ST(linreg_get_weights(m, W, b), LINREG_OK);
    EXPECT_ST(linreg_get_weights(m, NULL, b), LINREG_OK);
    EXPECT_ST(linreg_get_weights(m, W, NULL), LINREG_OK);
    EXPECT_ST(linreg_loss_history(m, buf, 64, &count), LINREG_OK);
    EXPECT_ST(linreg_loss_history(m, NULL, 0, &count), LINREG_OK);
    EXPECT_ST(linreg_loss_history(m, buf, 1, &count), LINREG_OK);
    EXPECT_ST(linreg_loss_history(m, buf, -1, &count), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_loss_history(m, NULL, 3, &count), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_loss_history(m, buf, 3, NULL), LINREG_E_ARGUMENT);
    linreg_status sv = linreg_singular_values(m, buf, 64, &count);
    EXPECT(sv == (exact_unpenalised >= 0 ? LINREG_OK : LINREG_E_UNAVAILABLE), "singular_values returned %d", (int)sv);
    linreg_status neg = linreg_singular_values(m, buf, -5, &count);
    EXPECT(neg == LINREG_E_ARGUMENT || (sv != LINREG_OK && neg == sv), "singular_values(capacity -5) returned %d", (int)neg);
    for (int key = 0; key <= 15; key++) {
        linreg_status st = linreg_get_stat(m, (linreg_stat)key, stat);
        int known = key >= 1 && key <= 14;
        EXPECT(!known ? st == LINREG_E_ARGUMENT : exact_unpenalised > 0 ? st == LINREG_OK : st == LINREG_E_UNAVAILABLE,
               "get_stat(%d) returned %d", key, (int)st);
    }
    EXPECT_ST(linreg_get_stat(m, LINREG_STAT_R2, NULL), LINREG_E_ARGUMENT);
    for (int key = 0; key <= 6; key++) {
        linreg_status st = linreg_get_coef_stats(m, (linreg_coef_stat)key, coef);
        int known = key >= 1 && key <= 5;
        EXPECT(!known ? st == LINREG_E_ARGUMENT : exact_unpenalised > 0 ? st == LINREG_OK : st == LINREG_E_UNAVAILABLE,
               "get_coef_stats(%d) returned %d", key, (int)st);
    }
    EXPECT_ST(linreg_get_coef_stats(m, LINREG_COEF_T, NULL), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_predict_f64(m, XP, N, OUT), LINREG_OK);
    EXPECT_ST(linreg_predict_f32(m, Xf, N, OUTf), LINREG_OK);
}

static void one_round(void) {
    linreg_model *m = NULL;

    /* Version, status strings, last error. */
    EXPECT(linreg_version_number() == LINREG_VERSION_NUMBER, "version number");
    EXPECT(strcmp(linreg_version_string(), LINREG_VERSION_STRING) == 0, "version string");
    for (int s = -3; s <= 12; s++) EXPECT(linreg_status_string(s) != NULL, "status string %d", s);
    EXPECT(linreg_last_error() != NULL, "last_error NULL");

    /* create: failure paths. */
    EXPECT_ST(linreg_create(3, 2, NULL), LINREG_E_ARGUMENT);
    m = (linreg_model *)&m;
    EXPECT_ST(linreg_create(0, 2, &m), LINREG_E_ARGUMENT);
    EXPECT(m == NULL, "failed create left *out set");
    EXPECT_ST(linreg_create(3, -1, &m), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_create(INT64_MAX, 4, &m), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_create(INT64_MIN, INT64_MIN, &m), LINREG_E_ARGUMENT);

    EXPECT_ST(linreg_create(D, K, &m), LINREG_OK);
    int64_t d = 0, k = 0;
    EXPECT_ST(linreg_get_shape(m, &d, &k), LINREG_OK);
    EXPECT(d == D && k == K, "shape %lld x %lld", (long long)d, (long long)k);
    EXPECT_ST(linreg_get_shape(m, NULL, NULL), LINREG_OK);
    EXPECT(linreg_is_fitted(m) == 0, "fresh model fitted");
    EXPECT(linreg_is_fitted(NULL) == 0, "is_fitted(NULL)");

    /* Parameters: every key, valid and invalid values, unknown keys. */
    double v;
    for (int key = 1; key <= LINREG_PARAM_USE_T; key++) EXPECT_ST(linreg_get_param(m, (linreg_param)key, &v), LINREG_OK);
    EXPECT_ST(linreg_get_param(m, (linreg_param)0, &v), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_get_param(m, (linreg_param)(LINREG_PARAM_USE_T + 1), &v), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_get_param(m, LINREG_PARAM_ALPHA, NULL), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, (linreg_param)99, 1), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, 3), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, 0.5), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, NAN), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 0), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, -1), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 4294967296.0), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_BATCH_SIZE, 0), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SEED, 1e300), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_ALPHA, -1), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_MOMENTUM, 1), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_CI_LEVEL, 1), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_THREADS, 1025), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_RCOND, -0.5), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 2), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SHUFFLE, INFINITY), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_WEIGHT_DECAY, -INFINITY), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_THREADS, 1), LINREG_OK);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_CI_LEVEL, 0.9), LINREG_OK);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_RCOND, 1e-12), LINREG_OK);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_RCOND, -1), LINREG_OK);

    /* Unfitted model. */
    double stat[K], buf[8];
    int64_t count;
    EXPECT_ST(linreg_predict_f64(m, X, N, OUT), LINREG_E_NOT_FITTED);
    EXPECT_ST(linreg_predict_f32(m, Xf, N, OUTf), LINREG_E_NOT_FITTED);
    EXPECT_ST(linreg_get_stat(m, LINREG_STAT_R2, stat), LINREG_E_NOT_FITTED);
    EXPECT_ST(linreg_get_coef_stats(m, LINREG_COEF_STDERR, buf), LINREG_E_NOT_FITTED);
    EXPECT_ST(linreg_singular_values(m, buf, 8, &count), LINREG_E_NOT_FITTED);
    EXPECT_ST(linreg_loss_history(m, buf, 8, &count), LINREG_OK);
    EXPECT(count == 0, "unfitted history %lld", (long long)count);

    /* Fit failure paths (model stays unfitted). */
    double Xbad[N * D];
    memcpy(Xbad, X, sizeof X);
    Xbad[4 * D + 1] = NAN;
    EXPECT_ST(linreg_fit_f64(m, Xbad, Y, N), LINREG_E_NONFINITE);
    EXPECT(strstr(linreg_last_error(), "row 4") != NULL, "message names the row: %s", linreg_last_error());
    float Yfbad[N * K];
    memcpy(Yfbad, Yf, sizeof Yf);
    Yfbad[7] = -INFINITY;
    EXPECT_ST(linreg_fit_f32(m, Xf, Yfbad, N), LINREG_E_NONFINITE);
    EXPECT_ST(linreg_fit_f64(m, NULL, Y, N), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f64(m, X, NULL, N), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f64(m, X, Y, 0), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f64(m, X, Y, -3), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f64(m, X, Y, INT64_MAX), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f32(m, Xf, Yf, INT64_MAX / 2), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_weighted_f64(m, X, Y, NULL, N), LINREG_E_ARGUMENT);
    double SWbad[N];
    memcpy(SWbad, SW, sizeof SW);
    SWbad[3] = -1;
    EXPECT_ST(linreg_fit_weighted_f64(m, X, Y, SWbad, N), LINREG_E_ARGUMENT);
    SWbad[3] = NAN;
    EXPECT_ST(linreg_fit_weighted_f64(m, X, Y, SWbad, N), LINREG_E_NONFINITE);
    float SWzero[N] = {0};
    EXPECT_ST(linreg_fit_weighted_f32(m, Xf, Yf, SWzero, N), LINREG_E_ARGUMENT);
    EXPECT(linreg_is_fitted(m) == 0, "failed fits made the model fitted");

    /* Every solver, every entry point. */
    int calls = 0;
    for (int solver = 0; solver <= 2; solver++) {
        EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, solver), LINREG_OK);
        EXPECT_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 20), LINREG_OK);
        EXPECT_ST(linreg_set_param(m, LINREG_PARAM_BATCH_SIZE, 7), LINREG_OK);
        EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SHUFFLE, solver == 2), LINREG_OK);
        EXPECT_ST(linreg_set_param(m, LINREG_PARAM_MOMENTUM, solver == 2 ? 0.5 : 0), LINREG_OK);
        int exact = solver == 0 ? 1 : -1;
        EXPECT_ST(linreg_fit_f64(m, X, Y, N), LINREG_OK);
        exercise_getters(m, exact);
        EXPECT_ST(linreg_fit_f32(m, Xf, Yf, N), LINREG_OK);
        exercise_getters(m, exact);
        EXPECT_ST(linreg_fit_weighted_f64(m, X, Y, SW, N), LINREG_OK);
        exercise_getters(m, exact);
        EXPECT_ST(linreg_fit_weighted_f32(m, Xf, Yf, SWf, N), LINREG_OK);
        exercise_getters(m, exact);
        if (solver != 0) {
            calls = 0;
            EXPECT_ST(linreg_set_progress(m, stop_at_three, &calls), LINREG_OK);
            EXPECT_ST(linreg_fit_f64(m, X, Y, N), LINREG_OK);
            EXPECT_ST(linreg_loss_history(m, buf, 8, &count), LINREG_OK);
            EXPECT(count == 3 && calls == 3, "early stop: %lld entries, %d calls", (long long)count, calls);
            EXPECT_ST(linreg_set_progress(m, NULL, NULL), LINREG_OK);
            /* Divergence: the model keeps its previous weights. */
            double W0[D * K], W1[D * K];
            EXPECT_ST(linreg_get_weights(m, W0, NULL), LINREG_OK);
            EXPECT_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 1e30), LINREG_OK);
            EXPECT_ST(linreg_fit_f64(m, X, Y, N), LINREG_E_DIVERGED);
            EXPECT_ST(linreg_get_weights(m, W1, NULL), LINREG_OK);
            EXPECT(memcmp(W0, W1, sizeof W0) == 0, "diverged fit changed the weights");
            EXPECT_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 0.01), LINREG_OK);
        }
    }
    /* Ridge: no statistics. */
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, 0), LINREG_OK);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_ALPHA, 2.5), LINREG_OK);
    EXPECT_ST(linreg_fit_f64(m, X, Y, N), LINREG_OK);
    exercise_getters(m, 0);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_ALPHA, 0), LINREG_OK);
    EXPECT_ST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 0), LINREG_OK);
    EXPECT_ST(linreg_fit_f64(m, X, Y, N), LINREG_OK);
    exercise_getters(m, 1);

    /* Prediction failures. */
    EXPECT_ST(linreg_predict_f64(m, Xbad, N, OUT), LINREG_E_NONFINITE);
    EXPECT_ST(linreg_predict_f64(m, NULL, N, OUT), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_predict_f64(m, X, N, NULL), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_predict_f32(m, Xf, 0, OUTf), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_predict_f32(m, Xf, INT64_MIN, OUTf), LINREG_E_ARGUMENT);

    /* Weights. */
    double W[D * K] = {1, 2, 3, 4, 5, 6}, b[K] = {0.5, -0.5};
    EXPECT_ST(linreg_set_weights(m, W, b), LINREG_OK);
    EXPECT_ST(linreg_set_weights(m, W, NULL), LINREG_OK);
    EXPECT_ST(linreg_set_weights(m, NULL, b), LINREG_E_ARGUMENT);
    W[2] = INFINITY;
    EXPECT_ST(linreg_set_weights(m, W, b), LINREG_E_NONFINITE);
    W[2] = 3;
    b[1] = NAN;
    EXPECT_ST(linreg_set_weights(m, W, b), LINREG_E_NONFINITE);
    exercise_getters(m, -1);

    /* NULL model everywhere. */
    EXPECT_ST(linreg_get_shape(NULL, &d, &k), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(NULL, LINREG_PARAM_ALPHA, 1), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_get_param(NULL, LINREG_PARAM_ALPHA, &v), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_progress(NULL, NULL, NULL), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f64(NULL, X, Y, N), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_f32(NULL, Xf, Yf, N), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_weighted_f64(NULL, X, Y, SW, N), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_fit_weighted_f32(NULL, Xf, Yf, SWf, N), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_predict_f64(NULL, X, N, OUT), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_predict_f32(NULL, Xf, N, OUTf), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_get_weights(NULL, W, b), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_weights(NULL, W, b), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_loss_history(NULL, buf, 8, &count), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_singular_values(NULL, buf, 8, &count), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_get_stat(NULL, LINREG_STAT_R2, stat), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_get_coef_stats(NULL, LINREG_COEF_T, buf), LINREG_E_ARGUMENT);

    linreg_free(m);
    linreg_free(NULL);
}

/* Streaming, merging and persistence: success and failure paths. */
static void streaming_and_persistence(void) {
    linreg_model *a = NULL, *b = NULL, *c = NULL, *loaded = NULL;
    EXPECT_ST(linreg_create(D, K, &a), LINREG_OK);
    EXPECT_ST(linreg_create(D, K, &b), LINREG_OK);
    EXPECT_ST(linreg_create(D + 1, K, &c), LINREG_OK);
    /* Exact partial fits in chunks, every entry point. */
    EXPECT_ST(linreg_partial_fit_f64(a, X, Y, 10), LINREG_OK);
    EXPECT_ST(linreg_partial_fit_f32(a, Xf + 10 * D, Yf + 10 * K, 10), LINREG_OK);
    EXPECT_ST(linreg_partial_fit_weighted_f64(a, X + 20 * D, Y + 20 * K, SW + 20, 10), LINREG_OK);
    EXPECT_ST(linreg_partial_fit_weighted_f32(b, Xf + 30 * D, Yf + 30 * K, SWf + 30, 10), LINREG_OK);
    double Xbad[4 * D];
    memcpy(Xbad, X, sizeof Xbad);
    Xbad[5] = NAN;
    EXPECT_ST(linreg_partial_fit_f64(a, Xbad, Y, 4), LINREG_E_NONFINITE);
    EXPECT_ST(linreg_partial_fit_f64(a, NULL, Y, 4), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_partial_fit_f64(a, X, Y, 0), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_partial_fit_f64(NULL, X, Y, 4), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_set_param(a, LINREG_PARAM_FIT_INTERCEPT, 0), LINREG_OK);
    EXPECT_ST(linreg_partial_fit_f64(a, X, Y, 4), LINREG_E_ARGUMENT); /* intercept setting changed */
    EXPECT_ST(linreg_set_param(a, LINREG_PARAM_FIT_INTERCEPT, 1), LINREG_OK);
    /* Merging. */
    EXPECT_ST(linreg_merge(a, b), LINREG_OK);
    EXPECT_ST(linreg_merge(a, a), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_merge(a, NULL), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_merge(NULL, b), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_merge(a, c), LINREG_E_ARGUMENT);
    exercise_getters(a, 1);
    /* GD partial fits: one epoch each, then merging is refused. */
    EXPECT_ST(linreg_set_param(b, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD), LINREG_OK);
    EXPECT_ST(linreg_partial_fit_f64(b, X, Y, N), LINREG_OK);
    EXPECT_ST(linreg_partial_fit_f32(b, Xf, Yf, N), LINREG_OK);
    EXPECT_ST(linreg_merge(a, b), LINREG_E_ARGUMENT);
    /* Serialization round trip and damaged bytes. */
    int64_t size = 0;
    EXPECT_ST(linreg_serialize(a, NULL, 0, &size), LINREG_OK);
    EXPECT(size > 0, "serialized size %lld", (long long)size);
    unsigned char *bytes = malloc((size_t)size);
    EXPECT_ST(linreg_serialize(a, bytes, size - 1, &size), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_serialize(a, bytes, size, &size), LINREG_OK);
    EXPECT_ST(linreg_serialize(a, NULL, 5, &size), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_serialize(a, bytes, -1, &size), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_deserialize(bytes, size, &loaded), LINREG_OK);
    exercise_getters(loaded, 1);
    linreg_free(loaded);
    loaded = (linreg_model *)&loaded;
    EXPECT_ST(linreg_deserialize(bytes, size / 2, &loaded), LINREG_E_FORMAT);
    EXPECT(loaded == NULL, "failed deserialize set *out");
    bytes[size / 2] ^= 0x40;
    EXPECT_ST(linreg_deserialize(bytes, size, &loaded), LINREG_E_FORMAT);
    EXPECT_ST(linreg_deserialize(bytes, -1, &loaded), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_deserialize(NULL, 10, &loaded), LINREG_E_ARGUMENT);
    free(bytes);
    /* Files. */
    char path[64];
    snprintf(path, sizeof path, "/tmp/linreg-leak-driver-%d.model", (int)getpid());
    EXPECT_ST(linreg_save(a, path), LINREG_OK);
    EXPECT_ST(linreg_load(path, &loaded), LINREG_OK);
    exercise_getters(loaded, 1);
    linreg_free(loaded);
    remove(path);
    EXPECT_ST(linreg_load(path, &loaded), LINREG_E_IO);
    EXPECT_ST(linreg_save(a, "/nonexistent-dir/x/y.model"), LINREG_E_IO);
    EXPECT_ST(linreg_save(a, ""), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_save(a, NULL), LINREG_E_ARGUMENT);
    EXPECT_ST(linreg_load(NULL, &loaded), LINREG_E_ARGUMENT);
    linreg_free(a);
    linreg_free(b);
    linreg_free(c);
}

/* A thread whose calls fail: its message is allocated, then freed when it exits. */
static void *failing_thread(void *arg) {
    (void)arg;
    linreg_model *m = NULL;
    for (int i = 0; i < 5; i++) {
        if (linreg_create(-1, 1, &m) != LINREG_E_ARGUMENT) return (void *)1;
        if (linreg_fit_f64(NULL, X, Y, N) != LINREG_E_ARGUMENT) return (void *)1;
    }
    if (linreg_create(D, K, &m) != LINREG_OK) return (void *)1;
    int bad = linreg_fit_f64(m, X, Y, N) != LINREG_OK || linreg_predict_f64(m, X, N, OUT) != LINREG_OK;
    linreg_free(m);
    return bad ? (void *)1 : NULL;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    make_data();
    for (int r = 0; r < rounds; r++) {
        one_round();
        streaming_and_persistence();
        pthread_t t[3];
        for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, failing_thread, NULL);
        for (int i = 0; i < 3; i++) {
            void *res;
            pthread_join(t[i], &res);
            EXPECT(res == NULL, "worker thread %d failed", i);
        }
    }
    printf("leak_driver: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
