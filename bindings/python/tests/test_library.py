"""Locating and loading the library, prototypes, version check, status mapping."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import linreg
from linreg import _errors, _library

PY_DIR = Path(__file__).resolve().parents[1]
REPO = PY_DIR.parents[1]
HEADER = REPO / "include" / "linreg.h"


def _run(code: str, env_overrides: dict, cwd: Path, pythonpath: Path):
    env = {k: v for k, v in os.environ.items() if k != "LINREG_LIBRARY"}
    env.update(env_overrides)
    env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def _copy_package(dest: Path) -> Path:
    """A copy of the linreg package outside the source tree (no repo build next to it)."""
    shutil.copytree(PY_DIR / "linreg", dest / "linreg", ignore=shutil.ignore_patterns("__pycache__", "_lib"))
    return dest


def test_bad_env_path_lists_tried_paths(tmp_path):
    bad = tmp_path / "nowhere" / "liblinreg.so"
    r = _run("import linreg", {"LINREG_LIBRARY": str(bad)}, tmp_path, PY_DIR)
    assert r.returncode != 0
    assert "ImportError" in r.stderr
    assert "tried, in order" in r.stderr
    assert str(bad) in r.stderr and "LINREG_LIBRARY" in r.stderr


def test_env_path_not_a_library(tmp_path):
    junk = tmp_path / "liblinreg.so"
    junk.write_text("not an ELF file")
    r = _run("import linreg", {"LINREG_LIBRARY": str(junk)}, tmp_path, PY_DIR)
    assert r.returncode != 0 and str(junk) in r.stderr and "ImportError" in r.stderr


def test_nothing_found_lists_every_candidate(tmp_path):
    pkg_root = _copy_package(tmp_path / "site")
    r = _run("import linreg", {"LD_LIBRARY_PATH": ""}, tmp_path, pkg_root)
    if r.returncode == 0:  # pragma: no cover - a system-wide install exists
        pytest.skip("liblinreg is installed system-wide; find_library succeeds")
    err = r.stderr
    assert "shipped in the package" in err
    assert str(pkg_root / "linreg" / "_lib" / "liblinreg.so") in err
    assert "repository build output" in err
    assert "find_library" in err


def _built_library() -> Path:
    return Path(linreg.library_path).resolve()


def test_env_var_wins_and_directory_accepted(tmp_path):
    libdir = tmp_path / "lib"
    libdir.mkdir()
    shutil.copy(_built_library(), libdir / "liblinreg.so")
    code = "import linreg; print(linreg.library_path)"
    r = _run(code, {"LINREG_LIBRARY": str(libdir)}, tmp_path, PY_DIR)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(libdir / "liblinreg.so")


def test_shipped_copy_before_repo_build(tmp_path):
    pkg_root = _copy_package(tmp_path / "site")
    (pkg_root / "linreg" / "_lib").mkdir()
    shutil.copy(_built_library(), pkg_root / "linreg" / "_lib" / "liblinreg.so.0")
    r = _run("import linreg; print(linreg.library_path)", {}, tmp_path, pkg_root)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(pkg_root / "linreg" / "_lib" / "liblinreg.so.0")


def test_source_tree_finds_repo_build(tmp_path):
    repo_lib = REPO / "build" / "lib" / "liblinreg.so"
    if not repo_lib.exists():
        pytest.skip("no repository build output")
    r = _run("import linreg; print(linreg.library_path)", {}, tmp_path, PY_DIR)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(repo_lib)


def test_candidate_order_without_env(monkeypatch):
    monkeypatch.delenv("LINREG_LIBRARY", raising=False)
    descs = [d for d, _ in _library.candidate_paths()]
    assert descs[0].startswith("shipped")
    assert descs[1].startswith("repository build output")
    assert "find_library" in descs[-1]


def test_version_check():
    assert linreg.version_number() == _library.EXPECTED_VERSION_NUMBER == 100
    assert linreg.library_version == "0.1.0"
    _library.check_version(100)
    with pytest.raises(ImportError, match=r"0\.2\.0 \(200\).*0\.1\.0 \(100\)"):
        _library.check_version(200, "/x/liblinreg.so")


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler for the fake library")
def test_version_mismatch_on_import(tmp_path):
    src = tmp_path / "fake.c"
    src.write_text("int linreg_version_number(void) { return 10203; }\n")
    so = tmp_path / "liblinreg.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    r = _run("import linreg", {"LINREG_LIBRARY": str(so)}, tmp_path, PY_DIR)
    assert r.returncode != 0
    assert "ImportError" in r.stderr
    assert "1.2.3 (10203)" in r.stderr and "0.1.0 (100)" in r.stderr


def _header_functions():
    text = HEADER.read_text()
    return set(re.findall(r"LINREG_API\s+[^;(]*?\b(linreg_\w+)\s*\(", text))


def test_every_header_function_has_a_prototype():
    names = _header_functions()
    assert len(names) >= 20
    assert names == set(_library.PROTOTYPES), names ^ set(_library.PROTOTYPES)
    capi = _library.api()
    for name in names:
        if name in capi.missing:
            continue
        fn = getattr(capi, name)
        restype, argtypes = _library.PROTOTYPES[name]
        assert fn.restype is restype, name
        assert list(fn.argtypes) == list(argtypes), name


def test_library_exports_every_header_function():
    assert _library.api().missing == [], "the loaded library is older than include/linreg.h: rebuild it"


def test_pointer_returning_functions_are_not_int():
    capi = _library.api()
    for name in ("linreg_version_string", "linreg_status_string", "linreg_last_error"):
        assert getattr(capi, name).restype is ctypes.c_char_p


def test_status_strings_and_mapping():
    capi = _library.api()
    assert capi.status_string(0)
    assert capi.status_string(999) == "unknown status"
    for code in range(10):
        assert capi.status_string(code) not in ("", "unknown status"), code
    for code, cls, bases in [
        (1, linreg.ArgumentError, (ValueError,)),
        (2, linreg.NonFiniteError, (FloatingPointError, ValueError)),
        (3, linreg.NotFittedError, (ValueError, AttributeError)),
        (4, linreg.DivergedError, (FloatingPointError,)),
        (5, linreg.OutOfMemoryError, (MemoryError,)),
        (6, linreg.UnavailableError, (RuntimeError, AttributeError)),
        (7, linreg.InternalError, (RuntimeError,)),
        (8, linreg.FormatError, (ValueError,)),
        (9, linreg.LinregIOError, (OSError,)),
    ]:
        err = _errors.make_error(code, "msg")
        assert type(err) is cls and err.status == code and str(err).startswith("msg")
        assert isinstance(err, linreg.LinregError)
        for b in bases:
            assert isinstance(err, b)
    assert type(_errors.make_error(42, "x")) is linreg.LinregError


def test_not_fitted_is_sklearns():
    sk = pytest.importorskip("sklearn.exceptions")
    assert issubclass(linreg.NotFittedError, sk.NotFittedError)


def test_error_carries_library_message():
    m = linreg.Model(2, 1)
    with pytest.raises(linreg.ArgumentError) as ei:
        m.set_param(linreg.Param.LEARNING_RATE, -1.0)
    assert "LEARNING_RATE" in str(ei.value) or "learning" in str(ei.value).lower()
    assert ei.value.status == 1


def test_works_without_scikit_learn(tmp_path):
    code = """
        import sys
        sys.modules["sklearn"] = None  # make `import sklearn` fail
        import numpy as np, linreg
        assert linreg.NotFittedError.__mro__[2].__name__ == "_SkNotFittedError"
        est = linreg.LinearRegression(alpha=0.0)
        try:
            est.predict(np.ones((2, 2)))
        except ValueError as e:
            assert isinstance(e, AttributeError)
        else:
            raise SystemExit("no NotFittedError")
        X = np.random.default_rng(0).normal(size=(30, 2))
        y = X @ [1.0, 2.0] + 3.0
        est.set_params(fit_intercept=True)
        assert est.get_params()["alpha"] == 0.0
        assert abs(est.fit(X, y).score(X, y) - 1.0) < 1e-12
        print(repr(est), "ok")
    """
    env_lib = {"LINREG_LIBRARY": linreg.library_path}
    r = _run(code, env_lib, tmp_path, PY_DIR)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("ok")
