/*
 * test_api.c -- the contract of include/linreg.h, function by function and
 * status by status: versions, status strings, per-thread last error, model
 * lifetime, parameters, weights, prediction, argument checking (NULL
 * pointers, bad and overflowing sizes, non-finite values), transactional
 * failure, loss history, progress callback, availability of statistics and
 * thread-independence. Numerical agreement with reference libraries is in
 * test_numerics.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <float.h>
#include <limits.h>
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

/* A value no call should ever write. */
#define SENTINEL (-12345.678)

static void fill(double *a, size_t n, double v)
{
    size_t i;
    for (i = 0; i < n; i++) a[i] = v;
}

static int all_equal(const double *a, size_t n, double v)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (memcmp(&a[i], &v, sizeof v) != 0) return 0;
    }
    return 1;
}

static const int64_t HUGE_N = INT64_MAX / 2;

/* ------------------------------------------------------------------ version */
static void test_version(void)
{
    char expected[32];
    CHECK_INT(LINREG_VERSION_NUMBER,
              LINREG_VERSION_MAJOR * 10000 + LINREG_VERSION_MINOR * 100 + LINREG_VERSION_PATCH);
    snprintf(expected, sizeof expected, "%d.%d.%d", LINREG_VERSION_MAJOR, LINREG_VERSION_MINOR,
             LINREG_VERSION_PATCH);
    CHECK_STR(LINREG_VERSION_STRING, expected);
    CHECK_INT(linreg_version_number(), LINREG_VERSION_NUMBER);
    CHECK(linreg_version_string() != NULL);
    CHECK_STR(linreg_version_string(), LINREG_VERSION_STRING);
}

/* ----------------------------------------------------------- status strings */
static void test_status_strings(void)
{
    static const int codes[] = {LINREG_OK,         LINREG_E_ARGUMENT, LINREG_E_NONFINITE,   LINREG_E_NOT_FITTED,
                                LINREG_E_DIVERGED, LINREG_E_NOMEM,    LINREG_E_UNAVAILABLE, LINREG_E_INTERNAL,
                                LINREG_E_FORMAT,   LINREG_E_IO,       LINREG_E_OVERFLOW};
    static const int unknown[] = {-1, 11, 12, 100, INT_MIN, INT_MAX};
    size_t i, j;
    /* The values are part of the ABI. */
    CHECK_INT(LINREG_OK, 0);
    CHECK_INT(LINREG_E_ARGUMENT, 1);
    CHECK_INT(LINREG_E_NONFINITE, 2);
    CHECK_INT(LINREG_E_NOT_FITTED, 3);
    CHECK_INT(LINREG_E_DIVERGED, 4);
    CHECK_INT(LINREG_E_NOMEM, 5);
    CHECK_INT(LINREG_E_UNAVAILABLE, 6);
    CHECK_INT(LINREG_E_INTERNAL, 7);
    CHECK_INT(LINREG_E_FORMAT, 8);
    CHECK_INT(LINREG_E_IO, 9);
    CHECK_INT(LINREG_E_OVERFLOW, 10);
    for (i = 0; i < COUNT(codes); i++) {
        const char *s = linreg_status_string(codes[i]);
        if (!CHECK(s != NULL)) continue;
        CHECK(strlen(s) > 0);
        CHECK(strcmp(s, "unknown status") != 0);
        for (j = 0; j < i; j++) CHECK(strcmp(s, linreg_status_string(codes[j])) != 0);
    }
    CHECK_STR(linreg_status_string(LINREG_E_ARGUMENT), "invalid argument");
    for (i = 0; i < COUNT(unknown); i++) {
        char label[64];
        snprintf(label, sizeof label, "linreg_status_string(%d)", unknown[i]);
        check_str(linreg_status_string(unknown[i]), "unknown status", label, __FILE__, __LINE__);
    }
}

/* --------------------------------------------------- last error per thread */
typedef struct thread_result {
    char initial[256];
    char own[256];
    char after_success[256];
    int stable;   /* the message stayed this thread's own through many failures */
    int statuses; /* every failing call returned LINREG_E_ARGUMENT */
} thread_result;

static void copy_message(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "(NULL)");
}

static void *error_thread(void *arg)
{
    thread_result *r = arg;
    double v;
    int i;
    copy_message(r->initial, sizeof r->initial, linreg_last_error());
    r->statuses = linreg_get_param(NULL, LINREG_PARAM_SOLVER, &v) == LINREG_E_ARGUMENT;
    copy_message(r->own, sizeof r->own, linreg_last_error());
    (void)linreg_version_number();
    copy_message(r->after_success, sizeof r->after_success, linreg_last_error());
    r->stable = 1;
    for (i = 0; i < 2000; i++) {
        r->statuses &= linreg_get_param(NULL, LINREG_PARAM_SOLVER, &v) == LINREG_E_ARGUMENT;
        r->stable &= strcmp(linreg_last_error(), r->own) == 0;
    }
    return NULL;
}

static void *create_error_thread(void *arg)
{
    thread_result *r = arg;
    linreg_model *m;
    int i;
    r->statuses = 1;
    r->stable = 1;
    for (i = 0; i < 2000; i++) {
        r->statuses &= linreg_create(0, 1, &m) == LINREG_E_ARGUMENT;
        if (i == 0) copy_message(r->own, sizeof r->own, linreg_last_error());
        r->stable &= strcmp(linreg_last_error(), r->own) == 0;
    }
    return NULL;
}

static void test_last_error_threads(void)
{
    linreg_model *m = NULL;
    const char *p;
    char main_message[256];
    pthread_t t1, t2;
    thread_result r1, r2;

    /* A failure on this thread records a message naming the argument. */
    CHECK_STATUS(linreg_create(0, 1, &m), LINREG_E_ARGUMENT);
    p = linreg_last_error();
    if (!CHECK(p != NULL)) return;
    CHECK(strlen(p) > 0);
    CHECK_CONTAINS(p, "n_features");
    copy_message(main_message, sizeof main_message, p);

    /* A success does not clear it. */
    CHECK_STATUS(linreg_create(2, 1, &m), LINREG_OK);
    CHECK_STR(linreg_last_error(), main_message);

    /* Other threads start with "" and see only their own messages. */
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    if (!CHECK(pthread_create(&t1, NULL, error_thread, &r1) == 0)) return;
    if (!CHECK(pthread_create(&t2, NULL, create_error_thread, &r2) == 0)) return;
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK_STR(r1.initial, "");
    CHECK(strlen(r1.own) > 0);
    CHECK(strcmp(r1.own, main_message) != 0);
    CHECK_CONTAINS(r1.own, "model");
    CHECK_STR(r1.after_success, r1.own);
    CHECK(r1.stable);
    CHECK(r1.statuses);
    CHECK(r2.stable);
    CHECK(r2.statuses);
    CHECK_CONTAINS(r2.own, "n_features");

    /* This thread's pointer is still valid and unchanged after the others failed. */
    CHECK_STR(p, main_message);
    CHECK_STR(linreg_last_error(), main_message);
    linreg_free(m);
}

