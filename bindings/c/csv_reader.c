/* csv_reader.c -- see csv_reader.h for the accepted format. */
#include "csv_reader.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte string, always NUL-terminated when data != NULL. */
typedef struct text {
    char *data;
    size_t len, cap;
} text;

static int text_push(text *t, char c)
{
    if (t->len + 1 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char *data = realloc(t->data, cap);
        if (!data) return 0;
        t->data = data;
        t->cap = cap;
    }
    t->data[t->len++] = c;
    t->data[t->len] = '\0';
    return 1;
}

/* State shared by the parsing steps of one csv_read call. */
typedef struct reader {
    const char *path;
    char *message;
    size_t message_size;
} reader;

static csv_status fail(const reader *r, csv_status status, size_t line, const char *format, ...)
{
    if (r->message && r->message_size > 0) {
        int used = line ? snprintf(r->message, r->message_size, "%s:%lu: ", r->path, (unsigned long)line)
                        : snprintf(r->message, r->message_size, "%s: ", r->path);
        if (used >= 0 && (size_t)used < r->message_size) {
            va_list args;
            va_start(args, format);
            vsnprintf(r->message + used, r->message_size - (size_t)used, format, args);
            va_end(args);
        }
    }
    return status;
}

/* Reads the whole file into a NUL-terminated buffer. */
static csv_status slurp(const reader *r, char **contents, size_t *length)
{
    FILE *f = fopen(r->path, "rb");
    char *data = NULL;
    size_t len = 0, cap = 0;
    csv_status status = CSV_OK;
    if (!f) return fail(r, CSV_E_OPEN, 0, "cannot open the file: %s", strerror(errno));
    for (;;) {
        size_t got;
        if (cap - len < 4096 + 1) {
            size_t new_cap = cap ? cap * 2 : 8192;
            char *grown = new_cap > cap ? realloc(data, new_cap) : NULL;
            if (!grown) {
                status = fail(r, CSV_E_NOMEM, 0, "out of memory reading the file");
                break;
            }
            data = grown;
            cap = new_cap;
        }
        errno = 0;
        got = fread(data + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) status = fail(r, CSV_E_OPEN, 0, "cannot read the file: %s",
                                         errno ? strerror(errno) : "read error");
            break;
        }
    }
    fclose(f);
    if (status != CSV_OK) {
        free(data);
        return status;
    }
    data[len] = '\0';
    *contents = data;
    *length = len;
    return CSV_OK;
}

/* Parses the field starting at line[*pos] into field (unquoted). On success
 * *pos is at the ',' that ends the field or at len. Returns NULL or the
 * reason the line is malformed. */
static const char *next_field(const char *line, size_t len, size_t *pos, text *field, int *nomem)
{
    size_t i = *pos;
    if (!field->data && !text_push(field, '\0')) {
        *nomem = 1;
        return "out of memory";
    }
    field->len = 0;
    field->data[0] = '\0';
    if (i < len && line[i] == '"') {
        for (i++;; i++) {
            if (i >= len) return "unterminated quoted field";
            if (line[i] == '"') {
                if (i + 1 < len && line[i + 1] == '"') {
                    i++;
                } else {
                    i++;
                    break;
                }
            }
            if (!text_push(field, line[i])) {
                *nomem = 1;
                return "out of memory";
            }
        }
        if (i < len && line[i] != ',') return "unexpected character after a closing quote";
    } else {
        for (; i < len && line[i] != ','; i++) {
            if (line[i] == '"') return "quote inside an unquoted field";
            if (!text_push(field, line[i])) {
                *nomem = 1;
                return "out of memory";
            }
        }
    }
    *pos = i;
    return NULL;
}

/* Parses a whole field as a finite number. */
static int parse_number(const text *field, double *value)
{
    char *end;
    const char *s = field->data;
    size_t i;
    for (i = 0; i < field->len && isspace((unsigned char)s[i]); i++) {
    }
    if (i == field->len) return 0;
    errno = 0;
    *value = strtod(s + i, &end);
    if (end == s + i) return 0;
    while ((size_t)(end - s) < field->len && (*end == ' ' || *end == '\t')) end++;
    return (size_t)(end - s) == field->len && isfinite(*value);
}

static void free_names(char **names, size_t count)
{
    size_t i;
    if (!names) return;
    for (i = 0; i < count; i++) free(names[i]);
    free(names);
}

/* Splits one line (without its line end) into its fields. The header line
 * (names != NULL) grows *names; data lines append n_cols values to *values. */
