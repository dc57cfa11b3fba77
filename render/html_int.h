/* html_int.h - pieces shared by the HTML writers (not a public interface). */
#ifndef AS_HTML_INT_H
#define AS_HTML_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "html.h"
#include "pyjson.h"
#include "tokens.h"

/* Room for n bytes at the end of the sink (NULL after a failure); write
 * there, then html_out_commit() what was used. */
char *html_out_room(html_out *o, size_t n);
void html_out_commit(html_out *o, size_t n);
/* The sticky status of the sink, with err set when not AS_OK. */
int html_out_check(html_out *o, as_error *err);


/* Display text of a token (never NULL). */
const char *html_tok_label(const html_common *c, const as_token *t);

/* <!DOCTYPE html> ... <body>, with the base style sheet and css appended. */
void html_page_begin(html_out *o, const char *title, const char *css);
void html_page_end(html_out *o);

/* Checks that s has 2D attributions matching its tokens and step scores of
 * the generated length; index names the sequence in messages. */
int html_check_2d(const as_seq *s, size_t index, as_error *err);

/* The color range from the options, inferring unset bounds: max = inferred,
 * min = -max (inseq's heatmap and tokens views); with treescope, a lone min
 * gives max = -min (inseq's granular view). */
void html_range(const html_common *c, double inferred_max, bool treescope, double *vmin,
                double *vmax);

/* The granular colormap's buckets as JSON strings "#rrggbb", comma
 * separated (the inside of the pages' "palette" array). */
void html_palette_json(html_out *o);

/* Style sheet shared by every page, and the heatmap tables' own. */
extern const char HTML_BASE_CSS[];
extern const char HTML_HEATMAP_CSS[];

/* The pages' own scripts and styles (html_assets.c, generated from
 * render/assets/ by tools/embed_assets.py). */
extern const char HTML_ASSET_GRANULAR_CSS[], HTML_ASSET_GRANULAR_JS[];
extern const char HTML_ASSET_TOKENS_CSS[], HTML_ASSET_TOKENS_JS[];

#endif
