/*
 * extremes.c -- liblinreg at the edges: sizes that overflow, tiny and
 * under-determined problems, values near the float32/float64 limits, learning
 * rates that make gradient descent diverge.
 *
 * Rules checked (include/linreg.h):
 *   - a size whose product overflows is refused with LINREG_E_ARGUMENT before
 *     anything is read: the buffers passed are one element long, or point into
 *     a PROT_NONE page (a read would kill the process);
 *   - n = 1 and d > n fit; the exact solver gives the minimum-norm solution
 *     (numpy.linalg.lstsq, values below);
 *   - no silent infinity: a call either returns LINREG_OK with finite, correct
 *     numbers or a status that says what went wrong (never LINREG_E_INTERNAL,
 *     which the header reserves for bugs);
 *   - a diverging GD/SGD fit returns LINREG_E_DIVERGED and leaves the model
 *     exactly as it was.
 *
 * Prints one line per failed check and a last line "N passed, M failed";
 * exits non-zero when M > 0.
 */
#include "linreg.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int passed, failed;
static const char *current = "";

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            passed++;                                                     \
        } else {                                                          \
            failed++;                                                     \
            fprintf(stderr, "FAIL [%s] %s:%d: ", current, __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fprintf(stderr, "\n");                                        \
        }                                                                 \
    } while (0)

#define CHECK_ST(call, want)                                                                 \
    do {                                                                                     \
        linreg_status st_ = (call);                                                          \
        CHECK(st_ == (want), "%s returned %d (%s: %s), expected %d (%s)", #call, (int)st_,   \
              linreg_status_string((int)st_), st_ ? linreg_last_error() : "", (int)(want),   \
              linreg_status_string((int)(want)));                                            \
    } while (0)

static linreg_model *make(int64_t d, int64_t k) {
    linreg_model *m = NULL;
    if (linreg_create(d, k, &m) != LINREG_OK) {
        fprintf(stderr, "create(%lld, %lld) failed: %s\n", (long long)d, (long long)k, linreg_last_error());
        exit(2);
    }
    return m;
}

/* A pointer into a page that can be neither read nor written. */
static void *forbidden(void) {
    void *p = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    return (char *)p + 64;
}

static int all_finite(const double *v, int64_t n) {
    for (int64_t i = 0; i < n; i++) if (!isfinite(v[i])) return 0;
    return 1;
}

static int close_to(double got, double want, double rel) {
    return fabs(got - want) <= rel * fmax(1.0, fabs(want));
}

/* A status that tells the caller what went wrong with its data: anything but
 * OK and INTERNAL. */
static int clear_refusal(linreg_status st) {
    return st != LINREG_OK && st != LINREG_E_INTERNAL && linreg_last_error()[0] != '\0';
}

/* ---- 1. Sizes that overflow ------------------------------------------ */

