"""Property tests: whatever authors type, reading reports problems instead of crashing, and the
sanitizer's output never runs script."""

from __future__ import annotations

import re
from datetime import UTC
from html import unescape as html_unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build
from sitegen.config import DEFAULT_EMBED_HOSTS
from sitegen.content import read_document
from sitegen.dates import DateError, format_day, iso, parse_moment
from sitegen.errors import BuildError, Diagnostics
from sitegen.frontmatter import read_fields
from sitegen.sanitize import sanitize
from sitegen.yamlread import YamlError, YamlMapping, load_mapping
from tests.conftest import SITE_YAML

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PARIS = ZoneInfo("Europe/Paris")

# ---- a grammar of YAML-ish front matter -----------------------------------------------------

KEYS = st.one_of(
    st.sampled_from(["title", "date", "tags", "categories", "draft", "published", "slug",
                     "author", "authors", "platforms", "summary", "description", "updated",
                     "lastmod", "share", "image", "lang", "tgas", "<<", "? [a]", "'q'", '"d"',
                     "x", "1", "null", "~", "mastodon", "default"]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=6),
)
SCALARS = st.one_of(
    st.sampled_from([
        "no", "yes", "on", "off", "1.10", "0x1F", "1e999", "~", "null", "true", "False", "",
        "2025-03-21", "2024-02-30", "2025-03-21 18:30", "2025-03-21T18:30:00+01:00",
        "9999-12-31 23:59 -05:00", "0001-01-01", "2025-3-1 9:05", "2001-12-14t21:59:43.10-05:00",
        "!!timestamp soon", "!!bool maybe", "!!int x", "!!binary ***", "!!float y", "!!null a",
        "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system x", "!foo bar",
        "*a", "*b", "&a x", "&b [x, *a]", "&a [*a]", "'l''été'", "'l'été'", '"esc \\x41 \\u00e9"',
        '"unclosed', "'unclosed", "[a, b", "{a: b", "[a, [b, [c]]]", "{x: {y: z}}", "|", ">-",
        "- x", "@at", "`tick", "%pct", "# comment", "a: b: c", "a #b", "\t", "mastodom",
        "../../etc", "Vélo, ville", "[no, on, 1.10, yes]", "[mastodon, x, myspace]",
        "{mastodon: Salut, x: Hello, bogus: 1}", "[{title: a, url: b}]",
    ]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
INDENTS = st.sampled_from(["", "", "", "  ", "    ", " ", "\t", "- ", "  - "])


@st.composite
def yamlish_lines(draw) -> str:
    indent, key, value = draw(INDENTS), draw(KEYS), draw(SCALARS)
    shape = draw(st.sampled_from(["pair", "pair", "pair", "item", "key", "raw"]))
    if shape == "pair":
        return f"{indent}{key}: {value}"
    if shape == "item":
        return f"{indent}- {value}"
    if shape == "key":
        return f"{indent}{key}:"
    return value


YAMLISH = st.lists(yamlish_lines(), max_size=12).map("\n".join)


def read_everything(meta: YamlMapping) -> None:
    """Ask for every key in every way a caller can: each either answers or raises YamlError."""
    for key in meta.keys():
        for ask in (meta.text, meta.texts, meta.value, meta.mapping, meta.mappings):
            try:
                ask(key)
            except YamlError as exc:
                assert exc.issues and all(i.line >= 1 for i in exc.issues)


@FAST
@given(YAMLISH, st.integers(min_value=1, max_value=50))
def test_load_mapping_returns_or_raises_yaml_error(text, first_line):
    try:
        meta = load_mapping(text, first_line)
    except YamlError as exc:
        assert exc.issues
        # YAML also breaks lines at NEL, LS and PS (and Python's splitlines at more): a
        # line named is one of the text's lines by either count.
        breaks = max(text.count("\n"), len(text.splitlines()))
        assert all(first_line <= i.line <= first_line + breaks + 1 for i in exc.issues)
        return
    read_everything(meta)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_load_mapping_of_any_text(text):
    try:
        read_everything(load_mapping(text, 2))
    except YamlError as exc:
        assert exc.issues


# ---- whole documents ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """One folder for every example of a test: hypothesis runs them all in one call."""
    return tmp_path_factory.mktemp("fuzz")


def read_file(workdir: Path, data: bytes, kind: str = "post") -> tuple[Diagnostics, object]:
    path = workdir / "content" / "posts" / "2025-03-21-fuzz.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    diag = Diagnostics(root=workdir)
    doc = read_document(path, workdir, kind, diag)
    fields = read_fields(doc, PARIS, diag, None) if doc is not None else None
    return diag, fields


def check_reported(diag: Diagnostics, fields: object) -> None:
    for problem in diag.problems:
        assert problem.path == Path("content/posts/2025-03-21-fuzz.md")
        assert problem.level in ("error", "warning", "note")
        assert problem.line is None or problem.line >= 1
        assert problem.message
    if fields is None:  # refused: say why
        assert diag.problems
    else:
        assert not diag.errors


@FAST
@given(front=YAMLISH, body=st.text(max_size=40), newline=st.sampled_from(["\n", "\r\n", "\r"]),
       bom=st.sampled_from(["", "\ufeff"]), kind=st.sampled_from(["post", "page"]))
def test_a_document_with_yamlish_front_matter_is_read_or_reported(
        workdir, front, body, newline, bom, kind):
    text = bom + "---\n" + front + "\n---\n" + body
    diag, fields = read_file(workdir, text.replace("\n", newline).encode("utf-8"), kind)
    check_reported(diag, fields)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_are_read_or_reported(workdir, data):
    check_reported(*read_file(workdir, data))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_read_or_reported(workdir, text):
    check_reported(*read_file(workdir, text.encode("utf-8")))


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(KEYS, SCALARS), max_size=8), day=st.sampled_from(
    ["2025-03-21", "2025-03-21 18:30", "", "2024-02-30", "9999-12-31", "[2025]", "|\n  x"]))
