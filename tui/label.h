/* label.h - token text and any file text made safe for the terminal.
 *
 * tui_label() is the one seam for token display text: today it undoes the
 * common subword markers minimally (GPT-2 `Ġ` space and `Ċ` newline,
 * SentencePiece `▁`, WordPiece `##`); the token-text module replaces its
 * body.  Every string from a file goes through tui_label() or tui_safe()
 * before it reaches the screen: control characters, invalid UTF-8 and
 * layout-changing format characters come out as visible escapes
 * (\n, \t, \x1b, \u{202e}), so nothing in a file can move the cursor or
 * change colors.
 *
 * Call tui_text_init() once after setlocale(); outside a UTF-8 locale every
 * non-ASCII character is escaped.  All outputs are NUL-terminated UTF-8 in
 * caller buffers, truncated to fit (never mid-character).  No curses.
 */
#ifndef AS_TUI_LABEL_H
#define AS_TUI_LABEL_H

#include <stdbool.h>
#include <stddef.h>

void tui_text_init(void);
bool tui_utf8(void);

/* Display text of a raw token into buf; returns its width in columns. */
int tui_label(const char *raw, bool raw_mode, char *buf, size_t n);
/* Terminal-safe copy of any text; returns its width in columns. */
int tui_safe(const char *s, char *buf, size_t n);
/* Width in columns of text made safe by the two functions above. */
int tui_width(const char *s);
/* Bytes of the longest prefix of safe text s that fits in w columns;
 * *used (may be NULL) gets its width. */
size_t tui_fit(const char *s, int w, int *used);
/* Bytes of the shortest suffix start such that s + result fits in w
 * columns (for showing the end of long text). */
size_t tui_fit_tail(const char *s, int w);

#endif
