/* summary.c - per-sequence figures and dataset distributions (see summary.h). */
#include "summary.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

/* ---- token table: (side, text) -> mass, count ------------------------- */

typedef struct tok_entry {
    char *text;
    uint64_t hash;
    sum_side side;
    double mass;
    size_t count;
} tok_entry;

typedef struct tok_table {
    tok_entry *v;
    size_t n, cap;
    size_t *slots;   /* index + 1 into v; 0 = empty */
    size_t nslots;   /* power of two */
} tok_table;

static uint64_t tok_hash(const char *s, sum_side side)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)side;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

static void tok_table_free(tok_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static bool tok_rehash(tok_table *t, size_t nslots)
{
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = (size_t)t->v[i].hash & (nslots - 1);
        while (slots[k])
            k = (k + 1) & (nslots - 1);
        slots[k] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return true;
}

/* Adds mass and count to (side, text); false when out of memory. */
static bool tok_add(tok_table *t, const char *text, sum_side side, double mass, size_t count)
{
    if ((t->n + 1) * 2 > t->nslots && !tok_rehash(t, t->nslots ? t->nslots * 2 : 64))
        return false;
    uint64_t h = tok_hash(text, side);
    size_t k = (size_t)h & (t->nslots - 1);
    while (t->slots[k]) {
        tok_entry *e = &t->v[t->slots[k] - 1];
        if (e->hash == h && e->side == side && strcmp(e->text, text) == 0) {
            e->mass += mass;
            e->count += count;
            return true;
        }
        k = (k + 1) & (t->nslots - 1);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        tok_entry *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return false;
        t->v = v;
        t->cap = cap;
    }
    char *copy = strdup(text);
    if (!copy)
        return false;
    t->v[t->n] = (tok_entry){copy, h, side, mass, count};
    t->slots[k] = ++t->n;
    return true;
}

/* ---- parts ---------------------------------------------------------- */

struct sum_part {
    sum_seq *seqs;
    size_t nseqs;
    char **names;          /* step-score names of this part; seq score_mean indexes them */
    size_t nnames;
    tok_table toks;
    double pos[2][SUMMARY_POS_BINS];
    size_t nsteps, nsteps_dist;
    size_t nfailed;
    char *error;
};

static void seq_free(sum_seq *q)
{
    free(q->entropy);   /* src_share lives in the same block */
    free(q->score_mean);
}

void summary_part_free(sum_part *part)
{
    if (!part)
        return;
    for (size_t i = 0; i < part->nseqs; i++)
        seq_free(&part->seqs[i]);
    free(part->seqs);
    for (size_t i = 0; i < part->nnames; i++)
        free(part->names[i]);
    free(part->names);
    tok_table_free(&part->toks);
    free(part->error);
    free(part);
}

sum_part *summary_part_copy(const sum_part *part, as_error *err)
{
    sum_part *c = calloc(1, sizeof *c);
    if (!c)
        goto oom;
    memcpy(c->pos, part->pos, sizeof c->pos);
    c->nsteps = part->nsteps;
    c->nsteps_dist = part->nsteps_dist;
    c->nfailed = part->nfailed;
    if (part->error && !(c->error = strdup(part->error)))
        goto oom;
    if (part->nnames && !(c->names = calloc(part->nnames, sizeof *c->names)))
        goto oom;
    for (; c->nnames < part->nnames; c->nnames++)
        if (!(c->names[c->nnames] = strdup(part->names[c->nnames])))
            goto oom;
    for (size_t i = 0; i < part->toks.n; i++) {
        const tok_entry *e = &part->toks.v[i];
        if (!tok_add(&c->toks, e->text, e->side, e->mass, e->count))
            goto oom;
    }
    if (part->nseqs && !(c->seqs = calloc(part->nseqs, sizeof *c->seqs)))
        goto oom;
    for (; c->nseqs < part->nseqs; c->nseqs++) {
        const sum_seq *q = &part->seqs[c->nseqs];
        sum_seq *d = &c->seqs[c->nseqs];
        *d = *q;
        d->entropy = NULL;
        d->src_share = NULL;
        d->score_mean = NULL;
        if (q->entropy) {
            size_t n = (q->gen_len ? q->gen_len : 1) * (q->encdec ? 2 : 1);
            if (!(d->entropy = malloc(n * sizeof *d->entropy)))
                goto oom;
            memcpy(d->entropy, q->entropy, n * sizeof *d->entropy);
            if (q->src_share)
                d->src_share = d->entropy + (q->src_share - q->entropy);
        }
        if (q->nscores) {
            if (!(d->score_mean = malloc(q->nscores * sizeof *d->score_mean)))
                goto oom;
            memcpy(d->score_mean, q->score_mean, q->nscores * sizeof *d->score_mean);
        }
    }
    return c;
oom:
    if (c) {
        c->nseqs += c->seqs && c->nseqs < part->nseqs;   /* the one being copied */
        summary_part_free(c);
    }
    as_error_set(err, AS_ENOMEM, "out of memory");
    return NULL;
}

const char *summary_part_error(const sum_part *part) { return part->error; }
size_t summary_part_nfailed(const sum_part *part) { return part->nfailed; }

static long part_name(sum_part *part, const char *name)
{
    for (size_t i = 0; i < part->nnames; i++)
        if (strcmp(part->names[i], name) == 0)
            return (long)i;
    char **v = realloc(part->names, (part->nnames + 1) * sizeof *v);
    if (!v)
        return -1;
    part->names = v;
    if (!(v[part->nnames] = strdup(name)))
        return -1;
    return (long)part->nnames++;
}

/* Rows of a 2D attribution tensor with ncols columns, or 0 when absent. */
static size_t rows_of(const as_tensor *t) { return t ? t->shape[0] : 0; }

/* Work buffers reused across the sequences of a part. */
typedef struct work {
    double *colsum;   /* ncols: sum |source|, then ncols: sum |target| */
    double *ent;      /* ncols: sum of -p ln p */
    double *rowmass;  /* rows */
    size_t *rowcount; /* rows */
    size_t cols_cap, rows_cap;
} work;

static bool work_fit(work *w, size_t ncols, size_t nrows)
{
    if (ncols > w->cols_cap) {
        double *c = realloc(w->colsum, 2 * ncols * sizeof *c);
        if (!c)
            return false;
        w->colsum = c;
        double *e = realloc(w->ent, ncols * sizeof *e);
        if (!e)
            return false;
        w->ent = e;
        w->cols_cap = ncols;
    }
    if (nrows > w->rows_cap) {
        double *m = realloc(w->rowmass, nrows * sizeof *m);
        if (!m)
            return false;
        w->rowmass = m;
        size_t *c = realloc(w->rowcount, nrows * sizeof *c);
        if (!c)
            return false;
        w->rowcount = c;
        w->rows_cap = nrows;
    }
    return true;
}

static void work_free(work *w)
{
    free(w->colsum);
    free(w->ent);
    free(w->rowmass);
    free(w->rowcount);
}

/* Sum of |x| per column over the finite entries of a (rows, ncols) tensor. */
static void col_abs_sums(const as_tensor *t, size_t ncols, double *out)
{
    for (size_t j = 0; j < ncols; j++)
        out[j] = 0;
    if (!t)
        return;
    const float *d = t->data;
    for (size_t i = 0; i < t->shape[0]; i++, d += ncols)
        for (size_t j = 0; j < ncols; j++) {
            float x = d[j];
            if (isfinite(x))
                out[j] += fabs((double)x);
        }
}

/* Entropy terms, row masses and position mass of one side. */
static void side_pass(sum_part *part, const as_tensor *t, size_t ncols, const double *total,
                      double *ent, double *rowmass, size_t *rowcount, sum_side side)
{
    if (!t)
        return;
    size_t n = t->shape[0];
    const float *d = t->data;
    for (size_t i = 0; i < n; i++, d += ncols) {
        double m = 0;
        size_t c = 0;
        for (size_t j = 0; j < ncols; j++) {
            float x = d[j];
            if (!isfinite(x) || !(total[j] > 0))
                continue;
            double p = fabs((double)x) / total[j];
            if (p > 0)
                ent[j] -= p * log(p);
            m += p;
            c++;
        }
        rowmass[i] = m;
        rowcount[i] = c;
        part->pos[side][i * SUMMARY_POS_BINS / n] += m;
    }
}

static int seq_compute(sum_part *part, const as_seq *a, const as_seq *orig, work *w,
                       sum_seq *q, as_error *err)
{
    if (agg_check_2d(a, err) != AS_OK)
        return err->code;
    size_t ncols = attr_seq_ncols(a);
    const as_tensor *src = a->source_attr, *tgt = a->target_attr;
    if ((src && src->shape[1] != ncols) || (tgt && tgt->shape[1] != ncols))
        return as_error_set(err, AS_EDATA,
                            "attributions have %zu columns where attr_pos_start..end says %zu",
                            src && src->shape[1] != ncols ? src->shape[1] : tgt->shape[1], ncols);
    size_t ns = rows_of(src), nt = rows_of(tgt);
    if ((src && ns != a->source.n) || (tgt && nt != a->target.n))
        return as_error_set(err, AS_EDATA, "attribution rows do not match the tokens");
    memset(q, 0, sizeof *q);
    q->cls = orig->cls;
    q->src_len = a->source.n;
    q->tgt_len = a->target.n;
    q->gen_len = ncols;
    q->encdec = src != NULL;
    if (!work_fit(w, ncols, ns > nt ? ns : nt))
        return as_error_set(err, AS_ENOMEM, "out of memory");
    q->entropy = malloc((ncols ? ncols : 1) * (q->encdec ? 2 : 1) * sizeof(float));
    if (!q->entropy)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    if (q->encdec)
        q->src_share = q->entropy + ncols;

    double *ssum = w->colsum, *tsum = w->colsum + ncols;
    col_abs_sums(src, ncols, ssum);
    col_abs_sums(tgt, ncols, tsum);
    double *tot = malloc((ncols ? ncols : 1) * sizeof *tot);
    if (!tot) {
        free(q->entropy);
        q->entropy = NULL;
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < ncols; j++) {
        tot[j] = ssum[j] + tsum[j];
        w->ent[j] = 0;
    }
    double *ent = w->ent;
    side_pass(part, src, ncols, tot, ent, w->rowmass, w->rowcount, SUM_SIDE_SOURCE);
    for (size_t i = 0; i < ns; i++)
        if (w->rowcount[i] && !tok_add(&part->toks, a->source.v[i].text, SUM_SIDE_SOURCE,
                                       w->rowmass[i], w->rowcount[i]))
            goto oom;
    side_pass(part, tgt, ncols, tot, ent, w->rowmass, w->rowcount, SUM_SIDE_TARGET);
    for (size_t i = 0; i < nt; i++)
        if (w->rowcount[i] && !tok_add(&part->toks, a->target.v[i].text, SUM_SIDE_TARGET,
                                       w->rowmass[i], w->rowcount[i]))
            goto oom;

    double esum = 0, ssh = 0;
    size_t en = 0;
    for (size_t j = 0; j < ncols; j++) {
        part->nsteps++;
        if (tot[j] > 0) {
            part->nsteps_dist++;
            q->entropy[j] = (float)ent[j];
            esum += ent[j];
            en++;
            if (q->encdec) {
                double sh = ssum[j] / tot[j];
                q->src_share[j] = (float)sh;
                ssh += sh;
            }
        } else {
            q->entropy[j] = NAN;
            if (q->encdec)
                q->src_share[j] = NAN;
        }
    }
    free(tot);
    tot = NULL;
    q->entropy_mean = en ? esum / (double)en : NAN;
    q->src_share_mean = en && q->encdec ? ssh / (double)en : NAN;

    if (a->step_scores.n) {
        for (size_t k = 0; k < a->step_scores.n; k++) {
            long idx = part_name(part, a->step_scores.v[k].name);
            if (idx < 0)
                goto oom;
            if ((size_t)idx >= q->nscores) {
                double *m = realloc(q->score_mean, ((size_t)idx + 1) * sizeof *m);
                if (!m)
                    goto oom;
                for (size_t z = q->nscores; z <= (size_t)idx; z++)
                    m[z] = NAN;
                q->score_mean = m;
                q->nscores = (size_t)idx + 1;
            }
            const as_tensor *t = a->step_scores.v[k].t;
            size_t n = tensor_numel(t), c = 0;
            double s = 0;
            for (size_t z = 0; t->data && z < n; z++)
                if (isfinite(t->data[z])) {
                    s += t->data[z];
                    c++;
                }
            q->score_mean[idx] = c ? s / (double)c : NAN;
        }
    }
    return AS_OK;
oom:
    free(tot);
    seq_free(q);
    memset(q, 0, sizeof *q);
    return as_error_set(err, AS_ENOMEM, "out of memory");
}

sum_part *summary_part_compute(const as_output *o, const as_pipeline *p, as_error *err)
{
    sum_part *part = calloc(1, sizeof *part);
    if (!part || (o->nseqs && !(part->seqs = calloc(o->nseqs, sizeof *part->seqs)))) {
        free(part);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    as_pipeline def = {0};
    if (!p) {
        if (pipe_parse("default", &def, NULL, err) != AS_OK) {
            summary_part_free(part);
            return NULL;
        }
        p = &def;
    }
    work w = {0};
    for (size_t i = 0; i < o->nseqs; i++) {
        as_error e = {0};
        as_seq *a = agg_apply(o, i, p, NULL, &e);
        int rc = a ? seq_compute(part, a, &o->seqs[i], &w, &part->seqs[part->nseqs], &e)
                   : e.code;
        agg_seq_free(a);
        if (rc == AS_ENOMEM) {
            as_error_set(err, AS_ENOMEM, "sequence %zu: %s", i, e.msg);
            summary_part_free(part);
            part = NULL;
            break;
        }
        if (rc != AS_OK) {
            if (!part->error) {
                size_t len = strlen(e.msg) + 40;
                if ((part->error = malloc(len)))
                    snprintf(part->error, len, "sequence %zu: %s", i, e.msg);
            }
            part->nfailed++;
            continue;
        }
        part->seqs[part->nseqs++].local = i;
    }
    work_free(&w);
    if (p == &def)
        pipe_free(&def);
    return part;
}

/* ---- the summary ---------------------------------------------------- */

struct as_summary {
    char **files;
    size_t nfiles, files_cap;
    sum_seq *seqs;
    size_t nseqs, seqs_cap;
    char **names;
    size_t nnames;
    char **colnames;       /* SUM_COL_SCORES + nnames, built lazily */
    size_t ncolnames;
    tok_table toks;
    double pos[2][SUMMARY_POS_BINS];
    size_t nsteps, nsteps_dist;
    size_t nfailed_files, nfailed_seqs;
    char *first_error;
};

as_summary *summary_new(void) { return calloc(1, sizeof(as_summary)); }

static void colnames_free(as_summary *s)
{
    for (size_t i = SUM_COL_SCORES; i < s->ncolnames; i++)
        free(s->colnames[i]);
    free(s->colnames);
    s->colnames = NULL;
    s->ncolnames = 0;
}

void summary_free(as_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    for (size_t i = 0; i < s->nseqs; i++)
        seq_free(&s->seqs[i]);
    free(s->seqs);
    for (size_t i = 0; i < s->nnames; i++)
        free(s->names[i]);
    free(s->names);
    colnames_free(s);
    tok_table_free(&s->toks);
    free(s->first_error);
    free(s);
}

static void note_error(as_summary *s, const char *file, const char *msg)
{
    if (s->first_error || !msg)
        return;
    size_t len = strlen(file) + strlen(msg) + 3;
    if ((s->first_error = malloc(len)))
        snprintf(s->first_error, len, "%s: %s", file, msg);
}

void summary_add_failure(as_summary *s, const char *file, const char *message)
{
    s->nfailed_files++;
    if (!s->first_error && message && strncmp(message, file, strlen(file)) == 0)
        s->first_error = strdup(message);
    else
        note_error(s, file, message);
}

static long summary_name(as_summary *s, const char *name)
{
    for (size_t i = 0; i < s->nnames; i++)
        if (strcmp(s->names[i], name) == 0)
            return (long)i;
    char **v = realloc(s->names, (s->nnames + 1) * sizeof *v);
    if (!v)
        return -1;
    s->names = v;
    if (!(v[s->nnames] = strdup(name)))
        return -1;
    colnames_free(s);
    return (long)s->nnames++;
}

int summary_add_part(as_summary *s, const char *file, sum_part *part, as_error *err)
{
    int rc = AS_OK;
    size_t *map = NULL;
    if (s->nfiles == s->files_cap) {
        size_t cap = s->files_cap ? s->files_cap * 2 : 16;
        char **v = realloc(s->files, cap * sizeof *v);
        if (!v)
            goto oom;
        s->files = v;
        s->files_cap = cap;
    }
    char *name = strdup(file);
    if (!name)
        goto oom;
    if (part->nseqs > s->seqs_cap - s->nseqs) {
        size_t cap = s->seqs_cap ? s->seqs_cap : 64;
        while (cap < s->nseqs + part->nseqs)
            cap *= 2;
        sum_seq *v = realloc(s->seqs, cap * sizeof *v);
        if (!v) {
            free(name);
            goto oom;
        }
        s->seqs = v;
        s->seqs_cap = cap;
    }
    map = malloc((part->nnames ? part->nnames : 1) * sizeof *map);
    if (!map) {
        free(name);
        goto oom;
    }
    for (size_t i = 0; i < part->nnames; i++) {
        long k = summary_name(s, part->names[i]);
        if (k < 0) {
            free(name);
            goto oom;
        }
        map[i] = (size_t)k;
    }
    for (size_t i = 0; i < part->toks.n; i++) {
        const tok_entry *e = &part->toks.v[i];
        if (!tok_add(&s->toks, e->text, e->side, e->mass, e->count)) {
            free(name);
            goto oom;
        }
    }
    size_t fi = s->nfiles;
    s->files[s->nfiles++] = name;
    for (size_t i = 0; i < part->nseqs; i++) {
        sum_seq *q = &part->seqs[i];
        q->file = fi;
        if (q->nscores) {
            /* re-index the score means by the summary's names */
            size_t n = 0;
            for (size_t k = 0; k < q->nscores; k++)
                if (map[k] + 1 > n)
                    n = map[k] + 1;
            double *m = malloc(n * sizeof *m);
            if (!m) {
                rc = as_error_set(err, AS_ENOMEM, "out of memory");
                n = 0;
            } else {
                for (size_t k = 0; k < n; k++)
                    m[k] = NAN;
                for (size_t k = 0; k < q->nscores; k++)
                    m[map[k]] = q->score_mean[k];
            }
            free(q->score_mean);
            q->score_mean = m;
            q->nscores = n;
        }
        s->seqs[s->nseqs++] = *q;
    }
    part->nseqs = 0;
    for (int side = 0; side < 2; side++)
        for (int b = 0; b < SUMMARY_POS_BINS; b++)
            s->pos[side][b] += part->pos[side][b];
    s->nsteps += part->nsteps;
    s->nsteps_dist += part->nsteps_dist;
    s->nfailed_seqs += part->nfailed;
    note_error(s, file, part->error);
    free(map);
    summary_part_free(part);
    return rc;
oom:
    free(map);
    summary_part_free(part);
    return as_error_set(err, AS_ENOMEM, "out of memory");
}

size_t summary_nfiles(const as_summary *s) { return s->nfiles; }
const char *summary_file(const as_summary *s, size_t i)
{
    return i < s->nfiles ? s->files[i] : NULL;
}
size_t summary_nfailed_files(const as_summary *s) { return s->nfailed_files; }
size_t summary_nfailed_seqs(const as_summary *s) { return s->nfailed_seqs; }
const char *summary_first_error(const as_summary *s) { return s->first_error; }
size_t summary_nseqs(const as_summary *s) { return s->nseqs; }
const sum_seq *summary_seq(const as_summary *s, size_t k)
{
    return k < s->nseqs ? &s->seqs[k] : NULL;
}
size_t summary_nsteps(const as_summary *s) { return s->nsteps; }
size_t summary_nscores(const as_summary *s) { return s->nnames; }
const char *summary_score_name(const as_summary *s, size_t k)
{
    return k < s->nnames ? s->names[k] : NULL;
}
size_t summary_ncols(const as_summary *s) { return SUM_COL_SCORES + s->nnames; }
size_t summary_ntokens(const as_summary *s) { return s->toks.n; }

const char *summary_col_name(const as_summary *s, size_t col)
{
    static const char *const fixed[] = {"src_len", "tgt_len", "gen_len", "entropy", "src_share"};
    if (col < SUM_COL_SCORES)
        return fixed[col];
    if (col >= summary_ncols(s))
        return NULL;
    as_summary *m = (as_summary *)s; /* the names are built once and cached */
    if (m->ncolnames != summary_ncols(s)) {
        colnames_free(m);
        char **v = calloc(summary_ncols(s), sizeof *v);
        if (!v)
            return "score";
        m->colnames = v;
        m->ncolnames = summary_ncols(s);
        for (size_t k = 0; k < s->nnames; k++) {
            size_t len = strlen(s->names[k]) + 7;
            if ((v[SUM_COL_SCORES + k] = malloc(len)))
                snprintf(v[SUM_COL_SCORES + k], len, "score:%s", s->names[k]);
        }
    }
    return m->colnames[col] ? m->colnames[col] : "score";
}

bool summary_col_integer(size_t col) { return col <= SUM_COL_GEN_LEN; }

double summary_value(const as_summary *s, size_t seq, size_t col)
{
    if (seq >= s->nseqs)
        return NAN;
    const sum_seq *q = &s->seqs[seq];
    switch (col) {
    case SUM_COL_SRC_LEN: return (double)q->src_len;
    case SUM_COL_TGT_LEN: return (double)q->tgt_len;
    case SUM_COL_GEN_LEN: return (double)q->gen_len;
    case SUM_COL_ENTROPY: return q->entropy_mean;
    case SUM_COL_SRC_SHARE: return q->src_share_mean;
    default:
        col -= SUM_COL_SCORES;
        return col < q->nscores ? q->score_mean[col] : NAN;
    }
}

void sum_hist_free(sum_hist *h)
{
    free(h->counts);
    h->counts = NULL;
}

/* Builds h over values v(i) for i < n (two passes: range, then counts). */
static int hist_build(sum_hist *h, size_t nbins, bool integer, const as_summary *s, size_t col,
                      sum_step_kind kind, bool steps, as_error *err)
{
    memset(h, 0, sizeof *h);
    h->mean = h->min = h->max = NAN;
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < s->nseqs; i++) {
            const sum_seq *q = &s->seqs[i];
            size_t m = steps ? q->gen_len : 1;
            const float *arr = !steps ? NULL : kind == SUM_STEP_ENTROPY ? q->entropy : q->src_share;
            if (steps && !arr)
                continue;
            for (size_t j = 0; j < m; j++) {
                double v = steps ? (double)arr[j] : summary_value(s, i, col);
                if (!isfinite(v)) {
                    if (pass == 0)
                        h->missing++;
                    continue;
                }
                if (pass == 0) {
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                    sum += v;
                    h->n++;
                } else {
                    size_t b = (size_t)((v - h->lo) / (h->hi - h->lo) * (double)h->nbins);
                    h->counts[b < h->nbins ? b : h->nbins - 1]++;
                }
            }
        }
        if (pass == 0) {
            if (nbins < 1)
                nbins = 1;
            if (h->n == 0) {
                lo = 0;
                hi = 1;
            } else {
                h->min = lo;
                h->max = hi;
                h->mean = sum / (double)h->n;
            }
            if (integer && h->n && hi - lo + 1 <= (double)nbins) {
                nbins = (size_t)(hi - lo + 1);
                lo -= 0.5;
                hi += 0.5;
            } else if (hi <= lo) {
                lo -= 0.5;
                hi += 0.5;
            }
            h->lo = lo;
            h->hi = hi;
            h->nbins = nbins;
            if (!(h->counts = calloc(nbins, sizeof *h->counts)))
                return as_error_set(err, AS_ENOMEM, "out of memory");
        }
    }
    return AS_OK;
}

