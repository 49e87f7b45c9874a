#!/usr/bin/env bash
# Takes a screenshot of a scan report (report.html) with a headless browser, to look at how it renders.
#
# Usage: scripts/report-screenshot.sh REPORT.html OUT.png [WIDTH [HEIGHT]]   (default 1280 x 2000 pixels)
#
# Needs Chromium (apt-get install chromium) or Firefox (apt-get install firefox-esr); it uses whichever it
# finds first. Nothing in `make` or CI runs it: the report's tests check its markup, not its pixels.
#
# To look at the sample report the tests can write (a generated week of posts):
#   REPORT_SAMPLE=/tmp/report-sample.html swift test --filter writeSampleReport
#   scripts/report-screenshot.sh /tmp/report-sample.html /tmp/report-sample.png
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '4p' "$0" | sed 's/^# //' >&2
    exit 64
fi
report="$1"
out="$2"
width="${3:-1280}"
height="${4:-2000}"
[ -f "$report" ] || { echo "report-screenshot: $report: no such file" >&2; exit 1; }
# Browsers resolve file URLs and output paths from their own working directory: make both absolute.
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

for browser in chromium chromium-browser google-chrome; do
    if command -v "$browser" >/dev/null; then
        # --no-sandbox: the sandbox refuses to start as root, which is how containers and CI usually run.
        "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
            --window-size="$width,$height" --screenshot="$out" "$url" 2>/dev/null
        echo "report-screenshot: $out ($browser, ${width}x$height)"
        exit 0
    fi
done
for browser in firefox-esr firefox; do
    if command -v "$browser" >/dev/null; then
        # A throwaway profile, so a running Firefox or a first-run page doesn't get in the way.
        profile="$(mktemp -d)"
        trap 'rm -rf "$profile"' EXIT
        "$browser" --headless --profile "$profile" --window-size="$width,$height" --screenshot "$out" "$url" \
            >/dev/null 2>&1
        echo "report-screenshot: $out ($browser, ${width}x$height)"
        exit 0
    fi
done
echo "report-screenshot: no headless browser found; apt-get install chromium (or firefox-esr)" >&2
exit 1
