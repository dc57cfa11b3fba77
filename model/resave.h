/* resave.h - writing sequences back as an inseq file after selecting and
 * aggregating them: what `attrscope save` and the explorer's save do.
 *
 * resave() applies the pipeline and weight (when given) to the selected
 * sequences and writes them with as_save().  A result that is 2D is written
 * as CoarseFeatureAttributionSequenceOutput, so inseq shows it without
 * aggregating it again; sequences written as loaded keep their class.
 * info's input_texts / generated_texts are cut to the selection (when they
 * hold one entry per sequence); step_attributions are written only when
 * every sequence is written unaggregated (*steps_dropped tells otherwise).
 *
 * Ownership: reads o; allocates nothing that outlives the call.
 */
#ifndef AS_RESAVE_H
#define AS_RESAVE_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "err.h"
#include "save.h"

/* idx: the sequences to write (n of them; NULL means all).  pipeline NULL,
 * "" or "none" and weight NULL or "" write the sequences as loaded. */
int resave(const as_output *o, const size_t *idx, size_t n, const char *pipeline,
           const char *weight, const char *path, const as_save_opts *opts, bool *steps_dropped,
           as_error *err);

#endif
