/*
 * thread_stress.c -- liblinreg from many threads at once.
 *
 *   - WORKERS threads each loop: create a model, set parameters, fit it (exact,
 *     GD, SGD with shuffling and momentum; float64, float32 and weighted), read
 *     its weights, loss history and statistics, predict, free it. Every result
 *     must equal, bit for bit (memcmp), what the same calls gave on one thread
 *     before any worker started. The worker's LINREG_PARAM_THREADS varies
 *     (0, 1, 2): the header promises results do not depend on it.
 *   - READERS threads predict concurrently on ONE shared, fitted model (and call
 *     its other read-only functions: get_weights, get_stat, singular_values,
 *     loss_history, get_param, get_shape), which the header allows; results must
 *     equal the single-threaded ones.
 *   - linreg_last_error is per thread: in each iteration every thread provokes
 *     its own error (a NaN at a row that identifies the thread), all threads
 *     meet at a barrier, then each checks it still sees its own message, while
 *     the others have failed in between with different messages.
 *
 * Run normally and built with -fsanitize=thread (see Makefile). Usage:
 *   thread_stress [iterations per thread]   (default 300)
 * Prints "N passed, M failed"; exits non-zero if anything differed.
 */
#include "linreg.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { WORKERS = 8, READERS = 4, N = 240, D = 5, K = 2, NT = 64, EPOCHS = 30 };

/* A fit configuration and what it produced single-threaded. */
typedef struct config {
    int solver;       /* LINREG_SOLVER_* */
    int variant;      /* 0 f64, 1 f32, 2 weighted f64, 3 weighted f32 */
    double alpha;
    int shuffle;
    double momentum;
} config;

static const config configs[] = {
    {LINREG_SOLVER_EXACT, 0, 0, 0, 0},   {LINREG_SOLVER_EXACT, 1, 0, 0, 0},
    {LINREG_SOLVER_EXACT, 2, 0, 0, 0},   {LINREG_SOLVER_EXACT, 0, 0.5, 0, 0},
    {LINREG_SOLVER_GD, 0, 0, 0, 0},      {LINREG_SOLVER_GD, 3, 0, 0, 0.9},
    {LINREG_SOLVER_SGD, 0, 0, 1, 0.5},   {LINREG_SOLVER_SGD, 1, 0, 0, 0},
    {LINREG_SOLVER_SGD, 2, 0, 1, 0},
};
#define NCONFIGS (int)(sizeof configs / sizeof configs[0])

typedef struct result {
    linreg_status fit_status;
    double W[D * K], b[K];
    int64_t hist_count;
    double hist[EPOCHS];
    linreg_status stat_status;
    double r2[K];
    double pred64[NT * K];
    float pred32[NT * K];
} result;

static double X[N * D], Y[N * K], SW[N], XT[NT * D];
static float Xf[N * D], Yf[N * K], SWf[N], XTf[NT * D];
static result reference[NCONFIGS];
static linreg_model *shared;
static result shared_reference;
static double shared_sv[D + 1];
static int64_t shared_sv_count;
static pthread_barrier_t barrier;
static atomic_int passed, failed;
static int iterations = 300;

#define CHECK(cond, ...)                                        \
    do {                                                        \
        if (cond) {                                             \
            atomic_fetch_add(&passed, 1);                       \
        } else {                                                \
            atomic_fetch_add(&failed, 1);                       \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                       \
            fprintf(stderr, "\n");                              \
        }                                                       \
    } while (0)

/* A call that must succeed (thread-safe, as CHECK). */
#define CHECK_OK(call)                                                                                   \
    do {                                                                                                 \
        linreg_status st_ = (call);                                                                      \
        CHECK(st_ == LINREG_OK, "%s returned %d (%s)", #call, (int)st_, linreg_last_error());            \
    } while (0)

static void make_data(void) {
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < N * D; i++) {
        s ^= s << 7; s ^= s >> 9;
        X[i] = (double)(s % 20001) / 1000.0 - 10.0;
    }
    for (int i = 0; i < N; i++) {
        for (int o = 0; o < K; o++) {
            double y = 0.3 + o;
            for (int j = 0; j < D; j++) y += (0.5 * j - 1.0 + o) * X[i * D + j];
            s ^= s << 7; s ^= s >> 9;
            Y[i * K + o] = y + (double)(s % 1001) / 1000.0 - 0.5;
        }
        SW[i] = 0.5 + (i % 4);
    }
    for (int i = 0; i < NT * D; i++) XT[i] = X[i] * 1.25 - 0.5;
    for (int i = 0; i < N * D; i++) Xf[i] = (float)X[i];
    for (int i = 0; i < N * K; i++) Yf[i] = (float)Y[i];
    for (int i = 0; i < N; i++) SWf[i] = (float)SW[i];
    for (int i = 0; i < NT * D; i++) XTf[i] = (float)XT[i];
}

