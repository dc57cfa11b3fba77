/* attrscope info FILE... [--json]: what a file holds, without aggregating. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pyjson.h"
#include "table.h"
#include "tokens.h"

static const char info_usage[] =
    "usage: attrscope info [--json] FILE...\n"
    "Prints, per sequence, its class, token counts, attr_pos_start/end, stored\n"
    "tensor shapes and dtypes, step and sequence score names; the number of step\n"
    "outputs; and the info object.  --json prints one JSON object instead.\n";

/* A key from a file: the stored NUL (C0 80) as U+0000 (jansson takes it
 * with a length), bytes that are not UTF-8 as U+FFFD. */
static void set_key(json_t *obj, const char *k, json_t *v)
{
    json_t *kt = table_json_text(k);
    json_object_setn_new(obj, json_string_value(kt), json_string_length(kt), v);
    json_decref(kt);
}

/* info values for the JSON output: NaN / Infinity (kept as markers) become
 * null, since JSON has no such numbers. */
static json_t *strict_json(json_t *j)
{
    double v;
    if (attr_json_nonfinite(j, &v))
        return json_null();
    if (json_is_array(j)) {
        json_t *r = json_array();
        for (size_t i = 0; i < json_array_size(j); i++)
            json_array_append_new(r, strict_json(json_array_get(j, i)));
        return r;
    }
    if (json_is_object(j)) {
        json_t *r = json_object();
        const char *k;
        json_t *x;
        json_object_foreach(j, k, x) set_key(r, k, strict_json(x));
        return r;
    }
    return json_incref(j);
}

static json_t *shape_json(const as_tensor *t)
{
    if (!t)
        return json_null();
    json_t *a = json_array();
    for (int i = 0; i < t->ndim; i++)
        json_array_append_new(a, json_integer((json_int_t)t->shape[i]));
    return a;
}

static json_t *tokens_json(const as_tokens *t)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->n; i++)
        json_array_append_new(a, table_json_text(t->v[i].text));
    return a;
}

static json_t *scores_json(const as_scores *s, bool lengths)
{
    if (s->is_null)
        return json_null();
    json_t *o = json_object();
    for (size_t i = 0; i < s->n; i++)
        set_key(o, s->v[i].name,
                            lengths ? json_integer((json_int_t)tensor_numel(s->v[i].t))
                                    : shape_json(s->v[i].t));
    return o;
}

static int info_json(const as_output *o)
{
    json_t *root = json_object();
    json_t *files = json_array();
    for (size_t i = 0; i < o->nfiles; i++)
        json_array_append_new(files, json_string(o->files[i]));
    json_object_set_new(root, "files", files);
    json_t *seqs = json_array();
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_seq *s = &o->seqs[i];
        json_t *j = json_object();
        json_object_set_new(j, "index", json_integer((json_int_t)i));
        json_object_set_new(j, "file", json_string(o->files[s->file_index]));
        json_object_set_new(j, "class", json_string(s->class_name));
        json_object_set_new(j, "source", tokens_json(&s->source));
        json_object_set_new(j, "target", tokens_json(&s->target));
        json_object_set_new(j, "attr_pos_start", json_integer(s->attr_pos_start));
        json_object_set_new(j, "attr_pos_end", json_integer(s->attr_pos_end));
        json_object_set_new(j, "source_attributions_shape", shape_json(s->source_attr));
        json_object_set_new(j, "source_attributions_dtype",
                            s->source_attr ? json_string(s->source_attr->dtype) : json_null());
        json_object_set_new(j, "target_attributions_shape", shape_json(s->target_attr));
        json_object_set_new(j, "target_attributions_dtype",
                            s->target_attr ? json_string(s->target_attr->dtype) : json_null());
        json_t *dims = json_array();
        const as_tensor *t = s->source_attr ? s->source_attr : s->target_attr;
        for (int d = 0; t && d < t->ndim; d++)
            json_array_append_new(dims, json_string(attr_dim_name(s->cls, t->ndim, d)));
        json_object_set_new(j, "dim_names", dims);
        json_object_set_new(j, "step_scores", scores_json(&s->step_scores, true));
        json_object_set_new(j, "sequence_scores", scores_json(&s->sequence_scores, false));
        json_array_append_new(seqs, j);
    }
    json_object_set_new(root, "sequences", seqs);
    json_object_set_new(root, "step_attributions",
                        o->steps_null ? json_null() : json_integer((json_int_t)o->nsteps));
    json_object_set_new(root, "info", strict_json(o->info));
    json_t *notes = json_array();
    for (const char *p = o->notes; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        json_array_append_new(notes, json_stringn(p, n));
        p += n + (nl ? 1 : 0);
    }
    json_object_set_new(root, "notes", notes);
    /* ensure_ascii keeps control characters of the file escaped (\u001b). */
    int rc = table_json_dump(stdout, root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    fputc('\n', stdout);
    json_decref(root);
    return rc ? EXIT_DATA : EXIT_OK;
}

static void print_tensor_line(const char *name, const as_seq *s, const as_tensor *t)
{
    char sh[128];
    printf("  %-22s ", name);
    if (!t) {
        printf("none\n");
        return;
    }
    printf("%s %s  [", tensor_shape_str(t, sh, sizeof sh), t->dtype);
    for (int d = 0; d < t->ndim; d++)
        printf("%s%s", d ? ", " : "", attr_dim_name(s->cls, t->ndim, d));
    printf("]\n");
}

