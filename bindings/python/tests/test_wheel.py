"""The wheel: built from the source tree through the Makefile, a platform wheel carrying liblinreg.so,
installed into a throw-away virtual environment and used from a folder outside the tree with no
LINREG_LIBRARY (issue 13, part 1).

The wheel is built once per session with this environment's pip (``pip wheel --no-build-isolation``:
setup.py's hook runs ``make -C <repo> lib``), and installed with its ``cli`` extra into a fresh
``python -m venv`` (numpy and pandas at this environment's versions, usually from pip's cache).
Every run there has LINREG_LIBRARY and PYTHONPATH removed, PATH without the Swift toolchain, and a
temporary folder as its working directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import linreg

from conftest import PY_DIR, REPO, advertising_path

sm = pytest.importorskip("statsmodels.api")
FEATURES = ["TV", "Radio", "Newspaper"]
WHEEL_NAME = re.compile(r"^linreg-(?P<version>[^-]+)-py3-none-(?P<platform>(?:manylinux_\d+_\d+_|linux_)x86_64)\.whl$")


def clean_env(**extra: str) -> dict:
    """The environment of a machine with only the wheel: no LINREG_LIBRARY, no PYTHONPATH, no Swift on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("LINREG_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep)
                                  if "swift" not in p.lower()) or "/usr/bin:/bin"
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    if subprocess.run([sys.executable, "-c", "import setuptools"], capture_output=True).returncode != 0:
        pytest.fail("setuptools is missing from the test environment: the wheel cannot be built", pytrace=False)
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--disable-pip-version-check",
         "-w", str(dist), str(PY_DIR)],
        capture_output=True, text=True, timeout=1800, env=clean_env(PATH=os.environ.get("PATH", "")),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="session")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel (and its cli extra) installed."""
    root = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300, env=clean_env())
    pins = [f"numpy=={np.__version__}", f"pandas=={pd.__version__}"]  # this environment's: in pip's cache
    done = subprocess.run(
        [str(root / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
         f"{wheel}[cli]", *pins],
        capture_output=True, text=True, timeout=600, env=clean_env(), cwd=root.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working folder outside the source tree, with a copy of the Advertising data."""
    assert not str(tmp_path.resolve()).startswith(str(REPO.resolve()) + os.sep)
    data = advertising_path()
    if not data.is_file():
        pytest.fail(f"Advertising data not found at {data}", pytrace=False)
    shutil.copy(data, tmp_path / "Advertising.csv")
    return tmp_path


def run_in(venv: Path, cwd: Path, *argv, timeout=300):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=clean_env(), cwd=cwd,
                          timeout=timeout)


def test_wheel_is_a_platform_wheel_carrying_the_library(wheel):
    m = WHEEL_NAME.match(wheel.name)
    assert m, f"{wheel.name} is not a py3-none-<linux x86-64> wheel"
    assert m.group("version") == linreg.__version__
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = z.read("linreg-%s.dist-info/WHEEL" % linreg.__version__).decode()
        entry_points = z.read("linreg-%s.dist-info/entry_points.txt" % linreg.__version__).decode()
        shipped = z.read("linreg/_lib/liblinreg.so")
    assert "Root-Is-Purelib: false" in meta and "Tag: py3-none-" in meta
    assert re.search(r"^linreg\s*=\s*linreg\.cli:main$", entry_points, re.M)
    assert {"linreg/__init__.py", "linreg/cli.py", "linreg/__main__.py", "linreg/py.typed"} <= set(names)
    # the library is the one `make lib` built (the hook went through the Makefile), not another copy
    built = Path(os.path.realpath(REPO / "build" / "lib" / "liblinreg.so"))
    assert built.name == "liblinreg.so." + linreg.__version__
    assert shipped == built.read_bytes()
    # the hook copies into the build folder only: a copy in the source's linreg/_lib/ would shadow build/lib/
    assert not (PY_DIR / "linreg" / "_lib").exists()


def test_auditwheel_reports_the_manylinux_policy_the_readme_names(wheel):
    done = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    text = " ".join(done.stdout.split())
    reported = re.search(r'consistent with the following platform tag: "(manylinux_\d+_\d+_x86_64)"', text)
    assert reported, text
    section = (REPO / "README.md").read_text().split("## Python wheel", 1)[1].split("\n## ", 1)[0]
    assert f"`{reported.group(1)}`" in section, f"README's Python wheel section should name {reported.group(1)}"


