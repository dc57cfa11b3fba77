/* agg_regex.c - the split aggregator's spans: a Python regular expression
 * matched with PCRE2 over the concatenated token text, matches mapped to
 * token spans as inseq's StringSplitAggregator does.  What differs from
 * Python's `re` is listed in agg.h. */
#include "agg_impl.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Backtracking bounds: a pattern that needs more fails with a message
 * instead of running for minutes ("(a+)+$" over a long run of a's). */
#define AGG_REGEX_MATCH_LIMIT 10000000u
#define AGG_REGEX_DEPTH_LIMIT 100000u
#define AGG_REGEX_HEAP_LIMIT (64u * 1024u) /* KiB */

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_hex(s[i]))
            return false;
    return true;
}

char *agg_regex_translate(const char *py, size_t **map)
{
    size_t n = strlen(py);
    /* the longest growth is \v -> \x0b (2 -> 4 bytes) */
    char *out = malloc(2 * n + 1);
    size_t *pos = map ? malloc((2 * n + 1) * sizeof *pos) : NULL;
    if (!out || (map && !pos)) {
        free(out);
        free(pos);
        return NULL;
    }
    size_t o = 0;
    bool in_class = false, class_start = false;
#define EMIT(str, at)                                                                            \
    do {                                                                                         \
        for (const char *e_ = (str); *e_; e_++) {                                                \
            if (pos)                                                                             \
                pos[o] = (at);                                                                   \
            out[o++] = *e_;                                                                      \
        }                                                                                        \
    } while (0)
    for (size_t i = 0; i < n;) {
        char c = py[i];
        char one[2] = {c, 0};
        bool was_start = class_start;
        class_start = false;
        if (c == '\\' && i + 1 < n) {
            char e = py[i + 1];
            char buf[16];
            if (e == 'v') { /* Python: the vertical tab only */
                EMIT("\\x0b", i);
                i += 2;
            } else if (e == 'Z' && !in_class) { /* Python: the very end */
                EMIT("\\z", i);
                i += 2;
            } else if (e == 'u' && i + 6 <= n && all_hex(py + i + 2, 4)) {
                snprintf(buf, sizeof buf, "\\x{%.4s}", py + i + 2);
                EMIT(buf, i);
                i += 6;
            } else if (e == 'U' && i + 10 <= n && all_hex(py + i + 2, 8)) {
                snprintf(buf, sizeof buf, "\\x{%.8s}", py + i + 2);
                EMIT(buf, i);
                i += 10;
            } else {
                char two[3] = {c, e, 0};
                EMIT(two, i);
                i += 2;
            }
            continue;
        }
        if (in_class) {
            if (c == ']' && !was_start)
                in_class = false;
            else if (c == '^' && was_start && py[i - 1] == '[')
                class_start = true; /* "[^]" : the ']' after '^' is literal */
            EMIT(one, i);
            i++;
            continue;
        }
        if (c == '[') {
            in_class = class_start = true;
        } else if (c == '{' && py[i + 1] == ',') { /* Python: {,n} is {0,n} */
            size_t k = i + 2;
            while (py[k] >= '0' && py[k] <= '9')
                k++;
            if (k > i + 2 && py[k] == '}') {
                EMIT("{0", i);
                i++;
                continue;
            }
        }
        EMIT(one, i);
        i++;
    }
#undef EMIT
    out[o] = 0;
    if (pos)
        pos[o] = n;
    if (map)
        *map = pos;
    return out;
}

/* The compiled pattern with its match data and limits. */
typedef struct agg_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mc;
} agg_regex;

static void regex_free(agg_regex *r)
{
    pcre2_match_data_free(r->md);
    pcre2_match_context_free(r->mc);
    pcre2_code_free(r->code);
}

