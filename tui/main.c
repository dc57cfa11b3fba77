/* attrscope: a terminal explorer for inseq attribution files.
 * This file only dispatches: the explorer (explore.h) or a subcommand (cli.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "explore.h"

static const char usage[] =
    "usage: attrscope [OPTIONS] [FILE...]          explore files in the terminal\n"
    "       attrscope info [--json] FILE...         what the files hold\n"
    "       attrscope show FILE... [OPTIONS]        heatmaps as text\n"
    "       attrscope export FILE... -o OUT [OPTIONS]  HTML, JSON or CSV\n"
    "       attrscope save FILE... -o OUT [OPTIONS] write files inseq can load\n"
    "       attrscope --help | --version\n"
    "\n"
    "With no FILE the explorer opens the bundled example.  Several files are read\n"
    "as one list of sequences (split_sequences parts, or any outputs).  A file\n"
    "named like a command is opened as ./NAME.  'attrscope COMMAND --help' tells\n"
    "more about each command.\n";

int main(int argc, char **argv)
{
    if (argc >= 2) {
        const char *a = argv[1];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            explore_usage(stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("attrscope %s\n", ATTRSCOPE_VERSION);
            return EXIT_OK;
        }
        static const struct {
            const char *name;
            int (*fn)(int, char **);
        } cmds[] = {
            {"info", cmd_info}, {"show", cmd_show}, {"export", cmd_export}, {"save", cmd_save},
        };
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (!strcmp(a, cmds[i].name))
                return cmds[i].fn(argc - 1, argv + 1);
    }
    return explore_main(argc, argv);
}
