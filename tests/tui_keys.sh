# One action table drives everything: the key list of --keys-markdown, the
# man page section (tools/mkkeys), the help overlay and the status hints.
source "$(dirname "$0")/tuilib.bash" "$@"
SRC=$(dirname "$TESTS")
names=$(grep -oE '^ *X\([A-Z_]+, "[^"]+", "[^"]+"' "$SRC/tui/actions.h" | sed -E 's/.*"([^"]+)"$/\1/')
helps=$(grep -oE '^ *X\([A-Z_]+, "[^"]+", "[^"]+", "[^"]+", *"[^"]+"' "$SRC/tui/actions.h" | sed -E 's/.*"([^"]+)"$/\1/')
n=$(echo "$names" | wc -l)
[ "$n" -ge 40 ] && ok "$n actions in the table" || fail "only $n actions parsed"

"$BIN" --keys-markdown >"$WORK/keys.md"
missing=0
for a in $names; do grep -q "| $a |" "$WORK/keys.md" || { missing=1; echo "missing in markdown: $a"; }; done
[ $missing = 0 ] && ok "--keys-markdown lists every action" || fail "--keys-markdown incomplete"
grep -q '^| `?`, `F1` | help |' "$WORK/keys.md" && ok "keys rendered as code" || fail "markdown key format"

# the man page section from the same table
MK=$(dirname "$BIN")/mkkeys
if [ ! -x "$MK" ]; then
    cc -std=c11 -I"$SRC/tui" "$SRC/tools/mkkeys.c" "$SRC/tui/keydoc.c" -o "$WORK/mkkeys" && MK=$WORK/mkkeys
fi
if "$MK" markdown | cmp -s - "$WORK/keys.md"; then ok "mkkeys and the binary agree"; else fail "mkkeys markdown differs"; fi
"$MK" page "$SRC/doc/attrscope.1.in" "$WORK/attrscope.1"
tp=$(sed -n '/^\.SH KEYS/,/^\.SH ENVIRONMENT/p' "$WORK/attrscope.1" | grep -c '^\.TP')
[ "$tp" = "$n" ] && ok "man page KEYS section has one entry per action" || fail "man page: $tp entries for $n actions"
grep -q '@KEYS@' "$WORK/attrscope.1" && fail "template placeholder left" || ok "template filled"
if command -v man >/dev/null && man -l "$WORK/attrscope.1" 2>/dev/null | grep -q "cycle source, target, both stacked"; then
    ok "man renders the page"
fi
BUILT=$(dirname "$BIN")/attrscope.1
[ -f "$BUILT" ] && { grep -q '^\.SH KEYS' "$BUILT" && ok "built man page has the keys" || fail "built man page"; }

# the help overlay shows every help line
start 160 40 TERM=xterm-256color -- "$INSEQ/encdec_occlusion_coarse.json"
expect "seq 0 of 1" "starts"
expect "?:help" "hints from the table"
expect "q:quit" "quit hint"
keys x
expect "press ? for the keys" "unbound key: a hint"
keys '?'
expect "keys" "help opens"
# the first screen of the help and its end (G) cover every line
seen=$(screen)
keys G
for ((k = 0; k < 50; k++)); do [ "$(screen)" != "$seen" ] && break; sleep 0.02; done
seen="$seen$(screen)"
missing=0
while IFS= read -r h; do
    grep -qF -- "$h" <<<"$seen" || { missing=1; echo "help overlay misses: $h"; }
done <<<"$helps"
[ $missing = 0 ] && ok "help overlay lists every action" || fail "help overlay incomplete"
keys q
wait_gone "PgUp PgDn scroll, q close" && ok "q closes the help" || fail "help still open"
keys q
expect_restored 0
finish
