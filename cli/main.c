/* attrscope: a terminal explorer for inseq attribution files.
 * This file only dispatches: the explorer (explore.h) or a subcommand (cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actions.h"
#include "cli.h"
#include "explore.h"
#include "pipeline.h"
#include "suggest.h"

static const char usage[] =
    "usage: attrscope [OPTIONS] [FILE...]              explore files in the terminal\n"
    "       attrscope info [--json] FILE...             what the files hold\n"
    "       attrscope show FILE... [OPTIONS]            heatmaps as text\n"
    "       attrscope export FILE... -o OUT [OPTIONS]   HTML, JSON or CSV\n"
    "       attrscope save FILE... -o OUT [OPTIONS]     write files inseq can load\n"
    "       attrscope compare A B [C...] [OPTIONS]      how much attributions agree\n"
    "       attrscope summary FILE...|DIR [OPTIONS]     a dataset run at a glance\n"
    "       attrscope --keys-markdown                   the explorer's keys\n"
    "       attrscope --pipeline-markdown               the pipeline language's keys\n"
    "       attrscope --help | --version\n"
    "\n"
    "With no FILE the explorer opens the bundled example.  Several files, or a\n"
    "directory, are read as one list of sequences (split_sequences parts, a dataset\n"
    "run, or any outputs).  A first argument that is not a command is a FILE when\n"
    "it exists or has a '/' or '.' in its name; any other word is an unknown\n"
    "command.  A file named like a command is opened as ./NAME.\n"
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

/* Whatever was printed must have reached standard output: a full disk, a
 * closed pipe or /dev/full is an error, not a success. */
static int checked(int rc)
{
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == EXIT_OK) {
        /* (a command that failed has said why already) */
        int e = errno;
        cli_error("cannot write to standard output: %s", strerror(e ? e : EIO));
        return EXIT_DATA;
    }
    return rc;
}

static int run(int argc, char **argv)
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
        if (!strcmp(a, "--pipeline-markdown")) {
            char *md = pipe_keys_markdown();
            if (!md) {
                fputs("attrscope: out of memory\n", stderr);
                return EXIT_FAILURE;
            }
            fputs(md, stdout);
            free(md);
            return EXIT_OK;
        }
        static const struct {
            const char *name;
            int (*fn)(int, char **);
        } cmds[] = {
            {"info", cmd_info}, {"show", cmd_show}, {"export", cmd_export}, {"save", cmd_save},
            {"compare", cmd_compare}, {"summary", cmd_summary},
        };
        size_t ncmds = sizeof cmds / sizeof cmds[0];
        for (size_t i = 0; i < ncmds; i++)
            if (!strcmp(a, cmds[i].name))
                return cmds[i].fn(argc - 1, argv + 1);
        /* a bare word that names no file is a mistyped command */
        struct stat st;
        if (a[0] != '-' && !strpbrk(a, "/.") && stat(a, &st)) {
            const char *names[sizeof cmds / sizeof cmds[0]];
            for (size_t i = 0; i < ncmds; i++)
                names[i] = cmds[i].name;
            const char *near = suggest_near(a, names, ncmds);
            char safe[64];
            size_t k = 0;
            for (const char *c = a; *c && k < sizeof safe - 4; c++)
                safe[k++] = (unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c;
            safe[k] = '\0';
            if (near)
                cli_error("'%s' is not a command (did you mean '%s'?) and no file has that name",
                          safe, near);
            else {
                char list[128] = "";
                for (size_t i = 0; i < ncmds; i++)
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                             i ? ", " : "", names[i]);
                cli_error("'%s' is not a command (%s) and no file has that name", safe, list);
            }
            fprintf(stderr, "try 'attrscope --help'; a file with this name is opened as ./%s\n",
                    safe);
            return EXIT_USAGE;
        }
    }
    return explore(argc, argv);
}

int main(int argc, char **argv)
{
    return checked(run(argc, argv));
}
