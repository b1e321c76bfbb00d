"""The Markdown converter: its extensions and their settings, and what building it costs."""

from __future__ import annotations

import markdown.util
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.converting import Renderer, _may_hold_code, make_markdown
from sitegen.markup import MarkupSettings

BODY = """\
## Première partie

Du texte[^1].

### Détail

```python
print("bonjour")
```

## Seconde partie {: #seconde }

| a | b |
|---|---|
| 1 | 2 |

[^1]: Une note.
"""


def test_the_converter_looks_up_no_installed_package(monkeypatch):
    """Extensions named by string make Python-Markdown read every installed package's entry
    points (importlib.metadata): ~40 ms at the start of each build."""
    def looked_up() -> None:
        raise AssertionError("Markdown looked its extensions up among entry points")

    monkeypatch.setattr(markdown.util, "get_installed_extensions", looked_up)
    for safe in (False, True):
        make_markdown("fr", safe).convert(BODY)


@pytest.mark.parametrize(("language", "permalink", "backlink"), [
    ("fr", "Lien vers cette section", "Retour à l’appel de note 1"),
    ("en-GB", "Link to this section", "Back to reference 1"),
])
def test_each_extension_is_set_up_in_the_body_language(language, permalink, backlink):
    html = Renderer(MarkupSettings(language)).render(BODY).html
    assert '<h2 id="premiere-partie">Première partie<a class="headerlink" href="#premiere-' \
           f'partie" aria-label="{permalink}">#</a></h2>' in html  # toc
    assert '<h2 id="seconde">' in html  # attr_list
    assert '<div class="highlight"><pre><span></span><code><span class="nb">print</span>' \
        in html  # fenced_code and codehilite, without guessing languages
    assert f'aria-label="{backlink}"' in html  # footnotes
    assert '<div class="table-wrap" role="region"' in html  # tables


MARKDOWNISH = st.lists(st.sampled_from([
    "# Titre", "## Partie", "texte", "l’été", "*gras*", "**fort**", "`code`", "<pre>x</pre>",
    "[lien](https://example.org)", "- item", "1. un", "> citation", "| a | b |", "|---|---|",
    "[^1]", "[^1]: note", "{: #id }", "<div markdown=\"1\">", "</div>", "  ", "   - sous",
    "``", "~~", "\n", "\n\n", " ", "«", "»", ":", "!", "<!-- more -->"]), max_size=30).map(
    "".join).filter(lambda text: not _may_hold_code(text))


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH, st.booleans())
def test_a_body_without_fence_or_indented_line_converts_the_same_without_highlighting(body,
                                                                                    safe):
    """Such a body is converted without codehilite (no Pygments to import): the HTML must be
    what the converter with it makes."""
    with_code, without = make_markdown("fr", safe), make_markdown("fr", safe, code=False)
    assert without.convert(body) == with_code.convert(body)


def test_raw_html_may_hold_code():
    """The spaces left around stashed HTML blocks can join into an indented line, which
    Python-Markdown reads as code (hypothesis found it)."""
    body = "<!-- more -->  <!-- more -->  "
    assert _may_hold_code(body)
    assert make_markdown("fr").convert(body) != make_markdown("fr", code=False).convert(body)


def test_only_a_body_that_may_hold_code_gets_the_highlighting_converter():
    renderer = Renderer(MarkupSettings("fr"))
    renderer.render("Du texte, *rien* d’autre.\n\n- une liste\n  suivie")
    assert set(renderer._converters) == {("fr", False)}
    assert '<div class="highlight">' in renderer.render("Texte :\n\n    indenté\n").html
    assert '<div class="highlight">' in renderer.render(BODY).html
    assert set(renderer._converters) == {("fr", False), ("fr", True)}


def test_typography_curls_quotes_joins_dashes_and_spaces_french_signs():
    french = Renderer(MarkupSettings("fr")).render(
        'L\'atelier -- "vélo" --- ouvre... Venez : c\'est gratuit ! « Oui » `l\'code`').html
    assert french == ("<p>L’atelier – «\u202fvélo\u202f» — ouvre… Venez\u202f: c’est gratuit"
                      "\u202f! «\u202fOui\u202f» <code>l'code</code></p>")
    english = Renderer(MarkupSettings("en")).render('It\'s "fine" : ok').html
    assert english == "<p>It’s “fine” : ok</p>"


