#!/bin/bash
# layers.sh - the layers of the tree stay layers: curses only in tui/, and
# each layer includes only its own headers and those of the layers below it
#   model/ <- view/ <- render/ <- tui/ <- cli/
#
#   bash tests/layers.sh ATTRSCOPE_BINARY FIXTURES_DIR   (arguments unused)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
fails=0 checks=0
check() { # LAYER ALLOWED-LAYERS...: every "x.h" a file of LAYER includes lives in an allowed layer
    local layer=$1 f inc found l ok
    shift
    for f in "$layer"/*.c "$layer"/*.h; do
        [ -e "$f" ] || continue
        while IFS= read -r inc; do
            checks=$((checks + 1))
            found=""
            for l in model view render tui cli; do
                [ -e "$l/$inc" ] && found="$found $l"
            done
            [ -z "$found" ] && continue   # generated or system header
            ok=0
            for l in $found; do
                case " $layer $* " in *" $l "*) ok=1 ;; esac
            done
            if [ $ok -eq 0 ]; then
                echo "FAIL: $f includes \"$inc\" from$found (allowed: $layer $*)"
                fails=$((fails + 1))
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    done
}
check model
check view model
check render view model
check tui view render model
check cli tui view render model

# Inside tui/: a one-way chain of headers, each including the one below,
# and each .c file including the header of its own layer only, as the
# table in tui/state.h says ("HEADER  FILE.c ..." lines; explore.c the top).
chain=(state.h widgets.h grid.h panels.h dispatch.h)
declare -A level owner
for i in "${!chain[@]}"; do level[${chain[$i]}]=$i; done
while read -r h files; do
    for f in $files; do owner[$f]=$h; done
done < <(sed -n 's/^ \*   \([a-z]*\.h\)  *\([a-z].*\.c\)[^.]*$/\1 \2/p' tui/state.h | sed 's/(.*//')
owner[explore.c]=dispatch.h
for f in tui/*.c tui/*.h; do
    b=$(basename "$f")
    incs=$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    mine=""
    for inc in $incs; do
        [ -n "${level[$inc]+x}" ] && mine="$mine $inc"
    done
    mine=${mine# }
    checks=$((checks + 1))
    if [ -n "${level[$b]+x}" ]; then       # a header of the chain: the one below
        want=""
        [ "${level[$b]}" -gt 0 ] && want=${chain[$((level[$b] - 1))]}
        if [ "$mine" != "$want" ]; then
            echo "FAIL: $f includes '${mine}' of the chain, should include '${want}'"
            fails=$((fails + 1))
        fi
    elif [ "${f%.c}" != "$f" ] && [ -n "${owner[$b]+x}" ]; then   # a file of a layer
        if [ "$mine" != "${owner[$b]}" ]; then
            echo "FAIL: $f includes '${mine}' of the chain, its layer is ${owner[$b]} (tui/state.h)"
            fails=$((fails + 1))
        fi
    elif [ -n "$mine" ]; then               # a leaf (label, theme, the action table...)
        echo "FAIL: $f is in no layer of tui/state.h but includes $mine"
        fails=$((fails + 1))
    fi
done
# every file the table names exists, and names at least the chain's files
checks=$((checks + 1))
for f in "${!owner[@]}"; do
    if [ ! -e "tui/$f" ]; then
        echo "FAIL: tui/state.h names tui/$f, which does not exist"
        fails=$((fails + 1))
    fi
done
if [ "${#owner[@]}" -lt 20 ]; then
    echo "FAIL: the layer table of tui/state.h names only ${#owner[@]} files"
    fails=$((fails + 1))
fi

# curses: included by tui/ only
while IFS= read -r hit; do
    echo "FAIL: curses outside tui/: $hit"
    fails=$((fails + 1))
done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses(w)?/)?n?curses(w)?\.h[>"]' \
             model/* view/* render/*.c render/*.h cli/* tests/*.c tests/*.h 2>/dev/null)
checks=$((checks + 1))

echo "$((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
