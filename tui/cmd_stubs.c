#include "cli.h"
int cmd_show(int argc, char **argv) { (void)argc; (void)argv; cli_error("show: not available yet"); return EXIT_USAGE; }
