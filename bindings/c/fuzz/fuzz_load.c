/*
 * fuzz_load.c -- model deserialization (linreg_deserialize) on arbitrary bytes.
 *
 * The first input byte selects a mode; the rest is the candidate model:
 *   bit 0 set   "repair" the container first: rewrite the body-length field
 *               and the CRC-32 trailer to match the bytes, so mutations reach
 *               the section parser instead of stopping at the checksum;
 *   bit 1 set   also exercise a loaded model: predict, statistics, partial_fit.
 *
 * Invariants: deserialization either succeeds or fails with a known status and
 * a message (LINREG_E_FORMAT for bad bytes; never LINREG_E_INTERNAL); it never
 * reads outside the buffer (the buffer ends at a PROT_NONE page); a model that
 * loads re-serializes to bytes that load again and serialize identically
 * (encode(decode(encode(m))) == encode(m)); nothing leaks (ASan).
 */
#include "fuzz_common.h"

static uint32_t crc32_ieee(const uint8_t *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
}

static void put_le(uint8_t *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Header: 8 magic, u32 version, u32 flags, u64 body length; trailer: u32 CRC. */
static void repair(uint8_t *p, size_t n) {
    if (n < 28) return;
    put_le(p + 16, (uint64_t)(n - 28), 8);
    put_le(p + n - 4, crc32_ieee(p, n - 4), 4);
}

static void exercise(linreg_model *m) {
    int64_t d = 0, k = 0;
    FZ_CALL(linreg_get_shape(m, &d, &k));
    if (d < 1 || k < 1) FZ_FAIL("loaded model has shape %lld x %lld", (long long)d, (long long)k);
    if (d > 64 || k > 8) return; /* keep each input cheap */
    double X[3 * 64], Y[3 * 8], out[8 * 65];
    for (int i = 0; i < 3 * 64; i++) X[i] = (double)(i % 7) - 3.0;
    for (int i = 0; i < 3 * 8; i++) Y[i] = (double)(i % 5);
    linreg_status st = FZ_CALL(linreg_predict_f64(m, X, 3, out));
    if (st == LINREG_OK) {
        for (int i = 0; i < 3 * k; i++)
            if (!isfinite(out[i])) FZ_FAIL("predict returned %g with LINREG_OK", out[i]);
    }
    for (int key = 1; key <= 14; key++) FZ_CALL(linreg_get_stat(m, (linreg_stat)key, out));
    for (int key = 1; key <= 5; key++) FZ_CALL(linreg_get_coef_stats(m, (linreg_coef_stat)key, out));
    int64_t count = 0;
    FZ_CALL(linreg_loss_history(m, NULL, 0, &count));
    FZ_CALL(linreg_singular_values(m, NULL, 0, &count));
    /* names: the size query, then the copy; a stored name is valid UTF-8 without NUL, <= 4096 bytes */
    for (int target = 0; target < 2; target++) {
        int64_t n = target ? k : d;
        for (int64_t i = 0; i < n; i++) {
            char name[4097];
            int64_t len = -1;
            linreg_status ns = target ? FZ_CALL(linreg_get_target_name(m, i, NULL, 0, &len))
                                      : FZ_CALL(linreg_get_feature_name(m, i, NULL, 0, &len));
            if (ns == LINREG_E_UNAVAILABLE) break;
            if (ns != LINREG_OK || len < 0 || len > 4096) FZ_FAIL("name %lld: status %d, length %lld", (long long)i, (int)ns, (long long)len);
            ns = target ? FZ_CALL(linreg_get_target_name(m, i, name, sizeof name, &len))
                        : FZ_CALL(linreg_get_feature_name(m, i, name, sizeof name, &len));
            if (ns != LINREG_OK || (int64_t)strlen(name) != len) FZ_FAIL("name %lld read back wrong", (long long)i);
        }
    }
    FZ_CALL(linreg_set_param(m, LINREG_PARAM_EPOCHS, 3));
    FZ_CALL(linreg_partial_fit_f64(m, X, Y, 3));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t mode = data[0];
    size_t n = size - 1;
    uint8_t *buf = gbuf_alloc(n ? n : 1);
    if (n) memcpy(buf, data + 1, n);
    if (mode & 1) repair(buf, n);

    linreg_model *m = (linreg_model *)0x1;
    linreg_status st = FZ_CALL(linreg_deserialize(buf, (int64_t)n, &m));
    if (st != LINREG_OK) {
        if (m != NULL) FZ_FAIL("failed deserialize left *out = %p", (void *)m);
        if (st != LINREG_E_FORMAT && st != LINREG_E_NOMEM)
            FZ_FAIL("deserialize of bad bytes returned %d: %s", (int)st, linreg_last_error());
        gbuf_free(buf, n ? n : 1);
        return 0;
    }

    /* A model that loads must round-trip: encode(decode(encode(m))) == encode(m). */
    int64_t size1 = 0, size2 = 0;
    FZ_CALL(linreg_serialize(m, NULL, 0, &size1));
    uint8_t *first = gbuf_alloc((size_t)size1);
    if (FZ_CALL(linreg_serialize(m, first, size1, &size1)) != LINREG_OK) FZ_FAIL("serialize failed");
    linreg_model *again = NULL;
    if (FZ_CALL(linreg_deserialize(first, size1, &again)) != LINREG_OK)
        FZ_FAIL("re-serialized model does not load: %s", linreg_last_error());
    FZ_CALL(linreg_serialize(again, NULL, 0, &size2));
    if (size2 != size1) FZ_FAIL("round trip changed the size: %lld -> %lld", (long long)size1, (long long)size2);
    uint8_t *second = gbuf_alloc((size_t)size2);
    FZ_CALL(linreg_serialize(again, second, size2, &size2));
    if (memcmp(first, second, (size_t)size1) != 0) FZ_FAIL("round trip changed the bytes");

    if (mode & 2) exercise(m);

    gbuf_free(first, (size_t)size1);
    gbuf_free(second, (size_t)size2);
    linreg_free(again);
    linreg_free(m);
    gbuf_free(buf, n ? n : 1);
    return 0;
}
