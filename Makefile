# The two commands: `make run` and `make test`. `make db` starts only the embedded graph database.
SHELL := /bin/bash
CARGO ?= cargo
ADMIN_PASSWORD_FILE := .arcadedb/admin-password

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

# Builds, starts the database, creates the demo network once, settles its past days (the first
# day settled is the first one asked for, so that is the day after the first orders), prints an
# admin login and serves on http://127.0.0.1:8080.
run: db build
	./target/release/greenpoints seed --members 2000 --seed 7 --days 60 --if-empty
	./target/release/greenpoints settle --date today-59
	./target/release/greenpoints settle --date today
	@test -s $(ADMIN_PASSWORD_FILE) || head -c 12 /dev/urandom | base64 | tr -d '/+=' > $(ADMIN_PASSWORD_FILE)
	@./target/release/greenpoints admin add admin < $(ADMIN_PASSWORD_FILE)
	@echo "admin login: http://127.0.0.1:8080/admin  user: admin  password: $$(cat $(ADMIN_PASSWORD_FILE))"
	GREENPOINTS_SMS=outbox ./target/release/greenpoints serve

lint-cypher: node-tools
	node tools/lint-cypher.mjs

# Everything: unit, property and integration tests (each against its own fresh database in the
# embedded ArcadeDB), Neo4j's linter over every file in cypher/, and schemathesis against the
# running server's OpenAPI document.
test: db node-tools python-tools
	$(CARGO) test --all-targets -- --test-threads=2
