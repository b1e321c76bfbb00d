"""sitegen/snippets.py: tagged links, hashtags, snippets that fit, and share-intent URLs."""

from __future__ import annotations

import dataclasses
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.counting import graphemes, length, measure
from sitegen.platforms import RULES, rule_for
from sitegen.snippets import compose, hashtag, hashtags, intent_url, tag_url

X, MASTODON, BLUESKY, THREADS = (RULES[k] for k in ("x", "mastodon", "bluesky", "threads"))
FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"
URL = "https://example.org/posts/salon/?utm_source=x&utm_medium=social&utm_campaign=salon"


# --- tagged links ---------------------------------------------------------------------------

def test_tag_url_adds_source_medium_and_campaign():
    assert tag_url("https://example.org/posts/salon/", "x", "salon") == URL


def test_tag_url_keeps_the_query_and_fragment_byte_for_byte():
    tagged = tag_url("https://example.org/p/?page=2&q=a+b%20c#commentaires", "bluesky", "fete")
    assert tagged == ("https://example.org/p/?page=2&q=a+b%20c&utm_source=bluesky"
                      "&utm_medium=social&utm_campaign=fete#commentaires")


def test_tag_url_replaces_utm_parameters_already_there():
    tagged = tag_url("https://e.org/?utm_source=old&a=1&UTM_Campaign=X&utm_content=v1",
                     "mastodon", "salon")
    assert tagged == "https://e.org/?a=1&utm_source=mastodon&utm_medium=social&utm_campaign=salon"


def test_tag_url_lowercases_values_and_takes_medium_and_content():
    tagged = tag_url("https://e.org/p", "QR", "Fête de la Musique", medium="Print",
                     content="poster A3")
    assert tagged == ("https://e.org/p?utm_source=qr&utm_medium=print"
                      "&utm_campaign=f%C3%AAte-de-la-musique&utm_content=poster-a3")


def test_tag_url_leaves_out_an_empty_campaign():
    assert tag_url("https://e.org/p", "x", " ") == "https://e.org/p?utm_source=x&utm_medium=social"


QUERY_PAIR = st.tuples(st.text("abcxyz_", min_size=1, max_size=8),
                       st.text("abc123-+%.~", max_size=8)).map("=".join)


@given(st.lists(QUERY_PAIR, max_size=4), st.text("abc-_/?=&", max_size=12),
       st.sampled_from(list(RULES)), st.text("ABC déf-", max_size=12))
def test_tag_url_is_idempotent_and_keeps_what_was_there(pairs, fragment, source, campaign):
    url = "https://example.org/a/b/" + ("?" + "&".join(pairs) if pairs else "") + \
        ("#" + fragment if fragment else "")
    tagged = tag_url(url, source, campaign)
    assert tag_url(tagged, source, campaign) == tagged
    parts = urlsplit(tagged)
    assert parts.fragment == fragment
    assert parts.query.split("&")[:len(pairs)] == pairs
    assert parse_qs(parts.query)["utm_source"] == [source]


# --- hashtags -------------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "expected"), [
    ("salon du livre", "#SalonDuLivre"), ("Fête de la musique", "#FêteDeLaMusique"),
    ("aujourd’hui", "#Aujourdhui"), ("l'été", "#Lété"), ("covid-19", "#Covid19"),
    ("C.N.R.S.", "#CNRS"), ("#DéjàUnHashtag", "#DéjàUnHashtag"), ("e\u0301te\u0301", "#Été"),
    ("🎉 fête 🎉", "#Fête"), ("日本語", "#日本語"), ("2e édition", "#2eÉdition"),
    ("2026", None), ("", None), ("  ", None), ("!?…", None), ("🎉", None), ("12 34", None),
    ("a" * 64, "#A" + "a" * 63), ("a" * 65, None),
])
def test_hashtag_is_camel_case_with_accents_and_no_punctuation(tag, expected):
    assert hashtag(tag) == expected


