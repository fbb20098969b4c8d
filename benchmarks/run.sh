#!/bin/sh
# Builds what the benchmarks need and runs all of them (issue 8), printing one report.
#   benchmarks/run.sh                 everything: about 5.5 minutes on 2 cores, build included
#   RUNS=5 benchmarks/run.sh          fewer child-JVM runs per variant (default 11)
#   SECTIONS=startup,herd benchmarks/run.sh   a subset of startup,library,hotpath,herd,footprint
#   SKIP_BUILD=1 benchmarks/run.sh    reuse the last build
# The report is also written to benchmarks/target/results.md. Nothing is installed anywhere; every server
# the benchmarks talk to is started on 127.0.0.1 by the benchmark itself.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -Pbenchmarks -DskipTests package
fi
T="$ROOT/benchmarks/target"
for f in "$T/cp-all.txt" "$T/cp-library.txt" "$T/cp-azure.txt" "$ROOT/agent/target/mondoo-wif-agent.jar"; do
  [ -f "$f" ] || { echo "missing $f: run without SKIP_BUILD" >&2; exit 1; }
done

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
free -h | sed -n 2p
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | sed 's/^/  /'
echo

# Defence in depth for this JVM and the JMH forks: nothing may probe a real metadata address.
export AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:9
export GCE_METADATA_HOST=127.0.0.1:9
exec java \
  -Dbench.target="$T" \
  -Dbench.agent="$ROOT/agent/target/mondoo-wif-agent.jar" \
  -Dbench.runs="${RUNS:-11}" \
  -Dbench.sections="${SECTIONS:-startup,library,hotpath,herd,footprint}" \
  -Dbench.out="$T/results.md" \
  -cp "$T/classes:$(cat "$T/cp-all.txt")" \
  io.github.mondoowif.benchmarks.Main
