"""Generate a realistic, deterministic French community-blog site for benchmarking sitegen.

Usage: python benchmarks/generate.py DIR --posts N [--seed S]

The site looks like what the generator meets in real life (accents, typographic apostrophes,
skewed tag and author popularity, code blocks, tables, links) so that the benchmark exercises
Markdown, slugs, taxonomies, pagination and feeds, not just file copying. Text comes from a
fixed word list drawn with one ``random.Random(seed)``: the same seed always gives the same
bytes, and 10,000 posts take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import yaml


def _words(text: str) -> list[str]:
    """Whitespace-separated word lists read better than 300 quoted literals."""
    return text.split()


# ~300 French words, function words included so that sentences read naturally enough.
WORDS: list[str] = _words("""
le la les un une des du de au aux et ou mais donc car ni or avec sans pour par sur sous dans
entre vers chez pendant depuis avant après comme aussi très plus moins bien encore toujours
déjà souvent parfois jamais ensemble ici là-bas enfin surtout vraiment peut-être aujourd’hui
l’équipe l’association l’atelier l’été l’hiver l’automne l’école l’idée l’avenir l’entraide
d’abord d’ailleurs qu’on qu’il c’est n’est s’il jusqu’à d’autres
nous vous ils elles chacun quelques plusieurs tous toutes notre votre leur nos vos leurs
est sont était sera avons avez ont fait faire peut pouvons voulons devons proposons organisons
accueillons partageons réparons cuisinons jardinons lisons écrivons chantons marchons
apprenons découvrons préparons construisons invitons rejoignez venez participez
quartier village ville rue place marché maison jardin potager atelier local salle bibliothèque
médiathèque mairie école collège lycée gymnase parc forêt rivière montagne plage port gare
voisin voisine voisins habitants bénévoles membres enfants parents familles anciens jeunes
élèves artistes musiciens cuisiniers jardiniers lecteurs auteurs invités amis
fête repas soirée réunion assemblée rencontre concert spectacle exposition projection
conférence débat balade randonnée sortie voyage chantier permanence goûter pique-nique
vélo bicyclette livre livres journal radio affiche programme calendrier agenda projet projets
idée idées question questions réponse réponses histoire histoires souvenir souvenirs photo photos
semaine mois année saison printemps été automne hiver matin midi soir nuit dimanche samedi
pain fromage légumes fruits soupe gâteau café thé cidre confiture tarte crêpes galettes
graines arbres fleurs abeilles oiseaux compost récolte semis outils ordinateur logiciel
réseau site courriel message lettre carte plan budget cotisation adhésion subvention
nouveau nouvelle nouveaux grand grande petit petite beau belle vieux vieille joli jolie
heureux heureuse simple libre ouvert ouverte gratuit gratuite local locale solidaire
convivial conviviale patient généreux curieux créatif prochain prochaine dernier dernière
premier première magnifique agréable chaleureux chaleureuse pratique utile fragile précieux
merci bravo bonjour salut ensuite pourtant cependant néanmoins ainsi alors
""")

HEADING_WORDS: list[str] = [w for w in WORDS if len(w) > 4]

# ~60 tags: mostly single French words, some accented, a few multi-word (slugs must cope).
TAGS: list[str] = [
    *_words("""
