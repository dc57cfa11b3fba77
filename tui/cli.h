/* cli.h - the command-line faces of attrscope (info, show, export, save) and
 * what they share: option parsing helpers and terminal-safe output.
 *
 * Exit codes: 0 ok, 1 bad input data, 2 bad usage (AS_EDATA / AS_EUSAGE).
 * Everything a file provides is escaped before it reaches a terminal or a
 * pipe (cli_put_safe).  Errors go to stderr as "attrscope: MESSAGE".
 */
#ifndef AS_CLI_H
#define AS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "load.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

int cmd_info(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_save(int argc, char **argv);

/* Prints "attrscope: msg" (escaped) to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exit code for an as_error code. */
int cli_exit_code(int as_code);
/* Writes text from a file with every control character escaped. */
void cli_put_safe(FILE *f, const char *s);
/* Loads the files (or the bundled example when n == 0), with a progress
 * line on stderr when it is a terminal and loading takes a while.  On
 * failure prints the error and returns NULL. */
as_output *cli_load(char **files, int n);

/* Parses a sequence selection "0,2,5-7" (or "all") against nseqs into a
 * malloc'd index list; false (and a message) when invalid. */
bool cli_parse_seq_list(const char *s, size_t nseqs, size_t **idx, size_t *n);
/* Parses a double / non-negative size option value. */
bool cli_parse_double(const char *opt, const char *s, double *out);
bool cli_parse_size(const char *opt, const char *s, size_t *out);

/* The bundled example file (generated at build time). */
extern const unsigned char as_example_json[];
extern const unsigned long as_example_json_len;

#endif
