/*
 * fuzz_common.h -- helpers shared by every liblinreg fuzz harness.
 *
 *   - fz_in:      reads typed values from the fuzzer's bytes (exhausted input
 *                 reads as zeros, so every input is a valid program).
 *   - fz_double / fz_float: values biased towards the interesting ones (NaN,
 *                 +-Inf, subnormals, +-0, the float32/float64 limits, huge and
 *                 tiny magnitudes) as well as arbitrary bit patterns.
 *   - gbuf_*:     "guarded" buffers: each buffer handed to liblinreg ends
 *                 exactly at a PROT_NONE page (and starts right after one), so a
 *                 read or write past the extent the harness states faults at
 *                 once. This matters because the release liblinreg is Swift
 *                 built without AddressSanitizer: ASan sees the library's
 *                 malloc/free (so leaks, double frees and invalid frees inside
 *                 it are caught), but not its loads and stores. Guard pages
 *                 catch the library reading or writing outside the caller's
 *                 buffers, whichever library is fuzzed.
 *   - fz_check_*: invariants every harness asserts (known status codes,
 *                 a message after every failure, no LINREG_E_INTERNAL);
 *                 FZ_CALL(call) checks them for one call, FZ_OK(call) also
 *                 requires LINREG_OK (setup calls that cannot fail).
 *
 * Coverage: against the release library only the harness is compiled with
 * -fsanitize=fuzzer, so libFuzzer's feedback comes from the harness side (which
 * calls were made, which status each returned -- fz_status_edge() turns every
 * (call site, status) pair into a distinct edge). Against the instrumented
 * library (Makefile: FUZZ_LIB=instrumented, the default of `make run`) the
 * library's own branches count too and ASan checks its loads and stores.
 *
 * Future harnesses (e.g. fuzz_load.c for model deserialization) include this
 * header and are picked up by the Makefile from their name fuzz_<name>.c, with
 * their seed corpus in corpus/fuzz_<name>/.
 */
#ifndef LINREG_FUZZ_COMMON_H
#define LINREG_FUZZ_COMMON_H

#include "linreg.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- Sanitizer defaults ------------------------------------------------ */
/* liblinreg asks malloc for the memory an operation will need before it starts
 * and reports LINREG_E_NOMEM when that fails (see MemoryReservation.swift), so
 * a huge request must return NULL rather than abort the process: that is the
 * allocator behaviour of a normal host. Everything else stays at ASan's
 * defaults (leak detection on). Only defined in sanitizer builds. */
#if defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define FZ_HAVE_ASAN 1
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#  define FZ_HAVE_ASAN 1
#endif
#ifdef FZ_HAVE_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
#endif

/* ---- Reading the input ------------------------------------------------ */

typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in;

static inline uint8_t fz_u8(fz_in *in) {
    if (in->n == 0) return 0;
    uint8_t v = *in->p;
    in->p++;
    in->n--;
    return v;
}

static inline uint16_t fz_u16(fz_in *in) {
    uint16_t v = fz_u8(in);
    return (uint16_t)(v | ((uint16_t)fz_u8(in) << 8));
}

static inline uint32_t fz_u32(fz_in *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)fz_u8(in) << (8 * i);
    return v;
}

static inline uint64_t fz_u64(fz_in *in) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)fz_u8(in) << (8 * i);
    return v;
}

/* An integer in [lo, hi]. */
static inline int64_t fz_range(fz_in *in, int64_t lo, int64_t hi) {
    uint64_t span = (uint64_t)(hi - lo) + 1;
    uint64_t raw = span <= 256 ? fz_u8(in) : span <= 65536 ? fz_u16(in) : fz_u32(in);
    return lo + (int64_t)(raw % span);
}

static inline int fz_bool(fz_in *in) { return fz_u8(in) & 1; }

/* Values that break numerical code. */
static const double fz_special_doubles[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.0, 3.0, 10.0, 1e-3, -1e-3, 100.0,
    NAN, -NAN, INFINITY, -INFINITY,
    DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, 4.9406564584124654e-324, -4.9406564584124654e-324,
    2.2250738585072009e-308 /* largest subnormal */, DBL_EPSILON, 1.0 + DBL_EPSILON, 1.0 - DBL_EPSILON / 2,
    FLT_MAX, -FLT_MAX, FLT_MIN, 1.401298464324817e-45 /* smallest float subnormal */, FLT_EPSILON,
    1e300, -1e300, 1e-300, 1e308, 1e154, 1.3407807929942596e154 /* sqrt(DBL_MAX) */, 1e38, 3.5e38, 1e19, 1e-19,
    9007199254740992.0 /* 2^53 */, 9007199254740993.0, 2147483647.0, 2147483648.0, -2147483649.0,
    9.2233720368547758e18 /* 2^63 */, 1e-8, 1e8, 0.1, 0.99, 0.999999, 1e-12, 1e12,
};
#define FZ_N_SPECIAL (sizeof(fz_special_doubles) / sizeof(fz_special_doubles[0]))