vie-associative quartier fête jardinage cuisine vélo écologie bénévolat musique cinéma théâtre
lecture éducation santé sport randonnée marché patrimoine mairie école bibliothèque réparation
numérique solidarité entraide économie climat énergie mobilité urbanisme logement culture
danse photographie histoire mémoire enfance jeunesse aînés familles emploi formation
agriculture alimentation compost abeilles forêt rivière montagne voyage tourisme artisanat
brocante concert exposition conférence débat assemblée budget élections démocratie
"""),
    "logiciel libre",
    "café réparation",
    "jardin partagé",
    "économie sociale",
]

FIRST_NAMES: list[str] = [
    "Camille",
    "Léa",
    "Hélène",
    "Zoé",
    "Chloé",
    "Maëlle",
    "Noémie",
    "Inès",
    "Théo",
    "Jérôme",
    "François",
    "Benoît",
    "Gaël",
    "Loïc",
    "Mathis",
    "Aurélien",
]
LAST_NAMES: list[str] = [
    "Durand",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Bérenger",
    "Roussel",
    "Faure",
    "Mercier",
    "Chevalier",
    "Lemaître",
    "Guérin",
    "Boyer",
    "Fournier",
    "Gautier",
    "Perrin",
    "Noël",
]

PLATFORMS: list[str] = ["mastodon", "bluesky"]

CODE_BLOCKS: list[tuple[str, str]] = [
    (
        "python",
        "def inscrire(nom: str, atelier: str) -> dict:\n"
        '    """Inscrit un·e bénévole à un atelier."""\n'
        '    return {"nom": nom, "atelier": atelier, "confirmé": True}\n\n'
        'print(inscrire("Camille", "réparation de vélos"))',
    ),
    (
        "python",
        "import csv\n\n"
        'with open("adhésions.csv", encoding="utf-8") as f:\n'
        '    total = sum(float(ligne["montant"]) for ligne in csv.DictReader(f))\n'
        'print(f"Total des cotisations : {total:.2f} €")',
    ),
    (
        "bash",
        "# Sauvegarde du site de l’association\n"
        "rsync -avz --delete public/ asso@serveur.example.org:/var/www/site/\n"
        'echo "Sauvegarde terminée"',
    ),
    (
        "bash",
        'for f in photos/*.jpg; do\n  convert "$f" -resize 1200x "web/$(basename "$f")"\ndone',
    ),
]

START = datetime(2020, 1, 1)
SPAN_MINUTES = int((datetime(2026, 1, 1) - START).total_seconds() // 60)


def quote(text: str) -> str:
    """Quote a string for YAML: a JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def slugify(text: str) -> str:
    """ASCII slug for file names only (the generator computes its own URLs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "billet"


def sentence(rng: random.Random, n: int) -> str:
    """One sentence of n words: capitalised, sometimes with a comma, ending with punctuation."""
    words = rng.choices(WORDS, k=n)
    if n > 8:
        words[rng.randrange(3, n - 2)] += ","
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + rng.choice(".....!?")


def title(rng: random.Random) -> str:
    """A post title: 3–8 words, capitalised, accents and ’ come from the word list."""
    return sentence(rng, rng.randint(3, 8))[:-1].replace(",", "")


def decorate(rng: random.Random, words: list[str], links: int, about: bool) -> None:
    """Add bold, italic and inline links in place, so the Markdown inline parser has work."""
    n = len(words)
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(n)
        words[i] = f"**{words[i]}**"
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(n)
        words[i] = f"*{words[i]}*"
    for _ in range(links):
        i = rng.randrange(n - 1)
        target = f"https://example.org/{slugify(words[i])}/{rng.randrange(1000)}"
        words[i] = f"[{words[i]}"
        words[i + 1] = f"{words[i + 1]}]({target})"
    if about:
        i = rng.randrange(n)
        words[i] = f"{words[i]} (voir [qui sommes-nous](/a-propos/))"


def paragraph(rng: random.Random, n_words: int, links: int = 0, about: bool = False) -> str:
    """A paragraph of about n_words words: one draw of all words, then cut into sentences.

    Drawing the words in one `choices` call (not sentence by sentence) is what keeps
    10,000 posts within a few seconds.
    """
    words = rng.choices(WORDS, k=max(n_words, 4))
    start, n = 0, len(words)
    while start < n:
        end = min(n, start + rng.randint(6, 18))
        if n - end < 3:  # no stub sentence at the end
            end = n
        words[start] = words[start][:1].upper() + words[start][1:]
        if end - start > 8:
            words[start + (end - start) // 2] += ","
        words[end - 1] += rng.choice(".....!?")
        start = end
    decorate(rng, words, links, about)
    return " ".join(words)


def bullet_list(rng: random.Random) -> str:
    """A 3–6 item bullet list of short phrases."""
    return "\n".join("- " + sentence(rng, rng.randint(3, 9))[:-1] for _ in range(rng.randint(3, 6)))


def table(rng: random.Random) -> str:
    """A small pipe table, as found in meeting minutes and budgets."""
    rows = ["| Poste | Responsable | Montant (€) |", "|---|---|---:|"]
    for _ in range(rng.randint(3, 6)):
        poste = rng.choice(HEADING_WORDS).capitalize()
        who = rng.choice(FIRST_NAMES)
        rows.append(f"| {poste} | {who} | {rng.randint(5, 900)},{rng.randint(0, 99):02d} |")
    return "\n".join(rows)


def code_block(rng: random.Random) -> str:
    """A fenced code block, so the highlighter runs on a realistic share of posts."""
    lang, code = rng.choice(CODE_BLOCKS)
    return f"```{lang}\n{code}\n```"


def heading(rng: random.Random) -> str:
    """A `##` heading of 2–5 longer words."""
    words = rng.choices(HEADING_WORDS, k=rng.randint(2, 5))
    return "## " + " ".join(words).capitalize()


def body(rng: random.Random) -> str:
    """Post body of 300–900 words: intro, 2–4 sections, one list, maybe code and a table."""
    target = rng.randint(300, 900)
    n_sections = rng.randint(2, 4)
    n_paragraphs = max(n_sections + 1, target // 70)
    sizes = [target // n_paragraphs] * n_paragraphs
    link_at = rng.sample(range(n_paragraphs), k=min(n_paragraphs, rng.randint(1, 3)))
    about_at = rng.randrange(n_paragraphs)
    paragraphs = [
        paragraph(rng, size, links=int(i in link_at), about=i == about_at)
        for i, size in enumerate(sizes)
    ]
    # Intro paragraph first, the rest split among sections (each gets at least one).
    blocks: list[str] = [paragraphs[0]]
    rest = paragraphs[1:]
    cuts = sorted(rng.sample(range(1, len(rest)), k=n_sections - 1)) if n_sections > 1 else []
    sections = [rest[a:b] for a, b in zip([0, *cuts], [*cuts, len(rest)], strict=True)]
    list_in = rng.randrange(n_sections)
    code_in = rng.randrange(n_sections) if rng.random() < 0.15 else -1
    table_in = rng.randrange(n_sections) if rng.random() < 0.10 else -1
    for i, section in enumerate(sections):
        blocks.append(heading(rng))
        blocks.extend(section)
        if i == list_in:
            blocks.append(bullet_list(rng))
        if i == code_in:
            blocks.append(code_block(rng))
        if i == table_in:
            blocks.append(table(rng))
    return "\n\n".join(blocks) + "\n"


def zipf_weights(n: int, s: float = 0.9) -> list[float]:
    """Skewed popularity: a few tags/authors dominate, as on real blogs."""
    return [1 / (rank + 1) ** s for rank in range(n)]


def pick_tags(rng: random.Random, weights: list[float]) -> list[str]:
    """1–4 distinct tags drawn by popularity."""
    wanted = rng.randint(1, 4)
    tags: list[str] = []
    while len(tags) < wanted:
        tag = rng.choices(TAGS, weights=weights)[0]
        if tag not in tags:
            tags.append(tag)
    return tags


def make_authors(rng: random.Random) -> dict[str, dict]:
    """12 authors with the site.yaml author schema."""
    authors: dict[str, dict] = {}
    for first, last in zip(rng.sample(FIRST_NAMES, 12), rng.sample(LAST_NAMES, 12), strict=True):
        author_id = slugify(first)
        authors[author_id] = {
            "name": f"{first} {last}",
            "bio": sentence(rng, rng.randint(8, 16)),
            "links": [{"title": "Site", "url": f"https://{author_id}.example.net/"}],
            "social": {"mastodon": f"@{author_id}@asso.social"},
        }
    return authors


def site_config(authors: dict[str, dict]) -> dict:
    """The site.yaml contents (only the keys the generator's schema knows)."""
    return {
        "title": "Bench",
        "description": "Le blog des associations du quartier : fêtes, ateliers et entraide.",
        "base_url": "https://bench.example.org/",
        "language": "fr",
        "timezone": "Europe/Paris",
        "authors": authors,
        "platforms": PLATFORMS,
        "paginate": 10,
        "feeds": {"items": 20, "full_content": True},
    }


def post_text(
    rng: random.Random, author_ids: list[str], author_w: list[float], tag_w: list[float]
) -> tuple[datetime, str, str]:
    """One post: returns (date, title, full file text with front matter)."""
    date = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    post_title = title(rng)
    lines = [
        "---",
        f"title: {quote(post_title)}",
        f"date: {date:%Y-%m-%d %H:%M}",
        f"author: {rng.choices(author_ids, weights=author_w)[0]}",
        "tags:",
        *(f"  - {tag}" for tag in pick_tags(rng, tag_w)),
    ]
    roll = rng.random()
    if roll < 0.2:
        lines.append("platforms: [mastodon, bluesky]")
    elif roll < 0.35:
        lines.append(f"platforms: [{rng.choice(PLATFORMS)}]")
    if rng.random() < 0.5:
        lines.append(f"summary: {quote(sentence(rng, rng.randint(10, 25)))}")
    lines.append("---")
    return date, post_title, "\n".join(lines) + "\n\n" + body(rng)


def about_page(rng: random.Random) -> str:
    """content/pages/a-propos.md, the target of the relative links in posts."""
    text = "\n\n".join(paragraph(rng, rng.randint(60, 120)) for _ in range(3))
    return f"---\ntitle: {quote('À propos')}\n---\n\n{text}\n"


def generate_site(dir: Path, posts: int, seed: int = 1) -> None:
    """Write site.yaml, `posts` posts under content/posts/<year>/ and the about page."""
    dir = Path(dir)
    rng = random.Random(seed)
    authors = make_authors(rng)
    dir.mkdir(parents=True, exist_ok=True)
    (dir / "site.yaml").write_text(
        yaml.safe_dump(site_config(authors), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    author_ids, author_w = list(authors), zipf_weights(len(authors), 0.7)
    tag_w = zipf_weights(len(TAGS))
    used: set[Path] = set()
    for _ in range(posts):
        date, post_title, text = post_text(rng, author_ids, author_w, tag_w)
        stem = f"{date:%Y-%m-%d}-{'-'.join(slugify(post_title).split('-')[:6])}"
        path = dir / "content" / "posts" / str(date.year) / f"{stem}.md"
        n = 2
        while path in used:  # same day, same title start: keep both posts
            path = path.with_name(f"{stem}-{n}.md")
            n += 1
        used.add(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    pages = dir / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "a-propos.md").write_text(about_page(rng), encoding="utf-8")


def post_files(dir: Path) -> list[Path]:
    """All post files in sorted order: the stable numbering the edit functions use."""
    return sorted((Path(dir) / "content" / "posts").rglob("*.md"))


def edit_post_body(dir: Path, index: int) -> Path:
    """Append a paragraph to the Nth post's body (an edit that changes only that post's page)."""
    path = post_files(dir)[index]
    path.write_text(body_edited(path), encoding="utf-8")
    return path


def body_edited(path: Path) -> str:
    """The post's text with a paragraph appended to its body. The paragraph is seeded by the
    file's current size, so repeated edits differ from one another yet a benchmark run stays
    reproducible."""
    text = path.read_text(encoding="utf-8")
    extra = paragraph(random.Random(len(text)), 60)
    return text.rstrip("\n") + "\n\n" + extra + "\n"


_TITLE_LINE = re.compile(r"^title: (.*)$", re.MULTILINE)
_REVISION = re.compile(r" \(révision (\d+)\)$")


def edit_post_title(dir: Path, index: int) -> Path:
    """Change the Nth post's title (an edit that ripples to lists, tag pages and feeds)."""
    path = post_files(dir)[index]
    path.write_text(title_edited(path), encoding="utf-8")
    return path


def title_edited(path: Path) -> str:
    """The post's text with a "(révision N)" suffix added to its title, or bumped, so every
    edit is a real change."""
    text = path.read_text(encoding="utf-8")
    match = _TITLE_LINE.search(text)
    if match is None:
        raise ValueError(f"{path}: no title line")
    old = yaml.safe_load(match.group(1))
    revision = _REVISION.search(old)
    number = int(revision.group(1)) + 1 if revision else 1
    new = f"{_REVISION.sub('', old)} (révision {number})"
    return text[: match.start(1)] + quote(new) + text[match.end(1) :]


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="site folder to create (site.yaml, content/)")
    parser.add_argument("--posts", type=int, required=True, help="number of posts")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    generate_site(args.dir, args.posts, args.seed)
    print(
        f"{args.posts} posts written to {args.dir} in {time.perf_counter() - start:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