static void test_overflow(void) {
    current = "overflow";
    double one_d[1] = {1.0}, out_d[1] = {42.0};
    float one_f[1] = {1.0f}, out_f[1] = {42.0f};
    void *none = forbidden();
    linreg_model *m = NULL;

    /* n_features * n_outputs overflows int64. */
    CHECK_ST(linreg_create(INT64_MAX, 2, &m), LINREG_E_ARGUMENT);
    CHECK(m == NULL, "failed create set *out");
    CHECK_ST(linreg_create((int64_t)1 << 32, (int64_t)1 << 32, &m), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_create(3037000500LL, 3037000500LL, &m), LINREG_E_ARGUMENT); /* just above sqrt(2^63) */
    CHECK_ST(linreg_create(-1, -1, &m), LINREG_E_ARGUMENT);                  /* product positive, sizes not */
    CHECK_ST(linreg_create(INT64_MIN, -1, &m), LINREG_E_ARGUMENT);

    /* n * n_features overflows: d = 4, n = 2^62 -> 2^64 elements. */
    m = make(4, 1);
    double W[4] = {1, 2, 3, 4};
    CHECK_ST(linreg_set_weights(m, W, NULL), LINREG_OK);
    int64_t n_over = (int64_t)1 << 62;
    CHECK_ST(linreg_fit_f64(m, one_d, one_d, n_over), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_f32(m, one_f, one_f, n_over), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_weighted_f64(m, one_d, one_d, one_d, n_over), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_weighted_f32(m, one_f, one_f, one_f, n_over), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_predict_f64(m, one_d, n_over, out_d), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_predict_f32(m, one_f, n_over, out_f), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_f64(m, none, none, INT64_MAX), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_predict_f64(m, none, INT64_MAX, none), LINREG_E_ARGUMENT);
    CHECK(out_d[0] == 42.0 && out_f[0] == 42.0f, "refused predict wrote to Y_out");
    /* The byte count overflows although the element count does not: no buffer can be that big. */
    CHECK_ST(linreg_fit_f64(m, none, none, (int64_t)1 << 60), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_predict_f32(m, none, ((int64_t)1 << 61) - 1, none), LINREG_E_ARGUMENT);
    /* Non-positive n. */
    CHECK_ST(linreg_fit_f64(m, none, none, 0), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_f64(m, none, none, -1), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_f64(m, none, none, INT64_MIN), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_predict_f64(m, none, INT64_MIN, none), LINREG_E_ARGUMENT);
    linreg_free(m);

    /* n * n_outputs overflows while n * n_features does not: d = 1, k = 3. */
    m = make(1, 3);
    int64_t n_k = INT64_MAX / 3 + 1;
    CHECK_ST(linreg_fit_f64(m, none, none, n_k), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_fit_weighted_f32(m, none, none, none, n_k), LINREG_E_ARGUMENT);
    double W3[3] = {1, 1, 1};
    CHECK_ST(linreg_set_weights(m, W3, NULL), LINREG_OK);
    CHECK_ST(linreg_predict_f64(m, none, n_k, none), LINREG_E_ARGUMENT);
    CHECK(linreg_is_fitted(m), "refused calls unfitted the model");
    /* Capacities. */
    int64_t count = -7;
    CHECK_ST(linreg_loss_history(m, none, -1, &count), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_loss_history(m, none, INT64_MIN, &count), LINREG_E_ARGUMENT);
    CHECK_ST(linreg_loss_history(m, NULL, INT64_MAX, &count), LINREG_E_ARGUMENT);
    CHECK(count == -7, "refused loss_history wrote count");
    linreg_free(m);

    /* Sizes that fit in int64 but no allocator can provide: a status, never an abort. */
    m = (linreg_model *)&m;
    linreg_status st = linreg_create((int64_t)1 << 31, (int64_t)1 << 31, &m); /* 2^62 doubles: bytes overflow */
    CHECK(st == LINREG_E_ARGUMENT, "create(2^31, 2^31) returned %d", (int)st);
    CHECK(m == NULL, "failed create set *out");
}

