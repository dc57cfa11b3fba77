/* term.c - the terminal: signals, starting and ending curses (with the
 * color mode), stopping on Ctrl-Z.  The terminal is restored by term_end()
 * on every way out. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "state.h"

/* after state.h: it defines macros (lines, columns) that clash with names */
#include <term.h>

/* -------------------------------------------------------------- signals */

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t got_cont;
static volatile sig_atomic_t got_tstp;

static void on_signal(int sig)
{
    got_signal = sig;
}

static void on_cont(int sig)
{
    (void)sig;
    got_cont = 1;
}

static void on_tstp(int sig)
{
    (void)sig;
    got_tstp = 1;
}

void term_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;   /* no SA_RESTART: a blocked read returns */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_cont;
    sigaction(SIGCONT, &sa, NULL);
    /* SIGTSTP (Ctrl-Z): the main loop gives the terminal back, stops, and
     * repaints everything once continued (see suspend_now). */
    sa.sa_handler = on_tstp;
    sigaction(SIGTSTP, &sa, NULL);
}

int term_pending_signal(void)
{
    return got_signal;
}

bool term_take_tstp(void)
{
    if (!got_tstp)
        return false;
    got_tstp = 0;
    return true;
}

bool term_take_cont(void)
{
    if (!got_cont)
        return false;
    got_cont = 0;
    return true;
}

/* --------------------------------------------------------------- curses */

static SCREEN *scr;
static FILE *tty_in;
static bool curses_on;

/* Removes what direct_screen() wrote (the compiled entry may sit under its
 * first letter or under its hex code, as tic lays databases out). */
static void remove_tree(const char *dir, const char *name)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%c/%s", dir, name[0], name);
    unlink(p);
    snprintf(p, sizeof p, "%s/%c", dir, name[0]);
    rmdir(p);
    snprintf(p, sizeof p, "%s/%02x/%s", dir, (unsigned char)name[0], name);
    unlink(p);
    snprintf(p, sizeof p, "%s/%02x", dir, (unsigned char)name[0]);
    rmdir(p);
    snprintf(p, sizeof p, "%s/src", dir);
    unlink(p);
    rmdir(dir);
}

/* A screen with direct (24-bit) colors for a terminal whose description
 * has none, when the user or COLORTERM asks for truecolor: the terminal's
 * own description ($TERM) with direct colors added (RGB, setaf/setab
 * writing ESC[38;2;R;G;Bm and ESC[48;2;R;G;Bm), compiled by tic into a
 * private directory, read by curses, and removed.  NULL when TERM is
 * unusual or tic is missing or fails. */
static SCREEN *direct_screen(FILE *in)
{
    const char *term = getenv("TERM");
    if (!term || !*term || strlen(term) > 100)
        return NULL;
    for (const char *p = term; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
            return NULL;
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/attrscope-ti-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return NULL;
    char name[160], src[PATH_MAX + 8];
    snprintf(name, sizeof name, "%s-asdirect", term);
    snprintf(src, sizeof src, "%s/src", dir);
    FILE *f = fopen(src, "w");
    if (!f) {
        rmdir(dir);
        return NULL;
    }
    fprintf(f,
            "%s|%s with direct colors,\n"
            "\tcolors#0x1000000, pairs#0x10000, RGB,\n"
            "\tsetaf=\\E[%%?%%p1%%{8}%%<%%t3%%p1%%d%%e38;2;%%p1%%{65536}%%/%%d;"
            "%%p1%%{256}%%/%%{255}%%&%%d;%%p1%%{255}%%&%%d%%;m,\n"
            "\tsetab=\\E[%%?%%p1%%{8}%%<%%t4%%p1%%d%%e48;2;%%p1%%{65536}%%/%%d;"
            "%%p1%%{256}%%/%%{255}%%&%%d;%%p1%%{255}%%&%%d%%;m,\n"
            "\tinitc@, ccc@, oc@, use=%s,\n",
            name, term, term);
    bool ok = fclose(f) == 0;
    SCREEN *s = NULL;
    if (ok) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        char *argv[] = {"tic", "-x", "-o", dir, src, NULL};
        pid_t pid;
        int st = 0;
        ok = posix_spawnp(&pid, "tic", &fa, NULL, argv, environ) == 0 &&
             waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
        posix_spawn_file_actions_destroy(&fa);
    }
    if (ok) {
        const char *old = getenv("TERMINFO");
        char *keep = old ? strdup(old) : NULL;
        setenv("TERMINFO", dir, 1);
        s = newterm(name, stdout, in);
        if (keep)
            setenv("TERMINFO", keep, 1);
        else
            unsetenv("TERMINFO");
        free(keep);
    }
    remove_tree(dir, name);
    return s;
}

