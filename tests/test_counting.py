"""sitegen/counting.py: lengths as each network counts them, checked against twitter-text's
published conformance cases (twitter/twitter-text: conformance/tests/validate.yml and
extract.yml), ported here as data."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.counting import find_urls, graphemes, is_emoji, length, measure
from sitegen.platforms import RULES, rule_for

X, MASTODON, BLUESKY, THREADS = (RULES[k] for k in ("x", "mastodon", "bluesky", "threads"))

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"  # 👨‍👩‍👧‍👦, 4 emoji + 3 ZWJ
FLAG = "\U0001F1EB\U0001F1F7"  # 🇫🇷
KEYCAP = "1\uFE0F\u20E3"  # 1️⃣
SKIN = "\U0001F44D\U0001F3FD"  # 👍🏽
POEM = "".join([  # 160 CJK characters and full-width punctuation
    "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，",
    "乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。朝辞白帝彩云间，千里江陵一日还。",
    "两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，",
    "斜倚薰笼坐到明。独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。",
])
KANA = "あいうえおかきくけこ"
LONG_HOST = "https://" + "somesuperlongurl" * 249 + ".com/foo"
PUNCTUATION = ("This is a tweet with general punctuation characters: "
               + "".join(map(chr, range(0x2000, 0x200C))) + " "
               + " ".join(map(chr, range(0x2010, 0x2017))) + "  "
               + " ".join(map(chr, [*range(0x2017, 0x2020), *range(0x2032, 0x2038)])))

# validate.yml, WeightedTweetsWithDiscountedEmojiCounterTest (the v3 config), then
# UnicodeDirectionalMarkerCounterTest and the `lengths` cases still true under v3.
X_LENGTHS = [
    ("Regular Tweet with url", "Hi http://test.co", 26),
    ("Just url", "http://test.co", 23),
    ("Long tweet, overflow at char index 280", "285 chars-" + "xxxxxxxxxx-" * 25, 285),
    ("Long tweet with url in the middle",
     "285 chars- http://www.twitter.com/jack " + "xxxxxxxxxx-" * 24, 299),
    ("Long tweet with url at the end",
     "xxxxxxxxxx-" * 24 + " http://www.twitter.com/jack ", 289),
    ("10 url string, no overflow", "https://www.twitter.com/aloha " * 10, 240),
    ("160 CJK char", POEM, 320),
    ("160 emoji char", "\U0001F637" * 160, 320),
    ("3 latin char + 160 CJK char", "the" + POEM, 323),
    ("282 chars with a normalized character", "282 chars-" + "xxxxxxxxxx-" * 24 + "xxxxxA\u0301x",
     281),
    ("Count a mix of single byte single word, and double word unicode characters",
     "H\U0001F431\u263A" + FAMILY, 7),
    ("Count unicode emoji chars inside the basic multilingual plane",
     "\U0001F637\U0001F47E\U0001F621\U0001F525\U0001F4A9", 10),
    ("Count unicode emoji chars outside the BMP with skin tone modifiers",
     "\U0001F64B\U0001F3FD\U0001F468\u200D\U0001F3A4", 4),
    ("Handle General Punctuation Characters with visible spaces(u2000-200A), no ZWJ/ZWNJ",
     PUNCTUATION, 110),
    ("Handle long url with invalid domain labels and short url",
     "Long url with invalid domain labels and a short url: " + " ".join([LONG_HOST] * 3)
     + " https://validurl.com", 12079),
    ("Handle a 64 character domain without protocol", "randomurl" * 7 + "s.com", 68),
    ("Do not allow > 140 CJK characters by virtue of > 63 punycode chars in the host",
     KANA * 12 + " http://" + KANA * 5 + "あいう.com", 358),
    ("Allow > 140 CJK characters by virtue of < 63 punycode chars in the host",
     KANA * 12 + " http://" + KANA * 5 + "あい.com", 264),
    ("140 family emoji", FAMILY * 140, 280),
    ("Unicode 10.0 emoji", "Unicode 10.0 emoji: \U0001F92A; \U0001F9D5; \U0001F9D5\U0001F3FE; "
     "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", 34),
    ("Unicode 9.0 emoji", "Unicode 9.0 emoji: \U0001F920; \U0001F483; \U0001F483\U0001F3FE", 29),
    ("'Á' is normalized into 1 char", "A\u0301B", 2),
    ("שּׁ is normalized into 3 chars", "A\uFB2C", 4),
    ("Handle invalid characters", "ABC\u202A\uFFFFABC\uFFFE", 12),
    ("Tweet text containing directional characters",
     "\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069", 31),
    ("Count the number of characters", "This is a test.", 15),
    ("Count a URL starting with http:// as 23 characters", "http://test.com", 23),
    ("Count a URL starting with https:// as 23 characters", "https://test.com", 23),
    ("Count a URL without protocol as 23 characters", "test.com", 23),
    ("Count multiple URLs correctly",
     "Test https://test.com test https://test.com test.com test", 86),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in X_LENGTHS],
                         ids=[c[0] for c in X_LENGTHS])
def test_x_weighted_length_matches_twitter_text(text, expected):
    assert length(text, X) == expected


QUOTE = ("A lie gets halfway around the world before the truth has a chance to get its pants on."
         " Winston Churchill (1874-1965) http://bit.ly/dJpywL")
ACCENTED = ("A lié géts halfway arøünd thé wørld béføré thé truth has a chance tø get its pants øn."
            " Winston Churchill (1874-1965) http://bit.ly/dJpywL")


# validate.yml, `tweets`: whether a text fits 280 (the empty text, refused for being empty
# rather than long, is not a length case).
@pytest.mark.parametrize(("text", "fits"), [
    ("I am a Tweet", True), (QUOTE, True), (ACCENTED, True), ("の" * 140, True),
    ("\U0001F431" * 140, True), (QUOTE + " " + QUOTE, False),
    (QUOTE.replace(". W", ".\nW") + " " + QUOTE, False),
])
def test_x_tweet_validity_cases(text, fits):
    assert measure(text, X).fits is fits


# extract.yml, `urls`, `urls_with_indices`, `urls_with_directional_markers` and
# `tco_urls_with_params`, as (text, URLs found).
EXTRACT = [
    ("http://example.com", ["http://example.com"]),
    ("http://ああ.com", ["http://ああ.com"]),
    ("http://あ-あ.com", ["http://あ-あ.com"]),
    ("text http://google.com/#search?q=iphone%20-filter%3Alinks",
     ["http://google.com/#search?q=iphone%20-filter%3Alinks"]),
    ("text http://somedomain.com/index.php?path=/abc/def/",
     ["http://somedomain.com/index.php?path=/abc/def/"]),
    ("text http://somehost.com:3000", ["http://somehost.com:3000"]),
    ("text http://xo.com/~matthew+%ff-,.;x", ["http://xo.com/~matthew+%ff-,.;x"]),
    ("text http://en.wikipedia.org/wiki/Primer_(film)", ["http://en.wikipedia.org/wiki/Primer_(film)"]),
    ("text http://✪df.ws/ejp", ["http://✪df.ws/ejp"]),
    ("test http://example.comだよね.comtest/hogehoge", ["http://example.com"]),
    ("text http://chilp.it/?77e8fd", ["http://chilp.it/?77e8fd"]),
    ("text http://msdn.microsoft.com/ja-jp/library/system.net.httpwebrequest(v=VS.100).aspx",
     ["http://msdn.microsoft.com/ja-jp/library/system.net.httpwebrequest(v=VS.100).aspx"]),
    ("text https://www.youtube.com/watch?v=LOxOAuDHzaw&list=PLPoq910Q9jXhuH6pit_KwIsck9fEz_9U-",
     ["https://www.youtube.com/watch?v=LOxOAuDHzaw&list=PLPoq910Q9jXhuH6pit_KwIsck9fEz_9U-"]),
    ("text http://no-tld", []),
    ("text http://tld-too-short.x", []),
    ("(http://twitter.com", ["http://twitter.com"]),
    ("text http://word-and-a-number-8-ftw.domain.com/", ["http://word-and-a-number-8-ftw.domain.com/"]),
    ("text http://foo.com?#foo text", ["http://foo.com?#foo"]),
    ("foo.com foo.net foo.org foo.edu foo.gov",
     ["foo.com", "foo.net", "foo.org", "foo.edu", "foo.gov"]),
    ("foo.baz foo.co.jp www.xxxxxxx.baz www.foo.co.uk wwwww.xxxxxxx foo.comm foo.somecom "
     "foo.govedu foo.jp", ["foo.co.jp", "www.foo.co.uk", "foo.jp"]),
    ("t.co/abcde bit.ly/abcde", ["t.co/abcde", "bit.ly/abcde"]),
    ("Go to http://example.com/a+ or http://example.com/a-",
     ["http://example.com/a+", "http://example.com/a-"]),
    ("Go to https://en.m.wikipedia.org/wiki/Hatfield–McCoy_feud please",
     ["https://en.m.wikipedia.org/wiki/Hatfield–McCoy_feud"]),
    ("@user Try http:// example.com/path", ["example.com/path"]),
    ("@user Try http://\u00A0example.com/path", ["example.com/path"]),
    ("これは日本語です。example.com/path/index.html中国語example.com/path한국",
     ["example.com/path/index.html", "example.com/path"]),
    ("twitter.comこれは日本語です。example.com中国語t.co/abcde한국twitter.com example2.comテスト"
     "twitter.com/abcde", ["twitter.com", "example.com", "t.co/abcde", "twitter.com",
                           "example2.com", "twitter.com/abcde"]),
    ("http://twitter.com/これは日本語です。example.com中国語http://t.co/abcde한국twitter.comテスト"
     "example2.comテストhttp://twitter.com/abcde",
     ["http://twitter.com/", "example.com", "http://t.co/abcde", "twitter.com", "example2.com",
      "http://twitter.com/abcde"]),
    ("Go to http://twitter.com/Русские_слова", ["http://twitter.com/Русские_слова"]),
    ("http://exampleこれは日本語です.com/path/index.html http://" + "あ" * 300
     + ".com/path/index.html", ["http://exampleこれは日本語です.com/path/index.html"]),
    ("twitter.jp日本語it.so中国語foo.jp it.so foo.jp",
     ["twitter.jp", "it.so", "foo.jp", "it.so", "foo.jp"]),
    ("Hello http://xn--はじめよう.com/index.html", []),
    ("text http://domain-dash_2314352345_dfasd.foo-cow_4352.com", []),
    ("MLB.tv vine.co twitch.tv t.co", ["MLB.tv", "vine.co", "twitch.tv", "t.co"]),
    ("test http://sub_domain-dash.twitter.com", ["http://sub_domain-dash.twitter.com"]),
    ("test http://a.b.cd", ["http://a.b.cd"]),
    ("test http://a_b.c-d.com", ["http://a_b.c-d.com"]),
    ("http://www.bestbuy.com/site/Currie+Technologies+-+Ezip+400+Scooter/9885188.p?id="
     "1218189013070&skuId=9885188", ["http://www.bestbuy.com/site/Currie+Technologies+-+Ezip+400+"
                                     "Scooter/9885188.p?id=1218189013070&skuId=9885188"]),
    ("test http://-leadingdash.twitter.com", []),
    ("test http://leadingdash.-twitter.com", []),
    ("test http://trailingdash-.twitter.com", []),
    ("test http://trailingdash.twitter-.com", []),
    ("test http://_leadingunderscore.twitter.com", []),
    ("test http://leadingunderscore._twitter.com", []),
    ("test http://trailingunderscore_.twitter.com", []),
    ("test http://trailingunderscore.twitter_.com", []),
    ("test http://twitter_underscore.com", []),
    ("test http://twitter.c_o_m", []),
    ("test http://www.foo.com/foo/path-with-period./", ["http://www.foo.com/foo/path-with-period./"]),
    ("test http://www.foo.org.za/foo/bar/688.1", ["http://www.foo.org.za/foo/bar/688.1"]),
    ("test http://www.foo.com/bar-path/some.stm?param1=foo;param2=P1|0||P2|0",
     ["http://www.foo.com/bar-path/some.stm?param1=foo;param2=P1|0||P2|0"]),
    ("test http://foo.com/bar/123/foo_&_bar/", ["http://foo.com/bar/123/foo_&_bar/"]),
    ("http://www.andersondaradio.no.comunidades.net/ test test",
     ["http://www.andersondaradio.no.comunidades.net/"]),
    ("test ELPAÍS.com", ["ELPAÍS.com"]),
    ("test http://twitter.com/.", ["http://twitter.com/"]),
    ("Test a ton of periods http://example.com/path" + "." * 42, ["http://example.com/path"]),
    ("Test a ton of periods http://example.com/" + "," * 42, ["http://example.com/"]),
    ("Test a ton of periods http://example.com/path/" + "!" * 42, ["http://example.com/path/"]),
    ("#test.com @test.com #http://test.com @http://test.com #t.co/abcde @t.co/abcde", []),
    ("I really like http://t.co/pbY2NfTZ's website", ["http://t.co/pbY2NfTZ"]),
    ("Check this site out http://t.co/FNkPfmii- it's great", ["http://t.co/FNkPfmii"]),
    ("According to http://t.co/ulYGBYSo: the internet is cool", ["http://t.co/ulYGBYSo"]),
    ("I really like http://t.co/abcdefghijklmnopqrstuvwxyz0123456789",
     ["http://t.co/abcdefghijklmnopqrstuvwxyz0123456789"]),
    ("I really like http://t.co/abcdefghijklmnopqrstuvwxyz012345678901234", []),
    ("example.comてすとですtwitter.みんなです", ["example.com", "twitter.みんな"]),
    ("http://twitter.com\nhttp://example.com\nhttp://example.com/path\nexample.com/path\n"
     "it.so\nit.so/abcde", ["http://twitter.com", "http://example.com", "http://example.com/path",
                            "example.com/path", "it.so", "it.so/abcde"]),
    ("$http://twitter.com $twitter.com $http://t.co/abcde $t.co/abcde $t.co $TVI.CA $RBS.CA", []),
    ("long.test.tar.bz2 test.tar.bz2 tar.bz2", []),
    ("john.doe.gov@mail.com", []),
    ("john.doe.jp@mail.com", []),
    ("http://www.foo.com?referer=https://t.co/abcde http://t.co/xyzzy",
     ["http://www.foo.com?referer=https://t.co/abcde", "http://t.co/xyzzy"]),
    ("test http://xn--ls8h.XN--ls8h.la/", ["http://xn--ls8h.XN--ls8h.la/"]),
    ("test http://foobar.みんな/ http://foobar.中国/ http://foobar.پاکستان/ ",
     ["http://foobar.みんな/", "http://foobar.中国/", "http://foobar.پاکستان/"]),
    ("\u2066\u202Atest abcdef.com پاکستان http://twitter.com/\u202C\u2069",
     ["abcdef.com", "http://twitter.com/"]),
    ("This is a test \u2066\u202Atwitter.com\u202C\u2069 \u2066\u202Ahttp://foobar.پاکستان/"
     "\u202C\u2069 قطر فلسطين عمان", ["twitter.com", "http://foobar.پاکستان/"]),
    ("http://t.co/pbY2NfTZ's http://t.co/2vYHpAc5; http://t.co/ulYGBYSo: http://t.co/8MkmHU0k+c "
     "http://t.co/TKLp64dY.x http://t.co/8t7G3ddS#a http://t.co/FNkPfmii-",
     ["http://t.co/pbY2NfTZ", "http://t.co/2vYHpAc5", "http://t.co/ulYGBYSo",
      "http://t.co/8MkmHU0k", "http://t.co/TKLp64dY", "http://t.co/8t7G3ddS",
      "http://t.co/FNkPfmii"]),
    ("text https://t.co/UqIyJAJTfo?amp=1", ["https://t.co/UqIyJAJTfo?amp=1"]),
    ("text https://t.co/asdfdf?a=b#123", ["https://t.co/asdfdf?a=b#123"]),
    # validate.yml, `urls_without_protocol`: each a URL on X.
    ("example.com www.example.com t.co foo.co.jp example.com/path/to/resource?search=foo&lang=en",
     ["example.com", "www.example.com", "t.co", "foo.co.jp",
      "example.com/path/to/resource?search=foo&lang=en"]),
]


@pytest.mark.parametrize(("text", "urls"), EXTRACT)
def test_url_extraction_matches_twitter_text(text, urls):
    assert find_urls(text) == urls


def test_without_bare_domains_only_schemed_urls_are_found():
    text = "voir example.org et https://example.org/a, ou www.example.org/b"
    assert find_urls(text, bare_domains=False) == ["https://example.org/a"]


@pytest.mark.parametrize(("text", "weight"), [
    ("é à ç œ Œ ÿ", 11), ("« l’été »", 9), ("\u00A0", 1), ("—–‘’“”", 6),
    ("…", 2), ("€", 2), ("\u202F", 2), ("10\u202F€", 6), ("日本語", 6), ("한국어", 6),
    ("\U0001F389", 2), (FAMILY, 2), (FLAG, 2), (KEYCAP, 2), (SKIN, 2),
    ("\u2764\uFE0F", 2), ("\u00A9", 1), ("\u00A9\uFE0F", 2), ("1\uFE0F", 3),
    ("https://a.io", 23), ("example.org", 23), ("Voir example.org/salon?x=1 !", 30),
    ("https://example.org/" + "p" * 100 + "?utm_source=x&utm_medium=social", 23),
    ("Node.js", 7), ("index.html", 10), ("fichier.pdf", 11), ("@alice@example.social", 21),
])
def test_x_counts_french_typography_emoji_cjk_and_urls(text, weight):
    assert length(text, X) == weight


@pytest.mark.parametrize(("text", "count"), [
    ("é à ç", 5), ("…€\u202F", 3), ("日本語", 3), (FAMILY, 1), (FLAG + KEYCAP + SKIN, 3),
    ("e\u0301", 1), ("https://example.org/" + "p" * 100, 23), ("http://a.fr", 23),
    ("example.org", 11), ("www.example.org/page", 20),
    ("@alice@example.social merci", 12), ("https://mastodon.social/@alice@example.social", 23),
])
def test_mastodon_counts_graphemes_schemed_urls_and_local_mentions(text, count):
    assert length(text, MASTODON) == count


def test_a_mastodon_server_may_reserve_another_url_length():
    rule = rule_for("mastodon", mastodon_url_length=30)
    assert length("Lire https://example.org/salon", rule) == 5 + 30


@pytest.mark.parametrize(("text", "count", "size"), [
    ("é", 1, 2), ("日本語", 3, 9), (FAMILY, 1, 25), (FLAG, 1, 8),
    ("https://example.org/" + "p" * 100, 120, 120),
])
def test_bluesky_counts_graphemes_and_bytes_with_urls_as_written(text, count, size):
    result = measure(text, BLUESKY)
    assert (result.length, result.size) == (count, size)


def test_bluesky_refuses_few_graphemes_that_weigh_many_bytes():
    result = measure(FAMILY * 200, BLUESKY)
    assert (result.length, result.overflow) == (200, 0)
    assert result.byte_overflow == 200 * 25 - 3000
    assert not result.fits


@pytest.mark.parametrize(("text", "count"), [
    ("é à", 3), ("日本語", 3), ("\U0001F389", 4), (FAMILY, 25), ("a" + FLAG, 9),
    ("https://example.org", 19),
])
def test_threads_counts_characters_and_emoji_as_their_utf8_bytes(text, count):
    assert length(text, THREADS) == count


@pytest.mark.parametrize("platform", ["linkedin", "facebook", "whatsapp", "telegram", "email"])
def test_other_networks_count_code_points(platform):
    assert length("Café 日本 " + FAMILY + " https://example.org", RULES[platform]) == \
        len("Café 日本 ") + 7 + len(" https://example.org")


def test_overflow_is_how_far_past_the_limit():
    assert measure("a" * 281, X).overflow == 1
    assert measure("a" * 280, X).overflow == 0
    assert measure("€" * 141, X).overflow == 2
    assert measure("a" * 10_000, RULES["email"]).fits
    tight = dataclasses.replace(MASTODON, limit=10)
    assert measure("https://example.org/long/path", tight).overflow == 13


@pytest.mark.parametrize(("cluster", "emoji"), [
    ("\U0001F389", True), (FAMILY, True), (FLAG, True), (KEYCAP, True), (SKIN, True),
    ("\u2764\uFE0F", True), ("\u2764", False), ("1", False), ("é", False), ("日", False),
])
def test_is_emoji(cluster, emoji):
    assert is_emoji(cluster) is emoji


def test_graphemes_keep_sequences_whole():
    assert graphemes("a" + FAMILY + "e\u0301" + FLAG) == ["a", FAMILY, "e\u0301", FLAG]


WORDS = st.lists(st.sampled_from([*"abcdéèàôçœ’«» ,;!?-日本語한€…", FAMILY, FLAG, KEYCAP]),
                 max_size=120).map("".join)


@given(WORDS)
def test_x_weight_lies_between_graphemes_and_twice_the_code_points(text):
    # No "." or ":" here, so no URL: each grapheme weighs at least 1, each code point at most 2.
    assert len(graphemes(text)) <= length(text, X) <= 2 * len(text)


@given(WORDS, WORDS)
def test_mastodon_length_is_additive_around_a_url(before, after):
    text = f"{before} https://example.org/a {after}"
    assert length(text, MASTODON) == len(graphemes(f"{before} ")) + 23 + \
        len(graphemes(f" {after}"))


URL_PIECES = st.sampled_from([*"ab.c/:-_ @#(),", "https://", "http://", "example.org", ".com",
                              " ", "\u00a0", "\u202f", "é", "t.co/", "?x=1", "www.", "\n"])


@settings(max_examples=500, deadline=None)
@given(st.lists(URL_PIECES, max_size=40).map("".join), st.booleans())
def test_urls_are_found_as_if_the_whole_text_were_searched(text, bare_domains):
    """URLs are looked for run by run of non-space text, each run's found once (the
    speed-ups); the result must be the grammar's over the whole text."""
    import sitegen.counting as counting

    whole = list(counting._spans(counting._url_grammar().finditer(text), bare_domains))
    assert counting.url_spans(text, bare_domains=bare_domains) == whole
    assert counting.url_spans(text, bare_domains=bare_domains) == whole  # from the cache


