"""`pip install bindings/python` works: install into a temporary target and import it from there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

import linreg

from conftest import PY_DIR


@pytest.mark.parametrize("ship_library", [False, True], ids=["LINREG_LIBRARY", "library-in-package"])
def test_pip_install_into_target(tmp_path, ship_library):
    """Without the library in the package, LINREG_LIBRARY finds it; with a copy in linreg/_lib/, nothing is needed."""
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        pytest.skip(f"pip is not available in {sys.executable}")
    if subprocess.run([sys.executable, "-c", "import setuptools"], capture_output=True).returncode != 0:
        pytest.skip("setuptools is not installed in this environment: --no-build-isolation cannot build the package")
    # Build from a copy: pip builds in the source folder and would leave build/ and *.egg-info there.
    src = tmp_path / "src"
    shutil.copytree(PY_DIR, src, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", ".pytest_cache"))
    if ship_library:  # README: copy build/lib/liblinreg.so* into linreg/_lib/ before building
        (src / "linreg" / "_lib").mkdir(exist_ok=True)
        shutil.copy2(os.path.realpath(linreg.library_path), src / "linreg" / "_lib" / "liblinreg.so")
    target = tmp_path / "target"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--quiet", "--target", str(target), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert (target / "linreg" / "__init__.py").is_file()
    assert (target / "linreg" / "py.typed").is_file() and (target / "linreg" / "dask.py").is_file()

    code = "import linreg, linreg.dask; print(linreg.__version__); print(linreg.__file__); print(linreg.library_path)"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LINREG_LIBRARY")}
    env["PYTHONPATH"] = str(target)
    if not ship_library:
        env["LINREG_LIBRARY"] = linreg.library_path
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    version, where, library = out.stdout.split("\n")[:3]
    assert version == linreg.__version__ == "0.1.0"
    assert where.startswith(str(target))  # the installed copy, not the source tree
    if ship_library:
        assert library.startswith(str(target / "linreg" / "_lib"))
    else:
        assert os.path.realpath(library) == os.path.realpath(linreg.library_path)
