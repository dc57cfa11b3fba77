# Special files never hang the explorer: a directory lists only regular
# files (a FIFO or a link to /dev/zero beside the attribution files is left
# out), a FIFO given by name is waited for without blocking, and q, Ctrl-C,
# SIGTERM and SIGHUP end the explorer at once while files are being read.
source "$(dirname "$0")/tuilib.bash" "$@"
D=$WORK/run
mkdir -p "$D"
cp "$INSEQ/encdec_occlusion_coarse.json" "$D/a.json"
mkfifo "$D/b.json"
ln -s /dev/zero "$D/c.json"
cp "$INSEQ/encdec_pair_coarse.json" "$D/d.json"
mkfifo "$WORK/pipe.json"

# --- a directory holding a FIFO and a link to /dev/zero: only a.json and
# d.json are listed and read
start 120 30 TERM=xterm-256color -- "$D"
expect "a.json │ seq 0 of 3" "the first regular file is shown"
expect "all 2 files read: 3 sequences" "the FIFO and the link to /dev/zero are not listed"
keys i
expect "Files (2, 2 read, 0 could not be read):" "info lists the two regular files"
keys Escape q
expect_restored 0

# --- q while the background reader waits for a FIFO given by name
start 120 30 TERM=xterm-256color -- "$INSEQ/encdec_occlusion_coarse.json" "$WORK/pipe.json"
expect "seq 0 of 1" "the first file is shown while the FIFO is waited for"
expect "reading files 1/2" "the FIFO is still being read"
t0=$(date +%s%N)
keys q
expect_restored 0
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -lt 3000 ] && ok "q quits in ${ms} ms" || fail "q took ${ms} ms"

# --- signals in the same state
for sig in INT TERM HUP; do
    start 120 30 TERM=xterm-256color -- "$INSEQ/encdec_occlusion_coarse.json" "$WORK/pipe.json"
    expect "reading files 1/2" "reading the FIFO before SIG$sig"
    kill -"$sig" "$(bin_pid)"
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    expect_restored $want
done

# --- a FIFO alone: the loading screen waits for a writer; q leaves it
start 120 30 TERM=xterm-256color -- "$WORK/pipe.json"
expect "Loading $WORK/pipe.json" "the loading screen waits for the FIFO"
keys q
expect_restored 0
start 120 30 TERM=xterm-256color -- "$WORK/pipe.json"
expect "Loading $WORK/pipe.json" "waiting again"
kill -TERM "$(bin_pid)"
expect_restored 143

# --- a writer comes: the FIFO is read as it arrives
start 120 30 TERM=xterm-256color -- "$WORK/pipe.json"
expect "Loading $WORK/pipe.json" "waiting for a writer"
cat "$INSEQ/encdec_occlusion_coarse.json" >"$WORK/pipe.json"
expect "seq 0 of 1" "the FIFO's content is shown"
keys q
expect_restored 0

finish