/* A double: mostly small integers and special values, sometimes raw bits. */
static inline double fz_double(fz_in *in) {
    uint8_t sel = fz_u8(in);
    switch (sel >> 5) {
    case 0: case 1: case 2: /* small signed integer / 4 */
        return (double)((int)fz_u8(in) - 128) / 4.0;
    case 3: case 4:
        return fz_special_doubles[fz_u8(in) % FZ_N_SPECIAL];
    case 5: { /* special value times a small factor */
        double s = fz_special_doubles[fz_u8(in) % FZ_N_SPECIAL];
        return s * ((double)((int)fz_u8(in) - 128) / 16.0);
    }
    case 6: { /* raw bit pattern: any double, including payload NaNs and subnormals */
        uint64_t bits = fz_u64(in);
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    default: /* a value in [-8, 8) with a fuzzed fraction */
        return ((double)fz_u16(in) - 32768.0) / 4096.0;
    }
}

/* A float: the same distribution, rounded (so out-of-range doubles become
 * +-Inf, tiny ones subnormal or zero), or raw float bits. */
static inline float fz_float(fz_in *in) {
    if ((fz_u8(in) & 7) == 7) {
        uint32_t bits = fz_u32(in);
        float f;
        memcpy(&f, &bits, sizeof f);
        return f;
    }
    return (float)fz_double(in);
}

/* Fill `count` values: either each one fuzzed, or a smooth linear pattern
 * (a realistic regression problem) with a few fuzzed values sprinkled in,
 * so that fits both succeed and fail. */
static inline void fz_fill_f64(fz_in *in, double *out, int64_t count) {
    uint8_t mode = fz_u8(in) % 3;
    if (mode == 0) {
        for (int64_t i = 0; i < count; i++) out[i] = fz_double(in);
    } else {
        double a = (double)((int)fz_u8(in) - 128) / 8.0, b = (double)((int)fz_u8(in) - 128) / 8.0;
        uint32_t h = fz_u32(in) | 1u;
        for (int64_t i = 0; i < count; i++) {
            h ^= h << 13; h ^= h >> 17; h ^= h << 5; /* xorshift noise */
            out[i] = a * (double)(i % 7) + b * (double)(i % 3) + (double)(h % 1000) / 1000.0;
        }
        if (mode == 2) {
            int sprinkle = fz_u8(in) % 4;
            for (int s = 0; s < sprinkle && count > 0; s++) {
                int64_t at = fz_range(in, 0, count - 1);
                out[at] = fz_double(in);
            }
        }
    }
}

static inline void fz_fill_f32(fz_in *in, float *out, int64_t count) {
    uint8_t mode = fz_u8(in) % 3;
    if (mode == 0) {
        for (int64_t i = 0; i < count; i++) out[i] = fz_float(in);
    } else {
        float a = (float)((int)fz_u8(in) - 128) / 8.0f, b = (float)((int)fz_u8(in) - 128) / 8.0f;
        uint32_t h = fz_u32(in) | 1u;
        for (int64_t i = 0; i < count; i++) {
            h ^= h << 13; h ^= h >> 17; h ^= h << 5;
            out[i] = a * (float)(i % 7) + b * (float)(i % 3) + (float)(h % 1000) / 1000.0f;
        }
        if (mode == 2) {
            int sprinkle = fz_u8(in) % 4;
            for (int s = 0; s < sprinkle && count > 0; s++) {
                int64_t at = fz_range(in, 0, count - 1);
                out[at] = fz_float(in);
            }
        }
    }
}

/* ---- Guarded buffers -------------------------------------------------- */

static inline size_t gbuf_page(void) {
    static size_t page = 0;
    if (page == 0) page = (size_t)sysconf(_SC_PAGESIZE);
    return page;
}

/* A buffer of exactly `bytes` bytes (bytes > 0) that ends flush against a
 * PROT_NONE page and has another PROT_NONE page before its first page. The
 * contents are filled with 0xA5 (a NaN pattern for both float types). */
static inline void *gbuf_alloc(size_t bytes) {
    size_t page = gbuf_page();
    size_t data_pages = (bytes + page - 1) / page;
    if (data_pages == 0) data_pages = 1;
    size_t total = (data_pages + 2) * page;
    uint8_t *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) { perror("mmap"); abort(); }
    if (mprotect(base, page, PROT_NONE) != 0 || mprotect(base + (data_pages + 1) * page, page, PROT_NONE) != 0) {
        perror("mprotect");
        abort();
    }
    uint8_t *end = base + (data_pages + 1) * page;
    uint8_t *p = end - bytes;
    memset(p, 0xA5, bytes);
    return p;
}