def test_hashtags_put_the_campaign_first_and_drop_repeats_whatever_their_case():
    assert hashtags(["Lecture", "salon du livre", "LECTURE", "2026", "jeunesse"],
                    campaign="salon-du-livre") == ("#SalonDuLivre", "#Lecture", "#Jeunesse")
    assert hashtags([], campaign=None) == ()


# --- composing ------------------------------------------------------------------------------

def test_automatic_text_is_title_summary_hashtags_via_then_link():
    snippet = compose(X, title="Salon du livre", summary="Trois jours de rencontres.",
                      tags=["lecture"], campaign="printemps", via="asso", url=URL)
    message = "Salon du livre\n\nTrois jours de rencontres.\n\n#Printemps #Lecture via @asso"
    assert (snippet.message, snippet.text) == (message, message + "\n" + URL)
    assert snippet.hashtags == ("#Printemps", "#Lecture")
    assert snippet.length == len(message) + 1 + 23  # the link counts 23 on X, not its length
    assert (snippet.limit, snippet.overflow, snippet.override) == (280, 0, False)
    assert (snippet.platform, snippet.title) == ("x", "Salon du livre")


def test_whitespace_is_collapsed_and_text_normalised():
    snippet = compose(MASTODON, title="  Cafe\u0301\n  du  coin ", summary="Un\nlieu.", url=URL)
    assert snippet.message == "Café du coin\n\nUn lieu."
    assert snippet.title == "Café du coin"  # the email subject: one line


WORDS = ("Trois jours de rencontres à la Halle aux grains avec quarante autrices et auteurs "
         "des ateliers d’écriture pour les enfants et une nuit de la lecture qui a fait salle "
         "comble jusqu’à deux heures du matin ").split() * 3


def test_a_long_summary_is_cut_after_the_last_word_that_fits():
    summary = " ".join(WORDS)
    snippet = compose(X, title="Salon du livre", summary=summary, tags=["lecture"], url=URL)
    title, cut, tail = snippet.message.split("\n\n")
    assert (title, tail) == ("Salon du livre", "#Lecture")
    assert cut.endswith("…") and snippet.fits
    kept = cut.removesuffix("…").split(" ")
    assert kept == WORDS[:len(kept)]
    one_more = snippet.text.replace(cut, " ".join(WORDS[:len(kept) + 1]) + "…")
    assert length(one_more, X) > 280


def test_hashtags_go_last_first_before_the_title_is_cut():
    rule = dataclasses.replace(MASTODON, limit=60)
    snippet = compose(rule, title="Une soirée de lecture", summary="Un texte.",
                      tags=["alpha", "beta", "gamma"], url=URL)
    # 21 + 2 + len("#Alpha #Beta") + 1 + 23 = 59; with #Gamma it would be 66.
    assert snippet.message == "Une soirée de lecture\n\n#Alpha #Beta"
    assert snippet.hashtags == ("#Alpha", "#Beta")


def test_the_title_is_cut_between_words_once_hashtags_are_gone():
    # "Une très longue…" 16 + "\n\nvia @asso" 11 + "\n" + 23 = 51; one more word is 58.
    rule = dataclasses.replace(MASTODON, limit=51)
    snippet = compose(rule, title="Une très longue soirée de lecture publique", tags=["a"],
                      via="asso", url=URL)
    assert snippet.message == "Une très longue…\n\nvia @asso"
    assert snippet.hashtags == () and snippet.fits


def test_a_single_word_too_long_is_cut_between_graphemes():
    rule = dataclasses.replace(BLUESKY, limit=len(URL) + 1 + 11)
    snippet = compose(rule, title="Anticonstitutionnellement" + FAMILY, url=URL)
    assert snippet.message == "Anticonsti…"
    emoji = compose(rule, title=FAMILY * 30, url=URL)
    assert emoji.message == FAMILY * 10 + "…"


def test_a_url_in_the_title_is_never_cut():
    rule = dataclasses.replace(BLUESKY, limit=len(URL) + 20)
    snippet = compose(rule, title="https://example.org/une/adresse/bien/trop/longue", url=URL)
    assert (snippet.message, snippet.text) == ("", URL)


