"""A small hub with one campaign, shared by the campaign tests: two member posts, one post
outside it that a member links to, a live event the campaign names, a partner logo."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import SITE_YAML, post

HUB_YAML = SITE_YAML + "platforms: [mastodon, bluesky, x]\n"
PLANT = """\
---
title: "Plantons des arbres"
start: 2026-05-01
end: 2026-05-31
hashtag: "#PlantonsDesArbres"
summary: "Un arbre par habitant, avant l’été."
image: /images/tree.svg
image_alt: "Un chêne dessiné"
accent: "#7fd47f"
call_to_action: {label: "Je plante mon arbre", url: "https://example.com/plant"}
partners:
  - {name: "Mairie de Toulouse", url: "https://mairie.example.org/", logo: /images/tree.svg}
  - {name: "Arbres & Cie"}
coverage:
  - {title: "Des arbres partout", url: "https://news.example.org/a", source: "La Dépêche",
     date: 2026-05-03}
  - {title: "Le billet d’un voisin", url: "https://voisin.example.org/"}
live: fete
base_url: https://camp.example.org/plant/
---

Chaque arbre compte. Relisez [notre billet d’avant](/2025/01/autre/).
"""
EVENT = """\
---
title: "Fête de la plantation"
start: 2026-05-10 10:00
end: 2026-05-10 18:00
platforms: [mastodon, bluesky]
---

On plante ensemble.

## 2026-05-10 10:05 | alice | pinned | Premier arbre planté

Un chêne, au bord du canal.
"""
FILES = {
    "site.yaml": HUB_YAML,
    "content/campaigns/plant.md": PLANT,
    "content/live/fete.md": EVENT,
    "content/posts/a.md": post("Premier arbre", "2026-05-02", "Voir [b](/2026/05/b/) et "
                               "[l’autre](/2025/01/autre/).", author="alice", tags="[arbre]",
                               campaign="plant"),
    "content/posts/b.md": post("Deuxième arbre", "2026-05-03", "Texte b.", author="bob",
                               tags="[arbre, quartier]", campaign="plant"),
    "content/posts/autre.md": post("Autre billet", "2025-01-02", "Hors campagne.",
                                   author="alice", tags="[bricolage]"),
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\n\nNous.\n",
    "static/images/tree.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                              'height="10"/>\n',
}
# During the campaign, after the event: the event has ended, every post is published.
NOW = str(int(datetime(2026, 5, 20, tzinfo=UTC).timestamp()))
MEMBERS = ("2026/05/a/index.html", "2026/05/b/index.html")


def make_hub(make_site, monkeypatch):
    """The hub's site folder (not built yet), dated during the campaign."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    return make_site({k: v for k, v in FILES.items() if k != "site.yaml"},
                     site_yaml=FILES["site.yaml"])
