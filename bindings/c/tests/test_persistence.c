/*
 * test_persistence.c -- linreg_serialize, linreg_deserialize, linreg_save and
 * linreg_load: round trips (weights, parameters, loss history, statistics,
 * predictions bit for bit), argument checks, the byte format of
 * docs/FORMAT.md checked by an independent reader and writer written here
 * from the document, and hostile input: every truncation, every single-byte
 * corruption, forged headers with a valid checksum, and buffers placed
 * against an inaccessible page so that a read outside [buf, buf+size) faults.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "references.h"
#include "test_groups.h"

/* ------------------------------------------------ format helpers (FORMAT.md) */
enum { HEADER_BYTES = 24, TRAILER_BYTES = 4, MODEL_SECTION_PAYLOAD = HEADER_BYTES + 12 };
static const unsigned char MAGIC[8] = {0x89, 0x4C, 0x4E, 0x52, 0x47, 0x0D, 0x0A, 0x1A};

/* CRC-32 as zlib's crc32 (reflected polynomial 0xEDB88320). */
static uint32_t crc32_ieee(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int bit;
    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    int i;
    for (i = bytes - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    int i;
    for (i = 0; i < bytes; i++, v >>= 8) p[i] = (unsigned char)(v & 0xFF);
}

static void put_f64(unsigned char *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_le(p, bits, 8);
}

static double get_f64(const unsigned char *p)
{
    uint64_t bits = get_le(p, 8);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Recomputes the trailing CRC of a file of n bytes after an edit. */
static void fix_crc(unsigned char *bytes, size_t n)
{
    put_le(bytes + n - TRAILER_BYTES, crc32_ieee(bytes, n - TRAILER_BYTES), 4);
}

/* linreg_serialize into a new malloc'd buffer; NULL after a failed check. */
static unsigned char *serialize(const linreg_model *m, size_t *n)
{
    int64_t size = -1, size2 = -1;
    unsigned char *buf;
    if (!CHECK_STATUS(linreg_serialize(m, NULL, 0, &size), LINREG_OK) || !CHECK(size >= 28)) return NULL;
    buf = malloc((size_t)size);
    if (!CHECK(buf != NULL)) return NULL;
    if (!CHECK_STATUS(linreg_serialize(m, buf, size, &size2), LINREG_OK) || !CHECK_INT(size2, size)) {
        free(buf);
        return NULL;
    }
    *n = (size_t)size;
    return buf;
}

/* A region of pages whose first and last pages are inaccessible. */
typedef struct guarded {
    unsigned char *base;
    size_t size, page;
} guarded;

static int guarded_alloc(guarded *g, size_t bytes)
{
    void *p;
    g->page = (size_t)sysconf(_SC_PAGESIZE);
    g->size = ((bytes + g->page - 1) / g->page + 2) * g->page;
    p = mmap(NULL, g->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!CHECK(p != MAP_FAILED)) return 0;
    g->base = p;
    mprotect(g->base, g->page, PROT_NONE);
    mprotect(g->base + g->size - g->page, g->page, PROT_NONE);
    return 1;
}

/* n bytes placed to end exactly where the trailing guard page starts. */
static unsigned char *guarded_at_end(guarded *g, const unsigned char *bytes, size_t n)
{
    unsigned char *p = g->base + g->size - g->page - n;
    if (n) memcpy(p, bytes, n);
    return p;
}

/* n bytes placed to start exactly where the leading guard page ends. */
static unsigned char *guarded_at_start(guarded *g, const unsigned char *bytes, size_t n)
{
    unsigned char *p = g->base + g->page;
    if (n) memcpy(p, bytes, n);
    return p;
}

static void guarded_free(guarded *g)
{
    munmap(g->base, g->size);
}

/* ------------------------------------------------------------- fixtures */
/* A model fitted exactly on SMALL with every parameter away from its default. */
static linreg_model *rich_model(int solver)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    if (!m) return NULL;
    SET_PARAM(m, LINREG_PARAM_SOLVER, solver);
    SET_PARAM(m, LINREG_PARAM_LEARNING_RATE, 0.0123);
    SET_PARAM(m, LINREG_PARAM_EPOCHS, 17);
    SET_PARAM(m, LINREG_PARAM_BATCH_SIZE, 3);
    SET_PARAM(m, LINREG_PARAM_SHUFFLE, 1);
    SET_PARAM(m, LINREG_PARAM_SEED, 99);
    SET_PARAM(m, LINREG_PARAM_WEIGHT_DECAY, 0.001);
    SET_PARAM(m, LINREG_PARAM_MOMENTUM, 0.5);
    SET_PARAM(m, LINREG_PARAM_CI_LEVEL, 0.9);
    SET_PARAM(m, LINREG_PARAM_THREADS, 2);
    SET_PARAM(m, LINREG_PARAM_RCOND, 1e-12);
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    if (!CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK)) {
        linreg_free(m);
        return NULL;
    }
    return m;
}

