"""Compiles Tests/CAPI/capi_test.c against include/msense.h and the built library, and runs it."""
import os
import shutil
import subprocess

import pytest

import msense


def test_c_program_uses_the_whole_api(root, tmp_path):
    compiler = shutil.which("cc")
    if compiler is None:
        pytest.fail("no C compiler (cc) on PATH")
    library = msense.library_path()
    binary = tmp_path / "capi_test"
    subprocess.run([compiler, "-std=c11", "-Wall", "-Werror", f"-I{root / 'include'}", str(root / "Tests/CAPI/capi_test.c"),
                    str(library), f"-Wl,-rpath,{library.parent}", "-lpthread", "-lm", "-o", str(binary)], check=True)
    result = subprocess.run([str(binary)], capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failure(s)" in result.stdout
    assert result.stdout.count("ok   ") >= 60
