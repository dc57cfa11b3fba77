/* fuzz_load.c - libFuzzer target: the loader and everything the commands do
 * with what it loads (see exercise.h). */
#include <stddef.h>
#include <stdint.h>

#include "exercise.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* A claimed huge size must fail cleanly at this limit instead of
     * exhausting the process. */
    as_mem_set_limit(EX_MEM_LIMIT);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ex_load_input(data, size);
    return 0;
}