/* Run in a child process: a call that must not abort the host. */
#include <sys/wait.h>
static void test_huge_allocation(void) {
    current = "huge allocation";
    /* 2^40 x 2^4 weights = 2^47 bytes (128 TiB): representable, not allocatable. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        linreg_model *m = (linreg_model *)&m;
        linreg_status st = linreg_create((int64_t)1 << 40, 16, &m);
        _exit(st == LINREG_E_NOMEM && m == NULL ? 0 : st == LINREG_E_ARGUMENT && m == NULL ? 0 : 10 + (int)st);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "linreg_create(2^40, 16) (128 TiB of weights) %s %d: expected LINREG_E_NOMEM, the process must survive",
          WIFSIGNALED(status) ? "killed the process with signal" : "exited with", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* ---- 2. Tiny and under-determined problems ---------------------------- */

static void test_small(void) {
    current = "n = 1";
    /* numpy: np.linalg.lstsq([[2., 3.]], [5.])[0] = [0.7692307692307692, 1.1538461538461535] */
    double X1[2] = {2, 3}, y1[1] = {5}, W[2], b[1], pred[1];
    linreg_model *m = make(2, 1);
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 0), LINREG_OK);
    CHECK_ST(linreg_fit_f64(m, X1, y1, 1), LINREG_OK);
    CHECK_ST(linreg_get_weights(m, W, b), LINREG_OK);
    CHECK(close_to(W[0], 0.7692307692307692, 1e-14) && close_to(W[1], 1.1538461538461535, 1e-14),
          "n=1 min-norm W = [%.17g, %.17g]", W[0], W[1]);
    CHECK_ST(linreg_predict_f64(m, X1, 1, pred), LINREG_OK);
    CHECK(close_to(pred[0], 5.0, 1e-14), "n=1 prediction %.17g", pred[0]);
    /* With an intercept a single sample is fitted exactly by the intercept alone
     * (centred data are all zero, so the minimum-norm W is 0). */
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 1), LINREG_OK);
    CHECK_ST(linreg_fit_f64(m, X1, y1, 1), LINREG_OK);
    CHECK_ST(linreg_get_weights(m, W, b), LINREG_OK);
    CHECK(W[0] == 0 && W[1] == 0 && close_to(b[0], 5.0, 1e-15), "n=1 with intercept: W = [%g, %g], b = %g", W[0], W[1], b[0]);
    double stat[1];
    linreg_status st = linreg_get_stat(m, LINREG_STAT_DF_RESID, stat);
    CHECK(st == LINREG_OK || clear_refusal(st), "get_stat(DF_RESID) after n=1 returned %d", (int)st);
    for (int solver = 1; solver <= 2; solver++) {
        CHECK_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, solver), LINREG_OK);
        CHECK_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 50), LINREG_OK);
        CHECK_ST(linreg_fit_f64(m, X1, y1, 1), LINREG_OK);
        CHECK_ST(linreg_get_weights(m, W, b), LINREG_OK);
        CHECK(all_finite(W, 2) && isfinite(b[0]), "n=1 solver %d gave non-finite weights", solver);
    }
    linreg_free(m);

    current = "d > n";
    /* Python (numpy 2.4.6), the values below:
     *   X = np.array([[1,2,0,-1,3],[0,1,4,2,-2],[2,-1,1,0,1]], float)
     *   Y = np.array([[1,0.5],[2,-1],[-1,3]], float)
     *   np.linalg.lstsq(X, Y, rcond=None)[0].T                        # no intercept
     *   xm, ym = X.mean(0), Y.mean(0)                                  # intercept: centred problem
     *   Wc = np.linalg.lstsq(X - xm, Y - ym, rcond=None)[0]; b = ym - xm @ Wc   (scikit-learn's convention)
     */
    static const double X[15] = {1, 2, 0, -1, 3, 0, 1, 4, 2, -2, 2, -1, 1, 0, 1};
    static const double Y[6] = {1, 0.5, 2, -1, -1, 3};
    static const double W_noint[10] = {
        -0.29899856938483543, 0.689556509298998, 0.28326180257510686, 0.09298998569384817, 0.004291845493562444,
        0.866952789699571, -0.7553648068669528, 0.15236051502145942, -0.06866952789699557, 0.3583690987124461};
    static const double W_int[10] = {
        -0.3757961783439495, 0.6687898089171975, 0.19745222929936299, 0.08280254777070073, -0.05095541401273874,
        0.4883227176220814, -0.857749469214438, -0.2707006369426751, -0.11889596602972409, 0.08598726114649662};
    static const double b_int[2] = {0.2738853503184718, 1.3503184713375793};
    double Wg[10], bg[2], P[6];
    m = make(5, 2);
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 0), LINREG_OK);
    CHECK_ST(linreg_fit_f64(m, X, Y, 3), LINREG_OK);
    CHECK_ST(linreg_get_weights(m, Wg, bg), LINREG_OK);
    for (int i = 0; i < 10; i++)
        CHECK(close_to(Wg[i], W_noint[i], 1e-12), "d>n no intercept: W[%d] = %.17g, numpy %.17g", i, Wg[i], W_noint[i]);
    CHECK(bg[0] == 0 && bg[1] == 0, "no-intercept fit has b = [%g, %g]", bg[0], bg[1]);
    CHECK_ST(linreg_predict_f64(m, X, 3, P), LINREG_OK);
    for (int i = 0; i < 6; i++) CHECK(close_to(P[i], Y[i], 1e-12), "d>n interpolates: P[%d] = %.17g vs %g", i, P[i], Y[i]);
    double rank[2];
    st = linreg_get_stat(m, LINREG_STAT_RANK, rank);
    CHECK(st != LINREG_OK || (rank[0] == 3 && rank[1] == 3), "rank of a 3 x 5 design: %g", rank[0]);

    CHECK_ST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 1), LINREG_OK);
    CHECK_ST(linreg_fit_f64(m, X, Y, 3), LINREG_OK);
    CHECK_ST(linreg_get_weights(m, Wg, bg), LINREG_OK);
    for (int i = 0; i < 10; i++)
        CHECK(close_to(Wg[i], W_int[i], 1e-12), "d>n with intercept: W[%d] = %.17g, numpy (centred) %.17g", i, Wg[i], W_int[i]);
    for (int j = 0; j < 2; j++) CHECK(close_to(bg[j], b_int[j], 1e-12), "d>n intercept b[%d] = %.17g vs %.17g", j, bg[j], b_int[j]);
    /* float32 input: the same problem, promoted (all values are exact in float32). */
    float Xf[15], Yf[6];
    for (int i = 0; i < 15; i++) Xf[i] = (float)X[i];
    for (int i = 0; i < 6; i++) Yf[i] = (float)Y[i];
    CHECK_ST(linreg_fit_f32(m, Xf, Yf, 3), LINREG_OK);
    CHECK_ST(linreg_get_weights(m, Wg, bg), LINREG_OK);
    for (int i = 0; i < 10; i++) CHECK(close_to(Wg[i], W_int[i], 1e-12), "d>n float32: W[%d] = %.17g", i, Wg[i]);
    linreg_free(m);
}

