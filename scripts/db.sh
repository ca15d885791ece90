#!/usr/bin/env bash
# Installs (once) and starts (if not running) the embedded ArcadeDB server with its Bolt plugin,
# bound to loopback, then makes sure the database named by GREENPOINTS_GRAPH_DB exists. Commits
# are flushed to disk before they are acknowledged (txWalFlush=2): an order the server accepted
# survives a power cut. Backups restore from local files (scripts/backup.sh); the server listens on
# loopback only and every command needs the root password.
# Idempotent: does nothing but the checks when the server already answers.
set -euo pipefail
cd "$(dirname "$0")/.."

ARCADEDB_VERSION=26.10.2
home=.arcadedb
venv=$home/venv
http_port=${ARCADEDB_HTTP_PORT:-2480}
bolt_port=${ARCADEDB_BOLT_PORT:-7687}
password=$(scripts/root-password.sh)
database=${GREENPOINTS_GRAPH_DB:-greenpoints}
heap=${ARCADEDB_HEAP:-6g}
base=http://127.0.0.1:$http_port

ready() { curl -fsS -o /dev/null "$base/api/v1/ready" 2>/dev/null; }

if [ "${1:-}" = stop ]; then
  if [ -f "$home/server.pid" ] && kill "$(cat "$home/server.pid")" 2>/dev/null; then
    while kill -0 "$(cat "$home/server.pid")" 2>/dev/null; do sleep 0.2; done
    echo "ArcadeDB stopped"
  fi
  rm -f "$home/server.pid"
  exit 0
fi

if ! ready; then
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/pip" show arcadedb-embedded 2>/dev/null | grep -q "^Version: $ARCADEDB_VERSION$"; then
    echo "installing arcadedb-embedded $ARCADEDB_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "arcadedb-embedded==$ARCADEDB_VERSION"
  fi
  pkg=$("$venv/bin/python" -c 'import arcadedb_embedded, os; print(os.path.dirname(arcadedb_embedded.__file__))')
  mkdir -p "$home/server"
  root=$(cd "$home/server" && pwd)
  echo "starting ArcadeDB (http $http_port, bolt $bolt_port) in $root"
  # setsid: the server outlives this script and the make that called it; it writes its log/ in $home.
  (cd "$home" && exec setsid "$pkg/jre/bin/java" -Xmx"$heap" -cp "$pkg/jars/*" \
    -Darcadedb.server.rootPassword="$password" \
    -Darcadedb.server.rootPath="$root" \
    -Darcadedb.server.databaseDirectory="$root/databases" \
    -Darcadedb.server.httpIncomingHost=127.0.0.1 \
    -Darcadedb.server.httpIncomingPort="$http_port" \
    -Darcadedb.txWalFlush=2 \
    -Darcadedb.server.restoreImportAllowLocalUrls=true \
    -Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin \
    -Darcadedb.bolt.host=127.0.0.1 \
    -Darcadedb.bolt.port="$bolt_port" \
    com.arcadedb.server.ArcadeDBServer >server.log 2>&1 </dev/null) &
  echo $! >"$home/server.pid"
  for _ in $(seq 1 120); do
    ready && break
    kill -0 "$(cat "$home/server.pid")" 2>/dev/null || { echo "ArcadeDB exited; see $home/server.log" >&2; tail -20 "$home/server.log" >&2; exit 1; }
    sleep 0.5
  done
  ready || { echo "ArcadeDB did not answer within 60 s; see $home/server.log" >&2; exit 1; }
fi

if ! curl -fsS -u "root:$password" "$base/api/v1/databases" | grep -q "\"$database\""; then
  curl -fsS -u "root:$password" -X POST "$base/api/v1/server" \
    -H 'Content-Type: application/json' -d "{\"command\":\"create database $database\"}" >/dev/null
  echo "created database $database"
fi
echo "ArcadeDB ready: bolt://127.0.0.1:$bolt_port database $database"
