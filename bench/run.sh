#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them, keeping the results in bench/results/.
#
#   bench/run.sh                                  # all benchmarks: -f 1 -wi 3 -i 5 -prof gc
#   bench/run.sh -w 2s -r 2s                      # shorter iterations (defaults: 10 s each)
#   bench/run.sh -wi 1 -i 2 'TranslateBenchmark'  # a given option replaces its default; regexps select
#   SKIP_BUILD=1 bench/run.sh ...                 # reuse bench/target/benchmarks.jar
#
# Every argument is passed to JMH; -f, -wi, -i and -prof get the defaults above unless given.
# Output: bench/results/jmh-<UTC time>.txt (the console log, table at the end) and .json (-rf json).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -pl bench -am -DskipTests package
fi

has() {   # has OPTION ARGS...: whether OPTION appears among ARGS
  local o=$1; shift
  for a in "$@"; do [[ "$a" == "$o" ]] && return 0; done
  return 1
}
defaults=()
has -f "$@" || defaults+=(-f 1)
has -wi "$@" || defaults+=(-wi 3)
has -i "$@" || defaults+=(-i 5)
has -prof "$@" || defaults+=(-prof gc)

mkdir -p bench/results
out="bench/results/jmh-$(date -u +%Y%m%dT%H%M%SZ)"
echo "JMH results -> $out.txt / $out.json" >&2
"$JAVA_HOME/bin/java" -jar bench/target/benchmarks.jar "${defaults[@]}" -rf json -rff "$out.json" "$@" 2>&1 | tee "$out.txt"
exit "${PIPESTATUS[0]}"
