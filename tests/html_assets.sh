#!/bin/bash
# html_assets.sh - render/html_assets.c must match render/assets/ (it is
# generated from them by tools/embed_assets.py).
#
#   bash tests/html_assets.sh ATTRSCOPE_BINARY FIXTURES_DIR   (arguments unused)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: no python3 to regenerate the assets"
    exit 77
fi
python3 "$root/tools/embed_assets.py" --check
