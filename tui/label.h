/* label.h - token text and any file text made safe for the terminal.
 *
 * The decoding and escaping are model/tokens.h's: tui_label() decodes a
 * token in a tokens_mode (the mode tokens_resolve() finds for the file the
 * token comes from; TOKENS_NONE shows the raw string) and escapes it;
 * tui_safe() escapes any other text from a file.  Control characters,
 * invalid UTF-8 and bidi/format controls come out as visible escapes (\n,
 * \t, \x1b, \u202e), so nothing in a file can move the cursor or change
 * colors.  Widths are tokens_width()'s (a built-in table, not the
 * locale's).
 *
 * Call tui_text_init() once after setlocale(); outside a UTF-8 locale every
 * non-ASCII character is further written as \u{XXXX}, so the terminal only
 * ever receives ASCII.  All outputs are NUL-terminated UTF-8 in caller
 * buffers, truncated to fit (never mid-character or mid-escape).  No
 * curses.
 */
#ifndef AS_TUI_LABEL_H
#define AS_TUI_LABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "tokens.h"

void tui_text_init(void);
bool tui_utf8(void);

/* Display text of a raw token in mode m into buf; returns its width in
 * columns. */
int tui_label(const char *raw, tokens_mode m, char *buf, size_t n);
/* Terminal-safe copy of any text; returns its width in columns. */
int tui_safe(const char *s, char *buf, size_t n);
/* Width in columns of text made safe by the two functions above. */
int tui_width(const char *s);
/* Bytes of the longest prefix of safe text s that fits in w columns (with
 * the zero-width characters that follow it); *used (may be NULL) gets its
 * width. */
size_t tui_fit(const char *s, int w, int *used);
/* Bytes of the shortest suffix start such that s + result fits in w
 * columns (for showing the end of long text). */
size_t tui_fit_tail(const char *s, int w);

#endif
