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
    /* Well under the fuzzer's RSS limit: a claimed huge size must fail
     * cleanly at this limit instead of exhausting the process. */
    as_mem_set_limit((size_t)256 << 20);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ex_load_input(data, size);
    return 0;
}