static void print_scores(const char *name, const as_scores *sc)
{
    char sh[128];
    printf("  %-22s ", name);
    if (sc->is_null || sc->n == 0)
        printf(sc->is_null ? "null\n" : "none\n");
    for (size_t i = 0; i < sc->n; i++) {
        cli_put_safe(stdout, sc->v[i].name);
        printf(" %s%s", tensor_shape_str(sc->v[i].t, sh, sizeof sh), i + 1 < sc->n ? ", " : "\n");
    }
}

static void print_tokens(const char *name, const as_tokens *t, tokens_mode m)
{
    printf("  %-22s %zu:", name, t->n);
    for (size_t i = 0; i < t->n && i < 64; i++) {
        char buf[256];
        tokens_label(buf, sizeof buf, m, t->v[i].text, TOKENS_ESC_SPACE, 24, NULL);
        printf(" %s", buf);
    }
    printf(t->n > 64 ? " …\n" : "\n");
}

/* Pretty info: one key per line, nested values indented, strings escaped. */
static void print_value(const json_t *j, int indent)
{
    double v;
    if (attr_json_nonfinite(j, &v)) {
        printf("%s", isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    } else if (json_is_string(j)) {
        char *e = tokens_escape_dup(json_string_value(j), json_string_length(j), 0);
        printf("\"%s\"", e ? e : "");
        free(e);
    } else if (json_is_object(j)) {
        if (!json_object_size(j)) {
            printf("{}");
            return;
        }
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)j, k, x) {
            printf("\n%*s", indent + 2, "");
            cli_put_safe(stdout, k);
            printf(": ");
            print_value(x, indent + 2);
        }
    } else if (json_is_array(j)) {
        size_t n = json_array_size(j);
        bool simple = true;
        for (size_t i = 0; i < n; i++)
            simple = simple && !json_is_object(json_array_get(j, i)) &&
                     !json_is_array(json_array_get(j, i));
        if (simple && n <= 8) {
            printf("[");
            for (size_t i = 0; i < n; i++) {
                if (i)
                    printf(", ");
                print_value(json_array_get(j, i), indent);
            }
            printf("]");
            return;
        }
        for (size_t i = 0; i < n; i++) {
            printf("\n%*s- ", indent + 2, "");
            print_value(json_array_get(j, i), indent + 2);
        }
    } else if (json_is_real(j)) {
        char b[32];
        pj_repr_double(json_real_value(j), b);
        printf("%s", b);
    } else {
        char *s = json_dumps(j, JSON_ENCODE_ANY);
        printf("%s", s ? s : "?");
        free(s);
    }
}

static int info_text(const as_output *o)
{
    for (size_t f = 0; f < o->nfiles; f++) {
        size_t n = 0;
        for (size_t i = 0; i < o->nseqs; i++)
            n += o->seqs[i].file_index == (int)f;
        cli_put_safe(stdout, o->files[f]);
        printf(": %zu sequence%s\n", n, n == 1 ? "" : "s");
    }
    tokens_mode m = tokens_resolve(TOKENS_AUTO, o, -1);
    printf("token text: %s\n", tokens_mode_name(m));
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_seq *s = &o->seqs[i];
        printf("\nsequence %zu: ", i);
        cli_put_safe(stdout, s->class_name ? s->class_name : attr_class_name(s->cls));
        if (o->nfiles > 1) {
            printf(" (");
            cli_put_safe(stdout, o->files[s->file_index]);
            printf(")");
        }
        printf("\n");
        print_tokens("source", &s->source, m);
        print_tokens("target", &s->target, m);
        printf("  %-22s %ld .. %ld (%zu generated)\n", "attr_pos_start .. end", s->attr_pos_start,
               s->attr_pos_end, attr_seq_ncols(s));
        print_tensor_line("source_attributions", s, s->source_attr);
        print_tensor_line("target_attributions", s, s->target_attr);
        print_scores("step_scores", &s->step_scores);
        print_scores("sequence_scores", &s->sequence_scores);
    }
    if (o->steps_null)
        printf("\nstep outputs: none\n");
    else
        printf("\nstep outputs: %zu\n", o->nsteps);
    printf("\ninfo:");
    print_value(o->info, 0);
    printf("\n");
    if (o->notes) {
        printf("\nnotes:\n");
        for (const char *p = o->notes; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            char *line = strndup(p, n);
            printf("  ");
            cli_put_safe(stdout, line ? line : "");
            printf("\n");
            free(line);
            p += n + (nl ? 1 : 0);
        }
    }
    return EXIT_OK;
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'h': fputs(info_usage, stdout); return EXIT_OK;
        default: return cli_bad_option("info", c, argv, longopts);
        }
    }
    if (optind >= argc) {
        cli_error("info needs at least one FILE; try 'attrscope info --help'");
        return EXIT_USAGE;
    }
    as_output *o = cli_load(argv + optind, argc - optind);
    if (!o)
        return EXIT_DATA;
    int rc = json ? info_json(o) : info_text(o);
    attr_output_free(o);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return EXIT_DATA;
    }
    return rc;
}
