# A directory as one list of sequences: the files are listed and read in
# idle time, the sequence list covers every file and searches their text,
# ] and [ and the list switch across files (each loaded when shown, with
# its own class default), a file that cannot be read is reported and left
# out, pair counts within its file, reload reads the files again.
source "$(dirname "$0")/tuilib.bash" "$@"
D=$WORK/runs
mkdir -p "$D/sub"
cp "$INSEQ/encdec_ig_granular_split_0.json" "$D/a_0.json"
cp "$INSEQ/encdec_occlusion_coarse.json" "$D/b.json"
echo "not json" >"$D/c_bad.json"
cp "$INSEQ/encdec_pair_coarse.json" "$D/d.json"
echo "notes" >"$D/readme.txt"     # not an attribution file: not listed
cp "$INSEQ/encdec_pair_coarse.json" "$D/sub/e.json"   # not recursive

start 120 36 TERM=xterm-256color -- "$D"
expect "a_0.json │ seq 0 of 4 │ granular" "the first file's first sequence"
expect "3 of 4 files read (4 sequences); 1 could not be read: $D/c_bad.json" "failing file reported"
expect_golden_cell encdec_ig_granular default 0 src source_attributions 3 4
# ] crosses into the next file: coarse, shown as stored by its default
keys ']'
expect "b.json │ seq 1 of 4 │ coarse" "] loads the next file"
keys Tab   # source alone
expect_golden_cell encdec_occlusion_coarse none 0 src source_attributions 6 0
keys ']'
expect "d.json │ seq 2 of 4" "the failing file is skipped"
keys '['
expect "b.json │ seq 1 of 4" "[ goes back"
# the list of every sequence, with its text; search across files
keys s
expect "sequences (4)" "the list counts every file's sequences"
expect "  0  Hello world, today is a good day!" "the first file's text"
expect "  3  " "the last file's sequences"
keys /
expect "search the sequences' text" "search prompt"
type_text "planet"
keys Enter
expect "'planet': sequence 3" "found in the last file"
keys Enter
expect "d.json │ seq 3 of 4" "picked: the sequence of that file"
# pair: the other sequence of the same file, picked in the editor
keys '['
expect "d.json │ seq 2 of 4" "first sequence of d.json"
keys a C-u C-n C-n C-n C-n C-n C-o
expect "> pair with=1 " "with= counts within the file"
keys Enter
expect "pipeline: pair with=1 │ source " "pair applied (the layout stays: source alone)"
expect_golden_cell encdec_pair_coarse "pair with=1 (sequence 0)" 0 src source_attributions 1 1
# the same pipeline on a file with one sequence cannot run: said in place
keys g
keys s g Enter
expect "a_0.json │ seq 0 of 4" "back to the first file"
expect "cannot be shown" "the pipeline does not fit this file"
expect "there is no sequence 1" "and why"
keys u
expect "pipeline: default │" "undo"
expect_golden_cell encdec_ig_granular default 0 src source_attributions 2 2
# info lists the files
keys i
expect "Files (4, 3 read, 1 could not be read):" "info: the files: three read, one not"
expect "c_bad.json  (could not be read)" "info: the failing file"
keys q
# reload reads the files again (the bad one is good now)
cp "$INSEQ/encdec_occlusion_coarse.json" "$D/c_bad.json"
keys r
expect "seq 0 of 5" "reload: five sequences now"
expect "all 4 files read: 5 sequences" "reload: every file read"
keys q
expect_restored 0

# several files given by name: the same list, in argument order
start 120 36 TERM=xterm-256color -- "$D/d.json" "$INSEQ/encdec_ig_granular_split_1.json" --stats
expect "d.json │ seq 0 of 3" "files in argument order"
keys ']' ']'
expect "encdec_ig_granular_split_1.json │ seq 2 of 3" "the second file"
expect_golden_cell encdec_ig_granular default 1 src source_attributions 1 2
keys q
expect_restored 0
grep -q "files read:       all 2 (3 sequences, 0 failed)" "$WORK/stderr" && ok "--stats: the listing time" || fail "stats: $(cat "$WORK/stderr")"
finish
