"""A campaign's own template and, for its standalone microsite, its own theme."""

from __future__ import annotations

import shutil

import pytest

from sitegen.build import BuildOptions, build
from sitegen.config import SOURCE_THEMES
from tests.campaign_site import PLANT, make_hub

FESTIVAL = """{% extends "campaign.html" %}
{% block body_class %}campaign-page festival{% endblock %}
"""


@pytest.fixture
def site(make_site, monkeypatch):
    return make_hub(make_site, monkeypatch)


def test_a_campaign_names_its_landing_template(site):
    site.write({"templates/festival.html": FESTIVAL,
                "content/campaigns/plant.md": PLANT.replace("live: fete",
                                                            "live: fete\ntemplate: festival.html")})
    site.build()
    assert '<body class="campaign-page festival"' in site.read("campaigns/plant/index.html")


def test_a_standalone_microsite_takes_the_campaigns_theme(site):
    theme = site.root / "themes" / "festival"
    shutil.copytree(SOURCE_THEMES / "default", theme)
    (theme / "static/css/style.css").write_text(":root { --accent: #8b1e3f; }\n")
    site.write({"templates/festival.html": FESTIVAL, "content/campaigns/plant.md": PLANT.replace(
        "live: fete", "live: fete\ntheme: festival\ntemplate: festival.html")})
    report = build(BuildOptions(site.root, campaign="plant"))
    assert (report.output / "css/style.css").read_text() == ":root { --accent: #8b1e3f; }\n"
    assert '<body class="campaign-page festival"' in (report.output / "index.html").read_text()
    # The hub keeps its own theme.
    site.build()
    assert (site.output / "css/style.css").read_text() != ":root { --accent: #8b1e3f; }\n"