static csv_status parse_line(const reader *r, size_t line_no, const char *line, size_t len, csv_table *t,
                             int header, size_t *values_cap, text *field)
{
    size_t pos = 0, count = 0;
    if (memchr(line, '\0', len)) return fail(r, CSV_E_FORMAT, line_no, "NUL byte in the line");
    for (;;) {
        int nomem = 0;
        const char *why = next_field(line, len, &pos, field, &nomem);
        if (nomem) return fail(r, CSV_E_NOMEM, line_no, "out of memory");
        if (why) return fail(r, CSV_E_FORMAT, line_no, "%s (field %lu)", why, (unsigned long)(count + 1));
        if (header) {
            char **names = realloc(t->names, (count + 1) * sizeof *names);
            if (!names) return fail(r, CSV_E_NOMEM, line_no, "out of memory");
            t->names = names;
            names[count] = malloc(field->len + 1);
            if (!names[count]) return fail(r, CSV_E_NOMEM, line_no, "out of memory");
            memcpy(names[count], field->data, field->len + 1);
            t->n_cols = count + 1;
        } else {
            double value;
            if (count >= t->n_cols) {
                /* Count the rest of the line for the message. */
                size_t total = count + 1, i;
                for (i = pos; i < len; i++) total += line[i] == ',';
                return fail(r, CSV_E_FORMAT, line_no, "expected %lu fields, found %lu", (unsigned long)t->n_cols,
                            (unsigned long)total);
            }
            if (!parse_number(field, &value)) {
                return fail(r, CSV_E_FORMAT, line_no, "field %lu (\"%s\") is not a finite number: \"%.40s\"",
                            (unsigned long)(count + 1), t->names[count], field->data);
            }
            if (t->n_rows * t->n_cols + count >= *values_cap) {
                size_t cap = *values_cap ? *values_cap * 2 : 1024;
                double *values = cap > *values_cap && cap < ((size_t)-1) / sizeof *values
                                     ? realloc(t->values, cap * sizeof *values)
                                     : NULL;
                if (!values) return fail(r, CSV_E_NOMEM, line_no, "out of memory");
                t->values = values;
                *values_cap = cap;
            }
            t->values[t->n_rows * t->n_cols + count] = value;
        }
        count++;
        if (pos >= len) break;
        pos++; /* the comma */
    }
    if (!header && count != t->n_cols) {
        return fail(r, CSV_E_FORMAT, line_no, "expected %lu fields, found %lu", (unsigned long)t->n_cols,
                    (unsigned long)count);
    }
    if (!header) t->n_rows++;
    return CSV_OK;
}

csv_status csv_read(const char *path, csv_table *table, char *message, size_t message_size)
{
    reader r;
    char *contents = NULL;
    size_t length = 0, start = 0, line_no = 0, blank_line = 0, values_cap = 0;
    text field = {NULL, 0, 0};
    csv_status status;
    csv_table t = {0, 0, NULL, NULL};

    r.path = path ? path : "(null)";
    r.message = message;
    r.message_size = message_size;
    if (message && message_size > 0) message[0] = '\0';
    if (!table) return fail(&r, CSV_E_OPEN, 0, "no table to read into");
    memset(table, 0, sizeof *table);
    if (!path) return fail(&r, CSV_E_OPEN, 0, "no path given");

    status = slurp(&r, &contents, &length);
    if (status != CSV_OK) return status;
    if (length >= 3 && memcmp(contents, "\xEF\xBB\xBF", 3) == 0) start = 3;

    while (status == CSV_OK && start < length) {
        const char *line = contents + start;
        const char *nl = memchr(line, '\n', length - start);
        size_t len = nl ? (size_t)(nl - line) : length - start;
        start += len + (nl ? 1 : 0);
        line_no++;
        if (len > 0 && line[len - 1] == '\r') len--;
        if (len == 0) {
            if (line_no == 1) status = fail(&r, CSV_E_FORMAT, line_no, "empty header line");
            if (!blank_line) blank_line = line_no;
            continue;
        }
        if (blank_line) {
            status = fail(&r, CSV_E_FORMAT, blank_line, "empty line before the end of the file");
            break;
        }
        status = parse_line(&r, line_no, line, len, &t, line_no == 1, &values_cap, &field);
    }
    if (status == CSV_OK && line_no == 0) status = fail(&r, CSV_E_FORMAT, 0, "empty file (no header line)");
    if (status == CSV_OK && t.n_rows == 0) status = fail(&r, CSV_E_FORMAT, 0, "no data rows after the header");

    free(field.data);
    free(contents);
    if (status != CSV_OK) {
        free_names(t.names, t.n_cols);
        free(t.values);
        return status;
    }
    *table = t;
    return CSV_OK;
}

long csv_find_column(const csv_table *table, const char *name)
{
    size_t i;
    if (!table || !name) return -1;
    for (i = 0; i < table->n_cols; i++) {
        const char *a = table->names[i], *b = name;
        while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
            a++;
            b++;
        }
        if (*a == '\0' && *b == '\0') return (long)i;
    }
    return -1;
}

double csv_value(const csv_table *table, size_t row, size_t col)
{
    return table->values[row * table->n_cols + col];
}

void csv_free(csv_table *table)
{
    if (!table) return;
    free_names(table->names, table->n_cols);
    free(table->values);
    memset(table, 0, sizeof *table);
}