/* copy behaves as m: state, every statistic (status and value), predictions. */
static void check_same_model(const linreg_model *copy, const linreg_model *m)
{
    model_state s;
    double a[16], b[16], pa[SMALL_N * SMALL_K], pb[SMALL_N * SMALL_K];
    int key, sa, sb;
    int64_t ca = -1, cb = -1;
    fixture_snapshot(m, &s);
    CHECK_UNCHANGED(copy, &s);
    for (key = LINREG_STAT_R2; key <= LINREG_STAT_RSS; key++) {
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        sa = linreg_get_stat(m, (linreg_stat)key, a);
        sb = linreg_get_stat(copy, (linreg_stat)key, b);
        CHECK_INT(sb, sa);
        CHECK(memcmp(a, b, sizeof a) == 0);
    }
    for (key = LINREG_COEF_STDERR; key <= LINREG_COEF_CI_HIGH; key++) {
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        sa = linreg_get_coef_stats(m, (linreg_coef_stat)key, a);
        sb = linreg_get_coef_stats(copy, (linreg_coef_stat)key, b);
        CHECK_INT(sb, sa);
        CHECK(memcmp(a, b, sizeof a) == 0);
    }
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    sa = linreg_singular_values(m, a, 16, &ca);
    sb = linreg_singular_values(copy, b, 16, &cb);
    CHECK_INT(sb, sa);
    CHECK_INT(cb, ca);
    CHECK(memcmp(a, b, sizeof a) == 0);
    if (linreg_is_fitted(m)) {
        memset(pa, 0, sizeof pa);
        memset(pb, 0, sizeof pb);
        CHECK_STATUS(linreg_predict_f64(m, SMALL_X, SMALL_N, pa), LINREG_OK);
        CHECK_STATUS(linreg_predict_f64(copy, SMALL_X, SMALL_N, pb), LINREG_OK);
        CHECK(memcmp(pa, pb, sizeof pa) == 0);
    }
}

