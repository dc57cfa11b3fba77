/* sumread.c - summary parts read on worker threads (see sumread.h). */
#include "sumread.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

#define AHEAD 16 /* files a worker may start beyond the workers' count: their parts wait (small; the file itself is freed) */

typedef struct slot {
    sum_part *part;
    char *error;
    bool done;
} slot;

struct sum_reader {
    char **files;
    size_t n;
    as_pipeline pipe;
    slot *slots;
    size_t claimed, taken;
    int nthreads, started;
    bool stop;
    pthread_t th[8];
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
};

static char *dup_error(const char *msg)
{
    return strdup(msg && *msg ? msg : "cannot be read");
}

/* Reads file i into its part, or an error message. */
static void read_one(sum_reader *r, size_t i, sum_part **part, char **error)
{
    as_error err = {0};
    *part = NULL;
    *error = NULL;
    as_output *o = as_load_file(r->files[i], NULL, &err);
    if (o) {
        *part = summary_part_compute(o, &r->pipe, &err);
        attr_output_free(o);
        if (!*part) {
            size_t len = strlen(r->files[i]) + strlen(err.msg) + 3;
            if ((*error = malloc(len)))
                snprintf(*error, len, "%s: %s", r->files[i], err.msg);
        }
    } else {
        *error = dup_error(err.msg);
    }
}

static void *worker(void *arg)
{
    sum_reader *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stop && r->claimed < r->n &&
               r->claimed >= r->taken + (size_t)r->nthreads + AHEAD)
            pthread_cond_wait(&r->cv_work, &r->mu);
        if (r->stop || r->claimed >= r->n)
            break;
        size_t i = r->claimed++;
        pthread_mutex_unlock(&r->mu);

        sum_part *part;
        char *error;
        read_one(r, i, &part, &error);

        pthread_mutex_lock(&r->mu);
        r->slots[i] = (slot){part, error, true};
        pthread_cond_broadcast(&r->cv_done);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

sum_reader *sumread_start(const char *const *files, size_t n, const as_pipeline *pipeline,
                          int threads, as_error *err)
{
    sum_reader *r = calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->files = calloc(n ? n : 1, sizeof *r->files);
    r->slots = calloc(n ? n : 1, sizeof *r->slots);
    if (!r->files || !r->slots)
        goto oom;
    for (size_t i = 0; i < n; i++, r->n++)
        if (!(r->files[i] = strdup(files[i])))
            goto oom;
    if (pipeline) {
        if (pipe_copy(&r->pipe, pipeline, err) != AS_OK)
            goto fail;
    } else if (pipe_parse("default", &r->pipe, NULL, err) != AS_OK) {
        goto fail;
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv_work, NULL);
    pthread_cond_init(&r->cv_done, NULL);
    r->nthreads = threads < 0 ? 0 : threads > 8 ? 8 : threads;
    for (int t = 0; t < r->nthreads; t++) {
        if (pthread_create(&r->th[t], NULL, worker, r) != 0) {
            if (t == 0) {
                as_error_set(err, AS_EIO, "cannot start a thread to read the files");
                sumread_free(r);
                return NULL;
            }
            break;
        }
        r->started++;
    }
    return r;
oom:
    as_error_set(err, AS_ENOMEM, "out of memory");
fail:
    if (r) {
        for (size_t i = 0; i < r->n; i++)
            free(r->files[i]);
        free(r->files);
        free(r->slots);
        free(r);
    }
    return NULL;
}

int sumread_next(sum_reader *r, bool wait, size_t *file, sum_part **part, char **error)
{
    *part = NULL;
    *error = NULL;
    if (!r->nthreads) {
        /* no worker: read it now */
        if (r->taken >= r->n)
            return 0;
        *file = r->taken;
        read_one(r, r->taken++, part, error);
        if (!*part && !*error)
            *error = dup_error(NULL);
        return 1;
    }
    pthread_mutex_lock(&r->mu);
    if (r->taken >= r->n) {
        pthread_mutex_unlock(&r->mu);
        return 0;
    }
    while (!r->slots[r->taken].done) {
        if (!wait) {
            pthread_mutex_unlock(&r->mu);
            return -1;
        }
        pthread_cond_wait(&r->cv_done, &r->mu);
    }
    slot *s = &r->slots[r->taken];
    *file = r->taken++;
    *part = s->part;
    *error = s->error;
    s->part = NULL;
    s->error = NULL;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    if (!*part && !*error)
        *error = dup_error(NULL);
    return 1;
}

size_t sumread_taken(const sum_reader *r) { return r->taken; }
size_t sumread_total(const sum_reader *r) { return r->n; }

void sumread_free(sum_reader *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    for (int t = 0; t < r->started; t++)
        pthread_join(r->th[t], NULL);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv_work);
    pthread_cond_destroy(&r->cv_done);
    for (size_t i = 0; i < r->n; i++) {
        summary_part_free(r->slots[i].part);
        free(r->slots[i].error);
        free(r->files[i]);
    }
    free(r->slots);
    free(r->files);
    pipe_free(&r->pipe);
    free(r);
}
