/* mkkeys - the explorer's key list from its action table (tui/actions.h).
 * Usage:
 *   mkkeys markdown                 Markdown tables on stdout
 *   mkkeys man                      the man page's KEYS section on stdout
 *   mkkeys page TEMPLATE OUT        TEMPLATE with its "@KEYS@" line replaced
 *                                   by the KEYS section, written to OUT */
#include <stdio.h>
#include <string.h>

#include "actions.h"

#ifndef ATTRSCOPE_VERSION
#define ATTRSCOPE_VERSION "dev"
#endif

static int page(const char *tmpl, const char *out)
{
    FILE *in = fopen(tmpl, "r");
    if (!in) {
        perror(tmpl);
        return 1;
    }
    FILE *f = fopen(out, "w");
    if (!f) {
        perror(out);
        fclose(in);
        return 1;
    }
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        if (!strcmp(line, "@KEYS@\n") || !strcmp(line, "@KEYS@")) {
            tui_keys_man(f);
            continue;
        }
        char *v = strstr(line, "@VERSION@");
        if (v) {
            *v = '\0';
            fprintf(f, "%s%s%s", line, ATTRSCOPE_VERSION, v + strlen("@VERSION@"));
            continue;
        }
        fputs(line, f);
    }
    fclose(in);
    if (fclose(f)) {
        perror(out);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "markdown")) {
        tui_keys_markdown(stdout);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "man")) {
        tui_keys_man(stdout);
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "page"))
        return page(argv[2], argv[3]);
    fprintf(stderr, "usage: mkkeys markdown | man | page TEMPLATE OUT\n");
    return 2;
}