/* --------------------------------------------------------------- groups */
static void test_serialize_round_trip(void)
{
    static const int solvers[] = {LINREG_SOLVER_EXACT, LINREG_SOLVER_GD, LINREG_SOLVER_SGD};
    size_t i, n;
    for (i = 0; i < COUNT(solvers); i++) {
        linreg_model *m = rich_model(solvers[i]), *copy = NULL;
        unsigned char *bytes;
        if (!m) continue;
        bytes = serialize(m, &n);
        if (bytes && CHECK_STATUS(linreg_deserialize(bytes, (int64_t)n, &copy), LINREG_OK) && CHECK(copy != NULL)) {
            check_same_model(copy, m);
            if (solvers[i] != LINREG_SOLVER_EXACT) CHECK_INT(fixture_history(copy, NULL, 0), 17);
            /* The copy is independent of the original and of the bytes. */
            {
                model_state copy_state;
                fixture_snapshot(copy, &copy_state);
                memset(bytes, 0, n);
                static const double other_W[6] = {9, 8, 7, 6, 5, 4};
                CHECK_STATUS(linreg_set_weights(m, other_W, NULL), LINREG_OK);
                SET_PARAM(m, LINREG_PARAM_EPOCHS, 3);
                CHECK_UNCHANGED(copy, &copy_state);
            }
            /* And usable: it can be refitted. */
            SET_PARAM(copy, LINREG_PARAM_SOLVER, LINREG_SOLVER_EXACT);
            CHECK_STATUS(linreg_fit_f64(copy, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
        }
        free(bytes);
        linreg_free(copy);
        linreg_free(m);
    }

    /* An unfitted model stays unfitted; a hand-set one keeps its weights. */
    {
        linreg_model *m = fixture_model(2, 3), *copy = NULL;
        unsigned char *bytes = m ? serialize(m, &n) : NULL;
        if (bytes && CHECK_STATUS(linreg_deserialize(bytes, (int64_t)n, &copy), LINREG_OK)) {
            int64_t d = 0, k = 0;
            CHECK_INT(linreg_is_fitted(copy), 0);
            CHECK_STATUS(linreg_get_shape(copy, &d, &k), LINREG_OK);
            CHECK(d == 2 && k == 3);
            check_same_model(copy, m);
        }
        free(bytes);
        linreg_free(copy);
        linreg_free(m);
    }
}

static void test_serialize_arguments(void)
{
    linreg_model *m = rich_model(LINREG_SOLVER_GD), *out;
    linreg_model *junk = (linreg_model *)&out;
    unsigned char small[16], *bytes;
    int64_t size = -1;
    size_t n, i;
    model_state before;
    if (!m) return;
    fixture_snapshot(m, &before);
    CHECK_STATUS(linreg_serialize(NULL, small, 16, &size), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_serialize(m, small, 16, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_serialize(m, small, -1, &size), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_serialize(m, NULL, 16, &size), LINREG_E_ARGUMENT);
    /* Too small: nothing written, the needed size reported. */
    memset(small, 0xAB, sizeof small);
    size = -1;
    CHECK_STATUS(linreg_serialize(m, small, 16, &size), LINREG_E_ARGUMENT);
    for (i = 0; i < sizeof small; i++) CHECK_INT(small[i], 0xAB);
    bytes = serialize(m, &n);
    if (bytes) {
        CHECK_INT(size, (int64_t)n);
        /* A larger buffer: exactly size bytes written. */
        {
            unsigned char *big = malloc(n + 8);
            int64_t got = -1;
            if (CHECK(big != NULL)) {
                memset(big, 0xCD, n + 8);
                CHECK_STATUS(linreg_serialize(m, big, (int64_t)n + 8, &got), LINREG_OK);
                CHECK_INT(got, (int64_t)n);
                CHECK(memcmp(big, bytes, n) == 0);
                for (i = n; i < n + 8; i++) CHECK_INT(big[i], 0xCD);
                free(big);
            }
        }
        /* Deterministic: the same model gives the same bytes. */
        {
            size_t n2 = 0;
            unsigned char *again = serialize(m, &n2);
            CHECK(again && n2 == n && memcmp(again, bytes, n) == 0);
            free(again);
        }
    }
    CHECK_UNCHANGED(m, &before);

    out = junk;
    CHECK_STATUS(linreg_deserialize(NULL, 10, &out), LINREG_E_ARGUMENT);
    CHECK(out == NULL);
    if (bytes) {
        CHECK_STATUS(linreg_deserialize(bytes, (int64_t)n, NULL), LINREG_E_ARGUMENT);
        out = junk;
        CHECK_STATUS(linreg_deserialize(bytes, -1, &out), LINREG_E_ARGUMENT);
        CHECK(out == NULL);
        out = junk;
        CHECK_STATUS(linreg_deserialize(bytes, INT64_MIN, &out), LINREG_E_ARGUMENT);
        CHECK(out == NULL);
    }
    free(bytes);
    linreg_free(m);
}

/* The writer's bytes, read with this file's own reader of FORMAT.md. */
static void test_format_layout(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K);
    unsigned char *bytes;
    size_t n;
    int i;
    CHECK_INT(crc32_ieee((const unsigned char *)"123456789", 9), 0xCBF43926u); /* the CRC-32 check value */
    if (!m) return;
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    bytes = serialize(m, &n);
    if (!bytes) {
        linreg_free(m);
        return;
    }
    CHECK(memcmp(bytes, MAGIC, 8) == 0);
    CHECK_INT(get_le(bytes + 8, 4), 3);                      /* version */
    CHECK_INT(get_le(bytes + 12, 4), 0);                     /* flags */
    CHECK_INT(get_le(bytes + 16, 8), (int64_t)n - 28);       /* body length */
    CHECK_INT(get_le(bytes + n - 4, 4), crc32_ieee(bytes, n - 4));
    CHECK_INT(get_le(bytes + 24, 4), 1);                     /* section 1: model */
    CHECK_INT(get_le(bytes + MODEL_SECTION_PAYLOAD, 8), SMALL_D);
    CHECK_INT(get_le(bytes + MODEL_SECTION_PAYLOAD + 8, 8), SMALL_K);
    CHECK_INT(bytes[MODEL_SECTION_PAYLOAD + 16], 1); /* fitted */
    for (i = 0; i < SMALL_D * SMALL_K; i++) {
        CHECK_SAME(get_f64(bytes + MODEL_SECTION_PAYLOAD + 17 + 8 * i), SMALL_W0[i]);
    }
    for (i = 0; i < SMALL_K; i++) {
        CHECK_SAME(get_f64(bytes + MODEL_SECTION_PAYLOAD + 17 + 8 * (SMALL_D * SMALL_K + i)), SMALL_B0[i]);
    }
    free(bytes);
    linreg_free(m);
}

/* A file written here from FORMAT.md alone: sections 1-3, two parameters, a
 * three-value loss history. liblinreg must read it as described. */
static void test_format_independent_writer(void)
{
    enum { D = 2, K = 1 };
    static const double W[D] = {1.5, -0.25}, B[K] = {4.0}, HIST[3] = {9.0, 5.5, 2.25};
    unsigned char file[512];
    size_t at = 0, body_start, section_len_at;
    linreg_model *m = NULL;

    memcpy(file, MAGIC, 8);
    put_le(file + 8, 1, 4);
    put_le(file + 12, 0, 4);
    at = HEADER_BYTES;
    body_start = at;
    /* section 1: model */
    put_le(file + at, 1, 4);
    section_len_at = at + 4;
    at += 12;
    put_le(file + at, D, 8);
    put_le(file + at + 8, K, 8);
    file[at + 16] = 1;
    at += 17;
    put_f64(file + at, W[0]);
    put_f64(file + at + 8, W[1]);
    put_f64(file + at + 16, B[0]);
    at += 24;
    put_le(file + section_len_at, at - section_len_at - 8, 8);
    /* section 2: parameters (EPOCHS = 42, CI_LEVEL = 0.8) */
    put_le(file + at, 2, 4);
    section_len_at = at + 4;
    at += 12;
    put_le(file + at, 2, 8);
    put_le(file + at + 8, LINREG_PARAM_EPOCHS, 4);
    put_f64(file + at + 12, 42.0);
    put_le(file + at + 20, LINREG_PARAM_CI_LEVEL, 4);
    put_f64(file + at + 24, 0.8);
    at += 32;
    put_le(file + section_len_at, at - section_len_at - 8, 8);
    /* section 3: loss history */
    put_le(file + at, 3, 4);
    section_len_at = at + 4;
    at += 12;
    put_le(file + at, 3, 8);
    put_f64(file + at + 8, HIST[0]);
    put_f64(file + at + 16, HIST[1]);
    put_f64(file + at + 24, HIST[2]);
    at += 32;
    put_le(file + section_len_at, at - section_len_at - 8, 8);
    put_le(file + 16, at - body_start, 8);
    at += TRAILER_BYTES;
    fix_crc(file, at);

    if (CHECK_STATUS(linreg_deserialize(file, (int64_t)at, &m), LINREG_OK)) {
        double v, Wg[D], bg[K], hist[4], x[D] = {2, 4}, y;
        int64_t d = 0, k = 0;
        CHECK_STATUS(linreg_get_shape(m, &d, &k), LINREG_OK);
        CHECK(d == D && k == K);
        CHECK_INT(linreg_is_fitted(m), 1);
        CHECK_STATUS(linreg_get_weights(m, Wg, bg), LINREG_OK);
        CHECK(memcmp(Wg, W, sizeof W) == 0 && memcmp(bg, B, sizeof B) == 0);
        CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_EPOCHS, &v), LINREG_OK);
        CHECK_SAME(v, 42.0);
        CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_CI_LEVEL, &v), LINREG_OK);
        CHECK_SAME(v, 0.8);
        CHECK_STATUS(linreg_get_param(m, LINREG_PARAM_LEARNING_RATE, &v), LINREG_OK);
        CHECK_SAME(v, 0.01); /* not written: the default */
        CHECK_INT(fixture_history(m, hist, 4), 3);
        CHECK(memcmp(hist, HIST, sizeof HIST) == 0);
        CHECK_STATUS(linreg_predict_f64(m, x, 1, &y), LINREG_OK);
        CHECK_SAME(y, 4.0 + 2 * 1.5 + 4 * -0.25);
        CHECK_STATUS(linreg_get_stat(m, LINREG_STAT_R2, &v), LINREG_E_UNAVAILABLE); /* no section 4 */
        {
            int64_t len = -1; /* a version-1 file has no names */
            CHECK_STATUS(linreg_get_feature_name(m, 0, NULL, 0, &len), LINREG_E_UNAVAILABLE);
            CHECK_STATUS(linreg_get_target_name(m, 0, NULL, 0, &len), LINREG_E_UNAVAILABLE);
        }
    }
    linreg_free(m);

    /* The same file with an out-of-range parameter value is refused. */
    {
        size_t params_value_at = body_start + 12 + 17 + 24 + 12 + 8 + 4; /* EPOCHS' value */
        put_f64(file + params_value_at, -3.0);
        fix_crc(file, at);
        m = (linreg_model *)&m;
        CHECK_STATUS(linreg_deserialize(file, (int64_t)at, &m), LINREG_E_FORMAT);
        CHECK(m == NULL);
    }
}

