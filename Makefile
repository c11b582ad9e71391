# Haramain Finance — developer commands. `make run` starts the cashier app; `make test` runs
# every test. Both check for the tools they need and say what is missing.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
# Tests that need PostgreSQL create their own databases here (and fail if it is unreachable).
KH_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export KH_TEST_DATABASE_URL

.PHONY: run test test-api build bench tools-rust postgres demo deploy-check ui chromium report-tools test-ui fmt lint \
	desktop-deps tauri-cli desktop desktop-run test-desktop bench-desktop deps-check

tools-rust:
	@command -v cargo >/dev/null || { echo "cargo is missing: install Rust 1.94 or newer (https://rustup.rs)"; exit 1; }
	@cargo fmt --version >/dev/null 2>&1 || { echo "rustfmt is missing: rustup component add rustfmt"; exit 1; }
	@cargo clippy --version >/dev/null 2>&1 || { echo "clippy is missing: rustup component add clippy"; exit 1; }

## postgres: check that the test PostgreSQL answers, and drop databases earlier test runs left
postgres:
	@command -v psql >/dev/null || { echo "psql is missing: apt-get install postgresql-client (the tests need PostgreSQL 15 at $(KH_TEST_DATABASE_URL))"; exit 1; }
	@psql "$(KH_TEST_DATABASE_URL)" -Atqc 'select 1' >/dev/null 2>&1 || { \
		echo "PostgreSQL does not answer at $(KH_TEST_DATABASE_URL)."; \
		echo "Start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set KH_TEST_DATABASE_URL."; exit 1; }
	@psql "$(KH_TEST_DATABASE_URL)" -Atqc "select datname from pg_database where datname like 'kh_test_%'" \
		| while read -r db; do psql "$(KH_TEST_DATABASE_URL)" -qc "drop database if exists $$db" >/dev/null 2>&1 || true; done

## ui: install the cashier UI's packages (when the lock file changed) and build it into ui/dist
ui:
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19 or newer with npm"; exit 1; }
	@[ ui/node_modules/.package-lock.json -nt ui/package-lock.json ] || (cd ui && npm ci)
	cd ui && npm run build

## run: build the UI, then build and start kh-local; it serves the UI at http://127.0.0.1:8080/
run: tools-rust ui
	@# a release binary built before ui/dist existed embedded nothing and would not rebuild by itself
	@if [ ui/dist/index.html -nt "$(CARGO_TARGET_DIR)/release/kh-local" ]; then touch crates/http-local/src/ui.rs; fi
	cargo run --release -p kh-local

## chromium: Debian's Chromium for the browser tests, installed when missing
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## report-tools: what the export tests read files back with (pdftotext from poppler-utils, and
## LibreOffice's headless Calc, which must open every XLSX without repair), installed when missing
REPORT_APT := poppler-utils libreoffice-calc-nogui
report-tools:
	@if ! command -v pdftotext >/dev/null || ! command -v soffice >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(REPORT_APT); \
		else \
			echo "The export tests need: $(REPORT_APT)"; \
			echo "Install them with: sudo apt-get install $(REPORT_APT)"; exit 1; \
		fi; \
	fi

## test-ui: the UI's unit tests (Vitest) and browser tests (Chromium against a real kh-local)
test-ui: tools-rust chromium postgres
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19 or newer with npm"; exit 1; }
	cd ui && npm ci
	cd ui && npm test
	cd ui && npm run test:e2e