/* ----------------------------------------------------------------- lifetime */
static void test_lifecycle(void)
{
    static const int64_t bad[][2] = {{0, 1}, {1, 0}, {-1, 1}, {1, -1}, {0, 0}, {INT64_MIN, 1}, {1, INT64_MIN}};
    static const int64_t overflow[][2] = {{INT64_MAX / 2, 3}, {3, INT64_MAX / 2}, {INT64_MAX, INT64_MAX},
                                          {(int64_t)1 << 32, (int64_t)1 << 32}};
    linreg_model *m = NULL, *junk = (linreg_model *)&m; /* a non-NULL value that create must overwrite */
    int64_t d = -7, k = -7;
    double W[6], b[2], v;
    size_t i;

    if (!CHECK_STATUS(linreg_create(3, 2, &m), LINREG_OK) || !CHECK(m != NULL)) return;
    CHECK_STATUS(linreg_get_shape(m, &d, &k), LINREG_OK);
    CHECK_INT(d, 3);
    CHECK_INT(k, 2);
    d = k = -7;
    CHECK_STATUS(linreg_get_shape(m, &d, NULL), LINREG_OK);
    CHECK_INT(d, 3);
    CHECK_STATUS(linreg_get_shape(m, NULL, &k), LINREG_OK);
    CHECK_INT(k, 2);
    CHECK_STATUS(linreg_get_shape(m, NULL, NULL), LINREG_OK);
    d = k = -7;
    CHECK_STATUS(linreg_get_shape(NULL, &d, &k), LINREG_E_ARGUMENT);
    CHECK(strlen(linreg_last_error()) > 0);

    /* Fresh model: not fitted, zero weights, no history, no statistics. */
    CHECK_INT(linreg_is_fitted(m), 0);
    CHECK_INT(linreg_is_fitted(NULL), 0);
    fill(W, 6, SENTINEL);
    fill(b, 2, SENTINEL);
    CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK);
    CHECK(all_equal(W, 6, 0.0));
    CHECK(all_equal(b, 2, 0.0));
    {
        int64_t count = -1;
        CHECK_STATUS(linreg_loss_history(m, NULL, 0, &count), LINREG_OK);
        CHECK_INT(count, 0);
    }
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, b), LINREG_E_NOT_FITTED);
    CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_SOLVER, &v), LINREG_OK);
    linreg_free(m);
    linreg_free(NULL);

    CHECK_STATUS(linreg_create(3, 1, NULL), LINREG_E_ARGUMENT);
    for (i = 0; i < COUNT(bad); i++) {
        m = junk;
        CHECK_STATUS(linreg_create(bad[i][0], bad[i][1], &m), LINREG_E_ARGUMENT);
        CHECK(m == NULL);
        CHECK(strlen(linreg_last_error()) > 0);
    }
    for (i = 0; i < COUNT(overflow); i++) {
        m = junk;
        CHECK_STATUS(linreg_create(overflow[i][0], overflow[i][1], &m), LINREG_E_ARGUMENT);
        CHECK(m == NULL);
    }
    /* Many models, freed in another order. */
    {
        linreg_model *ms[16];
        int ok = 1;
        for (i = 0; i < 16; i++) ok &= linreg_create((int64_t)i + 1, 2, &ms[i]) == LINREG_OK;
        CHECK(ok);
        for (i = 0; i < 16; i += 2) linreg_free(ms[i]);
        for (i = 1; i < 16; i += 2) linreg_free(ms[i]);
    }
}

/* Sizes that do not overflow int64 but cannot be allocated: refused with a
 * status, never an abort of the host process. */
static void test_allocation_failure(void)
{
    static const int shifts[] = {59, 50, 45};
    linreg_model *m, *junk = (linreg_model *)&m;
    size_t i;
    for (i = 0; i < COUNT(shifts); i++) {
        char label[64];
        m = junk;
        snprintf(label, sizeof label, "linreg_create(2^%d, 1)", shifts[i]);
        check_status(linreg_create((int64_t)1 << shifts[i], 1, &m), LINREG_E_NOMEM, label, __FILE__, __LINE__);
        CHECK(m == NULL);
    }
    m = junk;
    {
        int s = linreg_create((int64_t)1 << 31, (int64_t)1 << 31, &m); /* 2^62 doubles: the byte count overflows */
        CHECK(s == LINREG_E_ARGUMENT);
        CHECK(m == NULL);
    }
}

/* --------------------------------------------------------------- parameters */
typedef struct param_case {
    linreg_param key;
    const char *name;
    double def;
    double good[6];
    int n_good;
    double bad[8];
    int n_bad;
} param_case;

static const param_case PARAM_CASES[] = {
    {LINREG_PARAM_SOLVER, "SOLVER", 0, {1, 2, 0}, 3, {-1, 3, 0.5, NAN, INFINITY, -INFINITY}, 6},
    {LINREG_PARAM_FIT_INTERCEPT, "FIT_INTERCEPT", 1, {0, 1}, 2, {-1, 2, 0.5, NAN}, 4},
    {LINREG_PARAM_LEARNING_RATE, "LEARNING_RATE", 0.01, {1e-12, 0.5, 1e6, 0.01}, 4, {0, -0.0, -1e-3, NAN, INFINITY}, 5},
    {LINREG_PARAM_EPOCHS, "EPOCHS", 1000, {0, 1, 2147483647.0, 1000}, 4, {-1, 2147483648.0, 1.5, NAN, INFINITY}, 5},
    {LINREG_PARAM_BATCH_SIZE, "BATCH_SIZE", 32, {1, 5, 1e6, 2147483647.0, 32}, 5, {0, -1, 2.147483648e9, 2.5, NAN, INFINITY}, 6},
    {LINREG_PARAM_SHUFFLE, "SHUFFLE", 0, {1, 0}, 2, {2, -1, 0.5, NAN}, 4},
    {LINREG_PARAM_SEED, "SEED", 0, {42, 9007199254740992.0, 0}, 3, {-1, 9007199254740994.0, 0.5, NAN, INFINITY}, 5},
    {LINREG_PARAM_ALPHA, "ALPHA", 0, {0.5, 1e300, 0}, 3, {-1e-300, -1, NAN, INFINITY}, 4},
    {LINREG_PARAM_WEIGHT_DECAY, "WEIGHT_DECAY", 0, {1e-4, 10, 0}, 3, {-1, NAN, INFINITY}, 3},
    {LINREG_PARAM_MOMENTUM, "MOMENTUM", 0, {0.5, 0.999999, 0}, 3, {1, -0.1, 1.5, NAN, INFINITY}, 5},
    {LINREG_PARAM_CI_LEVEL, "CI_LEVEL", 0.95, {0.5, 1e-9, 0.999, 0.95}, 4, {0, 1, -0.5, 1.5, NAN}, 5},
    {LINREG_PARAM_THREADS, "THREADS", 0, {1, 4, 1024, 0}, 4, {-1, 1025, 2.5, NAN}, 4},
    {LINREG_PARAM_RCOND, "RCOND", -1, {0, 1e-10, 0.5, 1e10, -1}, 5, {-0.5, -2, NAN, INFINITY, -INFINITY}, 5},
};