static inline void gbuf_free(void *ptr, size_t bytes) {
    if (!ptr) return;
    size_t page = gbuf_page();
    size_t data_pages = (bytes + page - 1) / page;
    if (data_pages == 0) data_pages = 1;
    uint8_t *end = (uint8_t *)ptr + bytes;
    uint8_t *base = end - (data_pages + 1) * page;
    munmap(base, (data_pages + 2) * page);
}

/* A page the library may neither read nor write: for "refused before any
 * read" checks. Returns a pointer into a PROT_NONE page. */
static inline void *gbuf_forbidden(void) {
    static uint8_t *page_ptr = NULL;
    if (!page_ptr) {
        page_ptr = mmap(NULL, gbuf_page(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page_ptr == MAP_FAILED) { perror("mmap"); abort(); }
    }
    return page_ptr + 64;
}

/* ---- Invariants -------------------------------------------------------- */

#define FZ_FAIL(...)                                                        \
    do {                                                                    \
        fprintf(stderr, "FUZZ INVARIANT VIOLATED at %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__);                                       \
        fprintf(stderr, "\n");                                              \
        abort();                                                            \
    } while (0)

/* Every status the library returns is one of the header's (a code that
 * linreg_status_string knows), and every failure leaves a non-empty message.
 * LINREG_E_INTERNAL is reserved by the header for bugs: it is a finding. */
static inline linreg_status fz_check_status(const char *call, linreg_status st) {
    const char *text = linreg_status_string((int)st);
    if (!text || !*text) FZ_FAIL("linreg_status_string(%d) is empty", (int)st);
    if ((int)st < 0 || !strcmp(text, "unknown status")) FZ_FAIL("%s returned unknown status %d", call, (int)st);
    if (st != LINREG_OK) {
        const char *msg = linreg_last_error();
        if (!msg) FZ_FAIL("%s failed with %d but linreg_last_error() is NULL", call, (int)st);
        if (!*msg) FZ_FAIL("%s failed with %d but linreg_last_error() is empty", call, (int)st);
        if (strlen(msg) > 4096) FZ_FAIL("%s: message of %zu bytes", call, strlen(msg));
#ifndef FZ_TOLERATE_INTERNAL /* only to explore past a reported bug by hand; never in CI */
        if (st == LINREG_E_INTERNAL) FZ_FAIL("%s returned LINREG_E_INTERNAL: %s", call, msg);
#else
        if (st == LINREG_E_INTERNAL) fprintf(stderr, "TOLERATED LINREG_E_INTERNAL: %s: %s\n", call, msg);
#endif
    }
    return st;
}

/* Turns (call site, status) into a coverage edge, so libFuzzer keeps inputs
 * that reach a new outcome of a call even though the library itself is not
 * instrumented. Each case calls a distinct non-inlined function so the
 * compiler can neither merge the cases nor turn them into a table lookup. */
#define FZ_EDGE_FN(i) \
    __attribute__((noinline, unused)) static void fz_edge_##i(void) { __asm__ volatile("" ::: "memory"); }
FZ_EDGE_FN(0) FZ_EDGE_FN(1) FZ_EDGE_FN(2) FZ_EDGE_FN(3) FZ_EDGE_FN(4) FZ_EDGE_FN(5) FZ_EDGE_FN(6) FZ_EDGE_FN(7)
#define fz_status_edge(st)                       \
    do {                                         \
        switch ((int)(st)) {                     \
        case 0: fz_edge_0(); break;              \
        case 1: fz_edge_1(); break;              \
        case 2: fz_edge_2(); break;              \
        case 3: fz_edge_3(); break;              \
        case 4: fz_edge_4(); break;              \
        case 5: fz_edge_5(); break;              \
        case 6: fz_edge_6(); break;              \
        default: fz_edge_7(); break;             \
        }                                        \
    } while (0)

#define FZ_CALL(expr)                                         \
    ({                                                        \
        linreg_status fz_st_ = fz_check_status(#expr, (expr)); \
        fz_status_edge(fz_st_);                               \
        fz_st_;                                               \
    })

/* A call that cannot fail where the harness makes it (a valid model, valid
 * arguments): any other status is a finding. */
#define FZ_OK(expr)                                                                            \
    do {                                                                                       \
        linreg_status fz_ok_ = FZ_CALL(expr);                                                  \
        if (fz_ok_ != LINREG_OK) FZ_FAIL("%s returned %d: %s", #expr, (int)fz_ok_, linreg_last_error()); \
    } while (0)

#endif /* LINREG_FUZZ_COMMON_H */
