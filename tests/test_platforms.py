"""sitegen/platforms.py: names, aliases and each network's rule, kept as data in one place."""

from __future__ import annotations

import pytest

from sitegen.platforms import ALIASES, PLATFORMS, RULES, canonical_platform, rule_for


@pytest.mark.parametrize(("name", "platform"), [
    ("twitter", "x"), (" Twitter ", "x"), ("X", "x"), ("fediverse", "mastodon"),
    ("mail", "email"), ("Bluesky", "bluesky"), ("myspace", None), ("", None),
])
def test_canonical_platform_resolves_aliases(name, platform):
    assert canonical_platform(name) == platform


def test_every_platform_has_one_rule_with_its_label_in_share_order():
    assert list(RULES) == list(PLATFORMS)
    assert all(RULES[key].label == label for key, label in PLATFORMS.items())
    assert set(ALIASES.values()) <= set(RULES)


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_intent_template_matches_how_the_link_travels(rule):
    fields = {name for name in ("text", "message", "url", "subject")
              if "{" + name + "}" in rule.intent}
    expected = {"text": {"text"}, "param": {"url", "message"}, "only": {"url"}}[rule.link]
    if rule.id == "email":
        expected = {"text", "subject"}
    assert fields == expected
    assert rule.intent.startswith(("https://", "mailto:"))


def test_the_rules_of_the_issue():
    x, mastodon, bluesky, threads = (RULES[k] for k in ("x", "mastodon", "bluesky", "threads"))
    assert (x.limit, x.unit, x.url_length, x.bare_domains) == (280, "weighted", 23, True)
    assert (mastodon.limit, mastodon.unit, mastodon.url_length) == (500, "graphemes", 23)
    assert mastodon.short_mentions and not mastodon.bare_domains
    assert (bluesky.limit, bluesky.unit, bluesky.byte_limit) == (300, "graphemes", 3000)
    assert (threads.limit, threads.max_hashtags, threads.emoji_bytes) == (500, 1, True)
    assert RULES["linkedin"].limit == 3000
    assert RULES["email"].limit is None


def test_budget_is_the_fold_when_a_network_folds_long_text():
    assert RULES["facebook"].budget == 477
    assert RULES["x"].budget == 280
    assert RULES["email"].budget is None


def test_rule_for_takes_aliases_and_leaves_other_platforms_alone():
    assert rule_for("Twitter") is RULES["x"]
    assert rule_for("bluesky", mastodon_limit=1000) is RULES["bluesky"]


def test_a_mastodon_server_sets_its_own_limit_and_url_length():
    rule = rule_for("mastodon", mastodon_limit=1000, mastodon_url_length=30)
    assert (rule.limit, rule.url_length) == (1000, 30)
    assert rule.intent == "https://share.joinmastodon.org/?text={text}"
    assert RULES["mastodon"].limit == 500  # the default rule is not changed


@pytest.mark.parametrize("instance", ["piaille.fr", "https://Piaille.fr/", " piaille.fr "])
def test_a_configured_mastodon_instance_receives_the_share(instance):
    assert rule_for("fediverse", mastodon_instance=instance).intent == \
        "https://piaille.fr/share?text={text}"


@pytest.mark.parametrize("instance", ["piaille.fr/path", "pi aille.fr", "-bad.fr", "a@b.fr"])
def test_a_bad_mastodon_instance_is_refused(instance):
    with pytest.raises(ValueError, match="Mastodon server"):
        rule_for("mastodon", mastodon_instance=instance)


def test_unknown_platforms_and_bad_limits_are_refused():
    with pytest.raises(ValueError, match="unknown platform 'myspace'"):
        rule_for("myspace")
    with pytest.raises(ValueError):
        rule_for("mastodon", mastodon_limit=0)