static void test_parameters(void)
{
    static const int unknown_keys[] = {0, 99, -1, 1000};
    static const double W[3] = {1.5, -2.5, 0.25}, b[1] = {7};
    linreg_model *m = fixture_model(3, 1);
    model_state before;
    double v;
    size_t i;
    int j;
    if (!m) return;
    CHECK_INT(COUNT(PARAM_CASES), SNAP_PARAMS);
    CHECK_STATUS(linreg_set_weights(m, W, b), LINREG_OK);

    for (i = 0; i < COUNT(PARAM_CASES); i++) {
        const param_case *c = &PARAM_CASES[i];
        char label[64];
        snprintf(label, sizeof label, "default of LINREG_PARAM_%s", c->name);
        v = SENTINEL;
        CHECK_STATUS(linreg_get_param(m, c->key, &v), LINREG_OK);
        check_same(v, c->def, label, __FILE__, __LINE__);
        for (j = 0; j < c->n_good; j++) {
            snprintf(label, sizeof label, "LINREG_PARAM_%s = %.17g read back", c->name, c->good[j]);
            if (!check_status(linreg_set_param(m, c->key, c->good[j]), LINREG_OK, label, __FILE__, __LINE__)) {
                continue;
            }
            v = SENTINEL;
            CHECK_STATUS(linreg_get_param(m, c->key, &v), LINREG_OK);
            check_same(v, c->good[j], label, __FILE__, __LINE__);
        }
        /* The last good value is the default again. */
        for (j = 0; j < c->n_bad; j++) {
            fixture_snapshot(m, &before);
            snprintf(label, sizeof label, "LINREG_PARAM_%s = %g refused", c->name, c->bad[j]);
            check_status(linreg_set_param(m, c->key, c->bad[j]), LINREG_E_ARGUMENT, label, __FILE__, __LINE__);
            CHECK(strlen(linreg_last_error()) > 0);
            CHECK_UNCHANGED(m, &before);
        }
    }

    /* Setting parameters does not change the weights or the fitted flag. */
    {
        double W2[3], b2[1];
        CHECK_STATUS(linreg_get_weights(m, W2, b2), LINREG_OK);
        CHECK(memcmp(W, W2, sizeof W) == 0 && memcmp(b, b2, sizeof b) == 0);
        CHECK_INT(linreg_is_fitted(m), 1);
    }

    fixture_snapshot(m, &before);
    for (i = 0; i < COUNT(unknown_keys); i++) {
        CHECK_STATUS(linreg_set_param(m, (linreg_param)unknown_keys[i], 1.0), LINREG_E_ARGUMENT);
        v = SENTINEL;
        CHECK_STATUS(linreg_get_param(m, (linreg_param)unknown_keys[i], &v), LINREG_E_ARGUMENT);
        CHECK_SAME(v, SENTINEL);
    }
    CHECK_UNCHANGED(m, &before);
    CHECK_STATUS(linreg_set_param(NULL, LINREG_PARAM_EPOCHS, 10), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_param(NULL, LINREG_PARAM_EPOCHS, &v), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_EPOCHS, NULL), LINREG_E_ARGUMENT);
    linreg_free(m);
}

/* ------------------------------------------------------------------ weights */
static void test_weights(void)
{
    static const double W[6] = {1, -2, 3, 0.5, 0.25, -0.125}, b[2] = {10, -20};
    double W2[8], b2[4];
    linreg_model *m = fixture_model(3, 2);
    model_state before;
    if (!m) return;

    CHECK_STATUS(linreg_set_weights(m, W, b), LINREG_OK);
    CHECK_INT(linreg_is_fitted(m), 1);
    fill(W2, 8, SENTINEL);
    fill(b2, 4, SENTINEL);
    CHECK_STATUS(linreg_get_weights(m, W2, b2), LINREG_OK);
    CHECK(memcmp(W2, W, sizeof W) == 0);
    CHECK(memcmp(b2, b, sizeof b) == 0);
    CHECK(all_equal(W2 + 6, 2, SENTINEL)); /* exactly k*d values written */
    CHECK(all_equal(b2 + 2, 2, SENTINEL)); /* exactly k values written */

    fill(W2, 8, SENTINEL);
    fill(b2, 4, SENTINEL);
    CHECK_STATUS(linreg_get_weights(m, NULL, b2), LINREG_OK);
    CHECK(memcmp(b2, b, sizeof b) == 0);
    CHECK_STATUS(linreg_get_weights(m, W2, NULL), LINREG_OK);
    CHECK(memcmp(W2, W, sizeof W) == 0);
    CHECK_STATUS(linreg_get_weights(m, NULL, NULL), LINREG_OK);
    fill(W2, 8, SENTINEL);
    CHECK_STATUS(linreg_get_weights(NULL, W2, b2), LINREG_E_ARGUMENT);
    CHECK(all_equal(W2, 8, SENTINEL));

    /* Refusals leave the model as it was. */
    fixture_snapshot(m, &before);
    CHECK_STATUS(linreg_set_weights(NULL, W, b), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_set_weights(m, NULL, b), LINREG_E_ARGUMENT);
    CHECK_UNCHANGED(m, &before);
    {
        double bad[6];
        memcpy(bad, W, sizeof W);
        bad[4] = NAN;
        CHECK_STATUS(linreg_set_weights(m, bad, b), LINREG_E_NONFINITE);
        CHECK_CONTAINS(linreg_last_error(), "W");
        CHECK_UNCHANGED(m, &before);
        bad[4] = -INFINITY;
        CHECK_STATUS(linreg_set_weights(m, bad, b), LINREG_E_NONFINITE);
        CHECK_UNCHANGED(m, &before);
    }
    {
        double bad_b[2] = {0, INFINITY};
        CHECK_STATUS(linreg_set_weights(m, W, bad_b), LINREG_E_NONFINITE);
        CHECK_UNCHANGED(m, &before);
    }

    /* b NULL means zero intercepts. */
    CHECK_STATUS(linreg_set_weights(m, W, NULL), LINREG_OK);
    fill(b2, 4, SENTINEL);
    CHECK_STATUS(linreg_get_weights(m, NULL, b2), LINREG_OK);
    CHECK(all_equal(b2, 2, 0.0));
    linreg_free(m);
}