def test_via_goes_when_nothing_else_is_left_and_the_link_stays_alone_at_worst():
    rule = dataclasses.replace(X, limit=23 + 1 + 8)
    assert compose(rule, title="Un titre", via="une_association", url=URL).message == "Un titre"
    alone = compose(dataclasses.replace(X, limit=23), title="Titre", tags=["a"], via="b",
                    url=URL)
    assert (alone.text, alone.message, alone.hashtags, alone.overflow) == (URL, "", (), 0)


def test_threads_shows_one_topic_tag_the_campaigns():
    snippet = compose(THREADS, title="Salon", tags=["lecture", "jeunesse"], campaign="printemps",
                      url=URL)
    assert snippet.hashtags == ("#Printemps",)
    assert "#Lecture" not in snippet.text


def test_facebook_text_stays_above_the_fold_and_linkedin_gets_it_whole():
    summary = " ".join(WORDS)
    facebook = compose(RULES["facebook"], title="Salon", summary=summary, url=URL)
    linkedin = compose(RULES["linkedin"], title="Salon", summary=summary, url=URL)
    assert facebook.length <= 477 < linkedin.length
    assert summary in linkedin.text


def test_bluesky_snippets_fit_its_byte_limit_too():
    snippet = compose(BLUESKY, title=FAMILY * 40, summary=" ".join([FAMILY * 5] * 40), url=URL)
    assert snippet.fits and len(snippet.text.encode()) <= 3000


@pytest.mark.parametrize("via", ["asso", "@asso", "  @asso "])
def test_via_handle_gets_one_at_sign(via):
    assert compose(X, title="T", via=via, url=URL).message == "T\n\nvia @asso"


def test_a_mastodon_handle_counts_without_its_server():
    local = compose(MASTODON, title="T", via="@asso", url=URL)
    full = compose(MASTODON, title="T", via="@asso@piaille.fr", url=URL)
    assert "via @asso@piaille.fr" in full.text
    assert full.length == local.length


def test_an_override_is_never_changed_and_says_by_how_much_it_is_too_long():
    override = "Venez nombreux ! " + "a" * 270
    snippet = compose(X, title="Salon", summary="Texte", tags=["lecture"], url=URL,
                      override=override)
    assert (snippet.message, snippet.text) == (override, override + "\n" + URL)
    assert snippet.overflow == len(override) + 1 + 23 - 280
    assert snippet.override and not snippet.fits and snippet.hashtags == ()


def test_an_override_that_fits_has_no_overflow_and_a_blank_one_is_ignored():
    assert compose(X, title="T", url=URL, override="Court.").overflow == 0
    assert not compose(X, title="T", url=URL, override="  \n").override


def test_an_override_over_bluesky_bytes_reports_bytes():
    override = FAMILY * 150
    snippet = compose(BLUESKY, title="T", url=URL, override=override)
    assert snippet.overflow == 0
    assert snippet.byte_overflow == len(override.encode()) + 1 + len(URL) - 3000


# --- share intents --------------------------------------------------------------------------

def test_intent_urls_percent_encode_every_value():
    snippet = compose(X, title="Salon & co", summary="100 % lecture", url="https://e.org/p?a=1")
    assert intent_url(X, snippet) == ("https://x.com/intent/tweet?text=Salon%20%26%20co%0A%0A"
                                      "100%20%25%20lecture%0Ahttps%3A%2F%2Fe.org%2Fp%3Fa%3D1")


def test_telegram_takes_link_and_message_apart_and_linkedin_only_the_link():
    snippet = compose(RULES["telegram"], title="Salon", url="https://e.org/p")
    assert intent_url(RULES["telegram"], snippet) == \
        "https://t.me/share/url?url=https%3A%2F%2Fe.org%2Fp&text=Salon"
    linkedin = compose(RULES["linkedin"], title="Salon", url="https://e.org/p")
    assert intent_url(RULES["linkedin"], linkedin) == \
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fe.org%2Fp"


