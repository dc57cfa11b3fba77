/* fuzz_pipeline.c - libFuzzer target: the pipeline language (parse, canonical
 * round trip, completion, application; see exercise.h). */
#include <stddef.h>
#include <stdint.h>

#include "exercise.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    as_mem_set_limit(EX_MEM_LIMIT);
    ex_tiny();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ex_pipeline_input(data, size);
    return 0;
}
