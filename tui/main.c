#include <stdio.h>

#include "load.h"

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "attrscope: not yet\n");
    return 2;
}
