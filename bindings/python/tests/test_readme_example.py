"""The README's Python example runs as written and gets the answer it shows."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import numpy as np

README = pathlib.Path(__file__).resolve().parents[3] / "README.md"


def test_readme_python_example_runs(tmp_path: pathlib.Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "README.md has no Python example"
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    env = dict(os.environ)
    env["PYTHONPATH"] = str(README.parent / "bindings" / "python") + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    # The example's data: y = X @ [1.5, -2.0, 0.5] + 4 + N(0, 0.1); numpy's
    # least squares on the same data is the reference.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 4.0 + rng.normal(scale=0.1, size=100)
    reference = np.linalg.lstsq(np.c_[X, np.ones(100)], y, rcond=None)[0]
    printed = np.array([float(v) for v in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", first)])
    np.testing.assert_allclose(printed, reference, rtol=1e-7)
    assert "OLS Regression Results" in done.stdout