static void test_hostile_bytes(void)
{
    linreg_model *m = rich_model(LINREG_SOLVER_EXACT), *out;
    unsigned char *bytes, *work;
    guarded g;
    size_t n, len, i;
    int truncated_ok = 1, flipped_ok = 1, out_null = 1, guarded_start_ok = 1;
    if (!m) return;
    bytes = serialize(m, &n);
    if (!bytes || !guarded_alloc(&g, n + 16)) {
        free(bytes);
        linreg_free(m);
        return;
    }
    work = malloc(n + 16);
    if (!CHECK(work != NULL)) {
        guarded_free(&g);
        free(bytes);
        linreg_free(m);
        return;
    }

    /* The intact bytes load from either edge of an accessible region. */
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, bytes, n), (int64_t)n, &out), LINREG_OK);
    linreg_free(out);
    CHECK_STATUS(linreg_deserialize(guarded_at_start(&g, bytes, n), (int64_t)n, &out), LINREG_OK);
    linreg_free(out);

    /* Every truncation, ending against the guard page: LINREG_E_FORMAT, no fault. */
    for (len = 0; len < n; len++) {
        out = (linreg_model *)&out;
        truncated_ok &= linreg_deserialize(guarded_at_end(&g, bytes, len), (int64_t)len, &out) == LINREG_E_FORMAT;
        out_null &= out == NULL;
        out = (linreg_model *)&out;
        guarded_start_ok &= linreg_deserialize(guarded_at_start(&g, bytes, len), (int64_t)len, &out) == LINREG_E_FORMAT;
        out_null &= out == NULL;
    }
    CHECK(truncated_ok);
    CHECK(guarded_start_ok);
    CHECK(out_null);
    /* Padding. */
    memcpy(work, bytes, n);
    work[n] = 0;
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n + 1), (int64_t)n + 1, &out), LINREG_E_FORMAT);
    /* Every single-byte corruption. */
    for (i = 0; i < n; i++) {
        memcpy(work, bytes, n);
        work[i] ^= 0x5A;
        out = NULL;
        flipped_ok &= linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out) == LINREG_E_FORMAT;
        linreg_free(out);
    }
    CHECK(flipped_ok);

    /* Forged headers and fields with a valid checksum. */
    memcpy(work, bytes, n);
    put_le(work + 8, 4, 4);
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    CHECK_HAS_NUMBER(linreg_last_error(), 4);
    memcpy(work, bytes, n);
    put_le(work + 12, 1, 4);
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + 16, get_le(work + 16, 8) + 8, 8);
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + 16, UINT64_MAX, 8);
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + 28, UINT64_MAX / 2, 8); /* model section length */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + MODEL_SECTION_PAYLOAD, 0, 8); /* d = 0 */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + MODEL_SECTION_PAYLOAD, (uint64_t)1 << 40, 8); /* d huge: must not allocate for it */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + MODEL_SECTION_PAYLOAD + 8, UINT64_MAX, 8); /* k = -1 */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    work[MODEL_SECTION_PAYLOAD + 16] = 2; /* fitted must be 0 or 1 */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_f64(work + MODEL_SECTION_PAYLOAD + 17, NAN); /* W[0][0] must be finite */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    memcpy(work, bytes, n);
    put_le(work + 24, 77, 4); /* unknown first section */
    fix_crc(work, n);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    /* Garbage. */
    for (i = 0; i < n; i++) work[i] = (unsigned char)(i * 37u + 11u);
    CHECK_STATUS(linreg_deserialize(guarded_at_end(&g, work, n), (int64_t)n, &out), LINREG_E_FORMAT);
    CHECK(strlen(linreg_last_error()) > 0);

    guarded_free(&g);
    free(work);
    free(bytes);
    linreg_free(m);
}

