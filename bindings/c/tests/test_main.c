/*
 * test_main.c -- runs the liblinreg C API tests.
 *
 * Usage: test_api [ADVERTISING_CSV [GROUP_FILTER]]
 *   ADVERTISING_CSV  the ISLR Advertising file; default $LINREG_ADVERTISING_CSV,
 *                    else ../shared/data/Advertising.csv relative to the
 *                    working directory (right when run from the repository root).
 *   GROUP_FILTER     run only the groups whose name contains this text.
 * Environment: LINREG_TEST_NO_FORK=1 runs every group in this process (for a
 * debugger); LINREG_TEST_TIMEOUT=seconds limits each group (default 120).
 * The last line of output is "N passed, M failed"; the exit status is 0 only
 * when M is 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "fixtures.h"
#include "test_groups.h"

int main(int argc, char **argv)
{
    const char *env = getenv("LINREG_ADVERTISING_CSV");
    const char *path = argc > 1 ? argv[1] : env && *env ? env : "../shared/data/Advertising.csv";
    const char *filter = argc > 2 ? argv[2] : NULL;

    printf("liblinreg C API tests: header %s, library %s; data %s\n", LINREG_VERSION_STRING,
           linreg_version_string(), path);
    /* Groups that need the data fail (and say why) when it cannot be read. */
    fixture_load_advertising(path);
    check_run(API_GROUPS, API_GROUP_COUNT, filter);
    check_run(NUMERIC_GROUPS, NUMERIC_GROUP_COUNT, filter);
    check_run(PERSISTENCE_GROUPS, PERSISTENCE_GROUP_COUNT, filter);
    check_run(STREAMING_GROUPS, STREAMING_GROUP_COUNT, filter);
    check_run(INFERENCE_GROUPS, INFERENCE_GROUP_COUNT, filter);
    check_run(DIAGNOSTIC_GROUPS, DIAGNOSTIC_GROUP_COUNT, filter);
    check_run(ENET_GROUPS, ENET_GROUP_COUNT, filter);
    check_run(RIDGECV_NNLS_GROUPS, RIDGECV_NNLS_GROUP_COUNT, filter);
    return check_summary();
}
