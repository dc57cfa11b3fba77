/* explore.h - the interactive terminal explorer. */
#ifndef AS_EXPLORE_H
#define AS_EXPLORE_H

#include <stdio.h>

/* Parses the explorer's options from argv and runs it; returns the exit code. */
int explore_main(int argc, char **argv);
/* Prints the explorer's options. */
void explore_usage(FILE *f);

#endif
