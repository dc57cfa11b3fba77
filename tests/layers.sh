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

# curses: included by tui/ only
while IFS= read -r hit; do
    echo "FAIL: curses outside tui/: $hit"
    fails=$((fails + 1))
done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses(w)?/)?n?curses(w)?\.h[>"]' \
             model/* view/* render/*.c render/*.h cli/* tests/*.c tests/*.h 2>/dev/null)
checks=$((checks + 1))

echo "$((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
