#!/usr/bin/env bash
# Backs up and restores a database of the embedded ArcadeDB (online: the server keeps serving).
#   scripts/backup.sh backup [DB]          writes .arcadedb/server/backups/DB/DB-backup-….zip, prints its path
#   scripts/backup.sh restore FILE NEWDB   restores FILE into a new database NEWDB
# Check a restored database with: GREENPOINTS_GRAPH_DB=NEWDB target/release/greenpoints verify
set -euo pipefail
cd "$(dirname "$0")/.."

password=$(scripts/root-password.sh)
base=http://127.0.0.1:${ARCADEDB_HTTP_PORT:-2480}

case "${1:-}" in
  backup)
    database=${2:-${GREENPOINTS_GRAPH_DB:-greenpoints}}
    answer=$(curl -fsS -u "root:$password" -X POST "$base/api/v1/command/$database" \
      -H 'Content-Type: application/json' -d '{"language":"sql","command":"backup database"}')
    file=$(printf '%s' "$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin)["result"][0]["backupFile"])')
    echo "$(pwd)/.arcadedb/server/backups/$database/$file"
    ;;
  restore)
    file=$(realpath "${2:?the backup file}")
    database=${3:?the name of the new database}
    curl -fsS -u "root:$password" -X POST "$base/api/v1/server" -H 'Content-Type: application/json' \
      -d "{\"command\":\"restore database $database file://$file\"}" >/dev/null
    echo "restored $file into $database"
    ;;
  *)
    echo "usage: $0 backup [DB] | restore FILE NEWDB" >&2
    exit 2
    ;;
esac