/* Creates, configures, fits, reads everything back into *r, frees. */
static void run_config(const config *c, int threads, result *r) {
    memset(r, 0, sizeof *r);
    linreg_model *m = NULL;
    if (linreg_create(D, K, &m) != LINREG_OK) { r->fit_status = LINREG_E_INTERNAL; return; }
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_SOLVER, c->solver));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_ALPHA, c->alpha));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_EPOCHS, EPOCHS));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 0.002));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_BATCH_SIZE, 16));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_SHUFFLE, c->shuffle));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_SEED, 42));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_MOMENTUM, c->momentum));
    CHECK_OK(linreg_set_param(m, LINREG_PARAM_THREADS, threads));
    switch (c->variant) {
    case 0: r->fit_status = linreg_fit_f64(m, X, Y, N); break;
    case 1: r->fit_status = linreg_fit_f32(m, Xf, Yf, N); break;
    case 2: r->fit_status = linreg_fit_weighted_f64(m, X, Y, SW, N); break;
    default: r->fit_status = linreg_fit_weighted_f32(m, Xf, Yf, SWf, N); break;
    }
    CHECK_OK(linreg_get_weights(m, r->W, r->b));
    CHECK_OK(linreg_loss_history(m, r->hist, EPOCHS, &r->hist_count));
    r->stat_status = linreg_get_stat(m, LINREG_STAT_R2, r->r2);
    CHECK_OK(linreg_predict_f64(m, XT, NT, r->pred64));
    CHECK_OK(linreg_predict_f32(m, XTf, NT, r->pred32));
    linreg_free(m);
}

static void compare(const char *who, int cfg, const result *got, const result *want) {
    CHECK(got->fit_status == want->fit_status, "%s config %d: fit status %d vs %d", who, cfg, got->fit_status, want->fit_status);
    CHECK(!memcmp(got->W, want->W, sizeof got->W) && !memcmp(got->b, want->b, sizeof got->b),
          "%s config %d: weights differ from the single-threaded run", who, cfg);
    CHECK(got->hist_count == want->hist_count && !memcmp(got->hist, want->hist, sizeof got->hist),
          "%s config %d: loss history differs", who, cfg);
    CHECK(got->stat_status == want->stat_status && !memcmp(got->r2, want->r2, sizeof got->r2),
          "%s config %d: R^2 differs", who, cfg);
    CHECK(!memcmp(got->pred64, want->pred64, sizeof got->pred64), "%s config %d: float64 predictions differ", who, cfg);
    CHECK(!memcmp(got->pred32, want->pred32, sizeof got->pred32), "%s config %d: float32 predictions differ", who, cfg);
}

/* Each thread fails in its own way: a NaN at row `tag` of X. The message must
 * name that row, and still be this thread's after every thread has failed. */
static void provoke_own_error(int tag, char *expect, size_t size) {
    static const double zeros[(WORKERS + READERS + 2) * D];
    double Xbad[(WORKERS + READERS + 2) * D];
    double Ybad[(WORKERS + READERS + 2) * K];
    memcpy(Xbad, zeros, sizeof Xbad);
    memset(Ybad, 0, sizeof Ybad);
    Xbad[tag * D + (tag % D)] = NAN;
    linreg_model *m = NULL;
    CHECK_OK(linreg_create(D, K, &m));
    linreg_status st = linreg_fit_f64(m, Xbad, Ybad, WORKERS + READERS + 2);
    CHECK(st == LINREG_E_NONFINITE, "thread %d: NaN fit returned %d", tag, st);
    /* A successful call afterwards does not clear this thread's message. */
    double W[D * K];
    CHECK_OK(linreg_get_weights(m, W, NULL));
    linreg_free(m);
    snprintf(expect, size, "(row %d, column %d)", tag, tag % D);
}

static void check_own_error(int tag, const char *expect) {
    const char *msg = linreg_last_error();
    CHECK(strstr(msg, expect) != NULL, "thread %d sees \"%s\", expected its own \"%s\"", tag, msg, expect);
}

