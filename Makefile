# The two commands of the README.
.PHONY: run test setup

setup:
	./scripts/setup.sh

run: setup
	.venv/bin/regioassist chat

test: setup
	.venv/bin/python -m pytest
