/* attrscope: a terminal explorer for inseq attribution files.
 * This file only dispatches: the explorer (explore.h) or a subcommand (cli.h). */
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "cli.h"
#include "explore.h"

static const char usage[] =
    "usage: attrscope [OPTIONS] [FILE...]              explore files in the terminal\n"
    "       attrscope info [--json] FILE...             what the files hold\n"
    "       attrscope show FILE... [OPTIONS]            heatmaps as text\n"
    "       attrscope export FILE... -o OUT [OPTIONS]   HTML, JSON or CSV\n"
    "       attrscope save FILE... -o OUT [OPTIONS]     write files inseq can load\n"
    "       attrscope summary FILE...|DIR [OPTIONS]     a dataset run at a glance\n"
    "       attrscope --keys-markdown                   the explorer's keys\n"
    "       attrscope --help | --version\n"
    "\n"
    "With no FILE the explorer opens the bundled example.  Several files, or a\n"
    "directory, are read as one list of sequences (split_sequences parts, a dataset\n"
    "run, or any outputs).  A file named like a command is opened as ./NAME.\n"
    "'attrscope COMMAND --help' tells more about each command.\n"
    "\n"
    "Explorer options:\n";

static int explore(int argc, char **argv)
{
    explore_opts o;
    char err[512];
    if (explore_opts_parse(argc, argv, 1, &o, err, sizeof err)) {
        cli_error("%s", err);
        explore_opts_free(&o);
        return EXIT_USAGE;
    }
    if (!o.nfiles) {
        if (!as_example_json_len) {
            cli_error("this build has no bundled example; give a FILE");
            explore_opts_free(&o);
            return EXIT_USAGE;
        }
        o.buf = as_example_json;
        o.buflen = as_example_json_len;
        o.bufname = "example.json";
    }
    int rc = explore_main(&o);
    explore_opts_free(&o);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2) {
        const char *a = argv[1];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            fputs(explore_opts_usage(), stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("attrscope %s\n", ATTRSCOPE_VERSION);
            return EXIT_OK;
        }
        if (!strcmp(a, "--keys-markdown")) {
            tui_keys_markdown(stdout);
            return EXIT_OK;
        }
        static const struct {
            const char *name;
            int (*fn)(int, char **);
        } cmds[] = {
            {"info", cmd_info}, {"show", cmd_show}, {"export", cmd_export}, {"save", cmd_save},
            {"summary", cmd_summary},
        };
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (!strcmp(a, cmds[i].name))
                return cmds[i].fn(argc - 1, argv + 1);
    }
    return explore(argc, argv);
}