static void *worker(void *arg) {
    int id = (int)(intptr_t)arg;
    char expect[64];
    for (int it = 0; it < iterations; it++) {
        int cfg = (id + it) % NCONFIGS;
        result r;
        run_config(&configs[cfg], (id + it) % 3, &r);
        compare("worker", cfg, &r, &reference[cfg]);
        provoke_own_error(1 + id, expect, sizeof expect);
        pthread_barrier_wait(&barrier);
        check_own_error(1 + id, expect);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static void read_shared(result *r) {
    memset(r, 0, sizeof *r);
    r->fit_status = LINREG_OK;
    CHECK_OK(linreg_get_weights(shared, r->W, r->b));
    CHECK_OK(linreg_loss_history(shared, r->hist, EPOCHS, &r->hist_count));
    r->stat_status = linreg_get_stat(shared, LINREG_STAT_R2, r->r2);
    CHECK_OK(linreg_predict_f64(shared, XT, NT, r->pred64));
    CHECK_OK(linreg_predict_f32(shared, XTf, NT, r->pred32));
}

static void *reader(void *arg) {
    int id = (int)(intptr_t)arg;
    char expect[64];
    for (int it = 0; it < iterations; it++) {
        for (int rep = 0; rep < 8; rep++) {
            result r;
            read_shared(&r);
            compare("reader", -1, &r, &shared_reference);
            double sv[D + 1] = {0}, v;
            int64_t count = 0, d = 0, k = 0;
            CHECK(linreg_singular_values(shared, sv, D + 1, &count) == LINREG_OK && count == shared_sv_count &&
                      !memcmp(sv, shared_sv, sizeof sv),
                  "reader: singular values differ");
            CHECK(linreg_get_param(shared, LINREG_PARAM_SOLVER, &v) == LINREG_OK && v == 0, "reader: get_param");
            CHECK(linreg_get_shape(shared, &d, &k) == LINREG_OK && d == D && k == K, "reader: get_shape");
            CHECK(linreg_is_fitted(shared) == 1, "reader: is_fitted");
        }
        provoke_own_error(1 + WORKERS + id, expect, sizeof expect);
        pthread_barrier_wait(&barrier);
        check_own_error(1 + WORKERS + id, expect);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) iterations = atoi(argv[1]);
    if (iterations < 1) iterations = 1;
    make_data();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    /* Single-threaded references. */
    for (int c = 0; c < NCONFIGS; c++) {
        run_config(&configs[c], 0, &reference[c]);
        CHECK(reference[c].fit_status == LINREG_OK, "reference fit %d failed: %s", c, linreg_last_error());
        /* Same thread, same calls, again: deterministic. */
        result again;
        run_config(&configs[c], 1, &again);
        compare("single-thread repeat", c, &again, &reference[c]);
    }
    if (linreg_create(D, K, &shared) != LINREG_OK || linreg_fit_f64(shared, X, Y, N) != LINREG_OK) {
        fprintf(stderr, "cannot fit the shared model: %s\n", linreg_last_error());
        return 2;
    }
    read_shared(&shared_reference);
    if (linreg_singular_values(shared, shared_sv, D + 1, &shared_sv_count) != LINREG_OK) {
        fprintf(stderr, "no singular values after an exact fit: %s\n", linreg_last_error());
        return 2;
    }

    /* The main thread's own error must survive every other thread's. */
    char main_expect[64];
    provoke_own_error(0, main_expect, sizeof main_expect);

    pthread_barrier_init(&barrier, NULL, WORKERS + READERS);
    pthread_t threads[WORKERS + READERS];
    for (int i = 0; i < WORKERS; i++) pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < READERS; i++) pthread_create(&threads[WORKERS + i], NULL, reader, (void *)(intptr_t)i);
    for (int i = 0; i < WORKERS + READERS; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&barrier);

    check_own_error(0, main_expect);
    result after;
    read_shared(&after);
    compare("shared model after the readers", -1, &after, &shared_reference);
    linreg_free(shared);

    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("thread_stress: %d workers + %d readers x %d iterations, %d fit configurations, %.2f s\n", WORKERS, READERS,
           iterations, NCONFIGS, secs);
    printf("thread_stress: %d passed, %d failed\n", atomic_load(&passed), atomic_load(&failed));
    return atomic_load(&failed) ? 1 : 0;
}