/* ---- 3. Values near the floating-point limits ------------------------- */

/* Fits y = 2x + 1 (scaled by s) with the exact solver and checks: OK with
 * finite weights close to the truth, or a clear refusal. Returns the status. */
static linreg_status exact_line(const char *what, double s, int use_f32) {
    enum { n = 8 };
    double X[n], Y[n], W[1], b[1];
    float Xf[n], Yf[n];
    for (int i = 0; i < n; i++) {
        X[i] = s * (i - 3.5);
        Y[i] = 2 * X[i] + s;
        Xf[i] = (float)X[i];
        Yf[i] = (float)Y[i];
    }
    linreg_model *m = make(1, 1);
    linreg_status st = use_f32 ? linreg_fit_f32(m, Xf, Yf, n) : linreg_fit_f64(m, X, Y, n);
    if (st == LINREG_OK) {
        CHECK_ST(linreg_get_weights(m, W, b), LINREG_OK);
        CHECK(isfinite(W[0]) && isfinite(b[0]), "%s: OK with W = %g, b = %g (silent non-finite result)", what, W[0], b[0]);
        CHECK(close_to(W[0], 2.0, 1e-9), "%s: W = %.17g, expected 2", what, W[0]);
        CHECK(fabs(b[0] - s) <= 1e-9 * fabs(s), "%s: b = %.17g, expected %g", what, b[0], s);
    } else {
        CHECK(clear_refusal(st), "%s: status %d (%s): %s -- LINREG_E_INTERNAL is reserved for bugs", what, (int)st,
              linreg_status_string((int)st), linreg_last_error());
    }
    linreg_free(m);
    return st;
}