def test_a_whole_build_succeeds_or_reports(workdir, pairs, day):
    """Whatever reading accepts, the later stages (model, pages, feeds) must handle too."""
    site = workdir / "site"
    (site / "content/posts").mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    lines = ["title: Fuzz", f"date: {day}"] + [f"{key}: {value}" for key, value in pairs]
    (site / "content/posts/fuzz.md").write_text("---\n" + "\n".join(lines) + "\n---\nCorps.\n",
                                                encoding="utf-8")
    try:
        build(BuildOptions(site))
    except BuildError as exc:
        assert exc.problems and all(p.is_error for p in exc.problems)


# ---- dates ----------------------------------------------------------------------------------

DIGITS = st.integers(min_value=0, max_value=99999).map(str)
DATEISH = st.builds(
    lambda y, m, d, sep, hh, mm, ss, frac, tz, pad: (
        f"{pad}{y}-{m}-{d}" + (f"{sep}{hh}:{mm}{ss}{frac}{tz}" if sep else tz) + pad),
    st.sampled_from(["2025", "0000", "0001", "1000", "9998", "9999", "1969", "2038"]),
    st.one_of(DIGITS, st.sampled_from(["1", "02", "12", "13", "00"])),
    st.one_of(DIGITS, st.sampled_from(["1", "29", "30", "31", "00"])),
    st.sampled_from(["", " ", "T", "  ", "t", "T "]),
    st.sampled_from(["0", "00", "9", "23", "24", "99"]),
    st.sampled_from(["00", "59", "60", "5"]),
    st.sampled_from(["", ":00", ":59", ":60"]),
    st.sampled_from(["", ".5", ".123456789"]),
    st.sampled_from(["", "Z", "+01:00", "-05:00", "+0530", "+14:00", "-14:59", "+15:00",
                     " +01:00", "+1", "z"]),
    st.sampled_from(["", " ", "\t"]),
)
ZONES = st.sampled_from(["Europe/Paris", "Pacific/Kiritimati", "America/Los_Angeles", "UTC",
                         "Pacific/Pago_Pago", "Asia/Kathmandu"]).map(ZoneInfo)


