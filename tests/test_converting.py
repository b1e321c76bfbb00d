"""The Markdown converter: its extensions and their settings, and what building it costs."""

from __future__ import annotations

import markdown.util
import pytest

from sitegen.converting import Renderer, make_markdown
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
