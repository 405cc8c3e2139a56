/*
 * seed.c -- the classic "linear regression from scratch in PyTorch"
 * experiment, on the ISLR Advertising data, through include/linreg.h only.
 *
 * Usage: seed [ADVERTISING_CSV]
 *   The CSV path is, in order: the argument; $LINREG_ADVERTISING_CSV; or
 *   ../shared/data/Advertising.csv. A relative path is resolved against the
 *   working directory, so the default is right when run from the repository
 *   root (make demo passes an absolute path).
 *
 * Sales is regressed on TV, Radio and Newspaper. The 200 rows are split 160
 * train / 40 test exactly as scikit-learn's
 * train_test_split(test_size=0.2, random_state=0) does (the row indices are
 * embedded in tests/references.h). From the seed's initial weights
 * (torch.manual_seed(42); torch.randn(1, 3); torch.randn(1)) it fits
 *   (a) full-batch gradient descent: 1000 epochs, lr 1e-5, float32 input;
 *   (b) mini-batch SGD: batch 5, rows in order, 100 epochs, lr 1e-5, float32;
 *   (c) the exact least-squares solver, float64 input;
 * and prints for each the weights, bias, first and last loss and the train and
 * test MSE, then the exact least-squares answer computed independently by
 * numpy.linalg.lstsq (embedded), which (c) must match to 1e-9.
 *
 * Exit status: 0 on success; 1 when liblinreg fails or (c) disagrees with the
 * reference; 2 for a usage or input-file error (the message names the file
 * and, for malformed content, the line).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "linreg.h"
#include "tests/references.h"

#define DEFAULT_CSV "../shared/data/Advertising.csv"
enum { N_ROWS = 200, N_TRAIN = 160, N_TEST = 40, D = 3 };

/* Rows of one split, in float32 (as the PyTorch seed) and float64. */
typedef struct split {
    int n;
    float Xf[N_TRAIN * D], Yf[N_TRAIN];
    double X[N_TRAIN * D], Y[N_TRAIN];
} split;

static void usage(FILE *to)
{
    fprintf(to,
            "usage: seed [ADVERTISING_CSV]\n"
            "  default: $LINREG_ADVERTISING_CSV, else " DEFAULT_CSV " (relative to the working directory)\n");
}

/* Stops the program when a liblinreg call failed. */
static void ensure(int status, const char *what)
{
    if (status == LINREG_OK) return;
    fprintf(stderr, "seed: %s failed: %s (status %d): %s\n", what, linreg_status_string(status), status,
            linreg_last_error());
    exit(1);
}

/* Loads the CSV and splits it; exits 2 with a message on any input problem. */
static void load(const char *path, split *train, split *test)
{
    static const char *const names[] = {"TV", "Radio", "Newspaper", "Sales"};
    csv_table t;
    char message[512];
    long col[4];
    int i, j;
    csv_status status = csv_read(path, &t, message, sizeof message);
    if (status != CSV_OK) {
        fprintf(stderr, "seed: %s\n", message);
        if (status == CSV_E_OPEN) fprintf(stderr, "seed: give the Advertising CSV as the first argument\n");
        exit(2);
    }
    for (j = 0; j < 4; j++) {
        col[j] = csv_find_column(&t, names[j]);
        if (col[j] < 0) {
            fprintf(stderr, "seed: %s: no column named \"%s\" in the header line\n", path, names[j]);
            csv_free(&t);
            exit(2);
        }
    }
    if (t.n_rows != N_ROWS) {
        fprintf(stderr, "seed: %s: %lu data rows, expected %d (the embedded train/test split is for %d rows)\n",
                path, (unsigned long)t.n_rows, N_ROWS, N_ROWS);
        csv_free(&t);
        exit(2);
    }
    train->n = N_TRAIN;
    test->n = N_TEST;
    for (i = 0; i < N_ROWS; i++) {
        split *s = i < N_TRAIN ? train : test;
        int r = i < N_TRAIN ? ADV_TRAIN_ROWS[i] : ADV_TEST_ROWS[i - N_TRAIN];
        int k = i < N_TRAIN ? i : i - N_TRAIN;
        for (j = 0; j < D; j++) {
            s->X[k * D + j] = csv_value(&t, (size_t)r, (size_t)col[j]);
            s->Xf[k * D + j] = (float)s->X[k * D + j];
        }
        s->Y[k] = csv_value(&t, (size_t)r, (size_t)col[3]);
        s->Yf[k] = (float)s->Y[k];
    }
    csv_free(&t);
}

/* Mean squared error of the model's predictions on a split (float64). */
static double mse(const linreg_model *m, const split *s)
{
    double pred[N_TRAIN], sum = 0;
    int i;
    ensure(linreg_predict_f64(m, s->X, s->n, pred), "linreg_predict_f64");
    for (i = 0; i < s->n; i++) sum += (pred[i] - s->Y[i]) * (pred[i] - s->Y[i]);
    return sum / s->n;
}

static void print_weights(const char *label, const double *W, double b)
{
    printf("    %-9s w = [%.9g, %.9g, %.9g], b = %.9g\n", label, W[0], W[1], W[2], b);
}

