# The two commands of the README.
.PHONY: run test setup

setup:
	./scripts/setup.sh

run: setup
	.venv/bin/regioassist serve

test:
	./scripts/setup.sh --test
	.venv/bin/python -m pytest
