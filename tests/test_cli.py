"""The command line, run as a user runs it: a real process, its exit code and its output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SITE_YAML, post


def sitegen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_version():
    result = sitegen("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("sitegen 0.")


def test_init_then_build_then_new_post(tmp_path):
    site = tmp_path / "mysite"
    assert sitegen("init", str(site)).returncode == 0
    build = sitegen("build", cwd=site)
    assert build.returncode == 0, build.stderr
    assert build.stdout == ""  # quiet in a pipe
    assert (site / "public" / "index.html").is_file()
    assert "Bienvenue" in (site / "public" / "index.html").read_text()

    new = sitegen("new", "post", "Mon premier billet", cwd=site)
    assert new.returncode == 0, new.stderr
    created = site / new.stdout.strip()
    assert created.name.endswith("-mon-premier-billet.md")
    text = created.read_text()
    assert 'title: "Mon premier billet"' in text and "date: " in text
    assert sitegen("build", "--drafts", cwd=site).returncode == 0
    assert list((site / "public").rglob("mon-premier-billet/index.html"))

    page = sitegen("new", "page", "Nous rejoindre", "--source", str(site))
    assert page.returncode == 0
    assert (site / "content/pages/nous-rejoindre.md").is_file()


def test_init_refuses_to_overwrite_a_site(tmp_path):
    (tmp_path / "site.yaml").write_text("title: x\n")
    result = sitegen("init", str(tmp_path))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "site.yaml").read_text() == "title: x\n"


def test_new_refuses_to_overwrite_a_post(tmp_path):
    sitegen("init", str(tmp_path))
    assert sitegen("new", "post", "Deux fois", cwd=tmp_path).returncode == 0
    again = sitegen("new", "post", "Deux fois", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_errors_are_one_line_each_with_exit_1_and_no_traceback(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE_YAML)
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text("---\ntitle: A\ndate: 2024-02-30\n---\n")
    (posts / "b.md").write_text("---\ndate: 2024-02-01\n---\n")
    result = sitegen("build", "--source", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert "content/posts/a.md:3: date: '2024-02-30' is not a real date" in lines[0]
    assert lines[1].startswith("content/posts/b.md:2: missing 'title'")
    assert lines[-1] == "build failed: 2 error(s); the previous output is unchanged"


def test_warnings_are_printed_and_quiet_hides_them(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE_YAML)
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "a.md").write_text(post("A", platforms="[mastodom]"))
    loud = sitegen("build", "--source", str(tmp_path))
    assert loud.returncode == 0
    assert "warning: unknown platform 'mastodom'" in loud.stderr
    quiet = sitegen("build", "--quiet", "--source", str(tmp_path))
    assert quiet.returncode == 0 and quiet.stderr == ""
    strict = sitegen("build", "--strict", "--source", str(tmp_path))
    assert strict.returncode == 1


def test_missing_site_gives_a_hint(tmp_path):
    result = sitegen("build", "--source", str(tmp_path))
    assert result.returncode == 1
    assert "no site.yaml here (run 'sitegen init DIR'" in result.stderr


def test_version_does_not_import_the_pipeline():
    code = ("import sys, sitegen.cli; "
            "sys.argv=['sitegen','--version']\n"
            "try:\n sitegen.cli.main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'markdown','jinja2','feedgen','babel','yaml','pygments'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