def test_email_intent_follows_rfc_6068():
    snippet = compose(RULES["email"], title="Salon du livre", summary="À bientôt", url="https://e.org/p")
    assert intent_url(RULES["email"], snippet) == (
        "mailto:?subject=Salon%20du%20livre&body=Salon%20du%20livre%0D%0A%0D%0A"
        "%C3%80%20bient%C3%B4t%0D%0Ahttps%3A%2F%2Fe.org%2Fp")


def test_mastodon_goes_to_the_picker_or_the_configured_instance():
    snippet = compose(MASTODON, title="Salon", url="https://e.org/p")
    assert intent_url(MASTODON, snippet).startswith("https://share.joinmastodon.org/?text=Salon%0A")
    rule = rule_for("mastodon", mastodon_instance="piaille.fr")
    assert intent_url(rule, snippet).startswith("https://piaille.fr/share?text=Salon%0A")


# --- properties across generated posts ------------------------------------------------------

ATOMS = st.sampled_from([*"abcdefghijklmnopqrstuvwxyz", *"éèàçôœÉ’…€.,!?:-日本語한",
                         "\u202F", "\u00A0", "e\u0301", FAMILY, "\U0001F1EB\U0001F1F7",
                         "1\uFE0F\u20E3", "\U0001F44D\U0001F3FD", "\U0001F389"])
WORD = (st.lists(ATOMS, min_size=1, max_size=12)
        | st.lists(ATOMS, min_size=80, max_size=300)).map("".join)  # some very long words
TEXT = st.lists(WORD, max_size=50).map(" ".join)
TITLE = st.lists(WORD, min_size=1, max_size=20).map(" ".join)
TAGS = st.lists(st.lists(WORD, min_size=1, max_size=3).map(" ".join), max_size=8)
SLUG = st.text("abcdefghij-", min_size=1, max_size=60)
VIA = st.none() | st.sampled_from(["asso", "@asso@piaille.fr", "une_tres_longue_association"])
POSTS = st.fixed_dictionaries({"title": TITLE, "summary": TEXT, "tags": TAGS,
                               "campaign": st.none() | WORD, "via": VIA, "slug": SLUG})


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _check_fits_and_nothing_is_cut(rule, post, snippet):
    url = snippet.url
    size = measure(snippet.text, rule)
    assert size.fits and snippet.fits and snippet.length == size.length
    assert rule.budget is None or size.length <= rule.budget
    assert snippet.text == (snippet.message + "\n" + url if snippet.message else url)
    expected = hashtags(post["tags"], post["campaign"])[:rule.max_hashtags]
    assert snippet.hashtags == expected[:len(snippet.hashtags)]
    assert [w for w in snippet.message.split() if w.startswith("#")] == list(snippet.hashtags)
    parts = snippet.message.split("\n\n") if snippet.message else []
    handle = "@" + post["via"].lstrip("@") if post["via"] else None
    tails = {" ".join(snippet.hashtags), " ".join([*snippet.hashtags, f"via {handle}"])}
    if parts and parts[-1] in tails and len(parts) > 1:
        parts.pop()
    title, summary = _normal(post["title"]), _normal(post["summary"])
    if not title and parts:  # a blank title leaves the summary first
        parts.insert(0, "")
    if parts and parts[0] != title:  # the title was cut: hashtags and summary went first
        assert parts[0].endswith("…") and title.startswith(parts[0][:-1])
        assert graphemes(title)[:len(graphemes(parts[0][:-1]))] == graphemes(parts[0][:-1])
        assert snippet.hashtags == () and len(parts) == 1
    if len(parts) == 2:
        assert parts[1] == summary or (parts[1].endswith("…")
                                       and summary.startswith(parts[1][:-1]))