static int regex_compile(agg_regex *r, const char *pattern, as_error *err)
{
    *r = (agg_regex){0};
    size_t *map = NULL;
    char *pat = agg_regex_translate(pattern, &map);
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!pat || !cc) {
        free(pat);
        free(map);
        pcre2_compile_context_free(cc);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    int ec;
    PCRE2_SIZE eo;
    r->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                            PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &ec, &eo, cc);
    pcre2_compile_context_free(cc);
    if (!r->code) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(ec, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", ec);
        size_t at = eo <= strlen(pat) ? map[eo] : strlen(pattern);
        free(pat);
        free(map);
        return as_error_set(err, AS_EUSAGE, "split_pattern '%s': %s at position %zu", pattern,
                            (const char *)msg, at);
    }
    free(pat);
    free(map);
    /* No JIT: token texts are short, and JIT code needs executable memory
     * (and confuses valgrind). */
    r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
    r->mc = pcre2_match_context_create(NULL);
    if (!r->md || !r->mc) {
        regex_free(r);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    pcre2_set_match_limit(r->mc, AGG_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(r->mc, AGG_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(r->mc, AGG_REGEX_HEAP_LIMIT);
    return AS_OK;
}

/* Next match in text[0, len) searching from off, as Python's finditer: after
 * an empty match (must_advance) a match may not be empty at off again.
 * 1 with [*s, *e), 0 when none, -1 with *rc and err set. */
static int regex_next(agg_regex *r, const char *pattern, const char *text, size_t len, size_t off,
                      bool must_advance, size_t *s, size_t *e, int *ret, as_error *err)
{
    int rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, off,
                         must_advance ? PCRE2_NOTEMPTY_ATSTART : 0, r->md, r->mc);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
            rc == PCRE2_ERROR_HEAPLIMIT)
        {
            *ret = as_error_set(err, AS_EUSAGE,
                                "split_pattern '%s': matching needs too much backtracking "
                                "(searching from byte %zu of the %zu bytes of token text); simplify "
                                "the pattern",
                                pattern, off, len);
            return -1;
        }
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", rc);
        *ret = as_error_set(err, AS_EUSAGE, "split_pattern '%s': %s", pattern, (const char *)msg);
        return -1;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    *s = ov[0];
    *e = ov[1];
    return 1;
}

/* Index of the token whose byte range holds position p (ts <= p < te), or
 * with ts < p <= te when `end` is set; -1 when none.  The ranges are
 * consecutive (ts[i + 1] == te[i]), so this is the first token with
 * te > p (te >= p when `end`), found by bisection. */
static long token_at(const size_t *ts, const size_t *te, size_t n, size_t p, bool end)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (end ? te[mid] >= p : te[mid] > p)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo == n)
        return -1;
    return (end ? ts[lo] < p : ts[lo] <= p) ? (long)lo : -1;
}

