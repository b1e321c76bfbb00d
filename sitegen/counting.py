"""Counting: the length of a text under a platform's rule, in the unit the network counts.

X follows twitter-text 3: NFC first, then weights from config/v3.json (1 for U+0000–U+10FF,
U+2000–U+200D, U+2010–U+201F, U+2032–U+2037, 2 for everything else), an emoji of any shape
counting 2 in total, and every URL its extractor finds (bare domains too) counting 23. The
extractor is ported below with its TLD lists, since whether "index.html" or "example.org" is
a link changes the count by up to 21. Mastodon counts grapheme clusters with the same extractor
(URLs need http(s)://) and counts "@user@server" as "@user". Bluesky counts graphemes and UTF-8
bytes; Threads code points, an emoji its UTF-8 bytes; the others code points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import Any

from sitegen.platforms import PlatformRule
from sitegen.records import record

# twitter-text 3.1 (js/src/regexp/validGTLD.js, validCCTLD.js): a host is a URL's only when
# it ends with one of these.
_GENERIC_TLDS = (
    "삼성 닷컴 닷넷 香格里拉 餐厅 食品 飞利浦 電訊盈科 集团 通販 购物 谷歌 诺基亚 联通 网络 "
    "网站 网店 网址 组织机构 移动 珠宝 点看 游戏 淡马锡 机构 書籍 时尚 新闻 政府 政务 招聘 "
    "手表 手机 我爱你 慈善 微博 广东 工行 家電 娱乐 天主教 大拿 大众汽车 在线 嘉里大酒店 嘉里 "
    "商标 商店 商城 公益 公司 八卦 健康 信息 佛山 企业 中文网 中信 世界 ポイント ファッション "
    "セール ストア コム グーグル クラウド みんな คอม संगठन नेट कॉम همراه موقع موبايلي كوم "
    "كاثوليك عرب شبكة بيتك بازار العليان ارامكو اتصالات ابوظبي קום сайт рус орг онлайн москва "
    "ком католик дети zuerich zone zippo zip zero zara zappos yun youtube you yokohama yoga "
    "yodobashi yandex yamaxun yahoo yachts xyz xxx xperia xin xihuan xfinity xerox xbox wtf "
    "wtc wow world works work woodside wolterskluwer wme winners wine windows win williamhill "
    "wiki wien whoswho weir weibo wedding wed website weber webcam weatherchannel weather "
    "watches watch warman wanggou wang walter walmart wales vuelos voyage voto voting vote "
    "volvo volkswagen vodka vlaanderen vivo viva vistaprint vista vision visa virgin vip vin "
    "villas viking vig video viajes vet versicherung vermögensberatung vermögensberater "
    "verisign ventures vegas vanguard vana vacations ups uol uno university unicom uconnect "
    "ubs ubank tvs tushu tunes tui tube trv trust travelersinsurance travelers travelchannel "
    "travel training trading trade toys toyota town tours total toshiba toray top tools tokyo "
    "today tmall tkmaxx tjx tjmaxx tirol tires tips tiffany tienda tickets tiaa theatre "
    "theater thd teva tennis temasek telefonica telecity tel technology tech team tdk tci taxi "
    "tax tattoo tatar tatamotors target taobao talk taipei tab systems symantec sydney swiss "
    "swiftcover swatch suzuki surgery surf support supply supplies sucks style study studio "
    "stream store storage stockholm stcgroup stc statoil statefarm statebank starhub star "
    "staples stada srt srl spreadbetting spot sport spiegel space soy sony song solutions "
    "solar sohu software softbank social soccer sncf smile smart sling skype sky skin ski site "
    "singles sina silk shriram showtime show shouji shopping shop shoes shiksha shia shell "
    "shaw sharp shangrila sfr sexy sex sew seven ses services sener select seek security "
    "secure seat search scot scor scjohnson science schwarz schule school scholarships schmidt "
    "schaeffler scb sca sbs sbi saxo save sas sarl sapo sap sanofi sandvikcoromant sandvik "
    "samsung samsclub salon sale sakura safety safe saarland ryukyu rwe run ruhr rugby rsvp "
    "room rogers rodeo rocks rocher rmit rip rio ril rightathome ricoh richardli rich rexroth "
    "reviews review restaurant rest republican report repair rentals rent ren reliance reit "
    "reisen reise rehab redumbrella redstone red recipes realty realtor realestate read raid "
    "radio racing qvc quest quebec qpon pwc pub prudential pru protection property properties "
    "promo progressive prof productions prod pro prime press praxi pramerica post porn politie "
    "poker pohl pnc plus plumbing playstation play place pizza pioneer pink ping pin pid "
    "pictures pictet pics piaget physio photos photography photo phone philips phd pharmacy "
    "pfizer pet pccw pay passagens party parts partners pars paris panerai panasonic "
    "pamperedchef page ovh ott otsuka osaka origins orientexpress organic org orange oracle "
    "open ooo onyourside online onl ong one omega ollo oldnavy olayangroup olayan okinawa "
    "office off observer obi nyc ntt nrw nra nowtv nowruz now norton northwesternmutual nokia "
    "nissay nissan ninja nikon nike nico nhk ngo nfl nexus nextdirect next news newholland new "
    "neustar network netflix netbank net nec nba navy natura nationwide name nagoya nadex nab "
    "mutuelle mutual museum mtr mtpc mtn msd movistar movie mov motorcycles moto moscow "
    "mortgage mormon mopar montblanc monster money monash mom moi moe moda mobily mobile mobi "
    "mma mls mlb mitsubishi mit mint mini mil microsoft miami metlife merckmsd meo menu men "
    "memorial meme melbourne meet media med mckinsey mcdonalds mcd mba mattel maserati "
    "marshalls marriott markets marketing market map mango management man makeup maison maif "
    "madrid macys luxury luxe lupin lundbeck ltda ltd lplfinancial lpl love lotto lotte london "
    "lol loft locus locker loans loan llp llc lixil living live lipsy link linde lincoln limo "
    "limited lilly like lighting lifestyle lifeinsurance life lidl liaison lgbt lexus lego "
    "legal lefrak leclerc lease lds lawyer law latrobe latino lat lasalle lanxess landrover "
    "land lancome lancia lancaster lamer lamborghini ladbrokes lacaixa kyoto kuokgroup kred "
    "krd kpn kpmg kosher komatsu koeln kiwi kitchen kindle kinder kim kia kfh kerryproperties "
    "kerrylogistics kerryhotels kddi kaufen juniper juegos jprs jpmorgan joy jot joburg jobs "
    "jnj jmp jll jlc jio jewelry jetzt jeep jcp jcb java jaguar iwc iveco itv itau istanbul "
    "ist ismaili iselect irish ipiranga investments intuit international intel int insure "
    "insurance institute ink ing info infiniti industries inc immobilien immo imdb imamat "
    "ikano iinet ifm ieee icu ice icbc ibm hyundai hyatt hughes htc hsbc how house hotmail "
    "hotels hoteles hot hosting host hospital horse honeywell honda homesense homes homegoods "
    "homedepot holiday holdings hockey hkt hiv hitachi hisamitsu hiphop hgtv hermes here "
    "helsinki help healthcare health hdfcbank hdfc hbo haus hangout hamburg hair guru guitars "
    "guide guge gucci guardian group grocery gripe green gratis graphics grainger gov got gop "
    "google goog goodyear goodhands goo golf goldpoint gold godaddy gmx gmo gmbh gmail globo "
    "global gle glass glade giving gives gifts gift ggee george genting gent gea gdn gbiz gay "
    "garden gap games game gallup gallo gallery gal fyi futbol furniture fund fun fujixerox "
    "fujitsu ftr frontier frontdoor frogans frl fresenius free fox foundation forum forsale "
    "forex ford football foodnetwork food foo fly flsmidth flowers florist flir flights flickr "
    "fitness fit fishing fish firmdale firestone fire financial finance final film fido "
    "fidelity fiat ferrero ferrari feedback fedex fast fashion farmers farm fans fan family "
    "faith fairwinds fail fage extraspace express exposed expert exchange everbank events eus "
    "eurovision etisalat esurance estate esq erni ericsson equipment epson epost enterprises "
    "engineering engineer energy emerck email education edu edeka eco eat earth dvr dvag "
    "durban dupont duns dunlop duck dubai dtv drive download dot doosan domains doha dog dodge "
    "doctor docs dnp diy dish discover discount directory direct digital diet diamonds dhl dev "
    "design desi dentist dental democrat delta deloitte dell delivery degree deals dealer deal "
    "dds dclk day datsun dating date data dance dad dabur cyou cymru cuisinella csc cruises "
    "cruise crs crown cricket creditunion creditcard credit cpa courses coupons coupon country "
    "corsica coop cool cookingchannel cooking contractors contact consulting construction "
    "condos comsec computer compare company community commbank comcast com cologne college "
    "coffee codes coach clubmed club cloud clothing clinique clinic click cleaning claims "
    "cityeats city citic citi citadel cisco circle cipriani church chrysler chrome christmas "
    "chloe chintai cheap chat chase charity channel chanel cfd cfa cern ceo center ceb cbs "
    "cbre cbn cba catholic catering cat casino cash caseih case casa cartier cars careers "
    "career care cards caravan car capitalone capital capetown canon cancerresearch camp "
    "camera cam calvinklein call cal cafe cab bzh buzz buy business builders build bugatti "
    "budapest brussels brother broker broadway bridgestone bradesco box boutique bot boston "
    "bostik bosch boots booking book boo bond bom bofa boehringer boats bnpparibas bnl bmw bms "
    "blue bloomberg blog blockbuster blanco blackfriday black biz bio bingo bing bike bid "
    "bible bharti bet bestbuy best berlin bentley beer beauty beats bcn bcg bbva bbt bbc "
    "bayern bauhaus basketball baseball bargains barefoot barclays barclaycard barcelona bar "
    "bank band bananarepublic banamex baidu baby azure axa aws avianca autos auto author "
    "auspost audio audible audi auction attorney athleta associates asia asda arte art arpa "
    "army archi aramco arab aquarelle apple app apartments aol anz anquan android analytics "
    "amsterdam amica amfam amex americanfamily americanexpress alstom alsace ally allstate "
    "allfinanz alipay alibaba alfaromeo akdn airtel airforce airbus aigo aig agency agakhan "
    "africa afl afamilycompany aetna aero aeg adult ads adac actor active aco accountants "
    "accountant accenture academy abudhabi abogado able abc abbvie abbott abb abarth aarp aaa "
    "onion"
).split()
_COUNTRY_TLDS = (
    "한국 香港 澳門 新加坡 台灣 台湾 中國 中国 გე ລາວ ไทย ලංකා ഭാരതം ಭಾರತ భారత్ சிங்கப்பூர் "
    "இலங்கை இந்தியா ଭାରତ ભારત ਭਾਰਤ ভাৰত ভারত বাংলা भारोत भारतम् भारत ڀارت پاکستان موريتانيا "
    "مليسيا مصر قطر فلسطين عمان عراق سورية سودان تونس بھارت بارت ایران امارات المغرب السعودية "
    "الجزائر البحرين الاردن հայ қаз укр срб рф мон мкд ею бел бг ευ ελ zw zm za yt ye ws wf vu "
    "vn vi vg ve vc va uz uy us um uk ug ua tz tw tv tt tr tp to tn tm tl tk tj th tg tf td tc "
    "sz sy sx sv su st ss sr so sn sm sl sk sj si sh sg se sd sc sb sa rw ru rs ro re qa py pw "
    "pt ps pr pn pm pl pk ph pg pf pe pa om nz nu nr np no nl ni ng nf ne nc na mz my mx mw mv "
    "mu mt ms mr mq mp mo mn mm ml mk mh mg mf me md mc ma ly lv lu lt ls lr lk li lc lb la kz "
    "ky kw kr kp kn km ki kh kg ke jp jo jm je it is ir iq io in im il ie id hu ht hr hn hm hk "
    "gy gw gu gt gs gr gq gp gn gm gl gi gh gg gf ge gd gb ga fr fo fm fk fj fi eu et es er eh "
    "eg ee ec dz do dm dk dj de cz cy cx cw cv cu cr co cn cm cl ck ci ch cg cf cd cc ca bz by "
    "bw bv bt bs br bq bo bn bm bl bj bi bh bg bf be bd bb ba az ax aw au at as ar aq ao an am "
    "al ai ag af ae ad ac"
).split()


def _alternation(words: list[str]) -> str:
    # Longest first, so "community" is tried before "com"; the lookahead ends the TLD where
    # twitter-text does (a letter, digit, "@", "+" or "-" would continue it).
    return "(?:(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?=[^0-9a-zA-Z@+-]|\Z))"


# twitter-text's URL grammar (js/src/regexp/*.js, 3.1), one fragment per file there.
_SPACES = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_INVALID = r"\uFFFE\uFEFF\uFFFF"
_DIRECTIONAL = r"\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069"
_ACCENTS = (r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B"
            r"\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF")
_PUNCTUATION = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_DOMAIN_CHAR = f"[^{_PUNCTUATION}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_PRECEDING = rf"(?:[^A-Za-z0-9@＠$#＃{_INVALID}]|[{_DIRECTIONAL}]|^)"
_SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_TLD = (rf"(?:{_alternation(_GENERIC_TLDS)}|{_alternation(_COUNTRY_TLDS)}"
        r"|(?:xn--[\-0-9a-z]+))")
_PATH_CHAR = rf"[a-z\u0400-\u04FF0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_ACCENTS}]"
_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
_PATH_END = rf"(?:[+\-a-z\u0400-\u04FF0-9=_#/{_ACCENTS}]|(?:{_PARENS}))"
_PATH = (rf"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END})"
         rf"|(?:@{_PATH_CHAR}+/))")
_QUERY = r"(?:\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/])"
_SPACE = re.compile(rf"[{_SPACES}]")
_TCO = re.compile(rf"https?://t\.co/([a-z0-9]+){_QUERY}?", re.IGNORECASE)
# Code points that always form a grapheme on their own (no combining mark, joiner, emoji
# part or CR, whose CR LF pair is one grapheme): Latin scripts and common punctuation, which
# is nearly all the text a French or English site shares. Such a text is counted with len().
# No Unicode property here: re runs the class three times as fast as regex.
_SINGLES = re.compile(r"[\x00-\x0c\x0e-\u02ff\u2010-\u2027\u202f-\u205f\u20a0-\u20bf]*")
# Every code point an emoji needs (Emoji_Presentation, Extended_Pictographic, the keycap's
# U+20E3) is one of these (a test checks each below U+2122): a text without any has no emoji,
# which re finds out far faster than regex looking up properties at every character.
# Written as the complement of what cannot be one (U+0000–U+2121 but those five): the same
# set as [\u00a9\u00ae\u203c\u2049\u20e3\u2122-\U0010ffff], compiled in 1 ms instead of 4
# (re tabulates a range up to U+10FFFF, at every start of sitegen).
_EMOJI_NEEDS = re.compile(r"[^\x00-\xa8\xaa-\xad\xaf-\u203b\u203d-\u2048\u204a-\u20e2"
                          r"\u20e4-\u2121]")


# A run that is plainly one whole URL (lowercase ASCII host ending in a listed TLD, simple
# path and query), as the link a share text ends with: the grammar finds exactly that run
# (a test checks it on generated runs), so it need not be compiled (~15 ms, paid by every new
# process that remakes a share kit). Ports, "t.co" and anything else go to the grammar.
_PLAIN_URL = re.compile(r"https?://(?!t\.co/)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                        r"([a-z]{2,63})(?:/(?:[a-z0-9/_.~%-]*[a-z0-9/_-])?)?"
                        r"(?:\?[a-z0-9_.~%=&-]*[a-z0-9_&=-])?")


@cache
def _tld_names() -> frozenset[str]:
    return frozenset(_GENERIC_TLDS + _COUNTRY_TLDS)


# The patterns holding the TLD lists take ~25 ms to compile: each is compiled the first time
# a text is searched for links, so a build whose share kits are all cached never pays.
@cache
def _url_grammar() -> re.Pattern[str]:
    # The URL grammar uses no Unicode property, so the standard re module runs it: it compiles
    # the thousand-TLD alternation in a third of the time and matches twice as fast as regex.
    return re.compile(
        rf"(?P<before>{_PRECEDING})(?P<url>(?P<protocol>https?://)?(?P<domain>{_SUBDOMAIN}*"
        rf"{_DOMAIN_NAME}{_TLD})(?::[0-9]+)?(?P<path>/{_PATH}*)?{_QUERY}?)", re.IGNORECASE)


@cache
def _ascii_domain() -> re.Pattern[str]:
    return re.compile(rf"(?:[\-a-z0-9{_ACCENTS}]+\.)+{_TLD}", re.IGNORECASE)


@cache
def unicode_pattern(source: str) -> Any:  # a regex.Pattern[str]
    """`source` compiled by the `regex` module, which knows Unicode properties (\\p{L}) and
    grapheme clusters (\\X) as `re` does not. It is imported on first use: a build that
    measures no text skips its ~10 ms import."""
    import regex

    return regex.compile(source)


# Sources of `unicode_pattern`s.
_LABEL_DOTS = "[.\u3002\uFF0E\uFF61]"  # what punycode.toASCII splits on
# Mastodon's Account::MENTION_RE: the server part of "@user@server" is not counted.
_MENTION = r"(?i)(?<![=/\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)@\w+(?:[.-]+\w+)*"
_GRAPHEME = r"\X"
# A grapheme that is an emoji, whatever its shape (ZWJ sequence, skin tone, flag, keycap):
# twitter-text's emoji parser counts each such sequence once.
_EMOJI = (r"\p{Emoji_Presentation}|\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]"
          r"|[#*0-9]\uFE0F?\u20E3")
# Code points outside twitter-text v3's ranges of weight 1.
_HEAVY = r"[^\x00-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]"


def _host_is_valid(domain: str) -> bool:
    """twitter-text's idna check: every label, punycoded, is 1 to 63 characters long."""
    if domain.lower().startswith("xn--") and not _ascii_domain().search(domain):
        return False
    for label in domain.split("."):
        parts = [p if p.isascii() else "xn--" + p.encode("punycode").decode("ascii")
                 for p in unicode_pattern(_LABEL_DOTS).split(label)]
        if not 1 <= len(".".join(parts)) <= 63:
            return False
    return True


