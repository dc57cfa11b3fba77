/* Interim explorer: lists what was loaded until the terminal explorer lands. */
#include <unistd.h>

#include "cli.h"
#include "explore.h"

void explore_usage(FILE *f) { (void)f; }

int explore_main(int argc, char **argv)
{
    as_output *o = cli_load(argv + 1, argc - 1);
    if (!o)
        return EXIT_DATA;
    printf("%zu sequences loaded; the explorer is not built in this version\n", o->nseqs);
    attr_output_free(o);
    return EXIT_OK;
}
