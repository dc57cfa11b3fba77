#include "cli.h"
int cmd_export(int argc, char **argv) { (void)argc; (void)argv; cli_error("export: not available yet"); return EXIT_USAGE; }
int cmd_save(int argc, char **argv) { (void)argc; (void)argv; cli_error("save: not available yet"); return EXIT_USAGE; }
