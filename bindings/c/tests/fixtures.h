/*
 * fixtures.h -- data and helpers shared by the C API test groups: the
 * Advertising data (read once by main from the CSV), checked model creation,
 * and snapshots of a model's observable state for "unchanged" checks.
 */
#ifndef LINREG_C_TEST_FIXTURES_H
#define LINREG_C_TEST_FIXTURES_H

#include <stdint.h>

#include "linreg.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum { ADV_N = 200, ADV_D = 3 };

/* All 200 Advertising rows: X = TV, Radio, Newspaper; Y = Sales. */
typedef struct advertising {
    double X[ADV_N * ADV_D];
    double Y[ADV_N];
    float Xf[ADV_N * ADV_D];
    float Yf[ADV_N];
} advertising;

/* Reads the CSV at path; returns 0 and prints why on failure. */
int fixture_load_advertising(const char *path);

/* The loaded data, or NULL after recording a failed check (data missing). */
const advertising *fixture_advertising(void);

/* linreg_create(d, k) checked; NULL (after a failed check) on failure. */
linreg_model *fixture_model(int64_t d, int64_t k);

/* The SMALL data of references.h (exact in float32) as float: X, Y and the
 * sample weights; any of the three may be NULL. */
void fixture_small_f32(float *X, float *Y, float *sample_weight);

/* Sets SOLVER and EPOCHS, starts from SMALL_W0/SMALL_B0, fits SMALL (f64),
 * and copies the result to W (k*d) and b (k); 0 after a failed check. The
 * model's other parameters are used as they are. */
int fixture_descend_small(linreg_model *m, int solver, int epochs, double *W, double *b);

/* linreg_set_param checked to succeed. */
#define SET_PARAM(m, key, value) CHECK_STATUS(linreg_set_param((m), (key), (value)), LINREG_OK)

/* Everything a caller can observe about a model. */
enum { SNAP_MAX_WEIGHTS = 64, SNAP_MAX_HISTORY = 2048, SNAP_PARAMS = 13 };
typedef struct model_state {
    int64_t d, k;
    int fitted;
    double W[SNAP_MAX_WEIGHTS];
    double b[SNAP_MAX_WEIGHTS];
    int64_t history_count;
    double history[SNAP_MAX_HISTORY];
    double params[SNAP_PARAMS];
    int r2_status;
    double r2[SNAP_MAX_WEIGHTS];
} model_state;

/* Records the state of m (the model must be small enough for the arrays). */
void fixture_snapshot(const linreg_model *m, model_state *s);

/* One check per field that m's current state has the same value as s (bit for bit). */
int fixture_check_unchanged(const linreg_model *m, const model_state *s, const char *file, int line);
#define CHECK_UNCHANGED(m, s) fixture_check_unchanged((m), (s), __FILE__, __LINE__)

/* The loss history of m (up to cap values) into out; returns the full length or -1. */
int64_t fixture_history(const linreg_model *m, double *out, int64_t cap);

#endif /* LINREG_C_TEST_FIXTURES_H */
