#!/usr/bin/env bash
# Builds siitdc_VERSION_amd64.deb into OUTDIR (default: the current directory); prints its path.
#
#   packaging/deb/build.sh [OUTDIR]
#
# Needs: a JDK 25 (JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64: jdeps, jlink), dpkg-deb, strip (binutils), asciidoctor (Debian package asciidoctor: picocli's ManPageGenerator writes AsciiDoc,
# asciidoctor turns it into roff), gzip. picocli-codegen comes from the Maven repository (fetched once).
# Uses cli/target/siitdc.jar, built first when it is missing.
set -euo pipefail

here=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd -- "$here/../.." && pwd)
out=$(mkdir -p -- "${1:-.}" && cd -- "${1:-.}" && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
die() { printf 'packaging/deb/build.sh: %s\n' "$*" >&2; exit 1; }
[[ -x "$JAVA_HOME/bin/jlink" ]] || die "no JDK with jlink at $JAVA_HOME (set JAVA_HOME to a JDK 25)"
for c in dpkg-deb asciidoctor gzip md5sum strip; do
    command -v "$c" >/dev/null || die "$c is missing (apt-get install dpkg asciidoctor gzip coreutils binutils)"
done

# Version: the root pom's (0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT, which sorts before 0.1.0), Debian revision 1.
pom_version=$(sed -n '/<parent>/,/<\/parent>/d; s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)
[[ -n "$pom_version" ]] || die "no <version> in $root/pom.xml"
version="${pom_version//-/\~}-1"
deb="$out/siitdc_${version}_amd64.deb"

jar="$root/cli/target/siitdc.jar"
if [[ ! -s "$jar" ]]; then
    echo "build.sh: building $jar" >&2
    (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
        ./mvnw -B -q -Dmaven.test.skip=true -pl cli -am package) >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg="$work/pkg"
lib="$pkg/usr/lib/siitdc"
doc="$pkg/usr/share/doc/siitdc"
install -d "$lib" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$doc/examples" "$pkg/etc/siitdc" \
    "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/man/man1" "$pkg/DEBIAN"

# 1. The runtime: only the modules the jar uses (jdeps), plus jdk.unsupported (FFM helpers and
# sun.misc), jdk.crypto.ec and jdk.httpserver (the metrics server), jdk.net (socket options).
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps "$jar")
modules="$modules,jdk.unsupported,jdk.crypto.ec,jdk.httpserver,jdk.net"
modules=$(tr ',' '\n' <<<"$modules" | sort -u | paste -sd, -)
echo "build.sh: jlink --add-modules $modules" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$lib/runtime"
# jlink's legal/ notices are symlinks into the JDK: make them files
if [[ -d "$lib/runtime/legal" ]]; then
    cp -rL "$lib/runtime/legal" "$work/legal" && rm -rf "$lib/runtime/legal" && mv "$work/legal" "$lib/runtime/legal"
fi
# Debian policy 10.1: no debug symbols in shipped ELF files (as dh_strip does); notices 0644
while IFS= read -r -d '' f; do
    if [[ $(head -c 4 "$f" | od -An -c | tr -d ' ') == 177ELF ]]; then
        strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
    fi
done < <(find "$lib/runtime" -type f -print0)
find "$lib/runtime" -type f -perm /u+x -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
install -m 0644 "$jar" "$lib/siitdc.jar"
install -m 0755 "$here/siitdc.sh" "$pkg/usr/bin/siitdc"

# 2. The AOT cache (JEP 483, 514, 515), from a training run of check-config by the packaged runtime
# itself (a cache is only valid for the runtime that made it). JDK 25 accepts the cache after the
# runtime and the jar moved together (here: from the staging directory to /usr/lib/siitdc).
echo "build.sh: training the AOT cache (check-config examples/border-relay.toml)" >&2
(cd "$work" && "$lib/runtime/bin/java" -XX:AOTCacheOutput="$lib/siitdc.aot" --enable-native-access=ALL-UNNAMED \
    -Xlog:aot*=off -Xlog:cds*=off -jar "$lib/siitdc.jar" check-config "$root/examples/border-relay.toml" \
    >"$work/aot.log" 2>&1) || { cat "$work/aot.log" >&2; die "AOT cache training failed"; }
rm -f "$lib/siitdc.aot.config"
# -XX:AOTMode=on fails when the cache cannot be used
"$lib/runtime/bin/java" -XX:AOTCache="$lib/siitdc.aot" -XX:AOTMode=on -Xlog:aot*=off -Xlog:cds*=off \
    --enable-native-access=ALL-UNNAMED -jar "$lib/siitdc.jar" --version >/dev/null || die "the AOT cache is unusable"
chmod 0644 "$lib/siitdc.aot"

# 3. The systemd unit, copied from the source tree with the packaged launcher's path.
sed 's|/usr/local/bin/siitdc|/usr/bin/siitdc|g' "$root/packaging/siitdc@.service" >"$pkg/lib/systemd/system/siitdc@.service"
chmod 0644 "$pkg/lib/systemd/system/siitdc@.service"
grep -q '^ExecStart=/usr/bin/siitdc ' "$pkg/lib/systemd/system/siitdc@.service" || die "the unit's ExecStart was not rewritten"
install -m 0644 "$root/packaging/network-edge-relay.conf" "$doc/network-edge-relay.conf"

# 4. Bash completion and man pages, both generated from the command model by picocli.
run_jar() { "$lib/runtime/bin/java" --enable-native-access=ALL-UNNAMED "$@"; }
# (a completion file is sourced: no #! line)
run_jar -jar "$lib/siitdc.jar" completion | sed '1{/^#!/d}' >"$pkg/usr/share/bash-completion/completions/siitdc"
chmod 0644 "$pkg/usr/share/bash-completion/completions/siitdc"
picocli_version=$(sed -n 's:.*<picocli.version>\(.*\)</picocli.version>.*:\1:p' "$root/pom.xml")
codegen_dir="$work/codegen"
(cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ./mvnw -B -q \
    dependency:copy -Dartifact="info.picocli:picocli-codegen:$picocli_version" -DoutputDirectory="$codegen_dir") >&2 \
    || die "could not get info.picocli:picocli-codegen:$picocli_version"
"$JAVA_HOME/bin/java" -cp "$jar:$codegen_dir/picocli-codegen-$picocli_version.jar" \
    picocli.codegen.docgen.manpage.ManPageGenerator -d "$work/adoc" dev.siitdc.cli.Main
asciidoctor -b manpage -a reproducible -D "$pkg/usr/share/man/man1" "$work"/adoc/*.adoc
gzip -9n "$pkg"/usr/share/man/man1/*.1
chmod 0644 "$pkg"/usr/share/man/man1/*

# lintian overrides, each with its reason in the file
install -D -m 0644 "$here/lintian-overrides" "$pkg/usr/share/lintian/overrides/siitdc"

# 5. Documentation: examples, copyright, changelog.
cp -r "$root/examples/." "$doc/examples/"
install -m 0644 "$here/copyright" "$doc/copyright"
date_rfc=$(date -R -u -d "@$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat >"$work/changelog" <<CHANGELOG
siitdc ($version) unstable; urgency=medium

  * Built from the siitdc source tree at commit $commit.

 -- siitdc developers <siitdc@example.org>  $date_rfc
CHANGELOG
gzip -9n -c "$work/changelog" >"$doc/changelog.Debian.gz"
find "$doc/examples" -type d -exec chmod 0755 {} + ; find "$doc/examples" -type f -exec chmod 0644 {} +

# 6. Control files.
install -m 0755 "$here/postinst" "$here/postrm" "$pkg/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/control.in" >"$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