_LABEL = st.text(alphabet="abz09-_É", min_size=1, max_size=6)
LINKS = st.builds(
    lambda scheme, labels, tld, port, path, query, tail: (
        f"{scheme}{'.'.join([*labels, tld])}{port}{path}{query}{tail}"),
    st.sampled_from(["https://", "http://", "HTTPS://", ""]),
    st.lists(_LABEL, min_size=1, max_size=3) | st.just(["t"]),
    st.sampled_from(["org", "fr", "co", "com", "html", "zzzz", "ORG", "xn--p1ai", "t"]),
    st.sampled_from(["", "", ":8080"]),
    st.none().map(lambda _: "") | st.text(alphabet="ab09/_.~%-=+:;,!()#@A'é", max_size=10).map(
        lambda p: "/" + p),
    st.none().map(lambda _: "") | st.text(alphabet="ab09_.~%=&-/#!?,()A", max_size=10).map(
        lambda q: "?" + q),
    st.sampled_from(["", "", "", ".", ")", ",", "#x", "~"]))


@settings(max_examples=3000, deadline=None)
@given(LINKS, st.booleans(), st.booleans())
@example("https://t.co/" + "a" * 41, False, True)  # too long for t.co: not a URL on X
@example("https://t.co/" + "a" * 40, True, True)
def test_a_link_alone_in_its_run_is_found_as_the_grammar_finds_it(run, first, bare_domains):
    """The plain-URL shortcut (no grammar compiled for a share text's own link) must give
    exactly what the grammar gives, on links and on near misses."""
    import sitegen.counting as counting

    lead = "" if first else " "
    grammar = [(a - len(lead), b - len(lead)) for a, b in counting._spans(
        counting._url_grammar().finditer(lead + run), bare_domains)]
    assert list(counting._run_url_spans(run, first, bare_domains)) == grammar


