/* scan.h - the loader's streaming pass over the JSON text.
 *
 * The scanner reads the whole input once and splits it in two:
 *  - blobs: long base64 string values (optionally "b64:" / "b64.gz:"
 *    prefixed) decoded straight into memory, and the number lists that are
 *    values of "__ndarray__" keys parsed straight into doubles;
 *  - the skeleton: the remaining JSON text, where each blob is replaced by a
 *    placeholder string and each bare NaN / Infinity / -Infinity literal by a
 *    marker string, so that jansson (which rejects those literals) can parse
 *    it.  Line breaks are kept, so jansson's line numbers are the file's.
 *
 * Placeholders are "\u0000B<nonce>:<index>" with a random per-scan nonce, so
 * no string of the file can pass for one; markers are "\u0000NaN",
 * "\u0000Infinity", "\u0000-Infinity" (see attr_json_nonfinite()).
 *
 * Ownership: scan_run() fills a caller-owned as_scan; scan_free() releases
 * the skeleton and every blob not taken.  A blob's data may be taken over by
 * setting its pointer to NULL after moving it (tensor_wrap()).
 */
#ifndef AS_SCAN_H
#define AS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "source.h"
#include "tensor.h"

enum as_blob_kind {
    BLOB_BASE64 = 0,  /* plain base64 string (v0.7 safetensors blob) */
    BLOB_B64,         /* "b64:" prefixed: raw numpy bytes */
    BLOB_B64GZ,       /* "b64.gz:" prefixed: gzip stream of raw numpy bytes */
    BLOB_NUMS,        /* a number list under "__ndarray__" */
};

typedef struct as_blob {
    int kind;
    uint8_t *data;          /* decoded bytes (base64 kinds), counted by as_mem_* */
    size_t len, cap;
    double *nums;           /* BLOB_NUMS values, row-major, counted by as_mem_* */
    size_t nnums, nums_cap;
    int ndim;               /* BLOB_NUMS nesting depth and shape */
    size_t shape[AS_MAX_DIMS];
    bool all_int;           /* every BLOB_NUMS number was written as an integer */
    bool skimmed;           /* skim scan: only the start of the data was kept */
    bool taken;             /* data handed over to a tensor */
    uint64_t chars;         /* base64 characters of the value (skim) */
    uint64_t skim_total;    /* decoded length of the whole value (skim) */
    size_t line;            /* line of the file where the value starts */
} as_blob;

typedef struct as_scan {
    as_buf skel;            /* the skeleton JSON text, NUL-terminated once
                               scanned; counted against the memory limit */
    as_blob *blobs;
    size_t nblobs, blobs_cap;
    uint64_t nonce;
} as_scan;

typedef void (*scan_progress_fn)(void *ud, uint64_t done, uint64_t total);

/* Scans everything src delivers.  On error, err says "line N: what".
 * With skim, base64 values keep only what describes them (the safetensors
 * header) and number lists are skipped: enough for tokens and shapes. */
int scan_run(as_source *src, as_scan *out, bool skim, scan_progress_fn progress, void *ud,
             as_error *err);

/* Placeholders of one kind ('B' for the blobs of this file, 'L' for the
 * token lists of toklist.h) with this scan's nonce.  scan_placeholder_json()
 * writes the JSON text of placeholder idx (quotes included, at most
 * SCAN_PLACEHOLDER_MAX bytes with its NUL) and returns its length;
 * scan_placeholder_kind() tells whether a decoded string (bytes s, length
 * n) is one with an index below limit, and sets *idx. */
#define SCAN_PLACEHOLDER_MAX 64
int scan_placeholder_json(const as_scan *sc, char kind, size_t idx, char *buf, size_t cap);
bool scan_placeholder_kind(const as_scan *sc, char kind, const char *s, size_t n, size_t limit,
                           size_t *idx);
/* When the string (bytes s, length n) is a blob placeholder of this scan,
 * sets *idx and returns true. */
bool scan_placeholder(const as_scan *sc, const char *s, size_t n, size_t *idx);

/* When the string (bytes s, length n) is the placeholder of a base64 blob
 * that kept its data, the blob's original text (as scan_blob_text(), *idx
 * its index); NULL otherwise or out of memory.  For a long string that is
 * text after all (a token, a class name). */
char *scan_placeholder_text(const as_scan *sc, const char *s, size_t n, size_t *idx,
                            size_t *len);

/* The original text of a base64 blob (prefix included), for a long string
 * that turned out not to be a tensor.  Returns a malloc'd string. */
char *scan_blob_text(const as_blob *b, size_t *len);

void scan_blob_free(as_blob *b);
void scan_free(as_scan *sc);

#endif