def test_readme_example_runs_from_the_installed_wheel(venv, outside):
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    (outside / "example.py").write_text(blocks[0])
    done = run_in(venv, outside, venv / "bin" / "python", "example.py")
    assert done.returncode == 0, done.stderr
    rng = np.random.default_rng(0)  # the example's data; numpy's least squares is the reference
    X = rng.normal(size=(100, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 4.0 + rng.normal(scale=0.1, size=100)
    reference = np.linalg.lstsq(np.c_[X, np.ones(100)], y, rcond=None)[0]
    printed = [float(v) for v in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", done.stdout.splitlines()[0])]
    np.testing.assert_allclose(printed, reference, rtol=1e-7)
    assert "OLS Regression Results" in done.stdout

    where = run_in(venv, outside, venv / "bin" / "python", "-c",
                   "import linreg; print(linreg.__file__); print(linreg.library_path)")
    assert where.returncode == 0, where.stderr
    module, library = where.stdout.splitlines()
    site = str(venv.resolve())
    assert os.path.realpath(module).startswith(site) and os.path.realpath(library).startswith(site)
    assert library.endswith(os.path.join("linreg", "_lib", "liblinreg.so"))
    # self-contained: no Swift runtime library is needed to load it
    ldd = subprocess.run(["ldd", library], capture_output=True, text=True, env=clean_env())
    assert ldd.returncode == 0 and "not found" not in ldd.stdout and "swift" not in ldd.stdout.lower(), ldd.stdout


def test_linreg_command_from_the_installed_wheel(venv, outside, advertising):
    linreg_cmd = venv / "bin" / "linreg"
    assert linreg_cmd.is_file()
    fit = run_in(venv, outside, linreg_cmd, "fit", "Advertising.csv", "--target", "Sales", "--out", "m.lr")
    assert fit.returncode == 0, fit.stderr
    ols = sm.OLS(advertising["Sales"], sm.add_constant(advertising[FEATURES])).fit()
    block = fit.stdout.split("Parameters of Sales (full precision):", 1)[1].split("Standard errors of", 1)[0]
    printed = dict(re.findall(r"^  (\S+)\s+(\S+)$", block, re.M))
    np.testing.assert_allclose([float(printed[n]) for n in ["const", *FEATURES]], ols.params.to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(float(printed["R-squared"]), ols.rsquared, rtol=1e-8)
    errors = fit.stdout.split("Standard errors of Sales (nonrobust, full precision):", 1)[1]
    printed = dict(re.findall(r"^  (\S+)\s+(\S+)$", errors, re.M))
    np.testing.assert_allclose([float(printed[n]) for n in ["const", *FEATURES]], ols.bse.to_numpy(), rtol=1e-8)

    same = run_in(venv, outside, venv / "bin" / "python", "-m", "linreg", "summary", "m.lr")
    assert same.returncode == 0 and "OLS Regression Results" in same.stdout, same.stderr

    bad = run_in(venv, outside, linreg_cmd, "fit", "Advertising.csv", "--target", "Profit", "--out", "bad.lr")
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1, bad.stderr
    assert "'Profit'" in bad.stderr and "Traceback" not in bad.stderr
    assert not (outside / "bad.lr").exists()

    # predict matches the data's columns by name: the names travel in the model file (issue 13, part 3)
    loaded = linreg.load(outside / "m.lr")
    predict = run_in(venv, outside, linreg_cmd, "predict", "m.lr", "Advertising.csv")
    assert predict.returncode == 0, predict.stderr
    lines = predict.stdout.splitlines()
    assert lines[0] == "Sales" and len(lines) == 201
    got = np.array([float(v) for v in lines[1:]])
    # the library's own predictions from the same model file, and statsmodels' fitted values
    library = loaded.predict(advertising[FEATURES])
    np.testing.assert_array_equal(got, library)
    np.testing.assert_allclose(got, ols.fittedvalues.to_numpy(), rtol=1e-10)


def test_building_outside_the_repository_without_a_library_fails_clearly(tmp_path):
    """An sdist or a copy has no Makefile: with no library to ship, the build stops with one clear reason."""
    src = tmp_path / "linreg-src"
    shutil.copytree(PY_DIR, src, ignore=shutil.ignore_patterns("__pycache__", "build", "_lib", "*.egg-info",
                                                               ".pytest_cache", "tests"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--disable-pip-version-check",
         "-w", str(tmp_path / "dist"), str(src)],
        capture_output=True, text=True, timeout=600, env=clean_env(), cwd=tmp_path,
    )
    assert done.returncode != 0
    assert "no liblinreg.so to put in the wheel" in done.stdout + done.stderr
    assert not list(tmp_path.glob("dist/*.whl"))
