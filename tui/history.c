/* history.c - recently applied pipelines, for the editor's Up/Down: kept
 * for the session and, best effort, in $ATTRSCOPE_HISTORY or
 * $XDG_STATE_HOME/attrscope/pipelines (~/.local/state/...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "state.h"

/* --------------------------------------------------------------- history */

static char *hist_path(void)
{
    const char *env = getenv("ATTRSCOPE_HISTORY");
    if (env)
        return env[0] ? strdup(env) : NULL;
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[1024];
    if (state && state[0])
        snprintf(dir, sizeof dir, "%s/attrscope", state);
    else if (home && home[0])
        snprintf(dir, sizeof dir, "%s/.local/state/attrscope", home);
    else
        return NULL;
    char *p = malloc(strlen(dir) + 16);
    if (p)
        sprintf(p, "%s/pipelines", dir);
    return p;
}

static void hist_push(tui *t, const char *s)
{
    for (size_t i = 0; i < t->nhist; i++)
        if (!strcmp(t->hist[i], s)) {
            char *keep = t->hist[i];
            memmove(t->hist + i, t->hist + i + 1, (t->nhist - i - 1) * sizeof *t->hist);
            t->hist[t->nhist - 1] = keep;
            return;
        }
    char *c = strdup(s);
    if (!c)
        return;
    if (t->nhist == TUI_HIST_MAX) {
        free(t->hist[0]);
        memmove(t->hist, t->hist + 1, (TUI_HIST_MAX - 1) * sizeof *t->hist);
        t->nhist--;
    }
    t->hist[t->nhist++] = c;
}

void tui_hist_load(tui *t)
{
    if (t->hist_loaded)
        return;
    t->hist_loaded = true;
    hist_push(t, "none");
    hist_push(t, "default");
    char *path = hist_path();
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return;
    char line[VIEW_PIPE_MAX + 2];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0])
            hist_push(t, line);
    }
    fclose(f);
}

/* Remembers a pipeline for this session and the next ones (best effort). */
void tui_hist_add(tui *t, const char *pipeline)
{
    tui_hist_load(t);
    hist_push(t, pipeline);
    char *path = hist_path();
    if (!path)
        return;
    char *slash = strrchr(path, '/');
    if (slash) {
        /* create the directory chain quietly */
        for (char *p = path + 1; p <= slash; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    free(path);
    if (!f)
        return;
    for (size_t i = 0; i < t->nhist; i++)
        if (strcmp(t->hist[i], "none") && strcmp(t->hist[i], "default"))
            fprintf(f, "%s\n", t->hist[i]);
    fclose(f);
}

