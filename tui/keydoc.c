/* keydoc.c - the action table and the key lists generated from it (no
 * curses here, so tools/mkkeys.c can build the man page section too). */
#include <stddef.h>
#include <string.h>

#include "actions.h"

const tui_action_info tui_action_table[ACT_COUNT] = {
#define TUI_ACT_INFO(id, group, name, keys, help, hint) {group, name, keys, help, hint},
    TUI_ACTIONS(TUI_ACT_INFO)
#undef TUI_ACT_INFO
};

const char *tui_keys_next(const char *p, const char **name, size_t *len)
{
    while (*p == ' ')
        p++;
    if (!*p)
        return NULL;
    const char *e = p;
    while (*e && *e != ' ')
        e++;
    *name = p;
    *len = (size_t)(e - p);
    return e;
}

/* Calls fn for each key name of a KEYS string. */
static void each_key(const char *keys, void (*fn)(FILE *, const char *, size_t, int), FILE *f)
{
    int i = 0;
    const char *name;
    size_t len;
    for (const char *p = keys; (p = tui_keys_next(p, &name, &len));)
        fn(f, name, len, i++);
}

static void md_key(FILE *f, const char *k, size_t n, int i)
{
    fprintf(f, "%s`%.*s`", i ? ", " : "", (int)n, k);
}

void tui_keys_markdown(FILE *f)
{
    const char *group = NULL;
    for (int a = 0; a < ACT_COUNT; a++) {
        const tui_action_info *x = &tui_action_table[a];
        if (!group || strcmp(group, x->group)) {
            group = x->group;
            fprintf(f, "%s### %s\n\n| Keys | Action | What it does |\n|---|---|---|\n",
                    a ? "\n" : "", group);
        }
        fputs("| ", f);
        each_key(x->keys, md_key, f);
        fprintf(f, " | %s | %s |\n", x->name, x->help);
    }
}

/* roff text: backslashes doubled, hyphens as \-, no leading dot or quote. */
static void man_text(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-')
            fputs("\\-", f);
        else if (i == 0 && (c == '.' || c == '\''))
            fprintf(f, "\\&%c", c);
        else
            fputc(c, f);
    }
}

static void man_key(FILE *f, const char *k, size_t n, int i)
{
    fputs(i ? ", " : "", f);
    fputs("\\fB", f);
    man_text(f, k, n);
    fputs("\\fR", f);
}

void tui_keys_man(FILE *f)
{
    fputs(".SH KEYS\n"
          "In the explorer (\\fBattrscope\\fR \\fIFILE\\fR...), these keys act:\n", f);
    const char *group = NULL;
    for (int a = 0; a < ACT_COUNT; a++) {
        const tui_action_info *x = &tui_action_table[a];
        if (!group || strcmp(group, x->group)) {
            group = x->group;
            fputs(".SS ", f);
            man_text(f, group, strlen(group));
            fputc('\n', f);
        }
        fputs(".TP\n", f);
        each_key(x->keys, man_key, f);
        fputc('\n', f);
        man_text(f, x->help, strlen(x->help));
        fputc('\n', f);
    }
}
