#!/usr/bin/env bash
# run-fuzzers.sh SECONDS OUT "EXTRA_FLAGS" HARNESS...
# Fuzzes each harness for SECONDS seconds, starting from its committed seeds
# (corpus/<harness>/, read only) plus a working corpus in OUT/corpus/<harness>/
# where new inputs go. Prints libFuzzer's final stats and a summary; exits
# non-zero if any harness crashed, leaked, timed out or ran out of memory.
set -u
seconds=$1 out=$2 extra=$3
shift 3
failed=0 passed=0 total=0
summary=""
for h in "$@"; do
  mkdir -p "$out/corpus/$h" "$out/artifacts" "corpus/$h"
  log="$out/$h.log"
  echo "== $h: fuzzing for ${seconds}s (full log: $out/$h.log)"
  # shellcheck disable=SC2086
  "$out/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$h-" $extra "$out/corpus/$h" "corpus/$h" >"$log" 2>&1
  rc=$?
  grep -E '^stat::' "$log" | sed 's/^/   /'
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    line="$h: ok, ${execs:-?} executions in ${seconds}s, harness coverage ${cov:-?} edges"
  else
    failed=$((failed + 1))
    line="$h: FAILED (exit $rc) after ${execs:-?} executions; crash input in $out/artifacts/"
    echo "---- last lines of $log ----"
    tail -n 60 "$log"
    echo "----"
  fi
  total=$((total + ${execs:-0}))
  summary+="$line"$'\n'
  echo "$line"
done
echo "== fuzz summary"
printf '%s' "$summary"
echo "total executions: $total"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
