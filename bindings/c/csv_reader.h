/*
 * csv_reader.h -- load a small, all-numeric CSV table with a header row.
 *
 * Accepted format (what R's write.csv produces, e.g. the ISLR Advertising
 * file): a header line of column names, then one line per row, fields
 * separated by commas. Any field may be double-quoted ("" inside quotes is a
 * literal quote). Lines end in LF or CRLF; the last line may lack its end.
 * A UTF-8 byte order mark before the header is skipped. Empty lines are
 * allowed only at the end of the file. Every data field, once unquoted, must
 * be a complete finite decimal number (strtod syntax, surrounding blanks
 * allowed), so an unnamed quoted index column such as "1","2",... is read
 * as numbers too.
 *
 * Errors are reported with the file name and the 1-based line number, e.g.
 *   "data.csv:7: expected 5 fields, found 4".
 */
#ifndef LINREG_C_CSV_READER_H
#define LINREG_C_CSV_READER_H

#include <stddef.h>

typedef enum csv_status {
    CSV_OK = 0,
    CSV_E_OPEN = 1,   /* the file could not be opened or read */
    CSV_E_FORMAT = 2, /* malformed content; the message names the line */
    CSV_E_NOMEM = 3   /* an allocation failed */
} csv_status;

typedef struct csv_table {
    size_t n_rows;  /* data rows (the header is not counted) */
    size_t n_cols;  /* fields per line */
    char **names;   /* n_cols unquoted header names */
    double *values; /* n_rows * n_cols values, row-major */
} csv_table;

/* Read the CSV file at path into *table. On failure *table is left empty
 * (safe to pass to csv_free) and a one-line explanation is written to
 * message (message_size bytes, always NUL-terminated when message_size > 0). */
csv_status csv_read(const char *path, csv_table *table, char *message, size_t message_size);

/* Index of the column whose name equals name ignoring ASCII case, or -1. */
long csv_find_column(const csv_table *table, const char *name);

/* The value at (row, col); both must be in range. */
double csv_value(const csv_table *table, size_t row, size_t col);

/* Release everything csv_read allocated and empty *table. NULL is ignored. */
void csv_free(csv_table *table);

#endif /* LINREG_C_CSV_READER_H */