/* ------------------------------------------------------------ save and load */
static char temp_dir[512];

static int make_temp_dir(void)
{
    const char *base = getenv("TMPDIR"); /* TMPDIR, else the system temporary folder */
    snprintf(temp_dir, sizeof temp_dir, "%s/linreg-c-test-XXXXXX", base && *base ? base : "/tmp");
    return CHECK(mkdtemp(temp_dir) != NULL);
}

static void temp_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", temp_dir, name);
}

/* Number of entries in the temporary folder (not counting . and ..). */
static int temp_entries(void)
{
    DIR *d = opendir(temp_dir);
    struct dirent *e;
    int count = 0;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) count += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return count;
}

static void remove_temp_dir(void)
{
    DIR *d = opendir(temp_dir);
    struct dirent *e;
    char path[1024];
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", temp_dir, e->d_name);
        if (unlink(path) != 0) rmdir(path);
    }
    closedir(d);
    rmdir(temp_dir);
}

static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long size;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = (size_t)size;
    return buf;
}

static int write_file(const char *path, const unsigned char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return 0;
    ok = fwrite(bytes, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

static void test_save_load(void)
{
    linreg_model *m = rich_model(LINREG_SOLVER_EXACT), *gd = rich_model(LINREG_SOLVER_SGD), *out = NULL;
    linreg_model *junk = (linreg_model *)&out;
    char path[1024], other[1024];
    unsigned char *bytes = NULL, *file = NULL;
    size_t n = 0, fn = 0;
    model_state before;
    if (!m || !gd || !make_temp_dir()) goto done;
    temp_path(path, sizeof path, "model.lrm");

    fixture_snapshot(m, &before);
    if (CHECK_STATUS(linreg_save(m, path), LINREG_OK)) {
        CHECK_UNCHANGED(m, &before);
        CHECK_INT(temp_entries(), 1); /* no temporary file left behind */
        bytes = serialize(m, &n);
        file = read_file(path, &fn);
        CHECK(bytes && file && fn == n && memcmp(bytes, file, n) == 0); /* the serialized bytes */
        if (CHECK_STATUS(linreg_load(path, &out), LINREG_OK)) check_same_model(out, m);
        linreg_free(out);
        out = NULL;
    }
    /* Saving over an existing file replaces it. */
    if (CHECK_STATUS(linreg_save(gd, path), LINREG_OK)) {
        CHECK_INT(temp_entries(), 1);
        if (CHECK_STATUS(linreg_load(path, &out), LINREG_OK)) check_same_model(out, gd);
        linreg_free(out);
        out = NULL;
    }

    /* Arguments. */
    CHECK_STATUS(linreg_save(NULL, path), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_save(m, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_save(m, ""), LINREG_E_ARGUMENT);
    out = junk;
    CHECK_STATUS(linreg_load(NULL, &out), LINREG_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(linreg_load(path, NULL), LINREG_E_ARGUMENT);
    out = junk;
    {
        int s = linreg_load("", &out);
        CHECK(s == LINREG_E_ARGUMENT || s == LINREG_E_IO);
        CHECK(out == NULL);
    }

    /* The operating system says no: LINREG_E_IO with a message. */
    temp_path(other, sizeof other, "no-such-folder/model.lrm");
    CHECK_STATUS(linreg_save(m, other), LINREG_E_IO);
    CHECK(strlen(linreg_last_error()) > 0);
    CHECK_INT(temp_entries(), 1);
    out = junk;
    temp_path(other, sizeof other, "missing.lrm");
    CHECK_STATUS(linreg_load(other, &out), LINREG_E_IO);
    CHECK(strlen(linreg_last_error()) > 0);
    CHECK(out == NULL);
    out = junk;
    CHECK_STATUS(linreg_load(temp_dir, &out), LINREG_E_IO); /* a folder */
    CHECK(out == NULL);
    CHECK_STATUS(linreg_save(m, temp_dir), LINREG_E_IO); /* cannot replace a folder */
    {
        /* Not a regular file: refused, and it must not read forever. */
        int s;
        out = junk;
        s = linreg_load("/dev/zero", &out);
        CHECK(s == LINREG_E_IO || s == LINREG_E_FORMAT);
        CHECK(out == NULL);
    }

    /* A damaged file: LINREG_E_FORMAT. */
    if (file && fn > 10) {
        temp_path(other, sizeof other, "truncated.lrm");
        CHECK(write_file(other, file, fn - 1));
        out = junk;
        CHECK_STATUS(linreg_load(other, &out), LINREG_E_FORMAT);
        CHECK(out == NULL);
        temp_path(other, sizeof other, "empty.lrm");
        CHECK(write_file(other, file, 0));
        CHECK_STATUS(linreg_load(other, &out), LINREG_E_FORMAT);
        temp_path(other, sizeof other, "text.lrm");
        CHECK(write_file(other, (const unsigned char *)"TV,Radio,Newspaper,Sales\n", 25));
        CHECK_STATUS(linreg_load(other, &out), LINREG_E_FORMAT);
    }
done:
    if (temp_dir[0]) remove_temp_dir();
    free(bytes);
    free(file);
    linreg_free(m);
    linreg_free(gd);
}

/* ------------------------------------------------------------------- names */
/* The names section of FORMAT.md (version 2), written here: u64 count, then
 * count x (u32 length, bytes), for the features then the targets. */
static size_t put_names(unsigned char *p, const char *const *names, int count)
{
    size_t at = 8;
    int i;
    put_le(p, names ? (uint64_t)count : 0, 8);
    for (i = 0; names && i < count; i++) {
        size_t len = strlen(names[i]);
        put_le(p + at, len, 4);
        memcpy(p + at + 4, names[i], len);
        at += 4 + len;
    }
    return at;
}

/* name `index` of m read with the size query, compared with `expected`. */
static void check_name(const linreg_model *m, int target, int64_t index, const char *expected)
{
    linreg_status (*get)(const linreg_model *, int64_t, char *, int64_t, int64_t *) =
        target ? linreg_get_target_name : linreg_get_feature_name;
    int64_t len = -1, len2 = -1;
    char *buf;
    if (!CHECK_STATUS(get(m, index, NULL, 0, &len), LINREG_OK)) return;
    CHECK_INT(len, (int64_t)strlen(expected));
    buf = malloc((size_t)len + 1);
    if (!CHECK(buf != NULL)) return;
    memset(buf, 'Z', (size_t)len + 1);
    if (CHECK_STATUS(get(m, index, buf, len + 1, &len2), LINREG_OK)) {
        CHECK_INT(len2, len);
        CHECK_STR(buf, expected);
    }
    free(buf);
}

static const char *const FEATURES[SMALL_D] = {"TV", "", "caf\xc3\xa9 \xe2\x82\xac"}; /* "café €" in UTF-8 */
static const char *const TARGETS[SMALL_K] = {"sales", "profit"};

static void test_names(void)
{
    linreg_model *m = fixture_model(SMALL_D, SMALL_K), *copy = NULL, *junk = NULL;
    char buf[64], path[1024], long_name[4098];
    const char *bad[SMALL_D] = {"a", "b", "c"};
    int64_t len = -1;
    unsigned char *bytes = NULL;
    size_t n = 0;
    int i;
    model_state before;
    if (!m) return;

    /* No names yet. */
    CHECK_STATUS(linreg_get_feature_name(m, 0, NULL, 0, &len), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_get_target_name(m, 1, buf, sizeof buf, &len), LINREG_E_UNAVAILABLE);
    CHECK_STATUS(linreg_set_names(m, FEATURES, TARGETS), LINREG_OK);
    for (i = 0; i < SMALL_D; i++) check_name(m, 0, i, FEATURES[i]);
    for (i = 0; i < SMALL_K; i++) check_name(m, 1, i, TARGETS[i]);
    CHECK_INT(strlen(FEATURES[2]), 9);

    /* Kept by a fit and set_weights. */
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    CHECK_STATUS(linreg_set_weights(m, SMALL_W0, SMALL_B0), LINREG_OK);
    CHECK_STATUS(linreg_fit_f64(m, SMALL_X, SMALL_Y, SMALL_N), LINREG_OK);
    check_name(m, 0, 2, FEATURES[2]);
    check_name(m, 1, 1, TARGETS[1]);

    /* Buffer too small: refused, length still reported, nothing written. */
    memset(buf, 'Z', sizeof buf);
    CHECK_STATUS(linreg_get_target_name(m, 0, buf, 5, &len), LINREG_E_ARGUMENT); /* "sales" needs 6 */
    CHECK_INT(len, 5);
    CHECK(buf[0] == 'Z');
    CHECK_STATUS(linreg_get_target_name(m, 0, buf, 6, &len), LINREG_OK);
    CHECK_STR(buf, "sales");
    CHECK_STATUS(linreg_get_feature_name(m, 1, buf, 1, &len), LINREG_OK); /* the empty name */
    CHECK_INT(len, 0);
    CHECK_STR(buf, "");

    /* Bad arguments. */
    CHECK_STATUS(linreg_get_feature_name(NULL, 0, buf, sizeof buf, &len), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_feature_name(m, 0, buf, sizeof buf, NULL), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_feature_name(m, -1, buf, sizeof buf, &len), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_feature_name(m, SMALL_D, buf, sizeof buf, &len), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_target_name(m, SMALL_K, buf, sizeof buf, &len), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_feature_name(m, 0, buf, -1, &len), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_get_feature_name(m, 0, NULL, 4, &len), LINREG_E_ARGUMENT);
    CHECK_STATUS(linreg_set_names(NULL, FEATURES, TARGETS), LINREG_E_ARGUMENT);
    fixture_snapshot(m, &before);
    bad[1] = NULL;
    CHECK_STATUS(linreg_set_names(m, bad, NULL), LINREG_E_ARGUMENT);
    CHECK_CONTAINS(linreg_last_error(), "feature_names[1]");
    bad[1] = "\xc3\x28"; /* invalid UTF-8 */
    CHECK_STATUS(linreg_set_names(m, bad, NULL), LINREG_E_ARGUMENT);
    bad[1] = "\xed\xa0\x80"; /* a surrogate */
    CHECK_STATUS(linreg_set_names(m, bad, NULL), LINREG_E_ARGUMENT);
    memset(long_name, 'x', 4097);
    long_name[4097] = 0;
    bad[1] = long_name;
    CHECK_STATUS(linreg_set_names(m, bad, NULL), LINREG_E_ARGUMENT); /* 4097 bytes */
    CHECK_STATUS(linreg_set_names(m, FEATURES, bad), LINREG_E_ARGUMENT); /* good features, bad targets */
    CHECK_UNCHANGED(m, &before);
    check_name(m, 0, 0, "TV"); /* a failed call changes no name */
    check_name(m, 1, 0, "sales");
    long_name[4096] = 0; /* 4096 bytes: allowed */
    CHECK_STATUS(linreg_set_names(m, bad, TARGETS), LINREG_OK);
    check_name(m, 0, 1, long_name);
    CHECK_STATUS(linreg_set_names(m, FEATURES, TARGETS), LINREG_OK);

    /* Saved, loaded, read back; predictions equal. */
    if (make_temp_dir()) {
        temp_path(path, sizeof path, "named.lrm");
        if (CHECK_STATUS(linreg_save(m, path), LINREG_OK) && CHECK_STATUS(linreg_load(path, &copy), LINREG_OK)) {
            check_same_model(copy, m);
            for (i = 0; i < SMALL_D; i++) check_name(copy, 0, i, FEATURES[i]);
            for (i = 0; i < SMALL_K; i++) check_name(copy, 1, i, TARGETS[i]);
        }
        linreg_free(copy);
        copy = NULL;
        remove_temp_dir();
    }

    /* The last section of the bytes is the names section as FORMAT.md lays it out. */
    bytes = serialize(m, &n);
    if (bytes) {
        unsigned char expected[128];
        size_t len6 = put_names(expected + 12, FEATURES, SMALL_D);
        len6 += put_names(expected + 12 + len6, TARGETS, SMALL_K);
        put_le(expected, 6, 4);
        put_le(expected + 4, len6, 8);
        CHECK_INT(get_le(bytes + 8, 4), 3);
        CHECK(n > 12 + len6 + 4 && memcmp(bytes + n - 4 - 12 - len6, expected, 12 + len6) == 0);
    }

    /* NULL removes one kind of names only. */
    CHECK_STATUS(linreg_set_names(m, NULL, TARGETS), LINREG_OK);
    CHECK_STATUS(linreg_get_feature_name(m, 0, NULL, 0, &len), LINREG_E_UNAVAILABLE);
    check_name(m, 1, 1, "profit");
    {
        size_t n2 = 0;
        unsigned char *only_targets = serialize(m, &n2);
        if (only_targets && CHECK_STATUS(linreg_deserialize(only_targets, (int64_t)n2, &copy), LINREG_OK)) {
            CHECK_STATUS(linreg_get_feature_name(copy, 0, NULL, 0, &len), LINREG_E_UNAVAILABLE);
            check_name(copy, 1, 0, "sales");
        }
        linreg_free(copy);
        copy = NULL;
        free(only_targets);
    }

    /* A names section with a name that is not UTF-8 (valid checksum): LINREG_E_FORMAT. */
    if (bytes) {
        size_t name_at = n - 4 - 12 - 0; /* find "TV" in the names section */
        size_t at;
        for (at = 0; at + 2 <= n; at++) {
            if (memcmp(bytes + at, "TV", 2) == 0) name_at = at;
        }
        bytes[name_at] = 0xFF;
        fix_crc(bytes, n);
        junk = (linreg_model *)&junk;
        CHECK_STATUS(linreg_deserialize(bytes, (int64_t)n, &junk), LINREG_E_FORMAT);
        CHECK(junk == NULL);
        /* and a version-1 header on a file with a names section */
        bytes[name_at] = 'T';
        put_le(bytes + 8, 1, 4);
        fix_crc(bytes, n);
        CHECK_STATUS(linreg_deserialize(bytes, (int64_t)n, &junk), LINREG_E_FORMAT);
        put_le(bytes + 8, 2, 4);
        fix_crc(bytes, n);
        if (CHECK_STATUS(linreg_deserialize(bytes, (int64_t)n, &copy), LINREG_OK)) check_name(copy, 0, 0, "TV");
        linreg_free(copy);
    }
    free(bytes);
    linreg_free(m);
}

const check_group PERSISTENCE_GROUPS[] = {
    {"serialize_round_trip", test_serialize_round_trip},
    {"serialize_arguments", test_serialize_arguments},
    {"format_layout", test_format_layout},
    {"format_independent_writer", test_format_independent_writer},
    {"hostile_bytes", test_hostile_bytes},
    {"save_load", test_save_load},
    {"names", test_names},
};
const size_t PERSISTENCE_GROUP_COUNT = COUNT(PERSISTENCE_GROUPS);
