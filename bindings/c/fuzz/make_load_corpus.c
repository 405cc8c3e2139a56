/*
 * make_load_corpus.c -- writes the seed corpus of fuzz_load: serialized models
 * of every kind (unfitted; exact with statistics and accumulator; ridge; GD
 * with a loss history; weights set by hand; several outputs; no intercept;
 * feature and target names), each prefixed with the harness's mode byte.
 * They are format version 2; corpus/fuzz_load/v1_* are the same kinds of
 * models written in format 1 by liblinreg 0.1 (kept: version 1 still loads).
 *   cc make_load_corpus.c -I../../../include -L../../../build/lib -llinreg -o /tmp/mk && /tmp/mk corpus/fuzz_load
 */
#include "linreg.h"
#include <stdio.h>
#include <stdlib.h>

/* Every call here must succeed: the corpus is built from good models. */
static void must(linreg_status st, const char *call) {
    if (st != LINREG_OK) {
        fprintf(stderr, "%s returned %d: %s\n", call, (int)st, linreg_last_error());
        exit(1);
    }
}
#define MUST(call) must((call), #call)

static void write_seed(const char *dir, const char *name, unsigned char mode, const linreg_model *m) {
    int64_t size = 0;
    MUST(linreg_serialize(m, NULL, 0, &size));
    unsigned char *buf = malloc((size_t)size);
    if (!buf || linreg_serialize(m, buf, size, &size) != LINREG_OK) { fprintf(stderr, "%s\n", linreg_last_error()); exit(1); }
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(1); }
    fputc(mode, f);
    fwrite(buf, 1, (size_t)size, f);
    fclose(f);
    free(buf);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "corpus/fuzz_load";
    double X[8 * 3], Y[8 * 2];
    for (int i = 0; i < 8; i++) {
        X[3 * i] = i; X[3 * i + 1] = (i * i) % 5; X[3 * i + 2] = (i * 3) % 7;
        Y[2 * i] = 1 + 2 * X[3 * i] - X[3 * i + 1] + 0.25 * (i % 2);
        Y[2 * i + 1] = 0.5 * X[3 * i + 2] - 0.125 * (i % 3);
    }
    linreg_model *m = NULL;
    MUST(linreg_create(3, 2, &m));
    write_seed(dir, "unfitted", 3, m);
    MUST(linreg_fit_f64(m, X, Y, 8));
    write_seed(dir, "exact", 3, m);
    write_seed(dir, "exact_raw", 2, m);
    MUST(linreg_set_param(m, LINREG_PARAM_ALPHA, 0.5));
    MUST(linreg_fit_f64(m, X, Y, 8));
    write_seed(dir, "ridge", 3, m);
    static const char *const features[3] = {"TV", "", "caf\xc3\xa9"};
    static const char *const targets[2] = {"sales", "profit"};
    MUST(linreg_set_names(m, features, targets));
    write_seed(dir, "names", 3, m);
    MUST(linreg_set_names(m, NULL, targets));
    write_seed(dir, "target_names_raw", 2, m);
    linreg_free(m);

    MUST(linreg_create(3, 1, &m));
    MUST(linreg_set_param(m, LINREG_PARAM_SOLVER, LINREG_SOLVER_GD));
    MUST(linreg_set_param(m, LINREG_PARAM_EPOCHS, 5));
    MUST(linreg_set_param(m, LINREG_PARAM_LEARNING_RATE, 0.01));
    MUST(linreg_fit_f64(m, X, Y, 8)); /* Y as 8 x 1: the first 8 values */
    write_seed(dir, "gd_history", 3, m);
    double W[3] = {1, -2, 0.5}, b[1] = {3};
    MUST(linreg_set_weights(m, W, b));
    write_seed(dir, "set_weights", 3, m);
    linreg_free(m);

    MUST(linreg_create(2, 1, &m));
    MUST(linreg_set_param(m, LINREG_PARAM_FIT_INTERCEPT, 0));
    MUST(linreg_fit_weighted_f64(m, X, Y, Y + 8, 4));
    write_seed(dir, "no_intercept_weighted", 3, m);
    linreg_free(m);
    return 0;
}