def url_spans(text: str, *, bare_domains: bool = True,
              after_break: bool = False) -> list[tuple[int, int]]:
    """Where twitter-text finds URLs in a text, as (start, end) offsets.

    With `bare_domains`, "example.org/page" without a scheme is a URL too, as on X;
    Mastodon asks for http(s)://. With `after_break`, the text is read as following a line
    break (the grammar reads what comes before a URL, and the start of a text reads
    otherwise).

    URLs are looked for only in the runs of non-space text that hold what a URL needs: a
    URL never holds a space, and trying the grammar at every position of long prose is what
    made counting slow.
    """
    spans: list[tuple[int, int]] = []
    for start, end in _runs_holding(text, "." if bare_domains else "://"):
        first = start == 0 and not after_break
        spans.extend((start + a, start + b)
                     for a, b in _run_url_spans(text[start:end], first, bare_domains))
    return spans


def _runs_holding(text: str, needed: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each run of non-space text that holds `needed`, in order.

    Found from each occurrence of `needed` outwards (the run's start by matching the text
    reversed): a text holds few, and a regular expression trying every position of a
    long text is what made counting slow."""
    at = text.find(needed)
    backwards = text[::-1] if at >= 0 else ""
    while at >= 0:
        start = len(text) - _next_space(backwards, len(text) - at)
        end = _next_space(text, at)
        yield start, end
        at = text.find(needed, end)


def _next_space(text: str, at: int) -> int:
    space = _SPACE.search(text, at)
    return space.start() if space else len(text)


# Shortening a share text measures its link and most of its words once per cut it tries.
@lru_cache(maxsize=4096)
def _run_url_spans(run: str, first: bool, bare_domains: bool) -> tuple[tuple[int, int], ...]:
    """The URLs in one run of non-space text, as offsets in the run.

    The grammar reads the character before a URL: a run inside a text follows a space
    character, for which " " stands (any reads the same); the `first` run of a text follows
    nothing, which reads otherwise (the grammar may then take its first letter as that
    character).
    """
    plain = _PLAIN_URL.fullmatch(run) if len(run) <= 4096 else None
    if plain and plain[1] in _tld_names():
        return ((0, len(run)),)
    lead = "" if first else " "
    matches = _url_grammar().finditer(lead + run)
    return tuple((start - len(lead), end - len(lead))
                 for start, end in _spans(matches, bare_domains))


def _spans(matches: Iterable[re.Match[str]], bare_domains: bool) -> Iterator[tuple[int, int]]:
    """The URLs twitter-text keeps among the grammar's matches, as (start, end) offsets."""
    for match in matches:
        start, end = match.span("url")
        domain = match["domain"]
        if not _host_is_valid(domain) or end - start > 4096 - (0 if match["protocol"] else 8):
            continue
        if match["protocol"]:
            tco = _TCO.match(match["url"])
            if tco and len(tco[1]) > 40:
                continue
            yield start, start + len(tco[0]) if tco else end
            continue
        if not bare_domains or match["before"][-1:] in ("-", "_", ".", "/"):
            continue
        # Without a scheme only ASCII hosts count, found inside what the grammar matched.
        at = match.start("domain")
        found = [(at + m.start(), at + m.end()) for m in _ascii_domain().finditer(domain)]
        if found and match["path"]:
            found[-1] = (found[-1][0], end)
        yield from found


def find_urls(text: str, *, bare_domains: bool = True) -> list[str]:
    """The URLs twitter-text finds in a text, in order."""
    return [text[start:end] for start, end in url_spans(text, bare_domains=bare_domains)]


def graphemes(text: str) -> list[str]:
    """The text's extended grapheme clusters: what a reader takes for single characters."""
    return list(unicode_pattern(_GRAPHEME).findall(text))


def is_emoji(grapheme: str) -> bool:
    """True when a grapheme cluster is an emoji (with its modifiers, joiners and tags)."""
    return unicode_pattern(_EMOJI).match(grapheme) is not None


def _weighted(text: str) -> int:
    heavy_point, emoji = unicode_pattern(_HEAVY), unicode_pattern(_EMOJI)
    heavy = len(heavy_point.findall(text))
    if not heavy:
        # Every code point weighs 1, and no emoji is made of such code points only (© and ®
        # are emoji only with U+FE0F, which weighs 2): the length is the count.
        return len(text)
    if not (_EMOJI_NEEDS.search(text) and emoji.search(text)):
        # No cluster is an emoji: each heavy code point weighs 2.
        return len(text) + heavy
    total = 0
    for cluster in unicode_pattern(_GRAPHEME).findall(text):
        total += 2 if emoji.match(cluster) else len(cluster) + len(heavy_point.findall(cluster))
    return total


def _characters(text: str, emoji_bytes: bool) -> int:
    if not emoji_bytes or _SINGLES.fullmatch(text) or not _EMOJI_NEEDS.search(text):
        return len(text)
    emoji = unicode_pattern(_EMOJI)
    return sum(len(c.encode("utf-8")) if emoji.match(c) else len(c)
               for c in unicode_pattern(_GRAPHEME).findall(text))


def _countable(text: str, rule: PlatformRule, after_break: bool) -> str:
    """The text as the platform counts it: each URL a run of url_length placeholders."""
    if rule.url_length is not None:
        spans = url_spans(text, bare_domains=rule.bare_domains, after_break=after_break)
        for start, end in reversed(spans):
            text = text[:start] + "x" * rule.url_length + text[end:]
    if rule.short_mentions and "@" in text:  # a mention holds "@" (a test checks (?i) too)
        text = unicode_pattern(_MENTION).sub(r"@\1", text)
    return text


def length(text: str, rule: PlatformRule, *, after_break: bool = False) -> int:
    """The text's length in the rule's unit: the number the network compares with its limit.

    Lengths add up across line breaks, so a text can be measured in parts: for `head` not
    ending with CR (CR LF is one grapheme), length(head + "\n" + tail) is length(head) + 1 +
    length(tail, after_break=True). A line break is a grapheme of its own, ends every run a
    URL or mention is found in, and neither composes nor reorders under NFC.
    """
    if rule.unit == "weighted":
        text = unicodedata.normalize("NFC", text)
    text = _countable(text, rule, after_break)
    if rule.unit == "weighted":
        return _weighted(text)
    if rule.unit == "graphemes":
        return len(text) if _SINGLES.fullmatch(text) else len(graphemes(text))
    return _characters(text, rule.emoji_bytes)


@record
class Measure:
    """A text measured against a rule: its length, its size, and how far over it is."""

    length: int  # in the rule's unit
    limit: int | None
    size: int  # UTF-8 bytes
    byte_limit: int | None

    @property
    def overflow(self) -> int:
        """Units over the limit; 0 when the text is within it."""
        return max(0, self.length - self.limit) if self.limit is not None else 0

    @property
    def byte_overflow(self) -> int:
        """UTF-8 bytes over the byte limit (Bluesky); 0 when within it or without one."""
        return max(0, self.size - self.byte_limit) if self.byte_limit is not None else 0

    @property
    def fits(self) -> bool:
        """True when the network accepts the text's length."""
        return self.overflow == 0 and self.byte_overflow == 0


def measure(text: str, rule: PlatformRule) -> Measure:
    """Measure a text against a platform's rule."""
    return Measure(length(text, rule), rule.limit, len(text.encode("utf-8")), rule.byte_limit)
