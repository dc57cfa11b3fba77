/* keys.c - key names and the grid's key bindings, parsed from the action
 * table (actions.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

/* ---------------------------------------------------------- key names */

static const struct {
    const char *name;
    int code;
} named[] = {
    {"Left", TUI_KEYCODE(KEY_LEFT)}, {"Right", TUI_KEYCODE(KEY_RIGHT)},
    {"Up", TUI_KEYCODE(KEY_UP)},     {"Down", TUI_KEYCODE(KEY_DOWN)},
    {"PgUp", TUI_KEYCODE(KEY_PPAGE)}, {"PgDn", TUI_KEYCODE(KEY_NPAGE)},
    {"Home", TUI_KEYCODE(KEY_HOME)}, {"End", TUI_KEYCODE(KEY_END)},
    {"Tab", '\t'},                   {"Enter", '\n'},
    {"Esc", TUI_ESC},                {"Backspace", TUI_KEYCODE(KEY_BACKSPACE)},
    {"Space", ' '},
};

static int key_from_name(const char *k, size_t n)
{
    if (n == 1)
        return (unsigned char)k[0];
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i].name) == n && !strncmp(k, named[i].name, n))
            return named[i].code;
    if (n == 3 && k[0] == 'C' && k[1] == '-')
        return TUI_CTRL(k[2]);
    if (n >= 2 && k[0] == 'F')
        return TUI_KEYCODE(KEY_F(atoi(k + 1)));
    return -1;
}

void tui_key_name(int key, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].code == key) {
            snprintf(buf, n, "%s", named[i].name);
            return;
        }
    if (key == '\r')
        snprintf(buf, n, "Enter");
    else if (key > 0 && key < 32)
        snprintf(buf, n, "C-%c", key + 'a' - 1);
    else if (key > 32 && key < 127)
        snprintf(buf, n, "%c", key);
    else if (key >= TUI_KEYCODE(KEY_F(1)) && key <= TUI_KEYCODE(KEY_F(63)))
        snprintf(buf, n, "F%d", key - TUI_KEYCODE(KEY_F(0)));
    else
        snprintf(buf, n, "#%x", (unsigned)key);
}

typedef struct keybind {
    int key;
    int action;
} keybind;

static keybind binds[ACT_COUNT * 4];
static size_t nbinds;
static char first_key[ACT_COUNT][16];

void tui_bind_keys(void)
{
    nbinds = 0;
    for (int a = 0; a < ACT_COUNT; a++) {
        const char *name;
        size_t len;
        bool first = true;
        for (const char *p = tui_action_table[a].keys; (p = tui_keys_next(p, &name, &len));) {
            int code = key_from_name(name, len);
            if (code >= 0 && nbinds < sizeof binds / sizeof binds[0])
                binds[nbinds++] = (keybind){code, a};
            if (first)
                snprintf(first_key[a], sizeof first_key[a], "%.*s", (int)len, name);
            first = false;
        }
    }
}

const char *tui_action_key(int action)
{
    return first_key[action];
}

/* Folds the different codes terminals send for the same key. */
int tui_key_normalize(int k)
{
    switch (k) {
    case '\r':
    case TUI_KEYCODE(KEY_ENTER):
        return '\n';
    case TUI_KEYCODE(KEY_FIND):
    case TUI_KEYCODE(KEY_A1):
        return TUI_KEYCODE(KEY_HOME);
    case TUI_KEYCODE(KEY_SELECT):
    case TUI_KEYCODE(KEY_C1):
        return TUI_KEYCODE(KEY_END);
    case TUI_KEYCODE(KEY_A3):
        return TUI_KEYCODE(KEY_PPAGE);
    case TUI_KEYCODE(KEY_C3):
        return TUI_KEYCODE(KEY_NPAGE);
    default:
        return k;
    }
}

int tui_key_action(int key)
{
    key = tui_key_normalize(key);
    for (size_t i = 0; i < nbinds; i++)
        if (binds[i].key == key)
            return binds[i].action;
    return -1;
}
