#!/bin/sh
# siitdc launcher of the Debian package: the bundled jlink'ed runtime (no JDK needed), the jar and the
# AOT cache (JEP 483, 514, 515) built at package time by that same runtime. The JVM options are those
# of the source tree's bin/siitdc.
#
#   SIITDC_JAVA_OPTS   extra JVM options, appended last
set -eu
lib=/usr/lib/siitdc
set -f    # the options below hold '*' (the option words must not be globbed)
opts="--enable-native-access=ALL-UNNAMED"
# a missing or mismatched cache is skipped without a word (the JVM then loads classes as usual)
[ -r "$lib/siitdc.aot" ] && opts="$opts -XX:AOTCache=$lib/siitdc.aot -Xlog:aot*=off -Xlog:cds*=off"
case "${1:-}" in
    translate|check-config)
        # short-lived runs: start fast, skip C2
        opts="$opts -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData" ;;
esac
# shellcheck disable=SC2086  # word splitting of the options is intended
exec "$lib/runtime/bin/java" $opts ${SIITDC_JAVA_OPTS:-} -jar "$lib/siitdc.jar" "$@"
