"""Build hook of the linreg wheel: put liblinreg.so inside the package.

setuptools' documented extension points (``cmdclass``), nothing hand-rolled:

* ``build_py`` copies the library into ``linreg/_lib/liblinreg.so`` of the
  build folder (never of the source tree, where a stale copy would shadow
  ``build/lib/`` for the tests). The library is, in this order:
    1. a copy already in ``linreg/_lib/liblinreg.so*`` (shipped as it is);
    2. inside the liblinreg repository: ``make -C <repo> lib`` (the flags stay
       the Makefile's: release, static Swift stdlib, SONAME, export list),
       then ``<repo>/build/lib/liblinreg.so.<version>``;
    3. outside it (an sdist, a copy): the file named by ``LINREG_LIBRARY``;
  and the build fails with one clear message when none applies.
* ``bdist_wheel`` tags the wheel ``py3-none-<platform>``: any Python 3 (ctypes,
  no extension module), one platform (the library's).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
from setuptools.command.build_py import build_py as _build_py

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1] if len(HERE.parents) >= 2 else HERE
IN_REPO = (REPO / "Makefile").is_file() and (REPO / "include" / "linreg.h").is_file() \
    and (REPO / "bindings" / "python" / "setup.py").resolve() == Path(__file__).resolve()


class LibraryNotFound(RuntimeError):
    pass


def _library_to_ship() -> Path | None:
    """The library file to copy into the wheel; None when linreg/_lib/ already holds one."""
    if sorted((HERE / "linreg" / "_lib").glob("liblinreg.so*")):
        return None  # package data (pyproject's [tool.setuptools.package-data])
    if IN_REPO:
        subprocess.run(["make", "-C", str(REPO), "lib"], check=True)
        return Path(os.path.realpath(REPO / "build" / "lib" / "liblinreg.so"))
    env = os.environ.get("LINREG_LIBRARY")
    if env:
        path = Path(env).expanduser()
        if path.is_dir():
            path = path / "liblinreg.so"
        if not path.is_file():
            raise LibraryNotFound(f"linreg wheel: LINREG_LIBRARY={env} is not a library file")
        return Path(os.path.realpath(path))
    raise LibraryNotFound(
        f"linreg wheel: no liblinreg.so to put in the wheel: {HERE} is not inside the liblinreg "
        f"repository (no {REPO / 'Makefile'} beside include/linreg.h), linreg/_lib/ holds no "
        "liblinreg.so*, and LINREG_LIBRARY is not set. Build the wheel from the repository "
        "(pip wheel bindings/python), or copy a built liblinreg.so into linreg/_lib/, or set "
        "LINREG_LIBRARY to one."
    )


class build_py(_build_py):
    """build_py, then the shared library into <build>/linreg/_lib/liblinreg.so."""

    def run(self) -> None:
        super().run()
        library = _library_to_ship()
        if library is None:
            return
        target = Path(self.build_lib) / "linreg" / "_lib" / "liblinreg.so"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, target)
        os.chmod(target, 0o755)
        self.announce(f"linreg: shipping {library} as {target}", level=2)


class BinaryDistribution(Distribution):
    """Holds a native library: installed in platlib, and the wheel is not pure."""

    def has_ext_modules(self) -> bool:
        return True


class bdist_wheel(_bdist_wheel):
    """A platform wheel: py3-none-<platform> (pure Python over ctypes, plus the native library)."""

    def get_tag(self):
        _python, _abi, platform = super().get_tag()
        return "py3", "none", platform


options = {}
if IN_REPO:
    # keep setuptools' scratch folder out of the source tree, in the repository's (ignored) build/
    options["build"] = {"build_base": str(REPO / "build" / "python-wheel")}

setup(distclass=BinaryDistribution, cmdclass={"build_py": build_py, "bdist_wheel": bdist_wheel}, options=options)
