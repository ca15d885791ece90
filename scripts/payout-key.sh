#!/usr/bin/env bash
# Prints the key payout accounts are sealed with for `make run`: GREENPOINTS_PAYOUT_KEY when set,
# else the one kept in .arcadedb/payout-key, made at random the first time (64 hexadecimal digits).
# In production the key comes from the environment and is kept apart from the database's backups.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${GREENPOINTS_PAYOUT_KEY:-}" ]; then
  printf '%s\n' "$GREENPOINTS_PAYOUT_KEY"
  exit 0
fi
file=.arcadedb/payout-key
if [ ! -s "$file" ]; then
  mkdir -p .arcadedb
  (umask 077 && head -c 32 /dev/urandom | od -An -vtx1 | tr -d ' \n' >"$file")
fi
cat "$file"
