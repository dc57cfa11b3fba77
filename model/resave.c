#include "resave.h"

#include <stdlib.h>
#include <string.h>

#include "agg.h"

/* info with input_texts / generated_texts cut to the selected sequences. */
static json_t *select_info(const json_t *info, const size_t *idx, size_t n, size_t nseqs)
{
    json_t *r = json_deep_copy(info);
    static const char *const keys[] = {"input_texts", "generated_texts"};
    for (int k = 0; r && k < 2; k++) {
        json_t *a = json_object_get(r, keys[k]);
        if (!json_is_array(a) || json_array_size(a) != nseqs || n == nseqs)
            continue;
        json_t *sel = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append(sel, json_array_get(a, idx[i]));
        json_object_set_new(r, keys[k], sel);
    }
    return r;
}

int resave(const as_output *o, const size_t *idx_in, size_t n, const char *pipeline,
           const char *weight, const char *path, const as_save_opts *opts, bool *steps_dropped,
           as_error *err)
{
    bool aggregate = (pipeline && *pipeline && strcmp(pipeline, "none") != 0) ||
                     (weight && *weight);
    size_t *idx = NULL;
    if (!idx_in) {
        n = o->nseqs;
        idx = malloc((n ? n : 1) * sizeof *idx);
        if (!idx)
            return as_error_set(err, AS_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        idx_in = idx;
    }
    as_output view = {0};
    as_seq **made = calloc(n ? n : 1, sizeof *made);
    view.seqs = calloc(n ? n : 1, sizeof *view.seqs);
    int rc = AS_OK;
    if (!made || !view.seqs) {
        rc = as_error_set(err, AS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (idx_in[i] >= o->nseqs) {
            rc = as_error_set(err, AS_EUSAGE, "sequence %zu does not exist", idx_in[i]);
            goto done;
        }
        if (aggregate) {
            made[i] = agg_apply_str(o, idx_in[i], pipeline && *pipeline ? pipeline : "default",
                                    weight && *weight ? weight : NULL, err);
            if (!made[i]) {
                rc = err ? err->code : AS_EDATA;
                as_error_prefix(err, "%s", o->files[o->seqs[idx_in[i]].file_index]);
                goto done;
            }
        }
        /* A shallow copy: members stay owned by o or by made[i]. */
        view.seqs[i] = aggregate ? *made[i] : o->seqs[idx_in[i]];
        as_seq *s = &view.seqs[i];
        bool flat = (!s->source_attr || s->source_attr->ndim == 2) &&
                    (!s->target_attr || s->target_attr->ndim == 2);
        if (aggregate && flat && s->cls != AS_CLS_COARSE) {
            s->cls = AS_CLS_COARSE;
            s->class_name = (char *)attr_class_name(AS_CLS_COARSE);
            s->class_module = (char *)"inseq.data.attribution";
        }
    }
    view.nseqs = n;
    bool all = n == o->nseqs && !aggregate;
    for (size_t i = 0; all && i < n; i++)
        all = idx_in[i] == i;
    view.steps = all ? o->steps : NULL;
    view.nsteps = all ? o->nsteps : 0;
    view.steps_null = all ? o->steps_null : true;
    if (steps_dropped)
        *steps_dropped = !all && o->nsteps > 0;
    view.info = select_info(o->info, idx_in, n, o->nseqs);
    view.files = o->files;
    view.nfiles = o->nfiles;
    if (!view.info) {
        rc = as_error_set(err, AS_ENOMEM, "out of memory");
        goto done;
    }
    rc = as_save(&view, path, opts, err);
done:
    json_decref(view.info);
    free(view.seqs);
    for (size_t i = 0; made && i < n; i++)
        agg_seq_free(made[i]);
    free(made);
    free(idx);
    return rc;
}
