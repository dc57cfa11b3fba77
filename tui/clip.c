/* clip.c - copying to the clipboard of the terminal the user sits at, also
 * over SSH: the OSC 52 sequence (ESC ] 52 ; c ; BASE64 BEL), written
 * straight to the terminal.  Inside tmux it is sent as is (tmux takes it
 * with `set-clipboard on`) and again wrapped in tmux's passthrough (for
 * `allow-passthrough on`); inside GNU screen it is wrapped in a DCS. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b64.h"
#include "state.h"

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

int tui_clip_copy(const char *text)
{
    size_t n = strlen(text);
    size_t bn = b64_encoded_len(n);
    /* ESC ] 52 ; c ; BASE64 BEL */
    char *buf = malloc(bn + 16);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(buf, "\033]52;c;", 7);
    b64_encode((const uint8_t *)text, n, buf + 7);
    buf[7 + bn] = '\a';
    size_t len = 8 + bn;
    fflush(stdout);
    int fd = fileno(stdout);
    int rc = 0;
    if (getenv("TMUX")) {
        rc = write_all(fd, buf, len);
        if (!rc)
            rc = write_all(fd, "\033Ptmux;\033", 8);
        if (!rc)
            rc = write_all(fd, buf, len);
        if (!rc)
            rc = write_all(fd, "\033\\", 2);
    } else if (getenv("STY")) {
        rc = write_all(fd, "\033P", 2);
        if (!rc)
            rc = write_all(fd, buf, len);
        if (!rc)
            rc = write_all(fd, "\033\\", 2);
    } else {
        rc = write_all(fd, buf, len);
    }
    int saved = errno;
    free(buf);
    errno = saved;
    return rc;
}