@settings(max_examples=60, deadline=None)
@given(POSTS)
def test_every_automatic_snippet_fits_and_keeps_link_and_hashtags_whole(post):
    for platform in RULES:
        rule = RULES[platform]
        url = tag_url(f"https://example.org/posts/{post['slug']}/", platform, "printemps")
        snippet = compose(rule, title=post["title"], summary=post["summary"], tags=post["tags"],
                          campaign=post["campaign"], via=post["via"], url=url)
        _check_fits_and_nothing_is_cut(rule, post, snippet)


def _shorten_making_every_cut(text, fits, *, inside_words):
    """_shorten as it was: every cut made first, then the same binary search."""
    from sitegen.counting import unicode_pattern
    from sitegen.snippets import _TRAILING, _WORD, ELLIPSIS, _atomic

    if fits(text):
        return text
    words = list(unicode_pattern(_WORD).finditer(text))
    ends = [word.end() for word in words[:-1]]
    if inside_words and words and not _atomic(words[0][0]):
        at = words[0].start()
        for cluster in graphemes(words[0][0])[:-1]:
            at += len(cluster)
            ends.append(at)
    cuts = [cut + ELLIPSIS for cut in (text[:end].rstrip(_TRAILING) for end in sorted(ends))
            if cut]
    cuts.append(text)
    low, high = -1, len(cuts)
    while high - low > 1:
        middle = (low + high) // 2
        if fits(cuts[middle]):
            low = middle
        else:
            high = middle
    return cuts[low] if low >= 0 else None


PUNCTUATED = st.lists(WORD | st.sampled_from(["-", "(«", "…", "!?", "—", ".,", "#tag", "@a",
                                               "e.org", "https://e.org/a"]),
                      max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(PUNCTUATED | TEXT, st.booleans(), st.integers(0, 400),
       st.functions(like=lambda cut: True, returns=st.booleans(), pure=True))
def test_shortening_tries_and_returns_the_cuts_it_did_when_it_made_them_all(
        text, inside_words, limit, anything):
    """Cuts are made only when tried now: the same cuts must be tried in the same order and
    the same one returned, whether a longer cut measures longer (`limit`) or not (`anything`,
    an arbitrary answer per cut, as on X where "example.com" counts 23 and "example.comm" 12)."""
    from sitegen.snippets import _shorten

    for fits in (lambda cut: len(graphemes(cut)) <= limit, anything):
        assert _tries(_shorten, text, fits, inside_words) == \
            _tries(_shorten_making_every_cut, text, fits, inside_words)


def _tries(shorten, text, fits, inside_words):
    """What `shorten` returns, and the cuts it tried, in order."""
    tried = []

    def measured(cut):
        tried.append(cut)
        return fits(cut)

    return shorten(text, measured, inside_words=inside_words), tried


INTENT_FIELDS = {  # platform: {query parameter: snippet field}
    "x": {"text": "text"}, "mastodon": {"text": "text"}, "bluesky": {"text": "text"},
    "threads": {"text": "text"}, "whatsapp": {"text": "text"}, "linkedin": {"url": "url"},
    "facebook": {"u": "url"}, "telegram": {"url": "url", "text": "message"},
    "email": {"subject": "title", "body": "text"},
}


@settings(max_examples=40, deadline=None)
@given(POSTS, st.text(min_size=1, max_size=200))
def test_intent_urls_decode_back_to_the_snippet(post, override):
    for platform, fields in INTENT_FIELDS.items():
        rule = RULES[platform]
        url = tag_url(f"https://example.org/posts/{post['slug']}/?a=b c&d=é#x", platform, "c")
        for text in (None, override):
            snippet = compose(rule, title=post["title"], summary=post["summary"], url=url,
                              tags=post["tags"], override=text)
            shared = intent_url(rule, snippet)
            assert not any(c in shared for c in " +\n\r")
            query = parse_qs(urlsplit(shared).query, keep_blank_values=True)
            decoded = {key: values[0].replace("\r\n", "\n") if platform == "email" else values[0]
                       for key, values in query.items()}
            expected = {key: getattr(snippet, field) for key, field in fields.items()}
            if platform == "email":
                expected = {key: value.replace("\r\n", "\n") for key, value in expected.items()}
            assert decoded == expected
