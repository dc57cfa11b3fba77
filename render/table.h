/* table.h - the CSV and JSON writers of attribution tables, shared by
 * `attrscope export` (.csv, .json) and the explorer's `e` export.
 *
 * CSV is tidy (RFC 4180, CRLF line ends), one value per line:
 *
 *   sequence,kind,attributed_index,attributed_token,generated_index,generated_token,value
 *
 * kind is "source", "target" or "step:NAME" (attributed_index and _token
 * empty); when a view shows an extra dimension beside the generated tokens
 * (the explorer's show-dim), a column "sub_index" comes before value.
 * Values are the shortest text that reads back as the same float32, NaN,
 * Infinity or -Infinity.
 *
 * Text from a file is written so that nothing in it acts on what reads the
 * output: control characters, DEL, C1 controls, bidi controls and invalid
 * UTF-8 are escaped as the terminal shows them (\x1b, \u202e; NUL, stored
 * as the pair C0 80, as \0), and a CSV field starting with = + - @ TAB or
 * CR gets a leading single quote so that spreadsheets read it as text, not
 * a formula (OWASP's advice against CSV injection) unless TABLE_CSV_RAW is
 * given.  JSON strings are ASCII with \uXXXX escapes: NUL as \u0000, invalid
 * UTF-8 and lone surrogates as U+FFFD, DEL as \u007f, so every label is
 * there and lines up with its values.
 *
 * Nothing here prints except to the FILE it is given; write errors are
 * left in the stream (ferror) for the caller, which writes through
 * model/atomic.c.
 */
#ifndef AS_TABLE_H
#define AS_TABLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum {
    TABLE_CSV_RAW = 1u << 0,   /* no quote before = + - @ TAB CR */
    TABLE_CSV_SUB = 1u << 1,   /* the sub_index column */
};

typedef struct table_row {
    size_t sequence;
    const char *kind;             /* "source", "target", "step:NAME" */
    long attributed_index;        /* -1: empty (step rows) */
    const char *attributed_token; /* NULL: empty */
    size_t generated_index;
    const char *generated_token;
    long sub_index;               /* with TABLE_CSV_SUB; -1: empty */
    float value;
} table_row;

/* The shortest text that reads back as the same float32 ("0.1", "1e-05",
 * "NaN", "Infinity"); returns its length. */
int table_fmt_f32(char *buf, size_t cap, float v);

void table_csv_header(FILE *f, unsigned flags);
void table_csv_row(FILE *f, const table_row *r, unsigned flags);
/* One field: escaped, neutralised (unless TABLE_CSV_RAW), quoted if needed. */
void table_csv_field(FILE *f, const char *text, unsigned flags);

/* A JSON string of text from a file (see above), as a jansson value (never
 * NULL: "" when out of memory) or written to f. */
json_t *table_json_text(const char *s);
void table_json_string(FILE *f, const char *s);
/* A float32 as a JSON number, null when not finite. */
void table_json_num(FILE *f, float v);
/* json_dumps with DEL escaped too (jansson keeps it raw); -1 on failure. */
int table_json_dump(FILE *f, const json_t *j, size_t flags);

#endif
