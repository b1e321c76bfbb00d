"""A non-editable install must work: the default theme ships inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_carries_the_default_theme(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("sitegen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = REPO / "themes" / "default"
    expected = {"sitegen/themes/default/" + p.relative_to(theme).as_posix()
                for p in theme.rglob("*") if p.is_file()}
    assert expected and expected <= names, sorted(expected - names)
    assert "sitegen/cli.py" in names
    assert not any(n.startswith(("tests/", "content/", "benchmarks/")) for n in names)