/* Prints one fit's weights, losses and errors. */
static void report(const linreg_model *m, const split *train, const split *test)
{
    double W[D], b, loss[1000];
    int64_t count = 0;
    ensure(linreg_get_weights(m, W, &b), "linreg_get_weights");
    ensure(linreg_loss_history(m, loss, 1000, &count), "linreg_loss_history");
    print_weights("weights", W, b);
    if (count > 0) {
        printf("    loss      first %.9g, last %.9g (%lld epochs)\n", loss[0], loss[count < 1000 ? count - 1 : 999],
               (long long)count);
    } else {
        printf("    loss      (no loss history: the exact solver has no epochs)\n");
    }
    printf("    MSE       train %.9g, test %.9g\n", mse(m, train), mse(m, test));
}

/* (a) and (b): GD or SGD in float32 from the seed's initial weights. */
static void descend(linreg_model *m, int solver, int epochs, const split *train, const split *test)
{
    double W0[D], b0 = (double)SEED_B0[0];
    int j;
    for (j = 0; j < D; j++) W0[j] = (double)SEED_W0[j];
    ensure(linreg_set_param(m, LINREG_PARAM_SOLVER, solver), "linreg_set_param(SOLVER)");
    ensure(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 1e-5), "linreg_set_param(LEARNING_RATE)");
    ensure(linreg_set_param(m, LINREG_PARAM_EPOCHS, epochs), "linreg_set_param(EPOCHS)");
    ensure(linreg_set_param(m, LINREG_PARAM_BATCH_SIZE, 5), "linreg_set_param(BATCH_SIZE)");
    ensure(linreg_set_param(m, LINREG_PARAM_SHUFFLE, 0), "linreg_set_param(SHUFFLE)");
    ensure(linreg_set_weights(m, W0, &b0), "linreg_set_weights");
    ensure(linreg_fit_f32(m, train->Xf, train->Yf, train->n), solver == LINREG_SOLVER_GD ? "GD fit" : "SGD fit");
    report(m, train, test);
}

int main(int argc, char **argv)
{
    static split train, test;
    const char *env = getenv("LINREG_ADVERTISING_CSV");
    const char *path = env && *env ? env : DEFAULT_CSV;
    linreg_model *m = NULL;
    double W[D], b, worst = 0;
    int j;

    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        usage(argc > 2 ? stderr : stdout);
        return argc > 2 ? 2 : 0;
    }
    if (argc == 2) path = argv[1];

    printf("liblinreg %s (header %s)\n", linreg_version_string(), LINREG_VERSION_STRING);
    if (linreg_version_number() != LINREG_VERSION_NUMBER) {
        fprintf(stderr, "seed: warning: library version %d differs from header version %d\n",
                linreg_version_number(), LINREG_VERSION_NUMBER);
    }
    load(path, &train, &test);
    printf("data: %s: %d rows, TV/Radio/Newspaper -> Sales; train %d rows, test %d rows\n"
           "      (sklearn train_test_split(test_size=0.2, random_state=0))\n",
           path, N_ROWS, train.n, test.n);
    printf("initial weights (torch.manual_seed(42)): w = [%.9g, %.9g, %.9g], b = %.9g\n\n", SEED_W0[0],
           SEED_W0[1], SEED_W0[2], SEED_B0[0]);

    ensure(linreg_create(D, 1, &m), "linreg_create");
    printf("(a) gradient descent: full batch, 1000 epochs, lr 1e-5, float32 input\n");
    descend(m, LINREG_SOLVER_GD, 1000, &train, &test);
    printf("(b) SGD: batch 5, rows in order, 100 epochs, lr 1e-5, float32 input\n");
    descend(m, LINREG_SOLVER_SGD, 100, &train, &test);

    printf("(c) exact least squares (liblinreg), float64 input\n");
    ensure(linreg_set_param(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT), "linreg_set_param(SOLVER)");
    ensure(linreg_fit_f64(m, train.X, train.Y, train.n), "exact fit");
    report(m, &train, &test);

    printf("\nexact least-squares answer (numpy.linalg.lstsq on the same 160 rows, float64):\n");
    print_weights("weights", SEED_EXACT_W, SEED_EXACT_B);
    printf("    MSE       train %.9g, test %.9g\n", SEED_EXACT_TRAIN_MSE, SEED_EXACT_TEST_MSE);
    ensure(linreg_get_weights(m, W, &b), "linreg_get_weights");
    for (j = 0; j <= D; j++) {
        double got = j < D ? W[j] : b, want = j < D ? SEED_EXACT_W[j] : SEED_EXACT_B;
        double rel = fabs(got - want) / fabs(want);
        if (!(rel <= worst)) worst = rel; /* also catches NaN */
    }
    printf("    (c) vs numpy: largest relative difference %.3g\n", worst);
    linreg_free(m);
    if (!(worst <= 1e-9)) {
        fprintf(stderr, "seed: the exact solver disagrees with numpy.linalg.lstsq (%.3g > 1e-9)\n", worst);
        return 1;
    }
    return 0;
}
