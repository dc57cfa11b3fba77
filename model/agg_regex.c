/* agg_regex.c - the split aggregator's spans: Python regular expressions
 * translated to POSIX extended ones, matched over the concatenated token
 * text, matches mapped to token spans as inseq's StringSplitAggregator does.
 * The supported syntax and the differences are listed in agg.h. */
#include "agg_impl.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rbuf {
    char *s;
    size_t n, cap;
} rbuf;

static bool rb_add(rbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            return false;
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
    return true;
}

static bool rb_str(rbuf *b, const char *s) { return rb_add(b, s, strlen(s)); }

/* Translates the bracket expression starting at py[*i] == '['. */
static int translate_bracket(const char *py, size_t *i, rbuf *out, as_error *err)
{
    size_t start = *i;
    size_t k = start + 1;
    bool neg = false, has_rbracket = false, has_dash = false, has_caret = false;
    rbuf body = {0};
    bool ok = true;
    if (py[k] == '^') {
        neg = true;
        k++;
    }
    bool first = true;
    for (;;) {
        char c = py[k];
        if (!c) {
            free(body.s);
            return as_error_set(err, AS_EUSAGE,
                                "split_pattern: unterminated character set starting at "
                                "position %zu",
                                start);
        }
        if (c == ']' && !first)
            break;
        first = false;
        if (c == '\\') {
            char e = py[k + 1];
            k += 2;
            switch (e) {
            case 'd': ok = rb_str(&body, "[:digit:]"); break;
            case 's': ok = rb_str(&body, "[:space:]"); break;
            case 'w': ok = rb_str(&body, "[:alnum:]_"); break;
            case 'n': ok = rb_str(&body, "\n"); break;
            case 't': ok = rb_str(&body, "\t"); break;
            case 'r': ok = rb_str(&body, "\r"); break;
            case 'f': ok = rb_str(&body, "\f"); break;
            case 'v': ok = rb_str(&body, "\v"); break;
            case ']': has_rbracket = true; break;
            case '-': has_dash = true; break;
            case '^': has_caret = true; break;
            case '\\': ok = rb_str(&body, "\\"); break;
            case 0:
                free(body.s);
                return as_error_set(err, AS_EUSAGE, "split_pattern: pattern ends with '\\'");
            case 'D': case 'S': case 'W':
                free(body.s);
                return as_error_set(err, AS_EUSAGE,
                                    "split_pattern: \\%c inside [...] is not supported", e);
            default:
                if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
                    free(body.s);
                    return as_error_set(err, AS_EUSAGE,
                                        "split_pattern: escape \\%c inside [...] is not "
                                        "supported", e);
                }
                ok = rb_add(&body, &e, 1);
            }
            if (!ok)
                break;
            continue;
        }
        if (c == ']') {
            has_rbracket = true;
            k++;
            continue;
        }
        if (c == '^') {
            has_caret = true;
            k++;
            continue;
        }
        if (c == '-') {
            /* a range a-z keeps its dash; a leading/trailing dash is literal */
            bool range = body.n > 0 && py[k + 1] && py[k + 1] != ']' &&
                         body.s[body.n - 1] != ']' && body.s[body.n - 1] != ':';
            if (range) {
                ok = rb_add(&body, "-", 1);
                k++;
                if (py[k] == '\\') {
                    char e = py[k + 1];
                    if (!e || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
                        free(body.s);
                        return as_error_set(err, AS_EUSAGE,
                                            "split_pattern: unsupported range end in [...]");
                    }
                    ok = ok && rb_add(&body, &e, 1);
                    k += 2;
                } else {
                    ok = ok && rb_add(&body, py + k, 1);
                    k++;
                }
            } else {
                has_dash = true;
                k++;
            }
            if (!ok)
                break;
            continue;
        }
        if (c == '[' && py[k + 1] == ':') {
            /* a POSIX class passes through */
            const char *end = strstr(py + k + 2, ":]");
            if (end) {
                ok = rb_add(&body, py + k, (size_t)(end + 2 - (py + k)));
                k = (size_t)(end + 2 - py);
                if (!ok)
                    break;
                continue;
            }
        }
        ok = rb_add(&body, &c, 1);
        k++;
        if (!ok)
            break;
    }
    if (ok) {
        if (!body.n && !has_rbracket && !has_dash && !has_caret) {
            free(body.s);
            return as_error_set(err, AS_EUSAGE, "split_pattern: empty character set at "
                                "position %zu", start);
        }
        if (!body.n && !has_rbracket && has_caret) {
            /* only '^' (and maybe '-'): "[^]" would read as a negation */
            if (!neg && !has_dash)
                ok = rb_str(out, "\\^");
            else {
                ok = rb_str(out, neg ? "[^" : "[");
                ok = ok && (!has_dash || rb_str(out, "-"));
                ok = ok && rb_str(out, "^]");
            }
        } else {
            ok = rb_str(out, neg ? "[^" : "[");
            ok = ok && (!has_rbracket || rb_str(out, "]"));
            ok = ok && (!body.n || rb_add(out, body.s, body.n));
            ok = ok && (!has_caret || rb_str(out, "^"));
            ok = ok && (!has_dash || rb_str(out, "-"));
            ok = ok && rb_str(out, "]");
        }
    }
    free(body.s);
    if (!ok)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    *i = k + 1;
    return AS_OK;
}

