/* pipecomplete.h - completion of pipeline strings for the pipeline editor.
 *
 * pcomp_run() decides what the word under the cursor can be (a step name, a
 * function after "STEP:", a key of the step not given yet, a value of a key
 * with a closed set of values), from the language's lists in pipeline.h,
 * and gives the candidates with what an editor needs: the one-line help of
 * each (pipe_help), their common prefix, the text that follows a chosen
 * candidate; pcomp_apply() replaces the word in the line.  Inside a quoted
 * value there is nothing to complete.
 *
 * Everything is by value: a pcomp holds pointers to static strings only and
 * needs no freeing.  Nothing here prints.
 */
#ifndef AS_PIPECOMPLETE_H
#define AS_PIPECOMPLETE_H

#include <stddef.h>

#define PCOMP_MAX 64

typedef enum pcomp_kind {
    PCOMP_NONE = 0,    /* nothing to complete here */
    PCOMP_STEP,
    PCOMP_FN,
    PCOMP_KEY,
    PCOMP_VALUE,
} pcomp_kind;

typedef struct pcomp {
    pcomp_kind kind;
    size_t start, end;          /* the word being completed: line[start, end) */
    char step[64];              /* the segment's step name ("" when none yet) */
    char key[64];               /* PCOMP_VALUE: the key */
    const char *cand[PCOMP_MAX];/* candidates starting with the word */
    const char *help[PCOMP_MAX];/* one line each, may be "" */
    size_t ncand;
    size_t common;              /* length of the candidates' common prefix */
    const char *suffix;         /* what follows a chosen candidate: " " or "=" */
} pcomp;

/* Completes at byte offset cursor (<= strlen(line)). */
void pcomp_run(const char *line, size_t cursor, pcomp *out);

/* Recomputes `common` after a caller changed the candidates (e.g. offered
 * sequence numbers for pair's with=). */
void pcomp_common(pcomp *c);

/* Replaces the word with candidate i plus the suffix, or with the common
 * prefix when i < 0 (plus the suffix if there is one candidate).  line is a
 * buffer of size n; returns the new cursor.  Leaves line alone if the
 * result would not fit. */
size_t pcomp_apply(const pcomp *c, int i, char *line, size_t n);

#endif
