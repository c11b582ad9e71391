# Haramain Finance — developer commands. `make run` starts the cashier app; `make test` runs
# every test. Both check for the tools they need and say what is missing.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR

.PHONY: run test build bench tools-rust fmt lint

tools-rust:
	@command -v cargo >/dev/null || { echo "cargo is missing: install Rust 1.94 or newer (https://rustup.rs)"; exit 1; }
	@cargo fmt --version >/dev/null 2>&1 || { echo "rustfmt is missing: rustup component add rustfmt"; exit 1; }
	@cargo clippy --version >/dev/null 2>&1 || { echo "clippy is missing: rustup component add clippy"; exit 1; }

## run: build and start the cashier app (kh-local) on http://127.0.0.1:8080 with an embedded SQLite
run: tools-rust
	cargo run --release -p kh-local

## test: formatting, lints and every test of the workspace
test: tools-rust
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	@if cargo nextest --version >/dev/null 2>&1; then \
		cargo nextest run --workspace --locked --no-fail-fast; \
	else \
		echo "cargo-nextest not found (cargo install cargo-nextest --locked); using cargo test"; \
		cargo test --workspace --all-targets --locked --no-fail-fast; \
	fi

## build: release binaries in $(CARGO_TARGET_DIR)/release
build: tools-rust
	cargo build --release --locked -p kh-local -p kh-bench

## bench: the benchmark table recorded in docs/benchmarks.md
bench: tools-rust
	cargo run --release --locked -p kh-bench -- local

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets -- -D warnings
