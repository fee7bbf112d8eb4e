#!/usr/bin/env bash
# Start-up of siitdc, as medians of N runs (default 10), each against a bare `java -version` measured in
# the same run (issue 15, item 2). Needs root, iproute2 and python3 (the stand-in for systemd that reads
# READY=1 from NOTIFY_SOCKET). Usage: bench/startup.sh [N]
#
#   java -version                    the JVM alone
#   check-config                     examples/border-relay.toml
#   run to READY=1                   siitdc run in a scratch network namespace, until sd_notify READY=1
#   stop on SIGTERM                  from the signal to the process's exit (everything undone)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-10}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export SIITDC_NO_BUILD=1
[[ -f cli/target/siitdc.jar ]] || bin/siitdc --version >/dev/null   # build once, outside the timings
[[ $(id -u) == 0 ]] || { echo "bench/startup.sh: needs root (siitdc run in a network namespace)" >&2; exit 5; }

ns="siitdc-startup-$$"
tmp=$(mktemp -d)
cleanup() { ip netns delete "$ns" 2>/dev/null || true; rm -rf "$tmp"; rmdir "/run/siitdc/$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
# the example BR's own-ipv4-address must not be an address of the node: a namespace with none is right
cp examples/border-relay.toml "$tmp/br.toml"
sed -i '/^control-socket\|^stats-file/d' "$tmp/br.toml"

python3 - "$N" "$ns" "$tmp" "$JAVA_HOME/bin/java" <<'PY'
import os, socket, statistics, subprocess, sys, time, signal
n, ns, tmp, java = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cfg = os.path.join(tmp, "br.toml")

def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - t

def run_once():
    path = os.path.join(tmp, "notify")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(path): os.unlink(path)
    s.bind(path)
    s.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    t = time.monotonic()
    p = subprocess.Popen(["ip", "netns", "exec", ns, "bin/siitdc", "run", "--config", cfg], env=env,
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "run.err"), "w"))
    while True:
        m = s.recv(4096).decode()
        if m.startswith("READY=1"): break
    ready = time.monotonic() - t
    t = time.monotonic()
    p.send_signal(signal.SIGTERM)
    rc = p.wait(60)
    stop = time.monotonic() - t
    s.close()
    if rc != 0: sys.exit("siitdc run exited %d: %s" % (rc, open(os.path.join(tmp, "run.err")).read()))
    return ready, stop

rows = {"java -version": [], "check-config examples/border-relay.toml": [], "run to READY=1": [], "stop on SIGTERM": []}
for i in range(n):
    rows["java -version"].append(timed([java, "-version"]))
    rows["check-config examples/border-relay.toml"].append(timed(["bin/siitdc", "check-config", cfg]))
    r, s_ = run_once()
    rows["run to READY=1"].append(r)
    rows["stop on SIGTERM"].append(s_)
base = statistics.median(rows["java -version"])
print("| what (median of %d) | seconds | java -version in the same run |" % n)
print("|---|---|---|")
for k, v in rows.items():
    print("| %s | %.3f | %.3f |" % (k, statistics.median(v), base))
PY