@FAST
@given(st.one_of(DATEISH, st.text(max_size=30)), ZONES)
def test_parse_moment_returns_or_raises_date_error(text, zone):
    try:
        moment = parse_moment(text, zone)
    except DateError as exc:
        assert str(exc)
        return
    # Whatever was accepted can be shown in any zone and compared with "now".
    assert moment.instant.tzinfo is not None
    moment.instant.astimezone(UTC)
    for other in (PARIS, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")):
        format_day(moment.instant, other, "fr")
    assert iso(moment.instant)[:4] == text.strip()[:4]


# ---- the sanitizer --------------------------------------------------------------------------

TAGS = st.sampled_from([
    "script", "SCRIPT", "scr<script>ipt", "svg", "math", "iframe", "a", "img", "p", "div",
    "style", "noscript", "template", "textarea", "title", "embed", "object", "video", "source",
    "xmp", "plaintext", "frame", "form", "base", "meta", "link", "b", "table", "td", "select",
])
ATTR_NAMES = st.sampled_from([
    "href", "src", "srcset", "poster", "cite", "onclick", "ONLOAD", "onerror", " onmouseover",
    "style", "title", "data-x", "aria-label", "xlink:href", "formaction", "action", "srcdoc",
    "allowfullscreen", "on", "o\nnclick", "/onclick", '"onclick', "data-a\"onclick",
])
ATTR_VALUES = st.one_of(
    st.sampled_from([
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:x", "java&#x0A;script:x",
        "&#106;avascript:x", "javascript&colon;x", "vbscript:x", "data:text/html,x",
        "https://www.youtube-nocookie.com/embed/x", "https://evil.example/",
        "https://evil.example\\@www.youtube.com/", "x\" onclick=\"alert(1)", "'><script>",
        "</script><script>alert(1)</script>", "a.png 1x, javascript:x 2x", "/ok", "#top",
    ]),
    st.text(max_size=10),
)


@st.composite
def html_tokens(draw) -> str:
    kind = draw(st.sampled_from(["open", "open", "close", "text", "comment", "raw"]))
    tag = draw(TAGS)
    if kind == "open":
        attrs = draw(st.lists(st.tuples(ATTR_NAMES, ATTR_VALUES,
                                        st.sampled_from(['"', "'", ""])), max_size=3))
        rendered = "".join(f" {n}={q}{v}{q}" for n, v, q in attrs)
        end = draw(st.sampled_from([">", "/>", " >", ""]))
        return f"<{tag}{rendered}{end}"
    if kind == "close":
        return draw(st.sampled_from([f"</{tag}>", f"</{tag}", f"</ {tag}>"]))
    if kind == "comment":
        return draw(st.sampled_from(["<!--", "-->", "<!-- <script>x</script> -->", "<![CDATA[",
                                     "]]>", "<!DOCTYPE x>", "<?php x ?>"]))
    if kind == "raw":
        return draw(st.sampled_from(["<", ">", "&", "&lt;", "&#60;", "&#x3C;script", "\0",
                                     "\n", "\t", "\"", "'", "=", "javascript:", "alert(1)"]))
    return draw(st.text(max_size=8))


HTMLISH = st.one_of(st.lists(html_tokens(), max_size=25).map("".join), st.text(max_size=80))
HOSTS = frozenset(DEFAULT_EMBED_HOSTS)
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s[^\s=>]+(?:=\"[^\"]*\")?)*)\s*/?>")
_ATTR_RE = re.compile(r'\s([^\s=>]+)(?:="([^"]*)")?')


def assert_no_script(html: str) -> None:
    """The sanitizer writes `name="value"` with quotes escaped, so its tags parse plainly."""
    assert "<script" not in html.lower()
    tags = _TAG_RE.findall(html)
    closing = re.findall(r"</[a-z][a-z0-9]*>", html)
    assert len(tags) + len(closing) == html.count("<"), html  # no '<' but in plain tags
    for _, attrs in tags:
        for name, value in _ATTR_RE.findall(attrs):
            assert not name.lower().startswith("on"), name
            if name in ("href", "src", "poster", "cite", "srcset"):
                decoded = html_unescape(value)
                for url in decoded.split(",") if name == "srcset" else [decoded]:
                    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
                    assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), url


@settings(max_examples=200, deadline=None)
@given(HTMLISH)
def test_sanitize_never_raises_and_never_lets_script_through(html):
    out, removed = sanitize(html, HOSTS)
    assert isinstance(out, str) and all(isinstance(r, str) for r in removed)
    assert_no_script(out)
    # What comes out is already safe: cleaning it again changes nothing.
    assert sanitize(out, HOSTS)[0] == out


