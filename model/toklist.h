/* toklist.h - the token lists of a skeleton, read without jansson.
 *
 * A file with many tokens is mostly token objects
 * ({"__instance_type__": [...], "attributes": {"id": 5, "token": "x"}}),
 * which cost jansson about a kilobyte each as a tree.  Before the skeleton
 * is parsed, toklists_collapse() reads every well-formed token list where
 * the loader looks for one (the source and target of a sequence, the
 * source, prefix and target lists of a step) straight into as_tokens, and
 * puts a placeholder string "\u0000L<nonce>:<index>" in its place, followed
 * by the list's line breaks so that line numbers stay the file's.
 *
 * A token string that the scanner kept as a blob (long and base64-looking)
 * reads as its original text, as the loader puts it back.  A list that is
 * anything but plain (an unknown key, a duplicate key, an id that is not an
 * integer, an escape the reader does not take...) is left as it is, for the
 * loader's own checks and messages.
 */
#ifndef AS_TOKLIST_H
#define AS_TOKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "scan.h"

typedef struct tl_edit {
    size_t pos;     /* skeleton offset just after the placeholder's line breaks */
    size_t line;    /* line (1-based) where the list ended */
    long cols;      /* columns the text after it moved left on that line */
} tl_edit;

typedef struct as_toklists {
    as_tokens *v;   /* the lists read, by placeholder index; taken by setting .v NULL */
    size_t n, cap;
    tl_edit *edits;
    size_t nedits, edits_cap;
} as_toklists;

/* Makes sc's skeleton fit jansson in one walk: every string it passes has
 * the escapes jansson refuses rewritten (lone surrogates, NUL in keys; see
 * toklist.c) and, with lists, the token lists are read and replaced (the
 * skeleton only shrinks).  Returns AS_OK, or AS_ENOMEM with err set. */
int toklists_collapse(as_scan *sc, as_toklists *out, bool lists, as_error *err);

/* When the string (bytes s, length n) is a placeholder of this scan, sets
 * *idx and returns true. */
bool toklists_placeholder(const as_scan *sc, const as_toklists *tl, const char *s, size_t n,
                          size_t *idx);

/* The column of the file for a column jansson gave on the collapsed
 * skeleton at byte position pos of line line. */
int toklists_file_column(const as_toklists *tl, int line, int column, size_t pos);

void toklists_free(as_toklists *tl);

#endif