/* --------------------------------------------------------------- prediction */
static void test_predict(void)
{
    static const double W[6] = {1, -2, 3, 0.5, 0.25, -0.125}, b[2] = {10, -20};
    static const double X[12] = {1, 2, 3, -1, 0, 4, 0.5, 0.25, 8, 2, -3, 1};
    double Y[4 * 2 + 2];
    float Yf[4 * 2 + 2];
    float Xf[12];
    linreg_model *m = fixture_model(3, 2), *wide = fixture_model(1, 3);
    model_state before;
    int i, j;
    if (!m || !wide) return;
    for (i = 0; i < 12; i++) Xf[i] = (float)X[i];

    fill(Y, 10, SENTINEL);
    CHECK_STATUS(linreg_predict_f64(m, X, 4, Y), LINREG_E_NOT_FITTED);
    CHECK(strlen(linreg_last_error()) > 0);
    CHECK(all_equal(Y, 10, SENTINEL));
    CHECK_STATUS(linreg_predict_f32(m, Xf, 4, Yf), LINREG_E_NOT_FITTED);

    CHECK_STATUS(linreg_set_weights(m, W, b), LINREG_OK);
    fixture_snapshot(m, &before);
    CHECK_STATUS(linreg_predict_f64(m, X, 4, Y), LINREG_OK);
    for (i = 0; i < 4; i++) {
        for (j = 0; j < 2; j++) {
            double e = b[j] + X[i * 3] * W[j * 3] + X[i * 3 + 1] * W[j * 3 + 1] + X[i * 3 + 2] * W[j * 3 + 2];
            CHECK_SAME(Y[i * 2 + j], e); /* small dyadic values: exact in any summation order */
        }
    }
    CHECK(all_equal(Y + 8, 2, SENTINEL));
    CHECK_UNCHANGED(m, &before);

    /* f32: computed in double, rounded once to float. */
    {
        static const double W3[3] = {0.1, 1.0 / 3.0, -0.7};
        static const float X3[6] = {1.0f / 3.0f, 0.1f, 7.3f, 1e-3f, 123.456f, -2.5f};
        float out[3] = {-1, -1, -1};
        linreg_model *m3 = fixture_model(3, 1);
        double b3 = 0.3;
        if (m3) {
            CHECK_STATUS(linreg_set_weights(m3, W3, &b3), LINREG_OK);
            CHECK_STATUS(linreg_predict_f32(m3, X3, 2, out), LINREG_OK);
            for (i = 0; i < 2; i++) {
                double e = b3 + (double)X3[i * 3] * W3[0] + (double)X3[i * 3 + 1] * W3[1] +
                           (double)X3[i * 3 + 2] * W3[2];
                CHECK_CLOSE((double)out[i], e, 6e-8); /* half a float ulp: one rounding from double */
            }
            CHECK_SAME((double)out[2], -1.0);
            linreg_free(m3);
        }
    }

    /* NULL pointers, bad sizes: refused, Y_out untouched. */
    fill(Y, 10, SENTINEL);
    CHECK_STATUS(linreg_predict_f64(NULL, X, 4, Y), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f64(m, NULL, 4, Y), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f64(m, X, 4, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f32(NULL, Xf, 4, Yf), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f32(m, NULL, 4, Yf), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f32(m, Xf, 4, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f64(m, X, 0, Y), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f64(m, X, -1, Y), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f64(m, X, INT64_MIN, Y), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f32(m, Xf, 0, Yf), LINREG_E_ARGUMENT);
    /* n * d overflows: refused before X is read (X is only 12 values). */
    CHECK_STATUS(linreg_predict_f64(m, X, HUGE_N, Y), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_predict_f32(m, Xf, HUGE_N, Yf), LINREG_E_ARGUMENT);
    CHECK(all_equal(Y, 10, SENTINEL));
    /* n * k overflows while n * d does not (d = 1, k = 3). */
    {
        static const double Wd[3] = {1, 2, 3};
        CHECK_STATUS(linreg_set_weights(wide, Wd, NULL), LINREG_OK);
        CHECK_STATUS(linreg_predict_f64(wide, X, HUGE_N, Y), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_predict_f32(wide, Xf, HUGE_N, Yf), LINREG_E_ARGUMENT);
        CHECK(all_equal(Y, 10, SENTINEL));
    }

    /* Non-finite X: named by row and column; Y_out untouched. */
    {
        double Xb[12];
        float Xbf[12];
        const char *msg;
        memcpy(Xb, X, sizeof X);
        Xb[2 * 3 + 1] = NAN;
        CHECK_STATUS(linreg_predict_f64(m, Xb, 4, Y), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_HAS_NUMBER(msg, 2);
        CHECK_HAS_NUMBER(msg, 1);
        CHECK(all_equal(Y, 10, SENTINEL));
        memcpy(Xb, X, sizeof X);
        Xb[3 * 3 + 0] = INFINITY;
        CHECK_STATUS(linreg_predict_f64(m, Xb, 4, Y), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_HAS_NUMBER(msg, 3);
        CHECK_HAS_NUMBER(msg, 0);
        CHECK(all_equal(Y, 10, SENTINEL));
        for (i = 0; i < 12; i++) Xbf[i] = Xf[i];
        Xbf[1 * 3 + 2] = -INFINITY;
        for (i = 0; i < 10; i++) Yf[i] = -1.0f;
        CHECK_STATUS(linreg_predict_f32(m, Xbf, 4, Yf), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_HAS_NUMBER(msg, 1);
        CHECK_HAS_NUMBER(msg, 2);
        for (i = 0; i < 10; i++) CHECK_SAME((double)Yf[i], -1.0);
    }
    CHECK_UNCHANGED(m, &before);
    linreg_free(m);
    linreg_free(wide);
}

/* --------------------------------------------------------- fit: arguments */
static void test_fit_arguments(void)
{
    float Xf[SMALL_N * SMALL_D], Yf[SMALL_N * SMALL_K], Wf[SMALL_N];
    double X[SMALL_N * SMALL_D], Y[SMALL_N * SMALL_K], SW[SMALL_N];
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    linreg_model *tall = fixture_model(3, 1), *wide = fixture_model(1, 3);
    model_state fresh;
    const char *msg;
    int solver;
    if (!m || !tall || !wide) return;
    fixture_small_f32(Xf, Yf, Wf);
    memcpy(X, SMALL_X, sizeof X);
    memcpy(Y, SMALL_Y, sizeof Y);
    memcpy(SW, SMALL_SW, sizeof SW);

    for (solver = LINREG_SOLVER_EXACT; solver <= LINREG_SOLVER_SGD; solver++) {
        SET_PARAM(m, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(m, LINREG_PARAM_EPOCHS, 3);
        fixture_snapshot(m, &fresh);

        CHECK_STATUS(linreg_fit_f64(NULL, X, Y, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f64(m, NULL, Y, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_CONTAINS(linreg_last_error(), "X");
        CHECK_STATUS(linreg_fit_f64(m, X, NULL, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_CONTAINS(linreg_last_error(), "Y");
        CHECK_STATUS(linreg_fit_f32(NULL, Xf, Yf, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f32(m, NULL, Yf, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f32(m, Xf, NULL, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(NULL, X, Y, SW, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(m, NULL, Y, SW, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, NULL, SW, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, NULL, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(NULL, Xf, Yf, Wf, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(m, NULL, Yf, Wf, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, NULL, Wf, SMALL_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, NULL, SMALL_N), LINREG_E_ARGUMENT);

        /* n_samples < 1 */
        CHECK_STATUS(linreg_fit_f64(m, X, Y, 0), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f64(m, X, Y, -1), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f64(m, X, Y, INT64_MIN), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f32(m, Xf, Yf, 0), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, 0), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, Wf, -5), LINREG_E_ARGUMENT);

        /* Non-finite X, Y or sample weight: named by row and column. */
        X[5 * SMALL_D + 2] = NAN;
        CHECK_STATUS(linreg_fit_f64(m, X, Y, SMALL_N), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_CONTAINS(msg, "X");
        CHECK_HAS_NUMBER(msg, 5);
        CHECK_HAS_NUMBER(msg, 2);
        X[2 * SMALL_D + 1] = INFINITY; /* the first one is named */
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_HAS_NUMBER(msg, 2);
        CHECK_HAS_NUMBER(msg, 1);
        memcpy(X, SMALL_X, sizeof X);
        X[7 * SMALL_D + 0] = -INFINITY;
        CHECK_STATUS(linreg_fit_f64(m, X, Y, SMALL_N), LINREG_E_NONFINITE);
        CHECK_HAS_NUMBER(linreg_last_error(), 7);
        CHECK_HAS_NUMBER(linreg_last_error(), 0);
        memcpy(X, SMALL_X, sizeof X);

        Y[6 * SMALL_K + 1] = NAN;
        CHECK_STATUS(linreg_fit_f64(m, X, Y, SMALL_N), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_CONTAINS(msg, "Y");
        CHECK_HAS_NUMBER(msg, 6);
        CHECK_HAS_NUMBER(msg, 1);
        memcpy(Y, SMALL_Y, sizeof Y);

        Xf[4 * SMALL_D + 1] = NAN;
        CHECK_STATUS(linreg_fit_f32(m, Xf, Yf, SMALL_N), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_CONTAINS(msg, "X");
        CHECK_HAS_NUMBER(msg, 4);
        CHECK_HAS_NUMBER(msg, 1);
        fixture_small_f32(Xf, Yf, Wf);
        Yf[3 * SMALL_K + 0] = -INFINITY;
        CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, Wf, SMALL_N), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_CONTAINS(msg, "Y");
        CHECK_HAS_NUMBER(msg, 3);
        CHECK_HAS_NUMBER(msg, 0);
        fixture_small_f32(Xf, Yf, Wf);

        SW[6] = NAN;
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_E_NONFINITE);
        msg = linreg_last_error();
        CHECK_CONTAINS(msg, "weight");
        CHECK_HAS_NUMBER(msg, 6);
        SW[6] = INFINITY;
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_E_NONFINITE);
        Wf[2] = -INFINITY;
        CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, Wf, SMALL_N), LINREG_E_NONFINITE);
        CHECK_HAS_NUMBER(linreg_last_error(), 2);
        fixture_small_f32(Xf, Yf, Wf);
        memcpy(SW, SMALL_SW, sizeof SW);

        /* Negative or all-zero sample weights. */
        SW[3] = -0.5;
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_E_ARGUMENT);
        CHECK(strlen(linreg_last_error()) > 0);
        fill(SW, SMALL_N, 0.0);
        CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_E_ARGUMENT);
        {
            int i;
            for (i = 0; i < SMALL_N; i++) Wf[i] = 0.0f;
            CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, Wf, SMALL_N), LINREG_E_ARGUMENT);
            Wf[1] = -1.0f;
            Wf[2] = 1.0f;
            CHECK_STATUS(linreg_fit_weighted_f32(m, Xf, Yf, Wf, SMALL_N), LINREG_E_ARGUMENT);
        }
        fixture_small_f32(Xf, Yf, Wf);
        memcpy(SW, SMALL_SW, sizeof SW);

        /* Every refusal left the model as it was. */
        CHECK_UNCHANGED(m, &fresh);

        /* Overflowing sizes are refused before any buffer is read: the
         * buffers below are a few values long. n * d overflows for tall;
         * only n * k overflows for wide. */
        SET_PARAM(tall, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(wide, LINREG_PARAM_SOLVER, solver);
        CHECK_STATUS(linreg_fit_f64(tall, X, Y, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f32(tall, Xf, Yf, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(tall, X, Y, SW, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(tall, Xf, Yf, Wf, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f64(wide, X, Y, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f32(wide, Xf, Yf, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f64(wide, X, Y, SW, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_weighted_f32(wide, Xf, Yf, Wf, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_STATUS(linreg_fit_f64(tall, X, Y, INT64_MAX), LINREG_E_ARGUMENT);
        CHECK_INT(linreg_is_fitted(tall), 0);
        CHECK_INT(linreg_is_fitted(wide), 0);
    }

    /* Some zero weights (not all) are fine. */
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
    SW[0] = 0;
    SW[5] = 0;
    CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_OK);
    linreg_free(m);
    linreg_free(tall);
    linreg_free(wide);
}

/* ---------------------------------------------------------- transactions */
static void test_transactional(void)
{
    double X[SMALL_N * SMALL_D], Y[SMALL_N * SMALL_K];
    linreg_model *m = fixture_model(SMALL_D, SMALL_K), *u = fixture_model(SMALL_D, SMALL_K);
    model_state s;
    int solver;
    if (!m || !u) return;
    memcpy(X, SMALL_X, sizeof X);
    memcpy(Y, SMALL_Y, sizeof Y);

    /* Failed fits on an unfitted model: it stays unfitted with zero weights. */
    fixture_snapshot(u, &s);
    X[3] = NAN;
    CHECK_STATUS(linreg_fit_f64(u, X, Y, SMALL_N), LINREG_E_NONFINITE);
    X[3] = SMALL_X[3];
    CHECK_UNCHANGED(u, &s);

    for (solver = LINREG_SOLVER_EXACT; solver <= LINREG_SOLVER_SGD; solver++) {
        /* A successful fit first, so there is something to keep. */
        SET_PARAM(m, LINREG_PARAM_SOLVER, solver);
        SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.01);
        SET_PARAM(m, LINREG_PARAM_EPOCHS, 7);
        SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
        CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
        if (!CHECK_STATUS(linreg_fit_f64(m, X, Y, SMALL_N), LINREG_OK)) continue;
        fixture_snapshot(m, &s);
        CHECK_INT(s.history_count, solver == LINREG_SOLVER_EXACT ? 0 : 7);
        CHECK_INT(s.r2_status, solver == LINREG_SOLVER_EXACT ? LINREG_OK : LINREG_E_UNAVAILABLE);

        Y[9] = INFINITY;
        CHECK_STATUS(linreg_fit_f64(m, X, Y, SMALL_N), LINREG_E_NONFINITE);
        Y[9] = SMALL_Y[9];
        CHECK_UNCHANGED(m, &s);
        {
            double SW[SMALL_N];
            memcpy(SW, SMALL_SW, sizeof SW);
            SW[4] = -1;
            CHECK_STATUS(linreg_fit_weighted_f64(m, X, Y, SW, SMALL_N), LINREG_E_ARGUMENT);
            CHECK_UNCHANGED(m, &s);
        }
        CHECK_STATUS(linreg_fit_f64(m, X, Y, HUGE_N), LINREG_E_ARGUMENT);
        CHECK_UNCHANGED(m, &s);

        /* A diverging GD/SGD run after it. */
        if (solver != LINREG_SOLVER_EXACT) {
            SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 1e6);
            SET_PARAM(m, LINREG_PARAM_EPOCHS, 500);
            fixture_snapshot(m, &s);
            CHECK_STATUS(linreg_fit_f64(m, X, Y, SMALL_N), LINREG_E_DIVERGED);
            CHECK(strlen(linreg_last_error()) > 0);
            CHECK_UNCHANGED(m, &s);
        }
    }
    linreg_free(m);
    linreg_free(u);
}

/* ------------------------------------------------------------ loss history */
static void test_loss_history(void)
{
    double full[10], buf[24];
    int64_t count;
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    int i;
    if (!m) return;
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 10);
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    if (!CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK)) {
        linreg_free(m);
        return;
    }
    count = -1;
    CHECK_STATUS(linreg_loss_history(m, NULL, 0, &count), LINREG_OK);
    CHECK_INT(count, 10);
    fill(full, 10, SENTINEL);
    count = -1;
    CHECK_STATUS(linreg_loss_history(m, full, 10, &count), LINREG_OK);
    CHECK_INT(count, 10);
    for (i = 0; i < 10; i++) CHECK(isfinite(full[i]) && full[i] > 0);
    CHECK(full[9] < full[0]);

    /* capacity < length: the first capacity values, and the full length. */
    fill(buf, 24, SENTINEL);
    count = -1;
    CHECK_STATUS(linreg_loss_history(m, buf, 3, &count), LINREG_OK);
    CHECK_INT(count, 10);
    CHECK(memcmp(buf, full, 3 * sizeof(double)) == 0);
    CHECK(all_equal(buf + 3, 21, SENTINEL));
    /* capacity > length: length values written, the rest untouched. */
    fill(buf, 24, SENTINEL);
    CHECK_STATUS(linreg_loss_history(m, buf, 20, &count), LINREG_OK);
    CHECK_INT(count, 10);
    CHECK(memcmp(buf, full, 10 * sizeof(double)) == 0);
    CHECK(all_equal(buf + 10, 14, SENTINEL));
    /* A capacity far beyond the buffer is fine: only length values are written. */
    fill(buf, 24, SENTINEL);
    CHECK_STATUS(linreg_loss_history(m, buf, INT64_MAX, &count), LINREG_OK);
    CHECK(memcmp(buf, full, 10 * sizeof(double)) == 0);
    CHECK(all_equal(buf + 10, 14, SENTINEL));

    /* Refusals. */
    fill(buf, 24, SENTINEL);
    CHECK_STATUS(linreg_loss_history(NULL, buf, 10, &count), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_loss_history(m, buf, 10, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_loss_history(m, buf, -1, &count), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_loss_history(m, buf, INT64_MIN, &count), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_loss_history(m, NULL, 1, &count), LINREG_E_ARGUMENT);
    CHECK(all_equal(buf, 24, SENTINEL));

    /* SGD records one value per epoch too. */
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_SGD);
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 6);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_INT(fixture_history(m, NULL, 0), 6);

    /* GD with 0 epochs: succeeds, empty history, weights as they were. */
    {
        double W[6], b[2];
        SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
        SET_PARAM(m, LINREG_PARAM_EPOCHS, 0);
        CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
        CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
        CHECK_INT(fixture_history(m, NULL, 0), 0);
        CHECK_STATUS(linreg_get_weights(m, W, b), LINREG_OK);
        CHECK(memcmp(W, SMALL_W0, sizeof W) == 0 && memcmp(b, SMALL_B0, sizeof b) == 0);
        CHECK_INT(linreg_is_fitted(m), 1);
    }

    /* set_weights and an exact fit clear the history. */
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 4);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_INT(fixture_history(m, NULL, 0), 4);
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    CHECK_INT(fixture_history(m, NULL, 0), 0);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_INT(fixture_history(m, NULL, 0), 4);
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_INT(fixture_history(m, NULL, 0), 0);
    linreg_free(m);
}

/* -------------------------------------------------------- progress callback */
typedef struct progress_log {
    int64_t calls;
    int in_order;
    int64_t stop_at;
    double losses[64];
    const void *expected_user_data;
    int user_data_ok;
} progress_log;

static int on_progress(int64_t epoch, double loss, void *user_data)
{
    progress_log *log = user_data;
    log->user_data_ok &= user_data == log->expected_user_data;
    log->in_order &= epoch == log->calls;
    if (epoch >= 0 && epoch < 64) log->losses[epoch] = loss;
    log->calls++;
    return epoch == log->stop_at;
}

static void reset_log(progress_log *log, int64_t stop_at)
{
    memset(log, 0, sizeof *log);
    log->in_order = 1;
    log->stop_at = stop_at;
    log->expected_user_data = log;
    log->user_data_ok = 1;
}

/* GD or SGD for epochs from SMALL_W0; W then b into Wb (k*d + k values). */
static int run_descent(linreg_model *m, int solver, int epochs, double *Wb)
{
    return fixture_descend_small(m, solver, epochs, Wb, Wb + SMALL_D * SMALL_K);
}

static void test_progress(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    progress_log log;
    double hist[64], w_stop[8], w4[8], w5[8];
    int solver, i;
    if (!m) return;
    CHECK_STATUS(linreg_set_progress(NULL, on_progress, &log), LINREG_E_ARGUMENT);
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.01);

    for (solver = LINREG_SOLVER_GD; solver <= LINREG_SOLVER_SGD; solver++) {
        /* Every epoch reported once, in order, with the recorded loss. */
        reset_log(&log, -1);
        CHECK_STATUS(linreg_set_progress(m, on_progress, &log), LINREG_OK);
        if (!run_descent(m, solver, 12, w5)) break;
        CHECK_INT(log.calls, 12);
        CHECK(log.in_order);
        CHECK(log.user_data_ok);
        CHECK_INT(fixture_history(m, hist, 64), 12);
        for (i = 0; i < 12; i++) CHECK_SAME(log.losses[i], hist[i]);

        /* Early stop at epoch 4 (the callback runs after the epoch's update):
         * success, 5 losses, and exactly the weights of a 5-epoch run, as the
         * header says (and as the Python test of an early stop expects). */
        if (!run_descent(m, solver, 4, w4) || !run_descent(m, solver, 5, w5)) break;
        CHECK(memcmp(w4, w5, sizeof w5) != 0); /* else the next check could not tell them apart */
        reset_log(&log, 4);
        if (!run_descent(m, solver, 12, w_stop)) break;
        CHECK_INT(log.calls, 5);
        CHECK_INT(fixture_history(m, hist, 64), 5);
        for (i = 0; i < 5; i++) CHECK_SAME(log.losses[i], hist[i]);
        for (i = 0; i < SMALL_D * SMALL_K + SMALL_K; i++) CHECK_SAME(w_stop[i], w5[i]);
        /* Stop at the first epoch. */
        reset_log(&log, 0);
        if (!run_descent(m, solver, 12, w_stop)) break;
        CHECK_INT(log.calls, 1);
        CHECK_INT(fixture_history(m, NULL, 0), 1);

        /* Removed: no more calls. */
        CHECK_STATUS(linreg_set_progress(m, NULL, NULL), LINREG_OK);
        reset_log(&log, -1);
        if (!run_descent(m, solver, 3, w_stop)) break;
        CHECK_INT(log.calls, 0);
    }

    /* The exact solver does not call it. */
    reset_log(&log, -1);
    CHECK_STATUS(linreg_set_progress(m, on_progress, &log), LINREG_OK);
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_INT(log.calls, 0);
    /* A failing fit does not call it either. */
    {
        double X[SMALL_N * SMALL_D];
        memcpy(X, SMALL_X, sizeof X);
        X[0] = NAN;
        SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
        CHECK_STATUS(linreg_fit_f64(m, X, SMALL_Y, SMALL_N), LINREG_E_NONFINITE);
        CHECK_INT(log.calls, 0);
    }
    linreg_free(m);
}

/* ------------------------------------------------- statistics availability */
static void test_statistics_status(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double out[SMALL_K * (SMALL_D + 1) + 4];
    int64_t count;
    int key;
    const int n_coef = SMALL_K * (SMALL_D + 1);
    if (!m) return;

    /* Not fitted. */
    fill(out, COUNT(out), SENTINEL);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, out), LINREG_E_NOT_FITTED);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, out), LINREG_E_NOT_FITTED);
    CHECK_STATUS(linreg_singular_values(m, out, 4, &count), LINREG_E_NOT_FITTED);
    CHECK(all_equal(out, COUNT(out), SENTINEL));

    /* NULL pointers and unknown keys. */
    CHECK_STATUS(linreg_get_stat(NULL, LINREG_STAT_R2, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_coef_stats(NULL, LINREG_COEF_STDERR, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_singular_values(NULL, out, 4, &count), LINREG_E_ARGUMENT);

    if (!CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK)) {
        linreg_free(m);
        return;
    }
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_singular_values(m, out, 4, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_singular_values(m, out, -1, &count), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_singular_values(m, NULL, 2, &count), LINREG_E_ARGUMENT);
    fill(out, COUNT(out), SENTINEL);
    CHECK_STATUS(linreg_get_stat(m, (linreg_stat)0, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_stat(m, (linreg_stat)15, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_stat(m, (linreg_stat)-1, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_coef_stats(m, (linreg_coef_stat)0, out), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_coef_stats(m, (linreg_coef_stat)6, out), LINREG_E_ARGUMENT);
    CHECK(all_equal(out, COUNT(out), SENTINEL));

    /* After an unpenalised exact fit: every key, finite, exactly the stated count written. */
    for (key = LINREG_STAT_R2; key <= LINREG_STAT_RSS; key++) {
        fill(out, COUNT(out), SENTINEL);
        if (!CHECK_STATUS(linreg_get_stat(m, (linreg_stat)key, out), LINREG_OK)) continue;
        CHECK(isfinite(out[0]) && isfinite(out[1]));
        CHECK(all_equal(out + SMALL_K, COUNT(out) - SMALL_K, SENTINEL));
    }
    for (key = LINREG_COEF_STDERR; key <= LINREG_COEF_CI_HIGH; key++) {
        int i, finite = 1;
        fill(out, COUNT(out), SENTINEL);
        if (!CHECK_STATUS(linreg_get_coef_stats(m, (linreg_coef_stat)key, out), LINREG_OK)) continue;
        for (i = 0; i < n_coef; i++) finite &= isfinite(out[i]);
        CHECK(finite);
        CHECK(all_equal(out + n_coef, COUNT(out) - (size_t)n_coef, SENTINEL));
    }
    count = -1;
    CHECK_STATUS(linreg_singular_values(m, NULL, 0, &count), LINREG_OK);
    CHECK_INT(count, SMALL_D); /* min(n, d) values of the centred X */

    /* Changing a parameter does not invalidate the last fit's statistics. */
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
    SET_PARAM(m, LINREG_PARAM_ALPHA, 1.0);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, out), LINREG_OK);

    /* GD, SGD, ridge and set_weights leave no statistics. */
    SET_PARAM(m, LINREG_PARAM_ALPHA, 0);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 5);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    fill(out, COUNT(out), SENTINEL);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, out), LINREG_E_UNAVAILABLE);
    CHECK(strlen(linreg_last_error()) > 0);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_PVALUE, out), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_singular_values(m, out, 4, &count), LINREG_E_UNAVAILABLE);
    CHECK(all_equal(out, COUNT(out), SENTINEL));

    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_SGD);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_F, out), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_T, out), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_singular_values(m, out, 4, &count), LINREG_E_UNAVAILABLE);

    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
    SET_PARAM(m, LINREG_PARAM_ALPHA, 0.5);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, out), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_STDERR, out), LINREG_E_UNAVAILABLE);

    SET_PARAM(m, LINREG_PARAM_ALPHA, 0);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, out), LINREG_OK);
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, out), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_get_coef_stats(m, LINREG_COEF_CI_LOW, out), LINREG_E_UNAVAILABLE);
    linreg_free(m);
}

