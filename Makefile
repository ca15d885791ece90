# The two commands: `make run` and `make test`. `make db` starts only the embedded graph database.
SHELL := /bin/bash
CARGO ?= cargo

TOOLS_VENV := .tools/venv

# The embedded database's root password, for every command below (made at random at the first
# `make db`; there is no default).
export GREENPOINTS_GRAPH_PASSWORD ?= $(shell ./scripts/root-password.sh)

.PHONY: db db-stop run test lint-cypher node-tools python-tools build

db:
	./scripts/db.sh

db-stop:
	./scripts/db.sh stop

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-tools: node_modules/.package-lock.json

# schemathesis and openapi-spec-validator, pinned, in a git-ignored virtual environment.
$(TOOLS_VENV)/.installed: tools/requirements.txt
	python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	touch $@

python-tools: $(TOOLS_VENV)/.installed

build:
	$(CARGO) build --release

# Builds, starts the database, and runs the demo: a network of 2,000 members is seeded once, every
# day through yesterday is settled (today is left to preview and settle in the console), and an
# admin's and a member's login are printed (their passwords kept in .arcadedb/). Serves on
# http://127.0.0.1:8080 with SMS codes kept in the outbox (`/admin/outbox`), not sent, and payout
# accounts sealed with the key kept in .arcadedb/payout-key.
run: db build
	./target/release/greenpoints demo --passwords .arcadedb --url "http://$${GREENPOINTS_BIND:-127.0.0.1:8080}"
	GREENPOINTS_SMS=outbox GREENPOINTS_PAYOUT_KEY=$$(./scripts/payout-key.sh) ./target/release/greenpoints serve --auto-settle false

lint-cypher: node-tools
	node tools/lint-cypher.mjs

# Everything: unit, property and integration tests (each against its own fresh database in the
# embedded ArcadeDB), Neo4j's linter over every file in cypher/, and schemathesis against the
# running server's OpenAPI document. A failing test prints its message, not pages of stack frames
# (run it alone with RUST_BACKTRACE=1 for those).
test: db node-tools python-tools
	RUST_BACKTRACE=0 $(CARGO) test --all-targets -- --test-threads=2
