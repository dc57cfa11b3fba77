/* pyjson.h - a streaming JSON writer whose bytes equal Python's
 *
 *     json.dump(obj, fp, indent=4, sort_keys=True, ensure_ascii=True, allow_nan=True)
 *
 * which is how inseq writes its files:
 *   - every value in a non-empty container starts on its own line, indented
 *     by 4 spaces per level; items are separated by "," and the newline,
 *     keys by ": "; empty containers are "[]" and "{}"; no final newline;
 *   - strings are pure ASCII: `"` `\` and \b \f \n \r \t get their short
 *     escapes, every other character outside 0x20..0x7E becomes \uXXXX with
 *     lowercase hex (characters past U+FFFF as a surrogate pair).  Input is
 *     UTF-8; the byte pair C0 80 is U+0000 (attr.h) and a three-byte encoded
 *     surrogate (ED A0..BF xx) stands for itself, as Python strings may hold
 *     lone surrogates.  Any other invalid byte is written as \ufffd;
 *   - floats as Python's repr(float) (shortest text that reads back to the
 *     same double, exponent form below 1e-4 and from 1e16 on: "1e-05",
 *     "0.0001", "123456789012345.0", "1e+16"), integers as integers, and the
 *     bare literals NaN, Infinity, -Infinity.
 *
 * The writer never sorts on its own except in pj_json(): callers emit keys in
 * sorted order (code point order, which strcmp gives for UTF-8 except for the
 * C0 80 pair; pj_keycmp() handles that too).
 *
 * Output goes to a buffer owned by the caller.  When it fills up the writer
 * calls flush(ud, w): the sink must consume w->buf[0 .. w->len), set w->len
 * to 0 and may swap w->buf for another buffer of the same capacity (w->cap);
 * it returns 0, or an as_status code after recording its own error.  Errors
 * are sticky: after the first one every call does nothing and pj_status()
 * returns the code.  A writer made by pj_init_mem() grows its own buffer
 * instead; pj_mem_take() hands the bytes to the caller (free()).
 *
 * Call order: pj_init / pj_init_mem, then values (a key before each value
 * inside an object), then pj_flush (file sinks) or pj_mem_take, and
 * pj_mem_free for a memory writer that was not taken.
 */
#ifndef AS_PYJSON_H
#define AS_PYJSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define PJ_MAX_DEPTH 2048

typedef struct pj_writer pj_writer;
typedef int (*pj_flush_fn)(void *ud, pj_writer *w);

struct pj_writer {
    char *buf;                 /* output so far: buf[0 .. len) */
    size_t len, cap;
    pj_flush_fn flush;         /* NULL for a memory writer */
    void *ud;
    int status;                /* first error (enum as_status), 0 while fine */
    int depth;                 /* open containers */
    bool after_key;            /* a key was written, its value comes next */
    unsigned char has_items[PJ_MAX_DEPTH / 8];
};

/* A writer into buf (cap bytes, at least 64). */
void pj_init(pj_writer *w, char *buf, size_t cap, pj_flush_fn flush, void *ud);
/* A writer into a growing malloc'd buffer; returns AS_ENOMEM on failure. */
int pj_init_mem(pj_writer *w);
/* The bytes written so far (NUL-terminated, *len excludes the NUL), now the
 * caller's to free(); NULL on an earlier error. The writer is left empty. */
char *pj_mem_take(pj_writer *w, size_t *len);
void pj_mem_free(pj_writer *w);

void pj_begin_object(pj_writer *w);
void pj_end_object(pj_writer *w);
void pj_begin_array(pj_writer *w);
void pj_end_array(pj_writer *w);
void pj_key(pj_writer *w, const char *key);

void pj_null(pj_writer *w);
void pj_bool(pj_writer *w, bool v);
void pj_int(pj_writer *w, long long v);
void pj_double(pj_writer *w, double v);
void pj_string(pj_writer *w, const char *s);
void pj_string_n(pj_writer *w, const char *s, size_t n);
/* Any jansson value, objects with sorted keys.  Strings that are the
 * non-finite markers of attr.h ("\0NaN", ...) become bare literals; a real
 * prints as a float ("1.0"), an integer as an integer ("1"). */
void pj_json(pj_writer *w, const json_t *v);

/* A string value written in pieces by the caller, for bulk text that needs no
 * escaping (base64): pj_string_open, then any number of pj_raw or
 * pj_reserve + pj_commit, then pj_string_close. */
void pj_string_open(pj_writer *w);
void pj_raw(pj_writer *w, const char *s, size_t n);
/* Room for at least min bytes (min <= cap / 2) at the end of the buffer,
 * flushing first if needed; *avail gets the room there is. NULL on error. */
char *pj_reserve(pj_writer *w, size_t min, size_t *avail);
void pj_commit(pj_writer *w, size_t n);
void pj_string_close(pj_writer *w);

/* Hands any buffered bytes to the sink. Returns pj_status(). */
int pj_flush(pj_writer *w);
int pj_status(const pj_writer *w);

/* Python's repr(float) of v (shortest round-trip digits, "1e-05",
 * "5.960464477539063e-08", "123.0") into out, NUL-terminated; returns its
 * length (at most 24).  The non-finite as json.dumps writes them (NaN,
 * Infinity, -Infinity); pj_repr_float writes them as repr() does (nan, inf,
 * -inf).  The one formatter of Python floats in the project. */
size_t pj_repr_double(double v, char out[32]);
size_t pj_repr_float(double v, char out[32]);
/* Compares UTF-8 keys in code point order (C0 80 as U+0000). */
int pj_keycmp(const char *a, const char *b);

#endif
