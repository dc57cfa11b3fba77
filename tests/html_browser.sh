#!/bin/bash
# html_browser.sh - the HTML pages in a real browser: writes the test pages
# with bench_html (built next to the attrscope binary), then drives headless
# Chromium over its DevTools pipe (tests/html_browser.js, no npm packages):
# moving sliders, selecting tokens and hovering cells must show the right
# numbers with no console error.  Screenshots go to BUILD_DIR/html_browser/.
#
#   bash tests/html_browser.sh ATTRSCOPE_BINARY FIXTURES_DIR
#
# Needs Chromium (Debian package `chromium`) and Node.js; without them the
# test says so and is reported as skipped (exit 77).
set -u
bin=${1:?usage: html_browser.sh ATTRSCOPE_BINARY FIXTURES_DIR}
fixtures=${2:?usage: html_browser.sh ATTRSCOPE_BINARY FIXTURES_DIR}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$(dirname "$bin")" && pwd)
gen=$build/bench_html

chrome=${CHROMIUM:-}
if [ -z "$chrome" ]; then
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then chrome=$(command -v "$c"); break; fi
    done
fi
if [ -z "$chrome" ]; then
    echo "SKIP: no Chromium found (apt-get install -y chromium); browser checks not run"
    exit 77
fi
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: no node found; browser checks not run"
    exit 77
fi
if [ ! -x "$gen" ]; then
    echo "FAIL: $gen not built"
    exit 1
fi

pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
"$gen" pages "$pages" "$fixtures" || { echo "FAIL: bench_html pages"; exit 1; }
timeout 150 node "$here/html_browser.js" "$chrome" "$pages" "$build/html_browser"
