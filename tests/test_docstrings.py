"""The examples in the package's docstrings are run, so that none of them goes stale."""

import doctest
import importlib
import pkgutil

import pytest

import regioassist

pytestmark = pytest.mark.unit

MODULES = sorted(info.name for info in pkgutil.walk_packages(regioassist.__path__, "regioassist."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
