"""One broken site per failure: each gets one clear line naming the file and line, a failed
build, and the previous output left as it was."""

from __future__ import annotations

import time

import pytest

from sitegen.cli import main
from tests.conftest import post
from tests.test_yamlread import BILLION_LAUGHS

GOOD = post("Bon billet", "2025-03-01")

BROKEN = {
    "invalid_yaml": (
        "---\ntitle: Cassé\ndate: 2025-03-21\ntags: [vélo, ville\n---\n\nDu texte.\n",
        "content/posts/x.md:4: invalid YAML: did not find expected ',' or ']' while parsing a "
        "flow sequence (close the [ or { opened on this line)"),
    "colon_in_value": (
        "---\ntitle: Réunion: ordre du jour\ndate: 2025-03-21\n---\n",
        "content/posts/x.md:2: invalid YAML: mapping values are not allowed in this context (put "
        "quotes around a value that contains ': ')"),
    "unclosed_front_matter": (
        "---\ntitle: Ouvert\ndate: 2025-03-21\n\nDu texte.\n",
        "content/posts/x.md:1: front matter is not closed (add a line '---' after the last "
        "'key: value' line)"),
    "no_front_matter": (
        "# Un titre\n\nDu texte.\n",
        "content/posts/x.md:1: no front matter (start the file with a '---' line, then "
        "'title: …' and 'date: …', then another '---' line)"),
    "not_a_mapping": (
        "---\n- title: Liste\n- date: 2025-03-21\n---\n",
        "content/posts/x.md:2: expected key: value lines, found a list (write one 'key: value' "
        "per line)"),
    "missing_title": (
        "---\ndate: 2025-03-21\n---\n",
        "content/posts/x.md:2: missing 'title' (add a line such as 'title: My post' to the "
        "front matter)"),
    "missing_date": (
        "---\ntitle: Sans date\n---\n",
        "content/posts/x.md:2: missing 'date' (add a line such as 'date: 2025-03-21')"),
    "impossible_date": (
        "---\ntitle: Trente février\nsummary: x\ndate: 2024-02-30\n---\n",
        "content/posts/x.md:4: date: '2024-02-30' is not a real date (day is out of range for "
        "month) (write it as 2025-03-21 or 2025-03-21 18:30)"),
    "alias_bomb": (
        "---\ntitle: Rires\ndate: 2025-03-21\n" + BILLION_LAUGHS + "---\n",
        "content/posts/x.md:8: YAML expands to too many or too deeply nested values (remove "
        "repeated aliases (*name))"),
    "deep_nesting": (
        "---\ntitle: Profond\ndate: 2025-03-21\nextra: " + "[" * 50_000 + "]" * 50_000 + "\n---\n",
        "content/posts/x.md:4: YAML is nested too deeply (use at most 64 levels)"),
    "not_utf8": (
        b"---\ntitle: Latin-1\ndate: 2025-03-21\n---\n\nPremi\xe8re ligne.\n",
        "content/posts/x.md:6: not UTF-8 text (byte 46) (save the file as UTF-8)"),
    "toml": (
        '+++\ntitle = "TOML"\ndate = 2025-03-21\n+++\n',
        "content/posts/x.md:1: TOML front matter (+++) is not supported (use YAML between two "
        "'---' lines)"),
    "duplicate_key": (
        "---\ntitle: Un\ndate: 2025-03-21\ntags: [a]\ntitle: Deux\n---\n",
        "content/posts/x.md:5: duplicate key 'title' (first given on line 2)"),
    "bad_slug": (
        "---\ntitle: Évasion\ndate: 2025-03-21\nslug: ../../etc\n---\n",
        "content/posts/x.md:4: slug '../../etc' cannot be a path segment (use letters, digits "
        "and '-' only)"),
    "nul_byte": (
        b"---\ntitle: Binaire\ndate: 2025-03-21\n---\n\nab\x00cd\n",
        "content/posts/x.md:6: binary data (NUL byte) in a text file"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_post_gets_one_clear_line(make_site, name):
    text, expected = BROKEN[name]
    site = make_site({"content/posts/x.md": text, "content/posts/good.md": GOOD})
    started = time.perf_counter()
    assert site.build_fails() == [expected]
    assert time.perf_counter() - started < 2
    assert not site.output.exists()


def test_independent_problems_are_reported_together(make_site):
    site = make_site({
        "content/posts/a.md": BROKEN["invalid_yaml"][0],
        "content/posts/b.md": BROKEN["missing_date"][0],
        "content/posts/c.md": BROKEN["toml"][0],
        "content/posts/good.md": GOOD,
        "content/pages/d.md": "---\ntitle: Page\ndraft: peut-être\n---\n",
    })
    assert site.build_fails() == [
        "content/posts/a.md:4: invalid YAML: did not find expected ',' or ']' while parsing a "
        "flow sequence (close the [ or { opened on this line)",
        "content/posts/b.md:2: missing 'date' (add a line such as 'date: 2025-03-21')",
        "content/posts/c.md:1: TOML front matter (+++) is not supported (use YAML between two "
        "'---' lines)",
        "content/pages/d.md:3: 'draft' must be true or false, not 'peut-être'",
    ]  # file by file, in the order they are found


def test_two_broken_files_give_two_errors_in_one_run(make_site):
    site = make_site({"content/posts/x.md": BROKEN["duplicate_key"][0],
                      "content/posts/y.md": BROKEN["impossible_date"][0]})
    lines = site.build_fails()
    assert len(lines) == 2
    assert lines[0].startswith("content/posts/x.md:5: ")
    assert lines[1].startswith("content/posts/y.md:4: ")


def test_every_problem_is_one_line(make_site):
    site = make_site({f"content/posts/{name}.md": text for name, (text, _) in BROKEN.items()})
    lines = site.build_fails()
    assert len(lines) == len(BROKEN)
    assert all("\n" not in line and "Traceback" not in line for line in lines)


def test_a_value_with_a_line_break_still_gives_one_line(make_site):
    site = make_site({"content/posts/x.md": "---\ntitle: X\ndate: |\n  2025-03-21\n  18:30\n"
                                            'draft: "oui\\nnon"\n---\n'})
    lines = site.build_fails()
    assert len(lines) == 2
    assert all("\n" not in line for line in lines)


def test_a_failed_build_leaves_the_previous_output_as_it_was(make_site):
    site = make_site({"content/posts/a.md": post("Premier", "2025-03-01"),
                      "content/posts/b.md": post("Second", "2025-03-02", tags="[vélo]")})
    site.build()
    before = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert len(before) > 10
    site.write({"content/posts/b.md": BROKEN["invalid_yaml"][0],
                "content/posts/c.md": post("Nouveau", "2025-03-03")})
    assert len(site.build_fails()) == 1
    after = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert after == before
    assert not any(p.name.startswith("public.") for p in site.root.iterdir())


def test_the_command_line_exits_non_zero_without_a_traceback(make_site, capsys):
    site = make_site({"content/posts/x.md": BROKEN["missing_title"][0],
                      "content/posts/y.md": BROKEN["unclosed_front_matter"][0]})
    code = main(["build", "--source", str(site.root)])
    err = capsys.readouterr().err
    assert code not in (0, None)
    assert "Traceback" not in err
    assert BROKEN["missing_title"][1] in err.splitlines()
    assert BROKEN["unclosed_front_matter"][1].replace("x.md", "y.md") in err.splitlines()


def test_the_command_line_succeeds_and_shows_warnings(make_site, capsys):
    site = make_site({"content/posts/x.md": post("A", tgas="[a]"),
                      "content/posts/vide.md": ""})
    assert main(["build", "--source", str(site.root)]) == 0
    err = capsys.readouterr().err
    assert "content/posts/vide.md: warning: empty file, skipped" in err.splitlines()
    assert ("content/posts/x.md:4: warning: unknown key 'tgas' kept as is "
            "(did you mean 'tags'?)") in err.splitlines()
