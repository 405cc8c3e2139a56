#!/usr/bin/env bash
# seed_cli.sh SEED_BINARY ADVERTISING_CSV WORK_DIR
# Checks the seed harness's command line and input validation: a good file
# (CRLF or LF) gives exit 0; a bad path, malformed lines or a wrong shape give
# exit 2 with a message naming the file and, for malformed content, the line.
set -u
seed=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
csv=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
passed=0
failed=0

# expect NAME STATUS PATTERN -- COMMAND...: runs COMMAND, checks its exit
# status and that its output (stdout and stderr) contains PATTERN.
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [ "$status" -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$pattern"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "  FAIL $name: exit status $status (expected $want), output should contain \"$pattern\":"
    printf '%s\n' "$out" | sed 's/^/    | /' | tail -n 8
  fi
}

if [ ! -r "$csv" ]; then
  echo "seed_cli.sh: cannot read $csv"
  echo "0 passed, 1 failed"
  exit 1
fi

expect "good CRLF file" 0 "exact least-squares answer" -- "$seed" "$csv"
tr -d '\r' < "$csv" > "$work/lf.csv"
expect "LF line endings" 0 "exact least-squares answer" -- "$seed" "$work/lf.csv"
{ cat "$csv"; printf '\r\n\r\n'; } > "$work/trailing-blank.csv"
expect "trailing empty lines" 0 "exact least-squares answer" -- "$seed" "$work/trailing-blank.csv"
expect "environment variable" 0 "exact least-squares answer" -- env LINREG_ADVERTISING_CSV="$csv" "$seed"
expect "--help" 0 "usage: seed" -- "$seed" --help
expect "too many arguments" 2 "usage: seed" -- "$seed" a b

expect "missing file" 2 "$work/missing.csv" -- "$seed" "$work/missing.csv"
expect "directory" 2 "$work" -- "$seed" "$work"
# The default path is relative to the working directory.
expect "default path from elsewhere" 2 "../shared/data/Advertising.csv" -- \
  bash -c 'cd "$1" && exec env -u LINREG_ADVERTISING_CSV "$2"' _ "$work" "$seed"

awk 'NR == 7 { sub(/,[^,]*\r?$/, ",abc\r") } { print }' "$csv" > "$work/not-a-number.csv"
expect "non-numeric field" 2 "not-a-number.csv:7:" -- "$seed" "$work/not-a-number.csv"
awk 'NR == 50 { sub(/,[^,]*\r?$/, "\r") } { print }' "$csv" > "$work/short-line.csv"
expect "missing field" 2 "short-line.csv:50: expected 5 fields, found 4" -- "$seed" "$work/short-line.csv"
awk 'NR == 120 { sub(/\r$/, ",1\r") } { print }' "$csv" > "$work/long-line.csv"
expect "extra field" 2 "long-line.csv:120: expected 5 fields, found 6" -- "$seed" "$work/long-line.csv"
awk 'NR == 30 { sub(/,[^,]*\r?$/, ",nan\r") } { print }' "$csv" > "$work/nan.csv"
expect "NaN field" 2 "nan.csv:30:" -- "$seed" "$work/nan.csv"
awk 'NR == 11 { sub(/^"10"/, "\"10") } { print }' "$csv" > "$work/quote.csv"
expect "unterminated quote" 2 "quote.csv:11:" -- "$seed" "$work/quote.csv"
awk 'NR == 100 { print "\r" } { print }' "$csv" > "$work/blank-line.csv"
expect "empty line inside" 2 "blank-line.csv:100:" -- "$seed" "$work/blank-line.csv"
head -n 200 "$csv" > "$work/199-rows.csv"
expect "199 rows" 2 "199 data rows" -- "$seed" "$work/199-rows.csv"
sed '1s/"Radio"/"Radius"/' "$csv" > "$work/no-radio.csv"
expect "missing column" 2 "no column named \"Radio\"" -- "$seed" "$work/no-radio.csv"
: > "$work/empty.csv"
expect "empty file" 2 "empty file" -- "$seed" "$work/empty.csv"
head -n 1 "$csv" > "$work/header-only.csv"
expect "header only" 2 "no data rows" -- "$seed" "$work/header-only.csv"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