int summary_hist_col(const as_summary *s, size_t col, size_t nbins, sum_hist *h, as_error *err)
{
    return hist_build(h, nbins, summary_col_integer(col), s, col, SUM_STEP_ENTROPY, false, err);
}

int summary_hist_step(const as_summary *s, sum_step_kind kind, size_t nbins, sum_hist *h,
                      as_error *err)
{
    return hist_build(h, nbins, false, s, 0, kind, true, err);
}

void summary_position_mass(const as_summary *s, sum_side side, double out[SUMMARY_POS_BINS])
{
    for (int b = 0; b < SUMMARY_POS_BINS; b++)
        out[b] = s->nsteps_dist ? s->pos[side][b] / (double)s->nsteps_dist : 0;
}

static int tok_cmp(const void *pa, const void *pb)
{
    const sum_token *a = pa, *b = pb;
    double ma = a->mass / (double)a->count, mb = b->mass / (double)b->count;
    if (ma != mb)
        return ma > mb ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int c = strcmp(a->text, b->text);
    return c ? c : (int)a->side - (int)b->side;
}

size_t summary_top_tokens(const as_summary *s, size_t min_count, size_t n, sum_token **out)
{
    *out = NULL;
    sum_token *v = malloc((s->toks.n ? s->toks.n : 1) * sizeof *v);
    if (!v)
        return (size_t)-1;
    size_t m = 0;
    for (size_t i = 0; i < s->toks.n; i++) {
        const tok_entry *e = &s->toks.v[i];
        if (e->count && e->count >= min_count)
            v[m++] = (sum_token){e->text, e->side, e->mass, e->count};
    }
    qsort(v, m, sizeof *v, tok_cmp);
    *out = v;
    return m < n ? m : n;
}

typedef struct keyed {
    double v;
    size_t i;
} keyed;

static int keyed_up(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    bool na = isnan(a->v), nb = isnan(b->v);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static int keyed_down(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    bool na = isnan(a->v), nb = isnan(b->v);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && a->v != b->v)
        return a->v > b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

void summary_sort(const as_summary *s, size_t col, bool reverse, size_t *order)
{
    keyed *k = malloc((s->nseqs ? s->nseqs : 1) * sizeof *k);
    if (!k) { /* no memory for keys: sequence order */
        for (size_t i = 0; i < s->nseqs; i++)
            order[i] = i;
        return;
    }
    for (size_t i = 0; i < s->nseqs; i++)
        k[i] = (keyed){summary_value(s, i, col), i};
    qsort(k, s->nseqs, sizeof *k, reverse ? keyed_down : keyed_up);
    for (size_t i = 0; i < s->nseqs; i++)
        order[i] = k[i].i;
    free(k);
}