/* ------------------------------------------- threads: results and isolation */
typedef struct fit_job {
    const advertising *adv;
    int solver;
    double threads;
    double Wb[4];
    int status;
} fit_job;

static void *fit_job_run(void *arg)
{
    fit_job *job = arg;
    linreg_model *m = NULL;
    double W0[3];
    int i;
    job->status = linreg_create(3, 1, &m);
    if (job->status != LINREG_OK) return NULL;
    for (i = 0; i < 3; i++) W0[i] = (double)SEED_W0[i];
    /* Runs on worker threads, where CHECK is not used: the first failure is
     * the job's status, which the caller checks. */
    job->status = linreg_set_param(m, LINREG_PARAM_SOLVER, job->solver);
    if (job->status == LINREG_OK) job->status = linreg_set_param(m, LINREG_PARAM_THREADS, job->threads);
    if (job->status == LINREG_OK) job->status = linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 1e-5);
    if (job->status == LINREG_OK) job->status = linreg_set_param(m, LINREG_PARAM_EPOCHS, 50);
    if (job->status == LINREG_OK) job->status = linreg_set_param(m, LINREG_PARAM_BATCH_SIZE, 7);
    if (job->status == LINREG_OK) job->status = linreg_set_param(m, LINREG_PARAM_SHUFFLE, 1);
    if (job->status == LINREG_OK) job->status = linreg_set_param(m, LINREG_PARAM_SEED, 3);
    if (job->status == LINREG_OK) job->status = linreg_set_weights(m, W0, NULL);
    if (job->status == LINREG_OK) job->status = linreg_fit_f64(m, job->adv->X, job->adv->Y, ADV_N);
    if (job->status == LINREG_OK) job->status = linreg_get_weights(m, job->Wb, job->Wb + 3);
    linreg_free(m);
    return NULL;
}