int agg_split_spans(const as_tokens *toks, const char *pattern, as_split_mode mode, as_span **out,
                    size_t *nout, as_error *err)
{
    *out = NULL;
    *nout = 0;
    agg_regex re;
    int ret = regex_compile(&re, pattern, err);
    if (ret)
        return ret;
    size_t n = toks->n, total = 0;
    size_t *ts = calloc(n + 1, sizeof *ts), *te = calloc(n + 1, sizeof *te);
    as_span *mt = NULL, *agg = NULL, *res = NULL;
    bool *matched = NULL;
    char *text = NULL;
    size_t nm = 0;
    if (!ts || !te)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        ts[i] = total;
        total += strlen(toks->v[i].text);
        te[i] = total;
    }
    if (!(text = malloc(total + 1)))
        goto nomem;
    for (size_t i = 0, p = 0; i < n; i++) {
        size_t l = te[i] - ts[i];
        memcpy(text + p, toks->v[i].text, l);
        p += l;
    }
    text[total] = 0;
    /* Matches as token spans (empty matches are skipped). */
    size_t cap = 16;
    if (!(mt = malloc(cap * sizeof *mt)))
        goto nomem;
    bool must_advance = false;
    for (size_t off = 0; off <= total;) {
        size_t s, e;
        int found = regex_next(&re, pattern, text, total, off, must_advance, &s, &e, &ret, err);
        if (found < 0)
            goto done;
        if (!found)
            break;
        off = e > s ? e : s;
        must_advance = e <= s;
        if (e <= s)
            continue;
        long a = token_at(ts, te, n, s, false), b = token_at(ts, te, n, e, true);
        if (a < 0 || b < 0)
            continue;
        as_span sp = {a, b + 1};
        /* Matches come in text order, so a repeated span repeats the last. */
        if (nm && mt[nm - 1].start == sp.start && mt[nm - 1].end == sp.end)
            continue;
        if (nm == cap) {
            as_span *nmt = realloc(mt, (cap *= 2) * sizeof *mt);
            if (!nmt)
                goto nomem;
            mt = nmt;
        }
        mt[nm++] = sp;
    }
    if (!nm)
        goto done;
    /* Split overlapping token spans (matches sharing a token). */
    {
        as_span *no = malloc(2 * nm * sizeof *no);
        size_t nn = 0;
        if (!no)
            goto nomem;
        for (size_t i = 0; i < nm; i++) {
            long s = mt[i].start, e = mt[i].end, cs = s, ce = e;
            if (i + 1 < nm && e > mt[i + 1].start)
                ce = mt[i + 1].start;
            if (i > 0 && s < no[nn - 1].end)
                cs = no[nn - 1].end;
            no[nn++] = (as_span){cs, ce};
            if (ce != e && e < mt[i + 1].end)
                no[nn++] = (as_span){ce, e};
        }
        free(mt);
        mt = no;
        nm = nn;
    }
    /* Fill the gaps. */
    agg = malloc((2 * nm + 2) * sizeof *agg);
    matched = malloc((2 * nm + 2) * sizeof *matched);
    size_t na = 0;
    if (!agg || !matched)
        goto nomem;
    if (mt[0].start != 0) {
        agg[na] = (as_span){0, mt[0].start};
        matched[na++] = false;
    }
    for (size_t i = 0; i + 1 < nm; i++) {
        agg[na] = mt[i];
        matched[na++] = true;
        if (mt[i].end != mt[i + 1].start) {
            agg[na] = (as_span){mt[i].end, mt[i + 1].start};
            matched[na++] = false;
        }
    }
    agg[na] = mt[nm - 1];
    matched[na++] = true;
    if (mt[nm - 1].end != (long)n) {
        agg[na] = (as_span){mt[nm - 1].end, (long)n};
        matched[na++] = false;
    }
    if (!(res = malloc((na + 1) * sizeof *res)))
        goto nomem;
    size_t nr = 0;
    if (mode == AS_SPLIT_SINGLE) {
        memcpy(res, agg, na * sizeof *res);
        nr = na;
    } else {
        long cur = 0;
        for (size_t i = 0; i < na; i++) {
            if (!matched[i])
                continue;
            if (mode == AS_SPLIT_START && agg[i].start != cur) {
                res[nr++] = (as_span){cur, agg[i].start};
                cur = agg[i].start;
            } else if (mode == AS_SPLIT_END) {
                res[nr++] = (as_span){cur, agg[i].end};
                cur = agg[i].end;
            }
        }
        if (cur != agg[na - 1].end)
            res[nr++] = (as_span){cur, agg[na - 1].end};
    }
    /* Drop empty spans (inseq would fail on them). */
    size_t w = 0;
    for (size_t i = 0; i < nr; i++)
        if (res[i].end > res[i].start && (w == 0 || res[i].start >= res[w - 1].end))
            res[w++] = res[i];
    *out = res;
    *nout = w;
    res = NULL;
    goto done;
nomem:
    ret = as_error_set(err, AS_ENOMEM, "out of memory");
done:
    regex_free(&re);
    free(ts);
    free(te);
    free(text);
    free(mt);
    free(agg);
    free(matched);
    free(res);
    return ret;
}
