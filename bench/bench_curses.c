/* bench_curses - what curses alone costs for a screen of heatmap cells: the
 * floor under the explorer's full-screen frames.
 *
 * Draws whole screens of cells like the explorer's grid (a label column,
 * then cells of "  0.03" text in one color pair each) into a pseudo-terminal
 * whose other end a thread reads and throws away (a terminal that costs
 * nothing), two different screens in turn as g/G would bring, and prints the
 * time per frame to build the screen (wadd_wchnstr, wnoutrefresh) and to
 * send it (doupdate).  Set up as the explorer sets up curses: one
 * endwin()/doupdate() round trip first, output processing off.
 *
 * Usage: bench_curses [COLSxROWS] [--colors N]
 *   N distinct color pairs over the cells (default 60; 1 = one color, the
 *   least curses can send; the explorer's 256-color heatmaps use up to about
 *   60).  Default size 400x120.
 */
#define _GNU_SOURCE
#include <curses.h>
#include <locale.h>
#include <pthread.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int master_fd;

static void *drain(void *arg)
{
    (void)arg;
    static char buf[1 << 16];
    while (read(master_fd, buf, sizeof buf) > 0)
        ;
    return NULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    printf("  %-8s mean %.3f ms  median %.3f ms  p95 %.3f ms\n", what, sum / n, v[n / 2],
           v[n * 95 / 100]);
}

int main(int argc, char **argv)
{
    int cols = 400, rows = 120, ncolors = 60;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--colors") && i + 1 < argc)
            ncolors = atoi(argv[++i]);
        else if (sscanf(argv[i], "%dx%d", &cols, &rows) != 2) {
            fprintf(stderr, "usage: bench_curses [COLSxROWS] [--colors N]\n");
            return 2;
        }
    }
    if (cols < 20 || rows < 3 || cols > 1000 || rows > 500 || ncolors < 1 || ncolors > 200) {
        fprintf(stderr, "bench_curses: size 20x3..1000x500, colors 1..200\n");
        return 2;
    }
    setlocale(LC_ALL, "C.UTF-8");
    int slave_fd;
    struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
    if (openpty(&master_fd, &slave_fd, NULL, NULL, &ws)) {
        perror("bench_curses: openpty");
        return 1;
    }
    pthread_t th;
    pthread_create(&th, NULL, drain, NULL);
    FILE *out = fdopen(slave_fd, "w"), *in = fdopen(dup(slave_fd), "r");
    const char *term = "tmux-256color";
    SCREEN *scr = newterm(term, out, in);
    if (!scr)
        scr = newterm(term = "xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "bench_curses: no 256-color terminfo entry\n");
        return 1;
    }
    set_term(scr);
    start_color();
    use_default_colors();
    for (int p = 0; p < ncolors; p++)
        init_extended_pair(1 + p, p % 3 ? COLOR_BLACK : COLOR_WHITE + 8, 16 + (p * 7) % 216);
    endwin();
    doupdate();
    struct termios tio;
    if (!tcgetattr(slave_fd, &tio)) {
        tio.c_oflag &= ~(tcflag_t)OPOST;
        tcsetattr(slave_fd, TCSADRAIN, &tio);
        def_prog_mode();
    }

    enum { FRAMES = 200, LABEL = 18, CW = 6 };
    static cchar_t line[1000];
    double draw[FRAMES], send[FRAMES], total[FRAMES];
    for (int f = 0; f < FRAMES; f++) {
        double t0 = now_ms();
        for (int y = 0; y < rows; y++) {
            char label[64];
            snprintf(label, sizeof label, "%3d \xc4\xa0token%-6d", y + (f % 2) * rows, y);
            mvaddnstr(y, 0, label, LABEL);
            int n = 0;
            for (int c = 0; LABEL + n + CW <= cols; c++) {
                int pair = 1 + (int)((unsigned)(c * 31 + y * 17 + (f % 2) * 7) % (unsigned)ncolors);
                char txt[8];
                snprintf(txt, sizeof txt, "%*.2f", CW, (double)((c + y + f % 2) % 100) / 100.0);
                wchar_t sp[2] = {L' ', 0};
                cchar_t blank;
                setcchar(&blank, sp, 0, (short)pair, NULL);
                for (int i = 0; i < CW; i++) {
                    line[n + i] = blank;
                    line[n + i].chars[0] = (wchar_t)txt[i];
                }
                n += CW;
            }
            mvadd_wchnstr(y, LABEL, line, n);
        }
        wnoutrefresh(stdscr);
        double t1 = now_ms();
        doupdate();
        double t2 = now_ms();
        draw[f] = t1 - t0;
        send[f] = t2 - t1;
        total[f] = t2 - t0;
    }
    endwin();
    printf("curses alone, %dx%d screens of %d-column cells in %d color pair%s (%s), "
           "two screens in turn, %d frames:\n",
           cols, rows, CW, ncolors, ncolors == 1 ? "" : "s", term, FRAMES);
    report("build", draw, FRAMES);
    report("send", send, FRAMES);
    report("frame", total, FRAMES);
    return 0;
}