@settings(max_examples=200, deadline=None)
@given(HTMLISH)
def test_sanitized_iframes_come_only_from_allowed_hosts(html):
    out, _ = sanitize(html, HOSTS)
    for src in re.findall(r'<iframe\b[^>]*\ssrc="([^"]*)"', out):
        host = re.match(r"\s*https://([^/?#\\]*)", src, re.I)
        assert host and host.group(1).rsplit("@", 1)[-1].split(":")[0].lower() in HOSTS, src


# ---- campaign files ---------------------------------------------------------------------------

CAMPAIGN_KEYS = st.sampled_from([
    "title", "start", "end", "hashtag", "summary", "image", "image_alt", "accent",
    "call_to_action", "partners", "coverage", "live", "base_url", "template", "theme", "lang",
    "draft", "acent", "partner", "x"])
CAMPAIGN_VALUES = st.one_of(SCALARS, st.sampled_from([
    "#1f6f43", "'#abc'", "forestgreen", "red; x: url(a)", "rebeccapurpel", "#12345",
    "https://camp.example.org/plant/", "camp.example.org", "javascript:alert(1)",
    "{label: Go, url: https://e.org/}", "{label: Go, url: 'javascript:x'}", "{label: Go}",
    "{url: /a/, lien: b}", "[{name: A, url: https://a.org/, logo: /l.svg}]", "[{url: x}]",
    "[{name: A, logo: 'data:image/svg+xml,<svg>'}]", "[a, b]",
    "[{title: T, url: https://t.org/, source: S, date: 2024-02-30}]",
    "[{title: T, url: https://t.org/, date: [1]}]", "[{title: T}]", "campaign.html",
    "../../etc/passwd", "default", "nope", "#MaiÀVélo", "#2026", "🌳", "2026-05-01",
    "2026-05-31 18:00", "2026-13-01"]))


@pytest.fixture(scope="module")
def campaign_config(tmp_path_factory):
    from sitegen.config import load_config

    root = tmp_path_factory.mktemp("fuzz-campaigns")
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (root / "content" / "campaigns").mkdir(parents=True)
    return load_config(root, Diagnostics(root=root))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(CAMPAIGN_KEYS, CAMPAIGN_VALUES), max_size=10),
       body=st.text(max_size=40))
def test_a_campaign_file_is_read_or_reported(campaign_config, pairs, body):
    """Whatever the front matter says, reading a campaign returns it or reports why not, at
    a line of the file; and an accent that is read is always a plain '#rrggbb'."""
    from sitegen.campaignfile import read_campaign

    root = campaign_config.root
    path = root / "content" / "campaigns" / "fuzz.md"
    front = "\n".join(f"{key}: {value}" for key, value in pairs)
    text = "---\n" + front + "\n---\n" + body
    path.write_text(text, encoding="utf-8")
    diag = Diagnostics(root=root)
    campaign = read_campaign(path, campaign_config, diag)
    for problem in diag.problems:
        assert problem.path == Path("content/campaigns/fuzz.md")
        # A line of the file: of its body too (a NUL byte there is reported where it is).
        assert problem.line is None or 1 <= problem.line <= text.count("\n") + 1
        assert problem.message and "\n" not in str(problem)
    if campaign is None:
        assert diag.errors
    else:
        assert not diag.errors
        if campaign.look is not None:
            for colour in (campaign.look.accent, campaign.look.text_light,
                           campaign.look.text_dark):
                assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        for url in [p.url for p in campaign.partners] + [c.url for c in campaign.coverage]:
            assert not url.lower().startswith(("javascript:", "data:"))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(CAMPAIGN_KEYS, CAMPAIGN_VALUES), max_size=8))
def test_a_build_with_a_fuzzed_campaign_succeeds_or_raises_build_error(tmp_path, pairs):
    root = tmp_path / "site"
    (root / "content" / "campaigns").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    front = "\n".join(f"{key}: {value}" for key, value in pairs)
    (root / "content" / "campaigns" / "fuzz.md").write_text(
        "---\ntitle: Fuzz\nstart: 2026-05-01\nend: 2026-05-31\n" + front + "\n---\nTexte.\n",
        encoding="utf-8")
    try:
        build(BuildOptions(root))
    except BuildError as exc:
        assert exc.problems and all(p.is_error or p.level for p in exc.problems)
