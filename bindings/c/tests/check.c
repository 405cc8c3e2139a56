/* check.c -- the assertion framework declared in check.h. */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static long long passed, failed;

static int record(int ok)
{
    if (ok) {
        passed++;
    } else {
        failed++;
    }
    return ok;
}

static void failure(const char *file, int line, const char *format, ...)
{
    va_list args;
    printf("  FAIL %s:%d: ", file, line);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}

int check_true(int ok, const char *expr, const char *file, int line)
{
    if (!ok) failure(file, line, "%s", expr);
    return record(ok);
}

int check_status(int got, int expected, const char *expr, const char *file, int line)
{
    int ok = got == expected;
    if (!ok) {
        failure(file, line, "%s returned %d (%s), expected %d (%s); last error: \"%s\"", expr, got,
                linreg_status_string(got), expected, linreg_status_string(expected), linreg_last_error());
    }
    return record(ok);
}

int check_int(long long got, long long expected, const char *expr, const char *file, int line)
{
    int ok = got == expected;
    if (!ok) failure(file, line, "%s is %lld, expected %lld", expr, got, expected);
    return record(ok);
}

static int close_enough(double got, double expected, double rel)
{
    double scale = expected != 0 ? fabs(expected) : 1.0;
    if (got == expected) return 1; /* also equal infinities */
    return fabs(got - expected) <= rel * scale; /* false for NaN */
}

int check_close(double got, double expected, double rel, const char *expr, const char *file, int line)
{
    int ok = close_enough(got, expected, rel);
    if (!ok) {
        double err = expected != 0 ? fabs(got - expected) / fabs(expected) : fabs(got - expected);
        failure(file, line, "%s is %.17g, expected %.17g (relative error %.3g > %.3g)", expr, got, expected, err,
                rel);
    }
    return record(ok);
}

int check_close_array(const double *got, const double *expected, size_t n, double rel, const char *expr,
                      const char *file, int line)
{
    size_t i;
    int all = 1;
    for (i = 0; i < n; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s[%lu]", expr, (unsigned long)i);
        all &= check_close(got[i], expected[i], rel, name, file, line);
    }
    return all;
}

int check_same(double got, double expected, const char *expr, const char *file, int line)
{
    int ok = memcmp(&got, &expected, sizeof got) == 0 || (isnan(got) && isnan(expected));
    if (!ok) failure(file, line, "%s is %.17g, expected exactly %.17g", expr, got, expected);
    return record(ok);
}

int check_str(const char *got, const char *expected, const char *expr, const char *file, int line)
{
    int ok = got && expected && strcmp(got, expected) == 0;
    if (!ok) {
        failure(file, line, "%s is %s%s%s, expected \"%s\"", expr, got ? "\"" : "", got ? got : "NULL",
                got ? "\"" : "", expected ? expected : "NULL");
    }
    return record(ok);
}

int check_contains(const char *haystack, const char *needle, const char *expr, const char *file, int line)
{
    int ok = haystack && needle && strstr(haystack, needle) != NULL;
    if (!ok) failure(file, line, "%s = \"%s\" does not contain \"%s\"", expr, haystack ? haystack : "NULL", needle);
    return record(ok);
}

int check_has_number(const char *text, long long number, const char *expr, const char *file, int line)
{
    int ok = 0;
    const char *p = text;
    while (p && *p && !ok) {
        if (isdigit((unsigned char)*p)) {
            long long value = 0;
            int overflow = 0;
            for (; isdigit((unsigned char)*p); p++) {
                if (value > (0x7fffffffffffffffLL - 9) / 10) overflow = 1;
                if (!overflow) value = value * 10 + (*p - '0');
            }
            ok = !overflow && value == number;
        } else {
            p++;
        }
    }
    if (!ok) failure(file, line, "%s = \"%s\" does not mention the number %lld", expr, text ? text : "NULL", number);
    return record(ok);
}

void check_note(const char *format, ...)
{
    va_list args;
    printf("  note: ");
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}

static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* Runs one group in a child process and adds its counts; a crash, a time-out
 * or a non-zero exit (e.g. a sanitizer report) counts as one more failure. */
static void run_forked(const check_group *g, unsigned timeout)
{
    int fds[2];
    pid_t pid;
    long long counts[2] = {0, 0};
    ssize_t got = 0;
    int status = 0;

    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        printf("  FAIL cannot start a process for group %s: %s\n", g->name, strerror(errno));
        failed++;
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        alarm(timeout);
        passed = failed = 0;
        g->run();
        counts[0] = passed;
        counts[1] = failed;
        fflush(stdout);
        if (write(fds[1], counts, sizeof counts) != (ssize_t)sizeof counts) _exit(3);
        close(fds[1]);
        exit(0); /* exit, not _exit: lets a leak checker report */
    }
    close(fds[1]);
    while ((size_t)got < sizeof counts) {
        ssize_t n = read(fds[0], (char *)counts + got, sizeof counts - (size_t)got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += n;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if ((size_t)got == sizeof counts) {
        passed += counts[0];
        failed += counts[1];
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        printf("  FAIL group %s %s (signal %d)\n", g->name,
               sig == SIGALRM ? "timed out" : "crashed", sig);
        failed++;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("  FAIL group %s exited with status %d (a sanitizer report above?)\n", g->name,
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        failed++;
    } else if ((size_t)got != sizeof counts) {
        printf("  FAIL group %s did not report its counts\n", g->name);
        failed++;
    }
}

void check_run(const check_group *groups, size_t count, const char *filter)
{
    size_t i;
    int fork_each = !env_flag("LINREG_TEST_NO_FORK");
    const char *t = getenv("LINREG_TEST_TIMEOUT");
    unsigned timeout = t && atoi(t) > 0 ? (unsigned)atoi(t) : 120u;
    for (i = 0; i < count; i++) {
        long long before_failed = failed, before_passed = passed;
        if (filter && *filter && !strstr(groups[i].name, filter)) continue;
        printf("[ RUN  ] %s\n", groups[i].name);
        fflush(stdout);
        if (fork_each) {
            run_forked(&groups[i], timeout);
        } else {
            groups[i].run();
        }
        printf("[ %s ] %s: %lld passed, %lld failed\n", failed == before_failed ? " OK " : "FAIL", groups[i].name,
               passed - before_passed, failed - before_failed);
        fflush(stdout);
    }
}

int check_summary(void)
{
    printf("%lld passed, %lld failed\n", passed, failed);
    fflush(stdout);
    return failed > 0 ? 1 : 0;
}
