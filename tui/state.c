/* state.c - the services every part of the explorer uses: the clock,
 * messages, the screen stack, what a view change means for the frame, and
 * the sequences' token modes, metadata and info. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "state.h"

double tui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* -------------------------------------------------------------- helpers */

void tui_msg(tui *t, bool err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char raw[sizeof t->msg];
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    tui_safe(raw, t->msg, sizeof t->msg);
    t->msg_err = err;
}

void tui_push(tui *t, screen *s)
{
    if (!s)
        return;
    s->below = t->top;
    t->top = s;
}

void tui_pop(tui *t)
{
    screen *s = t->top;
    if (!s)
        return;
    t->top = s->below;
    s->below = NULL;
    s->free(s);
}

unsigned tui_view_bits(unsigned ch)
{
    unsigned b = ch ? TUI_REDRAW : 0;
    /* new data may come with other tokens (merged by a pipeline) */
    if (ch & (VIEW_CH_GRID | VIEW_CH_SEQ))
        b |= TUI_DATA | TUI_LAYOUT | TUI_LABELS;
    if (ch & VIEW_CH_LAYOUT)
        b |= TUI_LAYOUT;
    if (ch && !(ch & ~(unsigned)(VIEW_CH_CURSOR | VIEW_CH_SCROLL)))
        b |= TUI_MOVE;
    if (ch == VIEW_CH_CURSOR)
        b |= TUI_CURSOR;
    return b;
}

/* ------------------------------------------------------------ sequences */

tokens_mode tui_token_mode(const tui *t, size_t seq)
{
    return t->raw_tokens ? TOKENS_NONE : tui_file_mode(t, seq);
}

tokens_mode tui_file_mode(const tui *t, size_t seq)
{
    return t->v.agg ? view_agg_token_mode(t->v.agg, seq) : TOKENS_NONE;
}

const as_seq *tui_meta(const tui *t, size_t k)
{
    return t->v.agg ? view_agg_meta(t->v.agg, k) : NULL;
}

const json_t *tui_info(const tui *t, size_t k)
{
    if (!t->v.agg)
        return NULL;
    return view_agg_info(t->v.agg, view_agg_file(t->v.agg, k, NULL, NULL));
}

const char *tui_file_name(const tui *t)
{
    const char *f = t->view_ok ? view_agg_file_path(t->v.agg, view_agg_file(t->v.agg, t->v.seq,
                                                                            NULL, NULL))
                               : NULL;
    if (f) {
        const char *b = strrchr(f, '/');
        return b ? b + 1 : f;
    }
    return t->opts->bufname ? t->opts->bufname : "";
}