static void test_limits(void) {
    /* Scales are powers of two, so every X and Y value (and the line through
     * them) is exact in the input type. */
    current = "float64 limits";
    exact_line("x ~ 2^996 (1e300)", 0x1p996, 0);
    exact_line("x ~ 2^512 (squares beyond DBL_MAX)", 0x1p512, 0);
    exact_line("x ~ 2^-996 (1e-300, squares underflow)", 0x1p-996, 0);
    exact_line("x ~ 2^-1030 (subnormal)", 0x1p-1030, 0);
    current = "float32 limits";
    exact_line("float32 x ~ 2^122 (5e36)", 0x1p122, 1);
    exact_line("float32 x ~ 2^-126 (FLT_MIN)", 0x1p-126, 1);
    exact_line("float32 x ~ 2^-140 (subnormal)", 0x1p-140, 1);

    current = "DBL_MAX in Y";
    {
        /* One target equal to DBL_MAX: the least-squares answer (about DBL_MAX / n per
         * coefficient) is finite. */
        enum { n = 16 };
        double X[n], Y[n], W[1], b[1];
        for (int i = 0; i < n; i++) { X[i] = i; Y[i] = -32; }
        Y[5] = DBL_MAX;
        linreg_model *m = make(1, 1);
        linreg_status st = linreg_fit_f64(m, X, Y, n);
        if (st == LINREG_OK) {
            CHECK_ST(linreg_get_weights(m, W, b), LINREG_OK);
            CHECK(isfinite(W[0]) && isfinite(b[0]), "DBL_MAX in Y: OK with W = %g, b = %g", W[0], b[0]);
        } else {
            CHECK(clear_refusal(st), "DBL_MAX in Y: status %d (%s): %s", (int)st, linreg_status_string((int)st), linreg_last_error());
        }
        linreg_free(m);
    }

    current = "solution beyond double";
    {
        /* Two points whose line has slope -(DBL_MAX + 32) and intercept ~ -31 * DBL_MAX:
         * the exact least-squares solution is not representable. The only right
         * answer is a status that says so; LINREG_E_INTERNAL claims a bug instead. */
        double X[2] = {-32, -31}, Y[2] = {DBL_MAX, -32};
        linreg_model *m = make(1, 1);
        linreg_status st = linreg_fit_f64(m, X, Y, 2);
        CHECK(st == LINREG_E_OVERFLOW && clear_refusal(st), "fit of a line with intercept ~ -31 * DBL_MAX: status %d (%s): %s", (int)st,
              linreg_status_string((int)st), st ? linreg_last_error() : "no error");
        CHECK(!linreg_is_fitted(m), "the refused fit made the model fitted");
        linreg_free(m);
    }

    current = "prediction overflow";
    {
        /* The true prediction (1e300 * 1e300, 1e30 * 1e30 in float32) is beyond the
         * output type: the caller must not get an infinity with LINREG_OK. */
        linreg_model *m = make(1, 1);
        double W[1] = {1e300}, X[1] = {1e300}, P[1] = {0};
        CHECK_ST(linreg_set_weights(m, W, NULL), LINREG_OK);
        linreg_status st = linreg_predict_f64(m, X, 1, P);
        CHECK(st == LINREG_E_OVERFLOW && clear_refusal(st),
              "predict_f64: W = 1e300, x = 1e300 gave status %d and %g", (int)st, P[0]);
        double W2[1] = {1e30};
        float Xf[1] = {1e30f}, Pf[1] = {0};
        CHECK_ST(linreg_set_weights(m, W2, NULL), LINREG_OK);
        st = linreg_predict_f32(m, Xf, 1, Pf);
        CHECK(st == LINREG_E_OVERFLOW && clear_refusal(st),
              "predict_f32: W = 1e30, x = 1e30 (1e60 > FLT_MAX) gave status %d and %g", (int)st, (double)Pf[0]);
        /* Within range: exact. */
        double W3[1] = {2.0};
        float Xf3[1] = {FLT_MAX / 4};
        CHECK_ST(linreg_set_weights(m, W3, NULL), LINREG_OK);
        CHECK_ST(linreg_predict_f32(m, Xf3, 1, Pf), LINREG_OK);
        CHECK(Pf[0] == FLT_MAX / 2, "predict_f32 near FLT_MAX: %g", (double)Pf[0]);
        linreg_free(m);
    }

    current = "GD on huge values";
    {
        enum { n = 8 };
        double X[n], Y[n];
        for (int i = 0; i < n; i++) { X[i] = 1e200 * (i + 1); Y[i] = 3 * X[i]; }
        for (int solver = 1; solver <= 2; solver++) {
            linreg_model *m = make(1, 1);
            CHECK_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, solver), LINREG_OK);
            CHECK_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 20), LINREG_OK);
            linreg_status st = linreg_fit_f64(m, X, Y, n);
            if (st == LINREG_OK) {
                double W[1], b[1];
                CHECK_ST(linreg_get_weights(m, W, b), LINREG_OK);
                CHECK(isfinite(W[0]) && isfinite(b[0]), "solver %d on 1e200 data: OK with W = %g", solver, W[0]);
            } else {
                CHECK(st == LINREG_E_DIVERGED, "solver %d on 1e200 data: status %d (%s), expected OK or DIVERGED",
                      solver, (int)st, linreg_last_error());
                CHECK(!linreg_is_fitted(m), "diverged fit made the model fitted");
            }
            linreg_free(m);
        }
    }
}