/* glibc's matcher copies a repeated subexpression once per count ("x{3}" is
 * "xxx", "x+" is "xx*", "x{0,3}" three optional copies), and compiling and
 * matching slow down (and grow in memory) with the number of copies:
 * "(a{0,100}){0,100}" takes minutes over a few thousand characters and
 * "a" followed by 25 "+" gigabytes.  Patterns whose copies exceed this bound
 * are refused; a repetition of a repetition ("a++", "a*{2}") is refused as
 * Python's re does ("multiple repeat"). */
#define RE_MAX_COPIES 1000

/* Length of the bracket expression at ere[i] == '['. */
static size_t ere_bracket_len(const char *ere, size_t i)
{
    size_t j = i + 1;
    if (ere[j] == '^')
        j++;
    if (ere[j] == ']')
        j++;
    while (ere[j] && ere[j] != ']') {
        if (ere[j] == '[' && (ere[j + 1] == ':' || ere[j + 1] == '.' || ere[j + 1] == '=')) {
            char close[3] = {ere[j + 1], ']', 0};
            const char *e = strstr(ere + j + 2, close);
            if (e) {
                j = (size_t)(e + 2 - ere);
                continue;
            }
        }
        j++;
    }
    return (ere[j] ? j + 1 : j) - i;
}

/* When ere[i] starts an interval {m}, {m,}, {m,n} or {,n}: its length and
 * the number of copies it makes. */
static size_t ere_interval(const char *ere, size_t i, double *copies)
{
    size_t j = i + 1;
    double m = 0, n = -1;
    bool digits = false;
    while (ere[j] >= '0' && ere[j] <= '9') {
        m = m * 10 + (ere[j++] - '0');
        digits = true;
    }
    if (ere[j] == ',') {
        j++;
        if (ere[j] >= '0' && ere[j] <= '9') {
            n = 0;
            while (ere[j] >= '0' && ere[j] <= '9')
                n = n * 10 + (ere[j++] - '0');
            digits = true;
        } else {
            n = -2; /* {m,}: m copies and a star */
        }
    }
    if (!digits || ere[j] != '}')
        return 0;
    *copies = n == -1 ? m : n == -2 ? m + 1 : (n > m ? n : m);
    if (*copies < 1)
        *copies = 1;
    return j + 1 - i;
}