static void test_threads(void)
{
    const advertising *adv = fixture_advertising();
    int solver;
    if (!adv) return;
    for (solver = LINREG_SOLVER_EXACT; solver <= LINREG_SOLVER_SGD; solver++) {
        /* The THREADS parameter does not change results (bit for bit). */
        static const double threads[] = {1, 2, 4, 0};
        fit_job jobs[4];
        pthread_t tid[4];
        size_t i;
        for (i = 0; i < 4; i++) {
            memset(&jobs[i], 0, sizeof jobs[i]);
            jobs[i].adv = adv;
            jobs[i].solver = solver;
            jobs[i].threads = threads[i];
            fit_job_run(&jobs[i]);
            CHECK_STATUS(jobs[i].status, LINREG_OK);
            if (i > 0) CHECK(memcmp(jobs[i].Wb, jobs[0].Wb, sizeof jobs[0].Wb) == 0);
        }
        /* Distinct models fitted at the same time on distinct threads agree with the serial run. */
        {
            double expected[4];
            int same = 1, ok = 1;
            memcpy(expected, jobs[0].Wb, sizeof expected);
            for (i = 0; i < 4; i++) {
                memset(jobs[i].Wb, 0, sizeof jobs[i].Wb);
                jobs[i].status = -1;
                if (!CHECK(pthread_create(&tid[i], NULL, fit_job_run, &jobs[i]) == 0)) return;
            }
            for (i = 0; i < 4; i++) {
                pthread_join(tid[i], NULL);
                ok &= jobs[i].status == LINREG_OK;
                same &= memcmp(jobs[i].Wb, expected, sizeof expected) == 0;
            }
            CHECK(ok);
            CHECK(same);
        }
    }
}

