/* config.c - settings remembered between runs: the cell width, the color
 * mode, the mouse and decoded or raw tokens, in a small text file
 * ($XDG_CONFIG_HOME/attrscope/config, else ~/.config/attrscope/config):
 *
 *   # attrscope explorer settings
 *   cell-width = 7          # columns per cell, or auto
 *   color = 256             # auto, truecolor, 256, 8 or mono
 *   mouse = off             # on or off
 *   tokens = raw            # decoded or raw
 *
 * The explorer writes a setting when the user changes it (keys ( ) C t),
 * replacing its line and keeping the others; command-line options win over
 * the file.  A line it cannot read is reported (file and line) and
 * skipped. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "atomic.h"
#include "state.h"

static const char *const color_names[] = {"auto", "truecolor", "256", "8", "mono"};

const char *tui_color_setting(tui_color_mode m)
{
    switch (m) {
    case TUI_TRUE: return "truecolor";
    case TUI_256: return "256";
    case TUI_8: return "8";
    default: return "mono";
    }
}

static void config_path(tui_config *c)
{
    const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
    c->path[0] = '\0';
    if (x && x[0] == '/')
        snprintf(c->path, sizeof c->path, "%s/attrscope/config", x);
    else if (h && h[0])
        snprintf(c->path, sizeof c->path, "%s/.config/attrscope/config", h);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true", "1"};
    static const char *const no[] = {"off", "no", "false", "0"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(v, yes[i]))
            return *out = true, 0;
        if (!strcasecmp(v, no[i]))
            return *out = false, 0;
    }
    return -1;
}

/* One "name = value": applies it, or says what is wrong (why, n bytes). */
static int apply(tui_config *c, const char *name, const char *val, char *why, size_t n)
{
    if (!strcmp(name, "cell-width")) {
        if (!strcmp(val, "auto")) {
            c->cw = 0;
        } else {
            char *end;
            long w = strtol(val, &end, 10);
            if (end == val || *end || w < 1 || w > 16) {
                snprintf(why, n, "cell-width must be auto or 1 to 16, not '%s'", val);
                return -1;
            }
            c->cw = (int)w;
        }
        c->has_cw = true;
    } else if (!strcmp(name, "color")) {
        size_t k = 0;
        while (k < 5 && strcmp(val, color_names[k]))
            k++;
        if (k == 5) {
            snprintf(why, n, "color must be auto, truecolor, 256, 8 or mono, not '%s'", val);
            return -1;
        }
        c->color = (explore_color)k;
        c->has_color = true;
    } else if (!strcmp(name, "mouse")) {
        if (parse_bool(val, &c->mouse)) {
            snprintf(why, n, "mouse must be on or off, not '%s'", val);
            return -1;
        }
        c->has_mouse = true;
    } else if (!strcmp(name, "tokens")) {
        if (strcmp(val, "decoded") && strcmp(val, "raw")) {
            snprintf(why, n, "tokens must be decoded or raw, not '%s'", val);
            return -1;
        }
        c->raw_tokens = !strcmp(val, "raw");
        c->has_tokens = true;
    } else {
        snprintf(why, n, "unknown setting '%s' (known: cell-width, color, mouse, tokens)", name);
        return -1;
    }
    return 0;
}

/* Splits a line into name and value (comments and blanks: *name NULL).
 * Returns -1 when there is no '='. */
static int split(char *line, char **name, char **val)
{
    *name = *val = NULL;
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *s = trim(line);
    if (!*s)
        return 0;
    char *eq = strchr(s, '=');
    if (!eq)
        return -1;
    *eq = '\0';
    *name = trim(s);
    *val = trim(eq + 1);
    return 0;
}

void tui_config_load(tui_config *c)
{
    memset(c, 0, sizeof *c);
    c->mouse = true;
    config_path(c);
    if (!c->path[0])
        return;
    FILE *f = fopen(c->path, "r");
    if (!f) {
        if (errno != ENOENT)
            snprintf(c->error, sizeof c->error, "%s: cannot read it: %s; settings not used",
                     c->path, strerror(errno));
        return;
    }
    char line[1024];
    for (long no = 1; fgets(line, sizeof line, f); no++) {
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            if (!c->error[0])
                snprintf(c->error, sizeof c->error, "%s line %ld: line too long; ignored",
                         c->path, no);
            continue;
        }
        char *name, *val, why[600];
        if (split(line, &name, &val)) {
            if (!c->error[0])
                snprintf(c->error, sizeof c->error,
                         "%s line %ld: expected 'name = value'; line ignored", c->path, no);
            continue;
        }
        if (name && apply(c, name, val, why, sizeof why) && !c->error[0])
            snprintf(c->error, sizeof c->error, "%s line %ld: %s; line ignored", c->path, no,
                     why);
    }
    fclose(f);
}

/* mkdir -p for the directories of path. */
static int make_dirs(const char *path, as_error *err)
{
    char d[4096];
    snprintf(d, sizeof d, "%s", path);
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(d, 0755) && errno != EEXIST)
            return as_error_set(err, AS_EIO, "%s: cannot create the directory: %s", d,
                                strerror(errno));
        *p = '/';
    }
    return 0;
}

int tui_config_set(tui_config *c, const char *name, const char *value, as_error *err)
{
    if (!c->path[0])
        return as_error_set(err, AS_EUSAGE,
                            "no place for settings: set HOME or XDG_CONFIG_HOME");
    char why[600];
    tui_config check = *c;
    if (apply(&check, name, value, why, sizeof why))
        return as_error_set(err, AS_EUSAGE, "%s", why);
    /* the old lines, with this setting's replaced */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    bool done = false;
    FILE *f = fopen(c->path, "r");
    if (f) {
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            char copy[1024], *n, *v;
            snprintf(copy, sizeof copy, "%s", line);
            if (!split(copy, &n, &v) && n && !strcmp(n, name)) {
                if (!done)
                    fprintf(mem, "%s = %s\n", name, value);
                done = true;
                continue;
            }
            fputs(line, mem);
            if (!strchr(line, '\n'))
                fputc('\n', mem);
        }
        fclose(f);
    } else if (errno != ENOENT) {
        fclose(mem);
        free(text);
        return as_error_set(err, AS_EIO, "%s: cannot read it: %s", c->path, strerror(errno));
    } else {
        fputs("# attrscope explorer settings (see README, \"Settings\")\n", mem);
    }
    if (!done)
        fprintf(mem, "%s = %s\n", name, value);
    fclose(mem);
    int rc = make_dirs(c->path, err);
    as_atomic af;
    if (!rc)
        rc = atomic_open(&af, c->path, true, err);
    if (!rc) {
        fwrite(text, 1, len, af.f);
        rc = atomic_commit(&af, err);
    }
    free(text);
    if (!rc) {
        char keep[sizeof c->error];
        memcpy(keep, c->error, sizeof keep);
        apply(c, name, value, why, sizeof why);
        memcpy(c->error, keep, sizeof keep);
    }
    return rc;
}

void tui_config_save(tui *t, const char *name, const char *value)
{
    as_error e = {0};
    if (tui_config_set(&t->cfg, name, value, &e))
        tui_msg(t, true, "setting %s not saved: %s", name, e.msg);
}
