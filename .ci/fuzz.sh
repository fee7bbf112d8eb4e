#!/usr/bin/env bash
# Fuzzes Jazzer targets (jazzer-junit, JAZZER_FUZZ=1) for a fixed time each.
#
#   .ci/fuzz.sh                                   # each target of the default list 60 s
#   FUZZ_DURATION=10s .ci/fuzz.sh                 # Jazzer duration syntax: 30s, 5m, 1h
#   FUZZ_TARGETS='daemon:DhcpFuzzTest#fuzzServer core:TranslatorFuzzTest#fuzz6to4' .ci/fuzz.sh
#
# A target is MODULE:Class#method; a bare Class#method means core (as before modules were named).
# Default: core:TranslatorFuzzTest#fuzz4to6 core:TranslatorFuzzTest#fuzz6to4 daemon:DhcpFuzzTest#fuzzServer
# daemon:ConfigFuzzTest#fuzzConfig.
# Each target is built with the modules it needs from the reactor (./mvnw -pl MODULE -am), never from
# an installed siitdc artifact.
#
# Exit status: 0 when every target ran for its duration without a finding; 1 on a finding (the
# crashing input is kept as a new file in MODULE/src/test/resources/.../<Class>Inputs/<method>/, so
# plain `./mvnw test` replays it from then on, and its hex is printed below); 2 when a target did not
# fuzz at all (no "Done N runs" from libFuzzer), the build failed, or a target is malformed.
# The generated corpus accumulates in MODULE/.cifuzz-corpus/ (Jazzer's fixed location) and makes later
# runs start from where earlier ones got to. Logs: MODULE/target/fuzz-logs/<target>.log.
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

DURATION="${FUZZ_DURATION:-60s}"
read -r -a TARGETS <<< "${FUZZ_TARGETS:-core:TranslatorFuzzTest#fuzz4to6 core:TranslatorFuzzTest#fuzz6to4 daemon:DhcpFuzzTest#fuzzServer daemon:ConfigFuzzTest#fuzzConfig}"

# Jazzer keeps a finding next to the seed corpus: src/test/resources/<package>/<Class>Inputs/<method>/.
snapshot() { find "$1/src/test/resources" -path '*Inputs/*' -type f 2>/dev/null | sort; }

status=0
for spec in "${TARGETS[@]}"; do
  if [[ "$spec" == *:* ]]; then
    module="${spec%%:*}"
    target="${spec#*:}"
  else
    module=core
    target="$spec"
  fi
  if [[ -z "$module" || -z "$target" || ! -f "$module/pom.xml" ]]; then
    echo "!!! $spec: not MODULE:Class#method with a module of this project"
    [[ $status -eq 0 ]] && status=2
    continue
  fi
  logs="$module/target/fuzz-logs"
  mkdir -p "$logs"
  log="$logs/${target//[#\/]/_}.log"
  before=$(snapshot "$module")
  echo "=== fuzzing $module:$target for $DURATION (log: $log)"
  JAZZER_FUZZ=1 ./mvnw -B -pl "$module" -am test -Dtest="$target" -Djazzer.max_duration="$DURATION" \
      -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  rc=$?
  # libFuzzer's progress and summary lines
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|^== Java Exception|^INFO: Seed|Tests run:.*Fail' "$log" | tail -n 8
  new=$(comm -13 <(echo "$before") <(snapshot "$module"))
  if [[ -n "$new" ]]; then
    status=1
    echo "!!! $module:$target: FINDING. Reproducer(s), replayed by ./mvnw test from now on:"
    while IFS= read -r f; do
      echo "  $f"
      echo "  hex: $(od -An -v -tx1 "$f" | tr -d ' \n')"
    done <<< "$new"
    grep -E -A25 '^== Java Exception|^java\.lang\.AssertionError|FuzzTestFindingException' "$log" | head -n 60
  elif [[ $rc -ne 0 ]]; then
    echo "!!! $module:$target: maven failed (exit $rc) without a reproducer; see $log"
    grep -E '^\[ERROR\]' "$log" | head -n 30
    [[ $status -eq 0 ]] && status=2
  elif ! grep -qE '^Done [0-9]+ runs in' "$log"; then
    echo "!!! $module:$target: did not fuzz (no 'Done N runs' line); see $log"
    [[ $status -eq 0 ]] && status=2
  fi
done
exit $status