typedef struct predict_job {
    const linreg_model *m;
    const advertising *adv;
    double Y[ADV_N];
    int status;
} predict_job;

static void *predict_job_run(void *arg)
{
    predict_job *job = arg;
    int i;
    for (i = 0; i < 50 && job->status == LINREG_OK; i++) {
        job->status = linreg_predict_f64(job->m, job->adv->X, ADV_N, job->Y);
    }
    return NULL;
}

static void test_concurrent_reads(void)
{
    const advertising *adv = fixture_advertising();
    linreg_model *m = fixture_model(3, 1);
    predict_job jobs[4];
    pthread_t tid[4];
    double expected[ADV_N];
    int i, ok = 1, same = 1;
    if (!adv || !m) return;
    if (!CHECK_STATUS(linreg_fit_f64(m, adv->X, adv->Y, ADV_N), LINREG_OK)) return;
    CHECK_STATUS(linreg_predict_f64(m, adv->X, ADV_N, expected), LINREG_OK);
    for (i = 0; i < 4; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].m = m;
        jobs[i].adv = adv;
        if (!CHECK(pthread_create(&tid[i], NULL, predict_job_run, &jobs[i]) == 0)) return;
    }
    for (i = 0; i < 4; i++) {
        pthread_join(tid[i], NULL);
        ok &= jobs[i].status == LINREG_OK;
        same &= memcmp(jobs[i].Y, expected, sizeof expected) == 0;
    }
    CHECK(ok);
    CHECK(same);
    linreg_free(m);
}

