"""Every test in tests/files runs under both YAML parsers: libyaml (ruamel.yaml.clib) and pure Python.

hfmap's results must not depend on whether ruamel.yaml.clib is installed (it is not on PyPy, and a
user's environment may lack it), so the loader, fmt and dump tests all run twice.
"""

from __future__ import annotations

import platform

import pytest

from hfmap.files.parse import PURE_ENV


@pytest.fixture(autouse=True, params=["libyaml", "pure"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libyaml":
        if platform.python_implementation() != "CPython":
            pytest.skip("ruamel.yaml.clib is a dependency on CPython only")
        import _ruamel_yaml  # noqa: F401 - on CPython it must be there, or these runs would test nothing new

        monkeypatch.delenv(PURE_ENV, raising=False)
    else:
        monkeypatch.setenv(PURE_ENV, "1")
    return request.param
