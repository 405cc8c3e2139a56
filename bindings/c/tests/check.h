/*
 * check.h -- a tiny assertion framework for the liblinreg C API tests.
 *
 * Each CHECK_* macro counts one passed or failed check, prints the failure
 * with file, line, expression and values (and, for statuses, liblinreg's
 * message), and evaluates to 1 on success and 0 on failure so a test can stop
 * early: `if (!CHECK_STATUS(linreg_create(3, 1, &m), LINREG_OK)) return;`.
 *
 * Tests are grouped in functions run by check_run(). Unless the environment
 * sets LINREG_TEST_NO_FORK=1, every group runs in a child process with a
 * time limit (LINREG_TEST_TIMEOUT seconds, default 120), so a crash or a hang
 * in the library is reported as a failure of that group and the remaining
 * groups still run. check_summary() prints the final "N passed, M failed".
 */
#ifndef LINREG_C_TEST_CHECK_H
#define LINREG_C_TEST_CHECK_H

#include <stddef.h>

#include "linreg.h"

int check_true(int ok, const char *expr, const char *file, int line);
int check_status(int got, int expected, const char *expr, const char *file, int line);
int check_int(long long got, long long expected, const char *expr, const char *file, int line);
int check_close(double got, double expected, double rel, const char *expr, const char *file, int line);
int check_same(double got, double expected, const char *expr, const char *file, int line);
int check_str(const char *got, const char *expected, const char *expr, const char *file, int line);
int check_contains(const char *haystack, const char *needle, const char *expr, const char *file, int line);
int check_has_number(const char *text, long long number, const char *expr, const char *file, int line);

/* cond is true. */
#define CHECK(cond) check_true(!!(cond), #cond, __FILE__, __LINE__)
/* A liblinreg call returned the expected status. */
#define CHECK_STATUS(call, expected) check_status((int)(call), (int)(expected), #call, __FILE__, __LINE__)
/* Two integers are equal. */
#define CHECK_INT(got, expected) check_int((long long)(got), (long long)(expected), #got, __FILE__, __LINE__)
/* |got - expected| <= rel * |expected| (or <= rel when expected is 0); NaN never passes. */
#define CHECK_CLOSE(got, expected, rel) check_close((got), (expected), (rel), #got, __FILE__, __LINE__)
/* Bit-for-bit the same double (NaN equals NaN). */
#define CHECK_SAME(got, expected) check_same((got), (expected), #got, __FILE__, __LINE__)
/* Two strings are equal (NULL never passes). */
#define CHECK_STR(got, expected) check_str((got), (expected), #got, __FILE__, __LINE__)
/* needle occurs in haystack. */
#define CHECK_CONTAINS(haystack, needle) check_contains((haystack), (needle), #haystack, __FILE__, __LINE__)
/* text contains the decimal integer number as a whole token (not inside a longer number). */
#define CHECK_HAS_NUMBER(text, number) check_has_number((text), (number), #text, __FILE__, __LINE__)

/* Element-wise CHECK_CLOSE over n values; one check per element. */
int check_close_array(const double *got, const double *expected, size_t n, double rel, const char *expr,
                      const char *file, int line);
#define CHECK_CLOSE_ARRAY(got, expected, n, rel) \
    check_close_array((got), (expected), (n), (rel), #got, __FILE__, __LINE__)

/* A note printed with the test output (not a check). */
void check_note(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

typedef struct check_group {
    const char *name;
    void (*run)(void);
} check_group;

/* Runs the groups whose name contains filter (all when filter is NULL or ""). */
void check_run(const check_group *groups, size_t count, const char *filter);

/* Prints "N passed, M failed" and returns the process exit status (0 when M is 0). */
int check_summary(void);

#endif /* LINREG_C_TEST_CHECK_H */
