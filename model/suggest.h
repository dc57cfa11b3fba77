/* suggest.h - "did you mean" for mistyped names: commands, pipeline steps,
 * keys, step scores.
 *
 * suggest_distance() is the optimal-string-alignment edit distance (insert,
 * delete, substitute, swap two neighbours: "vnrom" is 1 from "vnorm"),
 * ASCII case ignored.  suggest_near() picks the candidate closest to word
 * when it is close enough to be a typo: at most 1 edit for words of up to 4
 * bytes, 2 up to 8, 3 beyond, and fewer edits than the word has bytes.
 * Nothing is allocated; the result points into cands.  Nothing here prints.
 */
#ifndef AS_SUGGEST_H
#define AS_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b; SIZE_MAX when either is longer than 255 bytes. */
size_t suggest_distance(const char *a, const char *b);
/* The nearest of cands[0..n) (n may be SIZE_MAX for a NULL-terminated list)
 * within the typo bound above, the first on ties; NULL when none is, or when
 * word equals one of them. */
const char *suggest_near(const char *word, const char *const *cands, size_t n);

#endif