int term_start(tui *t, char *err, size_t errlen)
{
    const explore_opts *o = t->opts;
    tty_in = stdin;
    if (!isatty(STDIN_FILENO)) {
        tty_in = fopen("/dev/tty", "r");
        if (!tty_in) {
            snprintf(err, errlen, "cannot read the keyboard: /dev/tty: %s", strerror(errno));
            return -1;
        }
    }
    const char *no_color = getenv("NO_COLOR");
    bool nocolor = (no_color && no_color[0] && o->color == EXPLORE_COLOR_AUTO) ||
                   o->color == EXPLORE_COLOR_MONO;
    /* truecolor when asked (--color truecolor, or COLORTERM under auto),
     * whatever the terminal's description says */
    const char *term = getenv("TERM");
    bool want_true = !nocolor && (o->color == EXPLORE_COLOR_TRUE ||
                                  (o->color == EXPLORE_COLOR_AUTO && theme_env_truecolor()));
    scr = NULL;
    if (want_true && !(term && strstr(term, "direct"))) {
        scr = direct_screen(tty_in);
        const char *direct = scr ? NULL : theme_direct_term();
        if (direct)
            scr = newterm(direct, stdout, tty_in);
    }
    if (!scr)
        scr = newterm(NULL, stdout, tty_in);
    if (!scr) {
        snprintf(err, errlen, "cannot drive this terminal (TERM=%s)", term ? term : "unset");
        if (tty_in != stdin)
            fclose(tty_in);
        tty_in = NULL;
        return -1;
    }
    set_term(scr);
    curses_on = true;
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    /* ncurses (6.4 at least) sends its buffer to the terminal after every
     * cursor move until the screen has been through endwin() once: a full
     * screen then goes out in hundreds of small writes, each waking the
     * terminal.  One round trip now, before anything is drawn, makes it
     * write each update at once. */
    endwin();
    doupdate();
    {
        struct termios tio;
        if (!tcgetattr(fileno(stdout), &tio)) {
            tio.c_oflag &= ~(tcflag_t)OPOST;
            tcsetattr(fileno(stdout), TCSADRAIN, &tio);
            def_prog_mode();
        }
    }
    idlok(stdscr, FALSE);   /* vertical scrolls move lines instead of resending them */
    set_escdelay(25);
    if (t->mouse_on) {
        /* presses only (a click is one event, at once), the wheel, and
         * Shift with the wheel for columns */
        mouseinterval(0);
        mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED | BUTTON_SHIFT |
                      BUTTON_CTRL | BUTTON_ALT,
                  NULL);
    }
    curs_set(0);
    wtimeout(stdscr, 100);
    tui_color_mode mode = TUI_MONO;
    if (!nocolor && has_colors()) {
        start_color();
        mode = theme_detect();
    }
    t->max_mode = mode;
    switch (o->color) {
    case EXPLORE_COLOR_256:
        mode = mode > TUI_256 ? TUI_256 : mode;
        break;
    case EXPLORE_COLOR_8:
        mode = mode > TUI_8 ? TUI_8 : mode;
        break;
    default:
        break;
    }
    theme_init(mode);
    return 0;
}

void term_end(void)
{
    if (!curses_on)
        return;
    curs_set(1);
    endwin();
    delscreen(scr);
    scr = NULL;
    curses_on = false;
    if (tty_in && tty_in != stdin)
        fclose(tty_in);
    tty_in = NULL;
    fflush(stdout);
}

/* Ctrl-Z: leave curses mode, stop with the default action, and return once
 * continued; the caller repaints (curses resumes on the next update). */
void term_suspend(void)
{
    if (curses_on) {
        curs_set(1);
        endwin();
        fflush(stdout);
    }
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    sigemptyset(&dfl.sa_mask);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGTSTP, &dfl, &old);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &old, NULL);
}

bool term_active(void)
{
    return curses_on;
}

/* Moves line y of window w from column x0 by n (n > 0: to the left)
 * through tmp, blanks coming in. */
static void shift_line(WINDOW *w, WINDOW *tmp, int y, int x0, int width, long n,
                       const cchar_t *blank)
{
    int an = (int)(n < 0 ? -n : n), keep = width - an;
    int from = n > 0 ? x0 + an : x0, to = n > 0 ? x0 : x0 + an;
    copywin(w, tmp, y, from, 0, 0, 0, keep - 1, FALSE);
    copywin(tmp, w, 0, 0, y, to, y, to + keep - 1, FALSE);
    mvwhline_set(w, y, n > 0 ? x0 + keep : x0, blank, an);
}

bool term_shift_columns(const int *ys, int ny, int x0, long n)
{
    int W = COLS;
    long an = n < 0 ? -n : n;
    /* blanks that come in must be the default background: back color erase
     * after an attribute reset */
    if (!curses_on || !an || an >= W - x0 || !parm_dch || !parm_ich || !back_color_erase)
        return false;
    int w = W - x0;
    /* lines go through this window: a copy within one window would
     * overwrite what it still has to read */
    WINDOW *tmp = newwin(1, w, 0, 0);
    if (!tmp)
        return false;
    cchar_t blank;
    wchar_t sp[2] = {L' ', 0};
    setcchar(&blank, sp, A_NORMAL, 0, NULL);
    /* where curses believes the terminal's cursor is (where the last update
     * left it): it goes back there at the end */
    int cy, cx, sy, sx;
    getyx(curscr, cy, cx);
    getyx(stdscr, sy, sx);
    vid_attr(A_NORMAL, 0, NULL);
    for (int i = 0; i < ny; i++) {
        int y = ys[i];
        mvcur(-1, -1, y, x0);
        putp(tiparm(n > 0 ? parm_dch : parm_ich, (int)an));
        /* the same on curses' copy of the screen, and on the window */
        shift_line(curscr, tmp, y, x0, w, n, &blank);
        shift_line(stdscr, tmp, y, x0, w, n, &blank);
    }
    delwin(tmp);
    mvcur(-1, -1, cy, cx);
    wmove(curscr, cy, cx);
    wmove(stdscr, sy, sx);
    /* these go through stdio, curses' updates through its own buffer:
     * they must reach the terminal before the next update */
    fflush(stdout);
    return true;
}
