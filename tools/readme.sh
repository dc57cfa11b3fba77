#!/usr/bin/env bash
# Regenerates the generated parts of README.md: the explorer's keys (from the
# action table, via attrscope --keys-markdown), the pipeline keys (from the
# language's lists in model/pipeline.h, via attrscope --pipeline-markdown) and the screen capture of the
# explorer on the bundled example (through tmux at 100x30).
# Usage: tools/readme.sh [ATTRSCOPE]   (default build/attrscope)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/attrscope}

keys=$(mktemp) cap=$(mktemp) pipe=$(mktemp) cfg=$(mktemp -d)
trap 'rm -f "$keys" "$cap" "$pipe"; rm -rf "$cfg"; tmux kill-session -t readme-capture 2>/dev/null || true' EXIT
{
  echo "## Keys in the explorer"
  echo
  echo "Generated from the explorer's action table (\`attrscope --keys-markdown\`; also in"
  echo "\`man attrscope\` and under \`?\` in the explorer)."
  echo
  "$bin" --keys-markdown | sed 's/^### /### /'
} >"$keys"

"$bin" --pipeline-markdown >"$pipe"

tmux new-session -d -s readme-capture -x 100 -y 30 "TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$cfg $bin"
for _ in $(seq 50); do
  tmux capture-pane -p -t readme-capture | grep -q 'q:quit' && break
  sleep 0.1
done
tmux send-keys -t readme-capture j j l l
sleep 0.5
{
  echo '```'
  tmux capture-pane -p -t readme-capture | sed -e 's/[[:space:]]*$//' | awk 'NF {last = NR} {line[NR] = $0} END {for (i = 1; i <= last; i++) print line[i]}'
  echo '```'
} >"$cap"
tmux send-keys -t readme-capture q

python3 - "$keys" "$cap" "$pipe" <<'PY'
import re, sys
keys, cap, pipe = (open(p).read() for p in sys.argv[1:4])
r = open("README.md").read()
def put(text, name, body):
    pat = re.compile(r"(<!-- %s:begin -->\n).*?(<!-- %s:end -->)" % (name, name), re.S)
    assert pat.search(text), name
    return pat.sub(lambda m: m.group(1) + body + m.group(2), text)
r = put(r, "keys", keys)
r = put(r, "pipeline", pipe)
r = put(r, "capture", "The explorer on the bundled example (`attrscope`, 100x30):\n\n" + cap)
open("README.md", "w").write(r)
PY
echo "README.md updated"