/* ---------------------------------------------------------------- shuffle */
static void test_shuffle_seed(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    double a[8], b[8], c[8], plain[8];
    if (!m) return;
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.01);
    if (!run_descent(m, LINREG_SOLVER_SGD, 5, plain)) return;
    SET_PARAM(m, LINREG_PARAM_SHUFFLE, 1);
    SET_PARAM(m, LINREG_PARAM_SEED, 7);
    if (!run_descent(m, LINREG_SOLVER_SGD, 5, a) || !run_descent(m, LINREG_SOLVER_SGD, 5, b)) return;
    CHECK(memcmp(a, b, sizeof a) == 0); /* same seed, same result */
    SET_PARAM(m, LINREG_PARAM_SEED, 8);
    if (!run_descent(m, LINREG_SOLVER_SGD, 5, c)) return;
    CHECK(memcmp(a, c, sizeof a) != 0);     /* another seed, another order */
    CHECK(memcmp(a, plain, sizeof a) != 0); /* shuffled differs from row order */
    linreg_free(m);
}

/* ------------------------------------------------------ solver report */
/* Well-conditioned data take one pass of the normal equations; collinear
 * data the Householder path (two passes: the declined moments pass and the
 * reduction); GD leaves no report. The refined path on correlated data is
 * tested from Swift and Python. */
static void test_solver_info(void)
{
    enum { N = 40000, D = 3 };
    static double X[N * D], Y[N];
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    linreg_model *big = NULL;
    int32_t path = -1;
    int64_t passes = -1;
    int i;
    if (!m) return;
    CHECK_STATUS(linreg_get_solver_info(m, &path, &passes), LINREG_E_NOT_FITTED);
    CHECK_STATUS(linreg_get_solver_info(NULL, &path, &passes), LINREG_E_ARGUMENT);
    CHECK(path == -1 && passes == -1);
    /* Well-conditioned data: one pass of the normal equations. */
    if (CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK)) {
        CHECK_STATUS(linreg_get_solver_info(m, &path, &passes), LINREG_OK);
        CHECK_INT(path, LINREG_PATH_NORMAL_EQUATIONS);
        CHECK_INT(passes, 1);
        CHECK_STATUS(linreg_get_solver_info(m, NULL, NULL), LINREG_OK);
    }
    {
        /* Collinear columns (x2 = 2 x1): the Householder path, after the declined moments pass. */
        const double Xc[] = {1, 2, 2, 4, 3, 6, 4, 8, 5, 10};
        const double Yc[] = {1, 3, 2, 5, 4};
        linreg_model *c = NULL;
        if (CHECK_STATUS(linreg_create(2, 1, &c), LINREG_OK)) {
            if (CHECK_STATUS(linreg_fit_f64(c, Xc, Yc, 5), LINREG_OK)) {
                CHECK_STATUS(linreg_get_solver_info(c, &path, &passes), LINREG_OK);
                CHECK_INT(path, LINREG_PATH_HOUSEHOLDER);
                CHECK_INT(passes, 2);
            }
            linreg_free(c);
        }
    }
    SET_PARAM(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 2);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_STATUS(linreg_get_solver_info(m, &path, &passes), LINREG_E_UNAVAILABLE);
    linreg_free(m);

    /* 40000 rows of independent columns: one pass. */
    for (i = 0; i < N; i++) {
        double a = (double)((i * 37) % 101) / 50.0 - 1.0;
        double b = (double)((i * 53) % 97) / 48.0 - 1.0;
        double c = (double)((i * 71) % 89) / 44.0 - 1.0;
        X[i * D] = a;
        X[i * D + 1] = b;
        X[i * D + 2] = c;
        Y[i] = 1.0 + 2.0 * a - b + 0.5 * c + (double)((i * 13) % 7 - 3) / 10.0;
    }
    if (!CHECK_STATUS(linreg_create(D, 1, &big), LINREG_OK)) return;
    if (CHECK_STATUS(linreg_fit_f64(big, X, Y, N), LINREG_OK)) {
        CHECK_STATUS(linreg_get_solver_info(big, &path, &passes), LINREG_OK);
        CHECK_INT(path, LINREG_PATH_NORMAL_EQUATIONS);
        CHECK_INT(passes, 1);
    }
    linreg_free(big);
}

const check_group API_GROUPS[] = {
    {"version", test_version},
    {"status_strings", test_status_strings},
    {"last_error_threads", test_last_error_threads},
    {"lifecycle", test_lifecycle},
    {"allocation_failure", test_allocation_failure},
    {"parameters", test_parameters},
    {"weights", test_weights},
    {"predict", test_predict},
    {"fit_arguments", test_fit_arguments},
    {"transactional", test_transactional},
    {"loss_history", test_loss_history},
    {"progress", test_progress},
    {"statistics_status", test_statistics_status},
    {"threads", test_threads},
    {"concurrent_reads", test_concurrent_reads},
    {"shuffle_seed", test_shuffle_seed},
    {"solver_info", test_solver_info},
};
const size_t API_GROUP_COUNT = COUNT(API_GROUPS);
