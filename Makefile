# Every target runs with the project's own toolchain (.tools/, installed by scripts/bootstrap.sh)
# ahead of the system's.
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export PATH := $(ROOT)/.tools/node/bin:$(ROOT)/.tools/bin:$(PATH)

.PHONY: setup demo test lint typecheck unit bench clean

setup:
	@bash scripts/bootstrap.sh

demo: setup
	@bash scripts/demo.sh

test: setup lint typecheck unit

lint:
	@echo "[test] lint"
	@pnpm -s lint

typecheck:
	@echo "[test] typecheck"
	@pnpm -s typecheck

unit:
	@echo "[test] unit tests"
	@pnpm -s test

bench: setup
	@pnpm -s bench

clean:
	rm -rf packages/*/dist packages/*/tsconfig.tsbuildinfo