/* ---- 4. Diverging gradient descent ------------------------------------ */

typedef struct snap {
    int fitted;
    double W[3], b[1];
    int64_t hist;
    double h[1000];
} snap;

static void take(linreg_model *m, snap *s) {
    memset(s, 0, sizeof *s);
    s->fitted = linreg_is_fitted(m);
    CHECK_ST(linreg_get_weights(m, s->W, s->b), LINREG_OK);
    CHECK_ST(linreg_loss_history(m, s->h, 1000, &s->hist), LINREG_OK);
}

static void test_divergence(void) {
    current = "divergence";
    enum { n = 50 };
    double X[n * 3], Y[n];
    for (int i = 0; i < n; i++) {
        X[i * 3] = i % 10;
        X[i * 3 + 1] = (i * 7) % 13 - 6;
        X[i * 3 + 2] = 0.1 * i;
        Y[i] = 1 + 2 * X[i * 3] - X[i * 3 + 1] + 0.5 * X[i * 3 + 2];
    }
    const double rates[] = {1e10, 1e3, 1.0};
    for (int solver = 1; solver <= 2; solver++) {
        for (int warm = 0; warm <= 1; warm++) {
            for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
                linreg_model *m = make(3, 1);
                CHECK_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, solver), LINREG_OK);
                CHECK_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 1000), LINREG_OK); /* lr = 1 needs a few hundred epochs to overflow */
                if (warm) { /* a fitted model with history: must survive the failed fit */
                    CHECK_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 0.001), LINREG_OK);
                    CHECK_ST(linreg_fit_f64(m, X, Y, n), LINREG_OK);
                }
                snap before, after;
                take(m, &before);
                CHECK_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, rates[r]), LINREG_OK);
                linreg_status st = linreg_fit_f64(m, X, Y, n);
                CHECK(st == LINREG_E_DIVERGED, "solver %d, lr %g, warm %d: status %d (%s), expected DIVERGED", solver,
                      rates[r], warm, (int)st, linreg_status_string((int)st));
                if (st == LINREG_E_DIVERGED)
                    CHECK(strstr(linreg_last_error(), "epoch") != NULL, "divergence message names no epoch: %s", linreg_last_error());
                take(m, &after);
                CHECK(memcmp(&before, &after, sizeof before) == 0, "solver %d, lr %g, warm %d: the diverged fit changed the model",
                      solver, rates[r], warm);
                /* The model still predicts as before (or is still unfitted). */
                double P[1];
                linreg_status ps = linreg_predict_f64(m, X, 1, P);
                CHECK(warm ? ps == LINREG_OK : ps == LINREG_E_NOT_FITTED, "predict after divergence returned %d", (int)ps);
                linreg_free(m);
            }
        }
    }
    /* float32 data, weighted, momentum: the same rule. */
    float Xf[n * 3], Yf[n], Wf[n];
    for (int i = 0; i < n * 3; i++) Xf[i] = (float)X[i];
    for (int i = 0; i < n; i++) { Yf[i] = (float)Y[i]; Wf[i] = 1.0f + (float)(i % 3); }
    linreg_model *m = make(3, 1);
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_SGD), LINREG_OK);
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_MOMENTUM, 0.9), LINREG_OK);
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 10), LINREG_OK);
    CHECK_ST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 100), LINREG_OK);
    CHECK_ST(linreg_fit_weighted_f32(m, Xf, Yf, Wf, n), LINREG_E_DIVERGED);
    CHECK(!linreg_is_fitted(m), "diverged weighted fit made the model fitted");
    linreg_free(m);
}

int main(void) {
    test_overflow();
    test_huge_allocation();
    test_small();
    test_limits();
    test_divergence();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