def _typography_by_regular_expressions(text: str, french: bool) -> str:
    """The typography pass as first written, one regular expression per rule: the oracle
    of the faster one."""
    import re

    from sitegen.markup import FRENCH_SPACING

    for pattern, replacement in ((r"---", "—"), (r"--", "–"), (r"\.\.\.", "…"), (r"'", "’")):
        text = re.sub(pattern, replacement, text)
    opening, closing = ("\u00ab\u202f", "\u202f\u00bb") if french else ("\u201c", "\u201d")
    text = re.sub(r'(^|(?<=[\s(\[{—–/-]))"', opening, text).replace('"', closing)
    if french:
        for pattern, replacement in FRENCH_SPACING:
            text = pattern.sub(replacement, text)
    return text


TYPOGRAPHY_TEXT = st.text(st.sampled_from(list("-.'\" \u00a0\u202f;:!?«»([{—–/ab\n")),
                          max_size=40)


@settings(max_examples=1000, deadline=None)
@given(TYPOGRAPHY_TEXT, st.booleans())
def test_typography_gives_what_one_regular_expression_per_rule_gave(text, french):
    from sitegen.typography import Typography

    typography = Typography(make_markdown("fr"), french)
    assert typography._fix(text) == _typography_by_regular_expressions(text, french)


def _with_plain_inline_pass(md):
    """The converter with Python-Markdown's own inline pass instead of _QuickInline."""
    from markdown.treeprocessors import InlineProcessor

    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    return md


INLINE_HEAVY = st.lists(st.sampled_from([
    "texte", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "\\*", "[", "]",
    "(", ")", "![", "[^1]", "[^1]: note", "[a]: https://example.org", "[a]", "[a][]",
    "<https://example.org>", "<a@b.fr>", "<b>", "</b>", "<!-- c -->", "&amp;", "&", "&#38;",
    "<span markdown=\"1\">", "</span>", "- ", "# ", "l'été", '"', "«", "!"]), max_size=40).map(
    "".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(MARKDOWNISH, INLINE_HEAVY), st.booleans())
def test_the_quick_inline_pass_gives_python_markdowns_html(body, safe):
    quick = make_markdown("fr", safe, code=False)
    plain = _with_plain_inline_pass(make_markdown("fr", safe, code=False))
    assert quick.convert(body) == plain.convert(body)


def test_the_quick_inline_pass_gives_python_markdowns_html_on_the_benchmark_corpus(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate_site

    from sitegen.content import decode_text, split_front_matter

    generate_site(tmp_path, 60, seed=5)
    quick, plain = make_markdown("fr", True), _with_plain_inline_pass(make_markdown("fr", True))
    for path in sorted((tmp_path / "content").rglob("*.md")):
        body = split_front_matter(decode_text(path.read_bytes()))[2]
        quick.reset()
        plain.reset()
        assert quick.convert(body) == plain.convert(body), path.name


@pytest.mark.parametrize("pattern, starts", [
    (r"\[", {"["}), (r"(?<!\!)\[", {"["}), (r"  \n", {"  \n"}), (r"\*|_", {"*", "_"}),
    (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", {"\\", "`"}), (r"(<(a|b)>)", {"<"}),
    (r"(?:ab)+c", {"ab"}), (r"a?b", None), (r".x", None), (r"[a-z]x", None), (r"(?i)ab", None),
    (r"(x*)y", None), (r"^(.*?)\*(.*)$", None), (r"(?i:a)b", None), (r"", None)])
def test_the_starts_of_a_patterns_matches_are_read_only_when_sure(pattern, starts):
    import re

    from sitegen.converting import _starts_of_matches

    class Pattern:
        def getCompiledRegExp(self):  # Python-Markdown's name
            return re.compile(pattern)

    assert _starts_of_matches(Pattern()) == (frozenset(starts) if starts else None)


def test_every_inline_pattern_of_python_markdown_gets_its_shortcut():
    """If an upgrade of Python-Markdown makes a pattern too intricate to read, conversions
    get slower (not wrong): this says so."""
    md = make_markdown("fr", True)
    md.convert("x")
    quick = md.treeprocessors["inline"]
    starts = dict(zip((type(p).__name__ for p in quick._patterns), quick._starts, strict=True))
    assert None not in starts.values(), starts
    assert starts["LinkInlineProcessor"] == {"["}
    assert starts["SubstituteTagInlineProcessor"] == {"  \n"}
