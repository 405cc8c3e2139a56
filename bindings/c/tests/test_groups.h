/* test_groups.h -- the test groups of each test file, run by test_main.c. */
#ifndef LINREG_C_TEST_GROUPS_H
#define LINREG_C_TEST_GROUPS_H

#include <stddef.h>

#include "check.h"

extern const check_group API_GROUPS[];      /* test_api.c: the header's contract */
extern const size_t API_GROUP_COUNT;
extern const check_group NUMERIC_GROUPS[];  /* test_numerics.c: agreement with references */
extern const size_t NUMERIC_GROUP_COUNT;
extern const check_group PERSISTENCE_GROUPS[]; /* test_persistence.c: serialize, save, load */
extern const size_t PERSISTENCE_GROUP_COUNT;
extern const check_group STREAMING_GROUPS[];   /* test_streaming.c: partial fits and merges */
extern const size_t STREAMING_GROUP_COUNT;
extern const check_group INFERENCE_GROUPS[];   /* test_inference.c: robust covariances, Wald tests, intervals */
extern const size_t INFERENCE_GROUP_COUNT;
extern const check_group DIAGNOSTIC_GROUPS[];  /* test_diagnostics.c: residual pass, influence, aliasing */
extern const size_t DIAGNOSTIC_GROUP_COUNT;
extern const check_group ENET_GROUPS[];        /* test_enet.c: lasso and elastic net */
extern const size_t ENET_GROUP_COUNT;
extern const check_group RIDGECV_NNLS_GROUPS[]; /* test_ridgecv_nnls.c: NNLS solver, RidgeCV entry points */
extern const size_t RIDGECV_NNLS_GROUP_COUNT;

#endif /* LINREG_C_TEST_GROUPS_H */
