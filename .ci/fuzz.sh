#!/usr/bin/env bash
# Fuzzes every Jazzer target of core (jazzer-junit, JAZZER_FUZZ=1) for a fixed time each.
#
#   .ci/fuzz.sh                                   # each target 60 s
#   FUZZ_DURATION=10s .ci/fuzz.sh                 # Jazzer duration syntax: 30s, 5m, 1h
#   FUZZ_TARGETS='TranslatorFuzzTest#fuzz6to4' .ci/fuzz.sh
#
# Exit status: 0 when every target ran for its duration without a finding; 1 on a finding (the
# crashing input is kept as a new file in core/src/test/resources/dev/siitdc/core/fuzz/
# <Class>Inputs/<method>/, so plain `./mvnw test` replays it from then on, and its hex is printed
# below); 2 when a target did not fuzz at all (no "Done N runs" from libFuzzer) or the build failed.
# The generated corpus accumulates in core/.cifuzz-corpus/ (Jazzer's fixed location) and makes later
# runs start from where earlier ones got to. Logs: core/target/fuzz-logs/<target>.log.
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

DURATION="${FUZZ_DURATION:-60s}"
read -r -a TARGETS <<< "${FUZZ_TARGETS:-TranslatorFuzzTest#fuzz4to6 TranslatorFuzzTest#fuzz6to4}"
INPUTS=core/src/test/resources/dev/siitdc/core/fuzz
LOGS=core/target/fuzz-logs

snapshot() { find "$INPUTS" -type f 2>/dev/null | sort; }

status=0
for target in "${TARGETS[@]}"; do
  mkdir -p "$LOGS"
  log="$LOGS/${target//[#\/]/_}.log"
  before=$(snapshot)
  echo "=== fuzzing $target for $DURATION (log: $log)"
  JAZZER_FUZZ=1 ./mvnw -B -pl core test -Dtest="$target" -Djazzer.max_duration="$DURATION" \
      -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  rc=$?
  # libFuzzer's progress and summary lines
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|^== Java Exception|^INFO: Seed|Tests run:.*Fail' "$log" | tail -n 8
  new=$(comm -13 <(echo "$before") <(snapshot))
  if [[ -n "$new" ]]; then
    status=1
    echo "!!! $target: FINDING. Reproducer(s), replayed by ./mvnw test from now on:"
    while IFS= read -r f; do
      echo "  $f"
      echo "  hex: $(od -An -v -tx1 "$f" | tr -d ' \n')"
    done <<< "$new"
    grep -E -A25 '^== Java Exception|^java\.lang\.AssertionError|FuzzTestFindingException' "$log" | head -n 60
  elif [[ $rc -ne 0 ]]; then
    echo "!!! $target: maven failed (exit $rc) without a reproducer; see $log"
    grep -E '^\[ERROR\]' "$log" | head -n 30
    [[ $status -eq 0 ]] && status=2
  elif ! grep -qE '^Done [0-9]+ runs in' "$log"; then
    echo "!!! $target: did not fuzz (no 'Done N runs' line); see $log"
    [[ $status -eq 0 ]] && status=2
  fi
done
exit $status