def test_a_share_texts_own_link_is_measured_without_compiling_the_url_grammar():
    import sitegen.counting as counting

    counting._url_grammar.cache_clear()
    counting._run_url_spans.cache_clear()
    link = "https://example.org/blog/2024/05/fete-du-quartier/?utm_source=mastodon&utm_medium=social"
    assert length(f"Fête du quartier\n{link}", MASTODON) == len("Fête du quartier\n") + 23
    assert counting._url_grammar.cache_info().currsize == 0


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x20C0), max_size=60))
def test_the_fast_grapheme_count_agrees_with_the_segmenter(text):
    import sitegen.counting as counting

    if counting._SINGLES.fullmatch(text):
        assert len(text) == len(graphemes(text))


def test_every_code_point_an_emoji_needs_is_looked_for():
    import sitegen.counting as counting

    parts = counting.unicode_pattern(r"[\p{Emoji_Presentation}\p{Extended_Pictographic}\u20E3]")
    below = [chr(c) for c in range(0x2122) if parts.match(chr(c))]
    assert below and all(counting._EMOJI_NEEDS.match(c) for c in below)


def test_the_emoji_prefilter_is_every_code_point_from_u2122_and_five_below():
    import sitegen.counting as counting

    found = [c for c in range(0x110000) if counting._EMOJI_NEEDS.match(chr(c))]
    assert found == [0xA9, 0xAE, 0x203C, 0x2049, 0x20E3, *range(0x2122, 0x110000)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"a#*1©®‼⁉™é…’", "\ufe0f", "\u20e3", "\u200d", "\U0001F3FD",
                                 "\u2764", "\u231a", FAMILY, FLAG, KEYCAP, SKIN, "日"]),
                max_size=12).map("".join))
def test_a_text_without_what_an_emoji_needs_has_no_emoji(text):
    import sitegen.counting as counting

    if not counting._EMOJI_NEEDS.search(text):
        assert not counting.unicode_pattern(counting._EMOJI).search(text)
