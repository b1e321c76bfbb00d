"""Builds by several worker processes: the same output, byte for byte, as by one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.parallel import PARALLEL_MIN
from sitegen.theme import ThemeError
from sitegen.write import PARALLEL_MIN as WRITE_PARALLEL_MIN
from tests.test_incremental import snapshot

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate_site  # noqa: E402  (the benchmark's realistic site)


def test_workers_do_not_change_the_output(tmp_path, monkeypatch):
    posts = max(PARALLEL_MIN, WRITE_PARALLEL_MIN) + 20  # enough for every parallel stage
    generate_site(tmp_path / "site", posts, seed=3)
    outputs = {}
    for workers in (1, 2, 3):
        monkeypatch.setenv("SITEGEN_WORKERS", str(workers))
        shutil.rmtree(tmp_path / "site" / ".sitegen-cache", ignore_errors=True)
        report = build(BuildOptions(tmp_path / "site", tmp_path / f"out-{workers}"))
        assert report.made == report.files  # a cold build: everything made by the workers
        outputs[workers] = snapshot(tmp_path / f"out-{workers}")
    assert outputs[1] == outputs[2] == outputs[3]
    assert len(outputs[1]) > posts


def test_an_error_in_a_worker_fails_the_build_cleanly(tmp_path, monkeypatch):
    posts = max(PARALLEL_MIN, WRITE_PARALLEL_MIN) + 20
    site = tmp_path / "site"
    generate_site(site, posts, seed=4)
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text("{{ post.no_such_field }}\n")
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    with pytest.raises(ThemeError) as failure:
        build(BuildOptions(site))
    assert "post.html" in str(failure.value) and "no_such_field" in str(failure.value)
    assert not (site / "public").exists()
    assert not any(p.name.endswith(".sitegen-new") for p in site.iterdir())
