/* main.c - attrscope's entry point: for now a minimal dispatcher.
 *   attrscope [OPTIONS] [FILE...]   the explorer (no files: the bundled example)
 *   attrscope --keys-markdown       the explorer's keys as Markdown
 */
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "explore.h"

extern const unsigned char as_example_json[];
extern const unsigned long as_example_json_len;

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--keys-markdown")) {
        tui_keys_markdown(stdout);
        return 0;
    }
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: attrscope [OPTIONS] [FILE...]\n%s", explore_opts_usage());
        return 0;
    }
    explore_opts o;
    char err[512];
    if (explore_opts_parse(argc, argv, 1, &o, err, sizeof err)) {
        fprintf(stderr, "attrscope: %s\n", err);
        explore_opts_free(&o);
        return 2;
    }
    if (!o.nfiles) {
        if (!as_example_json_len) {
            fprintf(stderr, "attrscope: this build has no bundled example; give a file\n");
            explore_opts_free(&o);
            return 2;
        }
        o.buf = as_example_json;
        o.buflen = as_example_json_len;
        o.bufname = "example.json";
    }
    int rc = explore_main(&o);
    explore_opts_free(&o);
    return rc;
}
