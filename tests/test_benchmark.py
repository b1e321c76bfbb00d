"""The benchmark script runs end to end on a small generated site (its figures are for
people to read; here only that it measures and checks what it says)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_benchmark_prints_its_table_with_every_rebuild_identical_to_a_cold_build(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "30", "--repeat", "1",
         "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| 30 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    cold, no_change, body, title, rss, floor, ratio = map(float, cells[1:8])
    assert cells[8] == "yes"
    assert 0 < no_change < cold and body > 0 and title > 0 and rss > 20
    half = 0.005  # the table rounds to two decimals
    assert floor > half
    assert (cold - half) / (floor + half) - half <= ratio <= (cold + half) / (floor - half) + half
    assert "edit title 1/1: identical" in done.stderr