## test: formatting, lints and every test: the workspace with the desktop app (needs PostgreSQL,
## see `postgres`, and the desktop libraries, see `desktop-deps`), the deploy files, the UI in
## Chromium and the desktop app in a real window. One compile serves them all: the whole
## workspace, kh-desktop included, is linted and built once with one set of features (building
## kh-desktop on its own would compile every shared dependency again), after the UI is built so
## the binaries embed it; the deploy, browser and package checks reuse those debug binaries.
STAGE = @echo "--- [$$(date -u +%T)] $(1)"
WORKSPACE_FLAGS := --workspace --locked --features kh-desktop/custom-protocol
test: tools-rust postgres desktop-deps report-tools
	$(call STAGE,fmt)
	cargo fmt --all -- --check
	$(call STAGE,unused dependencies)
	$(MAKE) --no-print-directory deps-check
	$(call STAGE,ui build)
	$(MAKE) --no-print-directory ui tauri-cli
	touch crates/http-local/src/ui.rs
	$(call STAGE,clippy)
	cargo clippy $(WORKSPACE_FLAGS) --all-targets -- -D warnings
	$(call STAGE,workspace tests (the desktop ones in a virtual display))
	@if cargo nextest --version >/dev/null 2>&1; then \
		apps/desktop/tests/x-session.sh cargo nextest run $(WORKSPACE_FLAGS) --no-fail-fast; \
	else \
		echo "cargo-nextest not found (cargo install cargo-nextest --locked); using cargo test"; \
		apps/desktop/tests/x-session.sh cargo test $(WORKSPACE_FLAGS) --all-targets --no-fail-fast; \
	fi
	$(call STAGE,deploy checks)
	KH_CLOUD_BIN=$(CARGO_TARGET_DIR)/debug/kh-cloud bash deploy/check.sh
	$(call STAGE,api fuzzing (schemathesis against both servers' OpenAPI documents))
	KH_LOCAL_BIN=$(CARGO_TARGET_DIR)/debug/kh-local KH_CLOUD_BIN=$(CARGO_TARGET_DIR)/debug/kh-cloud \
		bash scripts/api-fuzz.sh
	$(call STAGE,ui tests)
	$(MAKE) --no-print-directory chromium
	cd ui && npm test
	cd ui && KH_E2E_SKIP_CARGO=1 KH_LOCAL_BIN=$(CARGO_TARGET_DIR)/debug/kh-local node e2e/run.mjs
	cd ui && KH_E2E_SKIP_CARGO=1 KH_LOCAL_BIN=$(CARGO_TARGET_DIR)/debug/kh-local \
		KH_CLOUD_BIN=$(CARGO_TARGET_DIR)/debug/kh-cloud node e2e/console.mjs
	$(call STAGE,desktop package)
	rm -rf "$(CARGO_TARGET_DIR)/debug/bundle/deb"
	cd apps/desktop && npx tauri bundle --ci --debug --bundles deb --features custom-protocol
	bash apps/desktop/check-deb.sh "$(CARGO_TARGET_DIR)"/debug/bundle/deb/*.deb
	$(call STAGE,done)

## test-api: schemathesis (pinned, in $(CARGO_TARGET_DIR)/.venv-api-fuzz) against a real debug
## kh-local and kh-cloud on a fresh PostgreSQL database, driven by each one's
## GET /api/v1/openapi.json, about 60 s per server; KH_FUZZ_SEED=N repeats a run
test-api: tools-rust postgres
	cargo build --locked -p kh-local -p kh-cloud
	KH_LOCAL_BIN=$(CARGO_TARGET_DIR)/debug/kh-local KH_CLOUD_BIN=$(CARGO_TARGET_DIR)/debug/kh-cloud \
		bash scripts/api-fuzz.sh

## deploy-check: the HQ deployment files without a Docker engine: compose config, hadolint, and
## kh-cloud run with exactly the compose environment against the local PostgreSQL
deploy-check: tools-rust postgres
	cargo build --release --locked -p kh-cloud
	KH_CLOUD_BIN=$(CARGO_TARGET_DIR)/release/kh-cloud bash deploy/check.sh

## demo: HQ (kh-cloud on SQLite) and one branch (kh-local) activated against it; Ctrl+C stops both
demo: tools-rust
	cargo build --release --locked -p kh-cloud -p kh-local
	bash scripts/demo.sh

## build: release binaries in $(CARGO_TARGET_DIR)/release
build: tools-rust
	$(MAKE) --no-print-directory ui
	cargo build --release --locked -p kh-local -p kh-cloud -p kh-bench

## bench: the benchmark tables recorded in docs/benchmarks.md
bench: tools-rust postgres
	cargo run --release --locked -p kh-bench -- local
	cargo run --release --locked -p kh-bench -- cloud
	cargo run --release --locked -p kh-bench -- drain
	cargo run --release --locked -p kh-bench -- restore

fmt:
	cargo fmt --all

## deps-check: no crate lists a dependency it does not use (cargo-machete, installed when missing)
deps-check:
	@command -v cargo-machete >/dev/null || cargo install cargo-machete --locked --version 0.9.2
	cargo machete

lint:
	cargo clippy $(WORKSPACE_FLAGS) --all-targets -- -D warnings

## desktop-deps: the system libraries and tools the desktop app (Tauri v2, WebKitGTK) builds and
## is tested with; installed with apt when missing and apt is there, otherwise named
DESKTOP_APT := libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev \
	xvfb openbox dbus x11-utils xdotool imagemagick tesseract-ocr
desktop-deps:
	@if ! pkg-config --exists webkit2gtk-4.1 gtk+-3.0 2>/dev/null || ! command -v xvfb-run >/dev/null \
		|| ! command -v openbox >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null \
		|| ! command -v dbus-run-session >/dev/null || ! command -v xprop >/dev/null || ! command -v tesseract >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DESKTOP_APT); \
		else \
			echo "The desktop app needs: $(DESKTOP_APT)"; \
			echo "Install them with: sudo apt-get install $(DESKTOP_APT)"; exit 1; \
		fi; \
	fi

## tauri-cli: the Tauri command line (npm), for the installers. npm install, not npm ci: the
## registry mirror here lacks the CLI's macOS/Windows builds, which npm ci insists on finding in
## the lock file; the version is pinned in package.json.
tauri-cli:
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19 or newer with npm"; exit 1; }
	@[ apps/desktop/node_modules/.package-lock.json -nt apps/desktop/package-lock.json ] || (cd apps/desktop && npm install --no-audit --no-fund)

## desktop: the desktop app's Linux installer (.deb) in $(CARGO_TARGET_DIR)/release/bundle/deb;
## Windows and macOS installers are built on those systems (docs/desktop.md)
desktop: tools-rust desktop-deps ui tauri-cli
	@if [ ui/dist/index.html -nt "$(CARGO_TARGET_DIR)/release/kh-desktop" ]; then touch crates/http-local/src/ui.rs; fi
	cd apps/desktop && npx tauri build --ci --bundles deb -- --locked
	@ls -1 "$(CARGO_TARGET_DIR)"/release/bundle/deb/*.deb

## desktop-run: build and open the desktop app (the cashier's window) on this machine
desktop-run: tools-rust desktop-deps ui
	@if [ ui/dist/index.html -nt "$(CARGO_TARGET_DIR)/release/kh-desktop" ]; then touch crates/http-local/src/ui.rs; fi
	cargo run --release --locked -p kh-desktop --features custom-protocol

## test-desktop: lints and tests of the desktop app, in a real window on a virtual display, then
## the very binary that was tested is packaged as a .deb (tauri bundle) and the package checked.
## Built in the debug profile (dependencies at opt-level 1): the release profile's thin LTO
## doubles the build time and tests nothing more; `make desktop` builds the release installer.
test-desktop: tools-rust desktop-deps ui tauri-cli
	@if [ ui/dist/index.html -nt "$(CARGO_TARGET_DIR)/debug/kh-desktop" ]; then touch crates/http-local/src/ui.rs; fi
	cargo clippy --locked -p kh-desktop --features custom-protocol --all-targets -- -D warnings
	apps/desktop/tests/x-session.sh cargo test --locked -p kh-desktop --features custom-protocol -- --test-threads=1
	rm -rf "$(CARGO_TARGET_DIR)/debug/bundle/deb"
	cd apps/desktop && npx tauri bundle --ci --debug --bundles deb --features custom-protocol
	bash apps/desktop/check-deb.sh "$(CARGO_TARGET_DIR)"/debug/bundle/deb/*.deb

## bench-desktop: launch-to-usable and memory of the desktop window beside Chromium (needs the
## desktop deps and Chromium); the table in docs/benchmarks.md
bench-desktop: desktop chromium
	cargo build --release --locked -p kh-local -p kh-bench
	apps/desktop/tests/x-session.sh "$(CARGO_TARGET_DIR)/release/kh-bench" desktop --runs 7 \
		--desktop-bin "$(CARGO_TARGET_DIR)/release/kh-desktop" --local-bin "$(CARGO_TARGET_DIR)/release/kh-local"
