#!/usr/bin/env bash
# Prints the embedded ArcadeDB's root password: GREENPOINTS_GRAPH_PASSWORD when set, else the one
# kept in .arcadedb/root-password, made at random the first time (there is no default password).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${GREENPOINTS_GRAPH_PASSWORD:-}" ]; then
  printf '%s\n' "$GREENPOINTS_GRAPH_PASSWORD"
  exit 0
fi
file=.arcadedb/root-password
if [ ! -s "$file" ]; then
  mkdir -p .arcadedb
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$file")
fi
cat "$file"