/* Checks the size of a translated pattern (see RE_MAX_COPIES). */
static int ere_check(const char *ere, const char *py, as_error *err)
{
    size_t len = strlen(ere), d = 0;
    double *total = calloc(len + 1, sizeof *total), *last = calloc(len + 1, sizeof *last);
    if (!total || !last) {
        free(total);
        free(last);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    bool after_repeat = false;
    int rc = AS_OK;
    for (size_t i = 0; i < len && !rc;) {
        char c = ere[i];
        double copies = 0;
        size_t q = 0;
        if (c == '*' || c == '?')
            q = 1, copies = 1;
        else if (c == '+')
            q = 1, copies = 2;
        else if (c == '{')
            q = ere_interval(ere, i, &copies);
        if (q) {
            if (after_repeat)
                rc = as_error_set(err, AS_EUSAGE,
                                  "split_pattern '%s': multiple repeat ('%.*s' repeats a "
                                  "repetition)", py, (int)q, ere + i);
            total[d] += last[d] * (copies - 1);
            last[d] *= copies;
            after_repeat = true;
            i += q;
            continue;
        }
        after_repeat = false;
        if (c == '(') {
            d++;
            total[d] = last[d] = 0;
            i++;
            continue;
        }
        if (c == ')' && d > 0) {
            double g = total[d] + 1;
            d--;
            total[d] += g;
            last[d] = g;
            i++;
            continue;
        }
        if (c == '|') {
            last[d] = 0;
            i++;
            continue;
        }
        size_t n = 1;
        if (c == '[')
            n = ere_bracket_len(ere, i);
        else if (c == '\\' && ere[i + 1])
            n = 2;
        else
            while (i + n < len && ((unsigned char)ere[i + n] & 0xC0) == 0x80)
                n++;
        total[d] += 1;
        last[d] = 1;
        i += n;
    }
    while (d > 0) {
        total[d - 1] += total[d] + 1;
        d--;
    }
    if (!rc && total[0] > RE_MAX_COPIES)
        rc = as_error_set(err, AS_EUSAGE,
                          "split_pattern '%s' is too complex: its repetitions make about %.0f "
                          "copies of its parts (at most %d)", py, total[0], RE_MAX_COPIES);
    free(total);
    free(last);
    return rc;
}

char *agg_regex_translate(const char *py, as_error *err)
{
    rbuf out = {0};
    size_t i = 0;
    bool ok = rb_str(&out, "");
    while (ok && py[i]) {
        char c = py[i];
        if (c == '[') {
            if (translate_bracket(py, &i, &out, err)) {
                free(out.s);
                return NULL;
            }
            continue;
        }
        if (c == '\\') {
            char e = py[i + 1];
            i += 2;
            switch (e) {
            case 'd': ok = rb_str(&out, "[0-9]"); break;
            case 'D': ok = rb_str(&out, "[^0-9]"); break;
            case 's': case 'S': case 'w': case 'W': case 'b': case 'B': {
                char tmp[3] = {'\\', e, 0};
                ok = rb_str(&out, tmp);
                break;
            }
            case 'n': ok = rb_str(&out, "\n"); break;
            case 't': ok = rb_str(&out, "\t"); break;
            case 'r': ok = rb_str(&out, "\r"); break;
            case 'f': ok = rb_str(&out, "\f"); break;
            case 'v': ok = rb_str(&out, "\v"); break;
            case 0:
                free(out.s);
                as_error_set(err, AS_EUSAGE, "split_pattern: pattern ends with '\\'");
                return NULL;
            default:
                if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
                    free(out.s);
                    as_error_set(err, AS_EUSAGE,
                                 "split_pattern: escape \\%c is not supported by POSIX regular "
                                 "expressions", e);
                    return NULL;
                }
                {
                    char tmp[3] = {'\\', e, 0};
                    ok = rb_str(&out, tmp);
                }
            }
            continue;
        }
        if (c == '(' && py[i + 1] == '?') {
            if (py[i + 2] == ':') {
                ok = rb_str(&out, "(");
                i += 3;
                continue;
            }
            free(out.s);
            as_error_set(err, AS_EUSAGE,
                         "split_pattern: '(?%c' (lookaround, named group or inline flag) is not "
                         "supported by POSIX regular expressions", py[i + 2] ? py[i + 2] : ' ');
            return NULL;
        }
        if ((c == '*' || c == '+' || c == '?' || c == '}') && py[i + 1] == '?') {
            free(out.s);
            as_error_set(err, AS_EUSAGE,
                         "split_pattern: lazy quantifier '%c?' is not supported by POSIX regular "
                         "expressions (matches are leftmost-longest)", c);
            return NULL;
        }
        ok = rb_add(&out, &c, 1);
        i++;
    }
    if (!ok) {
        free(out.s);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    if (ere_check(out.s, py, err)) {
        free(out.s);
        return NULL;
    }
    return out.s;
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
    char *posix = agg_regex_translate(pattern, err);
    if (!posix)
        return err ? err->code : AS_EUSAGE;
    regex_t re;
    int rc = regcomp(&re, posix, REG_EXTENDED);
    free(posix);
    if (rc) {
        char msg[256];
        regerror(rc, &re, msg, sizeof msg);
        return as_error_set(err, AS_EUSAGE, "split_pattern '%s': %s", pattern, msg);
    }
    size_t n = toks->n, total = 0;
    size_t *ts = calloc(n + 1, sizeof *ts), *te = calloc(n + 1, sizeof *te);
    as_span *mt = NULL, *agg = NULL, *res = NULL;
    bool *matched = NULL;
    char *text = NULL;
    size_t nm = 0;
    int ret = AS_OK;
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
    for (size_t off = 0; off <= total;) {
        regmatch_t m[1];
        m[0].rm_so = (regoff_t)off;
        m[0].rm_eo = (regoff_t)total;
        if (regexec(&re, text, 1, m, REG_STARTEND))
            break;
        size_t s = (size_t)m[0].rm_so, e = (size_t)m[0].rm_eo;
        if (e <= s) {
            off = s + 1;
            while (off < total && ((unsigned char)text[off] & 0xC0) == 0x80)
                off++;
            continue;
        }
        off = e;
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
    regfree(&re);
    free(ts);
    free(te);
    free(text);
    free(mt);
    free(agg);
    free(matched);
    free(res);
    return ret;
}
