"""E-mail addresses, links, and IDs on messaging and social services.

A service *name* alone is ordinary business talk ("LINEスタンプの制作", "Instagram運用代行"); the
guard reports a service only when an ID, handle or link for it is given.
"""

from __future__ import annotations

import re

from .findings import Hit
from .lexicon.names import (
    MAIL_DOMAINS,
    MAIL_PROVIDERS,
    MARKETPLACES,
    SERVICES,
    alternation,
    handles,
    id_services,
    longest_first,
    mail_spellings,
)
from .normalise import View, inside_katakana_word, kana_pattern, literal_alternation
from .sieve import SIEVE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- domains ---------------------------------------------------------------------------------

_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
# labels written in kana: the mail providers' names ("じーめーる" for gmail), and "こむ"
_KANA_LABELS = {
    **{
        kana_pattern(name): provider.names[0]
        for provider in MAIL_PROVIDERS
        for name in provider.names[1:]
    },
    "こむ": "com",
}
_LABEL_ANY = re.compile(rf"{_LABEL}|{'|'.join(_KANA_LABELS)}")
# "." and its written-out forms. Plain words ("dot", "どっと") need spaces or brackets.
_DOT = r"(?:\.|。|\[\.\]|\(\.\)|\s?[(\[{<]\s?(?:dot|どっと|\.)\s?[)\]}>]\s?|\s(?:dot|どっと)\s|\s?どっと\s?)"
_EMAIL_DOT = re.compile(rf"\s{{0,2}}{_DOT}\s{{0,2}}|\s{{0,2}}\.\s{{0,2}}|・")
_HOST_DOT = re.compile(_DOT)

_TLDS = _words(
    "com net org jp info biz me io co tv xyz site online tokyo dev page link ly gg ee us uk cn tw "
    "kr de fr cc club shop store blog work tech design studio fm am gl gd so ws ai la app ne or "
    "ac go ed gr lg edu gov mobi pro name asia eu ca au nz in sg hk ph vn th id my br ru es it nl "
    "ch se no fi dk pl be at ie pt mx ar cl za one life live today world space website fun art "
    "moe net email cloud team inc ltd llc company agency media news top vip red nagoya osaka "
    "yokohama kyoto okinawa"
)
TLDS = _TLDS  # read by pointers.py
# Top-level domains that also name files (index.html is no link): bare names need these not to be
# the last label, unless the host is a known service.
_BARE_TLDS = _TLDS - _words("ai la so gd gl am fm ws cc app one name me pro")
_PROVIDERS = MAIL_DOMAINS
_RESERVED_SUFFIXES = (
    "example.com",
    "example.org",
    "example.net",
    ".example",
    ".test",
    ".invalid",
    ".localhost",
    ".local",
    "localhost",
)
_PLATFORM_SUFFIXES = ("tsunagu.example", "tsunagu.jp", "tsunagu.app")

# Hosts of services, matched on the host or any parent domain.
_SERVICE_HOSTS: dict[str, str] = {
    **{host: service.kind for service in SERVICES if service.kind for host in service.hosts},
    "whereby.com": "meeting_link",
    "webex.com": "meeting_link",
    "calendly.com": "meeting_link",
    "timerex.net": "meeting_link",
    "spirinc.com": "meeting_link",
    "jicoo.com": "meeting_link",
    "youcanbook.me": "meeting_link",
    "cal.com": "meeting_link",
    "doodle.com": "meeting_link",
    "calendar.app.google": "meeting_link",
    "bit.ly": "short_link",
    "tinyurl.com": "short_link",
    "t.co": "short_link",
    "goo.gl": "short_link",
    "ow.ly": "short_link",
    "is.gd": "short_link",
    "v.gd": "short_link",
    "buff.ly": "short_link",
    "rebrand.ly": "short_link",
    "cutt.ly": "short_link",
    "shorturl.at": "short_link",
    "x.gd": "short_link",
    "tiny.cc": "short_link",
    "s.id": "short_link",
    "reurl.cc": "short_link",
    "forms.gle": "short_link",
    "amzn.to": "short_link",
    "qr.paps.jp": "short_link",
    "linktr.ee": "website",
    "lit.link": "website",
}
# News and reference sites: a link to an article is a source, not a way to reach the writer.
_NEWS_AND_REFERENCE = (
    # Japanese news
    "nhk.or.jp nikkei.com asahi.com mainichi.jp yomiuri.co.jp sankei.com jiji.com kyodonews.jp "
    "kyodonews.net tokyo-np.co.jp nikkansports.com sponichi.co.jp itmedia.co.jp impress.co.jp "
    "watch.impress.co.jp ascii.jp gigazine.net nikkeibp.co.jp xtech.nikkei.com toyokeizai.net "
    "diamond.jp president.jp businessinsider.jp japantimes.co.jp news.yahoo.co.jp "
    "newspicks.com bunshun.jp huffingtonpost.jp j-cast.com news.livedoor.com fnn.jp tbs.co.jp "
    "ntv.co.jp tv-asahi.co.jp fujitv.co.jp tv-tokyo.co.jp techcrunch.com cnet.com zdnet.com "
    # international news
    "bbc.com bbc.co.uk cnn.com reuters.com apnews.com nytimes.com washingtonpost.com wsj.com "
    "theguardian.com ft.com bloomberg.com economist.com forbes.com time.com npr.org "
    "aljazeera.com dw.com lemonde.fr spiegel.de elpais.com nikkei.asia scmp.com "
    "theverge.com wired.com arstechnica.com engadget.com news.ycombinator.com "
    "businessinsider.com cnbc.com axios.com politico.com usatoday.com latimes.com "
    # reference
    "wikimedia.org wiktionary.org britannica.com weblio.jp kotobank.jp goo.ne.jp "
    "jstage.jst.go.jp cinii.ac.jp arxiv.org doi.org nature.com science.org "
    "merriam-webster.com cambridge.org oxforddictionaries.com dictionary.com "
    "developer.mozilla.org w3schools.com"
)
# Reference sites and big brands whose links are ordinary business talk.
_ALLOWED_HOSTS = _words(
    "wikipedia.org python.org djangoproject.com mozilla.org w3.org github.com gitlab.com "
    "stackoverflow.com npmjs.com pypi.org google.com google.co.jp youtube.com youtu.be "
    "amazon.co.jp amazon.com apple.com microsoft.com yahoo.co.jp rakuten.co.jp figma.com "
    "canva.com notion.so wordpress.org wordpress.com shopify.com aws.amazon.com php.net asp.net "
    "vb.net ado.net socket.io nodejs.org reactjs.org react.dev vuejs.org nextjs.org "
    "developer.apple.com go.jp lg.jp nta.go.jp e-gov.go.jp mhlw.go.jp meti.go.jp jpo.go.jp "
    "booking.com salesforce.com adobe.com nikkei.com nhk.or.jp freee.co.jp moneyforward.com "
    "mercari.com base.in stores.jp readthedocs.io readthedocs.org docker.com kubernetes.io "
    "typescriptlang.org rust-lang.org golang.org go.dev openai.com anthropic.com "
    "docs.google.com drive.google.com sheets.google.com slides.google.com "
    + " ".join(host for market in MARKETPLACES for host in market.hosts)
    + " "
    + _NEWS_AND_REFERENCE
)


def _parent_domains(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def _is_reserved(host: str) -> bool:
    return host.endswith(_RESERVED_SUFFIXES) or host.endswith(_PLATFORM_SUFFIXES)


def classify_host(host: str, path: str = "") -> str | None:
    """The kind of a link to ``host``, or None when it is not an outside contact."""
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    if _is_reserved(host):
        return None
    parents = _parent_domains(host)
    for parent in parents:
        kind = _SERVICE_HOSTS.get(parent)
        if kind is not None:
            if parent in ("discord.com",) and "invite" not in path and "users" not in path:
                return None
            if parent in ("google.com",):
                return None
            return kind
    if any(parent in _ALLOWED_HOSTS for parent in parents):
        return None
    return "website"


# --- e-mail ----------------------------------------------------------------------------------

_AT_SOURCE = kana_pattern(
    r"@|[(\[{<（「【]\s?(?:at|a|あっと|アットマーク|@)\s?[)\]}>）」】]|アットマーク|あっとまーく|"
    r"アット|at\s?mark|atmark|(?<=[a-z0-9])\s+at\s+(?=[a-z0-9])|(?<=[a-z0-9])[★☆◆◇●○■□※＊*#](?=[a-z0-9])"
)
# The same, behind a look at the first character: look-behinds keep Python's engine from skipping
# ahead on its own, and most characters of a message can start no "@" at all.
_AT = re.compile(rf"(?=[@(\[{{<（「【あa\s★☆◆◇●○■□※＊*#])(?:{_AT_SOURCE})")
_AT_SYMBOLS = re.compile(r"[@★☆◆◇●○■□※＊*#]")
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
# What every address found below holds: a character of the local part, the "@" in one of its forms,
# and the start of a domain label, with at most three spaces on either side of the "@".
_EMAIL_GATE = re.compile(
    rf"[a-z0-9._%+\-][ \t\n]{{0,3}}(?:{_AT_SOURCE})[ \t\n]{{0,3}}(?:[a-z0-9]|{'|'.join(_KANA_LABELS)})"
)
_EMAIL_MARK = SIEVE.mark("email", _EMAIL_GATE)


def _domain_labels(text: str, position: int, dot: re.Pattern[str]) -> list[tuple[str, int, bool]]:
    """Labels after ``position``: (label, end, reached by a written-out dot)."""
    labels: list[tuple[str, int, bool]] = []
    written = False
    while len(labels) < 6:
        match = _LABEL_ANY.match(text, position)
        if match is None:
            break
        label = _KANA_LABELS.get(match.group(), match.group())
        labels.append((label, match.end(), written))
        separator = dot.match(text, match.end())
        if separator is None or separator.end() == match.end():
            break
        written = separator.group().strip() not in (".", "")
        position = separator.end()
    return labels


def find_emails(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if view.marks is not None:
        if _EMAIL_MARK not in view.marks:
            return hits
    elif not ("at" in text or "あっと" in text or _AT_SYMBOLS.search(text)):
        return hits
    if not _EMAIL_GATE.search(text):
        return hits
    for at in _AT.finditer(text):
        begin = at.start()
        # the local part: letters, digits and ._%+- just before the "@" (spaces allowed between)
        cursor = begin
        while cursor > 0 and text[cursor - 1] in " \t\n" and begin - cursor < 3:
            cursor -= 1
        local_end = cursor
        while cursor > 0 and text[cursor - 1] in _LOCAL_CHARS and local_end - cursor < 64:
            cursor -= 1
        local = text[cursor:local_end].strip(".")
        if not local or not any(ch.isalnum() for ch in local):
            continue
        position = at.end()
        while position < len(text) and text[position] in " \t\n" and position - at.end() < 3:
            position += 1
        labels = _domain_labels(text, position, _EMAIL_DOT)
        if not labels:
            continue
        symbol = at.group().strip()
        plain = symbol == "@" or symbol in ("(at)", "[at]")
        provider = labels[0][0] in _PROVIDERS
        best = -1
        for index in range(1, len(labels)):
            if labels[index][0] in _TLDS:
                best = index
        if best < 0 and not provider:
            continue  # "name@gmail" is an address with its ending left for the reader to add
        end = labels[best][1] if best >= 0 else labels[0][1]
        domain = ".".join(label for label, _end, _w in labels[: max(best, 0) + 1])
        if not plain and not provider:
            written_dot = any(w for _label, _end, w in labels[: best + 1])
            if (symbol == "at" or (len(symbol) == 1 and symbol != "@")) and not written_dot:
                continue
        if _is_reserved(domain) or local in ("git",) or text[at.end() : at.end() + 1] == "/":
            continue
        hits.append(("email", cursor, end))
    return hits


# --- links -----------------------------------------------------------------------------------

_SCHEME = r"(?:h(?:tt|xx|\*\*)ps?|ttps?)\s?:\s?/\s?/\s?"
# Where a link can start: a scheme, or a first label whose letters run into a dot in one of its
# forms (_DOT). Read possessively, as no form of the dot starts with a letter of a label, this
# rejects an ordinary word in one pass instead of trying every shorter label before it.
_URL_START = (
    r"(?=[a-z0-9\-]{1,63}+(?:[.。]|\[\.|\(\.|\s?[(\[{<]\s?(?:dot|どっと|\.)|\s(?:dot|どっと)|\s?どっと)"
    r"|h(?:tt|xx|\*\*)ps?\s?:|ttps?\s?:)"
)
_URL = re.compile(
    rf"(?<![a-z0-9@._\-/]){_URL_START}"
    rf"(?P<scheme>{_SCHEME})?"
    rf"(?P<host>{_LABEL}(?:{_DOT}{_LABEL}){{1,6}})"
    rf"(?P<path>(?::[0-9]{{2,5}})?/[^\s<>\"'」』）)\]、。]{{0,300}})?"
)
# What every host above holds: two labels and a dot between them.
_URL_GATE = re.compile(rf"[a-z0-9]{_DOT}[a-z0-9]")
# The sieve's mark: a link is reported when it has a scheme, or when its last label is a top-level
# domain or ends the host of a known service (see find_links).
_LAST_LABELS = _BARE_TLDS | {host.rsplit(".", 1)[-1] for host in _SERVICE_HOSTS}
_URL_MARK = SIEVE.mark(
    "link", re.compile(rf"{_SCHEME}|{_DOT}{literal_alternation(sorted(_LAST_LABELS))}")
)


def find_links(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if view.marks is not None:
        if _URL_MARK not in view.marks:
            return hits
    elif not _URL_GATE.search(text):
        return hits
    for match in _URL.finditer(text):
        raw_host = match.group("host")
        host = ".".join(part for part in _HOST_DOT.split(raw_host))
        labels = host.split(".")
        path = match.group("path") or ""
        if match.group("scheme") is None:
            kind = None
            for parent in _parent_domains(host):
                if parent in _SERVICE_HOSTS:
                    kind = classify_host(host, path)
                    break
            else:
                if labels[-1] not in _BARE_TLDS or len(labels[-2]) < 2:
                    continue
                if text[match.end() : match.end() + 1] == "(":  # a call in code: obj.run()
                    continue
                kind = classify_host(host, path)
        else:
            kind = classify_host(host, path) if len(labels) >= 2 else None
        if kind is not None:
            hits.append((kind, match.start(), match.end()))
    return hits


# --- IDs on messaging and social services ----------------------------------------------------

# The services an ID is given on, each with its kind and names (see lexicon/names.py).
_SERVICES = [(kind, longest_first(spellings)) for kind, spellings in id_services()]
_SERVICE_ALTERNATIVES = "|".join(alternation(spellings) for _kind, spellings in _SERVICES)
# No look-behind at the front and no group around the names, so that the regex engine can skip
# ahead on the first letters; the letter before a name is checked in Python.
# The plain names go into a trie, after the few written as patterns: at a place where several
# could start, the engine then tries one branch instead of each name in turn. Among the plain
# names a longer one wins, as it did in the list (which names each longer spelling first).
_NAME_ALTERNATIVES = [
    kana_pattern(spelling.replace(" ", r"\s"))
    for _kind, spellings in _SERVICES
    for spelling in spellings
]
_PLAIN_NAME = re.compile(r"[^\\()\[\]?*+{}.^$]+")
_SERVICE_NAMES = re.compile(
    "|".join(name for name in _NAME_ALTERNATIVES if not _PLAIN_NAME.fullmatch(name))
    + "|"
    + literal_alternation(
        {name for name in _NAME_ALTERNATIVES if _PLAIN_NAME.fullmatch(name)}, bare=True
    )
)
_SERVICE_MARK = SIEVE.mark("service", _SERVICE_NAMES)
_SERVICE_KINDS = [
    (kind, re.compile(kana_pattern(alternation(spellings)))) for kind, spellings in _SERVICES
]
# Names whose service depends on what follows them (the look-aheads above).
_CONTEXT_NAMES = frozenset(handles())


class _KindOfName(dict[str, str]):
    """The service of a name found by _SERVICE_NAMES, worked out once per spelling.

    The first service whose names can be the whole word: no earlier one can match where the word
    was found, or _SERVICE_NAMES would have found that one.
    """

    def __missing__(self, word: str) -> str:
        kind = "x"
        for name, pattern in _SERVICE_KINDS:
            if pattern.fullmatch(word):
                kind = name
                break
        if len(self) < 1024:  # the names are a small finite language; stay bounded regardless
            self[word] = kind
        return kind


_KIND_OF_NAME = _KindOfName()


def service_names(
    text: str, start: int = 0, end: int | None = None
) -> list[tuple[str, re.Match[str]]]:
    """The services named in ``text``, each with its kind (see find_service_ids)."""
    found: list[tuple[str, re.Match[str]]] = []
    for match in _SERVICE_NAMES.finditer(text, start, len(text) if end is None else end):
        begin = match.start()
        if begin > 0 and "a" <= text[begin - 1] <= "z" and text[begin - 1 : begin + 1] != "𝕏":
            continue
        word = match.group()
        following = text[match.end() : match.end() + 1]
        glued_id = text.startswith(("id", "account"), match.end())  # "lineid: ..."
        if word[-1].isascii() and word[-1].isalpha() and "a" <= following <= "z" and not glued_id:
            continue
        if word in _CONTEXT_NAMES:
            kind = "x"
            for name, pattern in _SERVICE_KINDS:
                same = pattern.match(text, begin)
                if same is not None and same.end() == match.end():
                    kind = name
                    break
        else:
            kind = _KIND_OF_NAME[word]
        found.append((kind, match))
    return found


_ID = r"(?P<id>live:[a-z0-9._\-:]{3,40}|wxid_[a-z0-9_]{4,30}|[a-z0-9][a-z0-9._\-]{2,31}(?:#[0-9]{4})?)"
_ID_AFTER = re.compile(
    kana_pattern(
        r"\s{0,2}[(（]?\s{0,2}(?:の|で|も)?\s{0,2}"
        r"(?P<marker>id|アカウント名?|垢|account|ユーザー名|ユーザーネーム|ユーザid|username|user\s?name|"
        r"user\s?id|handle|ハンドル|名前|name|名|号|検索)?"
        r"\s{0,2}(?P<sep>は|:|：|→|->|=|＝|is|です|⇒|👉|＞|>|、|,|as(?=\s))?\s{0,2}(?:こちら|here)?\s{0,2}[:：]?\s{0,2}"
        r"[「『\"']?(?:(?P<at>@)\s?)?"
    )
    + _ID
)
_ID_NEARBY = re.compile(
    kana_pattern(
        r"(?<![a-z])(?:id|アカウント|account|ユーザー名|username)\s{0,2}(?P<sep>は|:|：|→|->|=|＝|is)?"
        r"\s{0,2}[「『\"']?(?P<at>@)?"
    )
    + _ID
)
# An ID pointed at a little after the service: "LINEのID送っときますね → mori_0823",
# "Skypeはいつもの「ryo.inoue.works」で"
_ID_POINTED = re.compile(
    kana_pattern(r"(?:(?<![a-z])id[^a-z0-9\n]{0,12}?(?:→|->|⇒|👉|:|：)\s{0,2}|[「『])")
    + _ID
    + r"(?![a-z0-9])"
)
_NOT_ID = _words(
    "api sdk bot app apps the and for with stamp sticker ads pay works official business login "
    "messaging notify group groups channel account id ids sample example manual guide setting "
    "settings user users name names com www http https page pages campaign marketing design "
    "integration webhook server client code icon post posts story stories reel reels live "
    "follower followers market shop store tool tools"
)
_TIME = re.compile(r"[0-9]{1,2}(?:[:.][0-9]{2})?(?:am|pm|jst|時)?")
_STRICT_WORDS = frozenset({"line", "ig", "tg", "fb", "insta", "slack", "messenger", "threads"})


# An ID given before the service is named: "ID: yuta.1122 ←ラインです"
_ID_BEFORE = re.compile(
    kana_pattern(r"(?:id|アカウント|account|ユーザー名|username)\s{0,2}[:：]\s{0,2}[「『\"']?@?")
    + _ID
    + kana_pattern(r"[」』\"']?\s{0,2}(?:←|<-+|⇐|👈|\(|（|は|が|って|の|=|:|：)?\s{0,2}$")
)


def _id_like(word: str) -> bool:
    """A word with a digit, a dot or an underscore in it reads as an ID on its own."""
    return any(ch.isdigit() or ch in "._" for ch in word)


def _bare_id(word: str) -> bool:
    """A word that reads as an ID with nothing to say so: it starts with a letter, has two at
    least, and an underscore or a digit ("sora_photo2", "ryu_dev88"; not "1080x1080", "v2")."""
    return (
        word[0].isalpha()
        and sum(ch.isalpha() for ch in word) >= 2
        and any(ch.isdigit() or ch == "_" for ch in word)
        and word.rstrip("._-") not in _NOT_ID
    )


def _loose(found: re.Match[str]) -> bool:
    """An ID tied to its service by a comma, "as" or a bare "account": it may be a plain word."""
    groups = found.groupdict()
    if groups.get("at"):
        return False
    if "sep" not in groups:  # pointed at with an arrow or quotes
        return False
    if "marker" in groups:  # after the name: "X account, scheduled" is no ID
        return groups["sep"] in ("as", ",", "、")
    return groups["sep"] is None and not found.group().startswith("id")


def _id_before(text: str, name: re.Match[str]) -> re.Match[str] | None:
    return _ID_BEFORE.search(text, max(0, name.start() - 50), name.start())


def find_service_ids(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if view.marks is not None and _SERVICE_MARK not in view.marks:
        return hits
    for kind, name in service_names(text):
        if inside_katakana_word(view, name.start()):
            continue  # "オンラインID": the end of a longer katakana word
        after = _ID_AFTER.match(text, name.end())
        explicit = after is not None and (
            after.group("marker") or after.group("sep") or after.group("at")
        )
        if after is not None and explicit and _loose(after) and not _id_like(after.group("id")):
            # "add me on discord, username is …": the word after the comma is no ID; look on
            explicit = False
        if after is not None and not explicit and _bare_id(after.group("id")):
            # "インスタ（hina_draws）", "ｲﾝｽﾀ sora_photo2": right after the name, an ID by its look
            explicit = True
        if after is None or not explicit:
            after = _ID_NEARBY.search(text, name.end(), min(len(text), name.end() + 60))
        if after is None:
            pointed = _ID_POINTED.search(text, name.end(), min(len(text), name.end() + 24))
            # a quoted word needs a digit, dot or underscore to be an ID: 「LINEスタンプ」 is none
            if pointed is not None and (
                not pointed.group().startswith(("「", "『"))
                or any(ch.isdigit() or ch in "._" for ch in pointed.group("id"))
            ):
                after = pointed
        before = None
        if after is None:
            before = _id_before(text, name)
            if before is None:
                continue
            after = before
        identifier = after.group("id")
        if identifier in _NOT_ID or identifier.rstrip("._-") in _NOT_ID:
            continue
        if before is None and _loose(after) and not _id_like(identifier):
            # "on discord as our main channel", "line, slack", "LINE account chatbot": a word
            continue
        word = name.group()
        if word in _STRICT_WORDS:
            # "line: 42" in a log, "slack: true" in a config: the ID needs a letter and no code
            original = view.original[slice(*view.span(name.start(), name.end()))]
            # _ID_NEARBY has no "at" group
            at = after.groupdict().get("at")
            # an Instagram or Telegram ID looks like one on its own; "line: 42" in a log does not
            if (
                original == word
                and not (at or "id" in after.group())
                and (word in ("line", "slack") or not _bare_id(identifier))
            ):
                continue
            lettered = any(ch.isalpha() for ch in identifier)
            if not lettered and not ("id" in after.group() or at):
                continue
        if identifier.isdigit() and len(identifier) < 5:
            continue
        if _TIME.fullmatch(identifier):
            continue  # "LINE @ 3pm": a time
        if before is not None:
            hits.append((kind, before.start("id"), name.end()))
        else:
            hits.append((kind, name.start(), after.end("id")))
    return hits


# --- an address given in two parts ----------------------------------------------------------

_MAIL_PROVIDERS = kana_pattern(f"(?:{alternation(mail_spellings())})")
# "gmailのアドレスは suzuki.taro.1990 です", "@以降はgmailで"
_PROVIDER_LOCAL = re.compile(
    _MAIL_PROVIDERS
    + kana_pattern(
        r"(?:(?:の|で)?[、,]?\s{0,2}(?P<noun>アドレス|メアド|メールアドレス|メール|address|id|アカウント名?|"
        r"ユーザー名|account|username))?\s{0,2}"
        r"(?:は|:|：|is)\s{0,2}[「『\"']?"
    )
    + r"(?P<local>[a-z0-9][a-z0-9._%+\-]{2,63})(?![a-z0-9._%+\-]*@)"
)
_AFTER_AT = re.compile(
    kana_pattern(
        r"(?:@|あっとまーく|アットマーク|あっと)\s?(?:以降|の後|のあと|から後|より後|の後ろ|から先|以下|のうしろ)"
        r"(?:は|が)?\s?[「『\"']?"
    )
    + _MAIL_PROVIDERS
)
_LOCAL_TOKEN = re.compile(r"(?<![a-z0-9._%+\-@])[a-z][a-z0-9._%+\-]{2,63}(?![a-z0-9@])")
_SPLIT_MARK = SIEVE.mark("email_split", re.compile(_MAIL_PROVIDERS))


def find_split_emails(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if view.marks is not None and _SPLIT_MARK not in view.marks:
        return hits
    for match in _PROVIDER_LOCAL.finditer(text):
        local = match.group("local")
        noun = match.group("noun")
        if (noun is None or noun.isascii()) and not _id_like(local):
            # "gmail: yes", "gmail account is fine": without "アドレスは", the part needs to
            # look like an address
            continue
        if any(ch.isalpha() for ch in local) and local not in _NOT_ID:
            hits.append(("email", match.start(), match.end("local")))
    after = _AFTER_AT.search(text)
    if after is not None:
        # the part before the "@" is a word with a dot, an underscore or a digit in it
        for token in _LOCAL_TOKEN.finditer(text):
            word = token.group()
            if (
                word in _PROVIDERS
                or word in _NOT_ID
                or not any(ch in "._" or ch.isdigit() for ch in word)
            ):
                continue
            hits.append(("email", min(token.start(), after.start()), max(token.end(), after.end())))
            break
    return hits


_HANDLE = re.compile(r"(?<![a-z0-9._%+\-@])@(?P<h>[a-z0-9_](?:[a-z0-9_.]{0,29}[a-z0-9_])?)")
_HANDLE_MARK = SIEVE.mark("handle", _HANDLE)
_HANDLE_CUE = re.compile(
    kana_pattern(
        r"dm|フォロー|follow|追加|add me|検索|search|ストーリー|プロフ|垢|アカウント|account|"
        r"連絡ください|までご?連絡|までメッセ|まで(?:お)?気軽|find me|reach me|message me"
    )
)
_DOMAIN_AFTER = re.compile(r"\.[a-z]{2}")
_MENTION_AFTER = re.compile(kana_pattern(r"\s?(?:さん|様|さま|くん|君|ちゃん|氏|殿|san|先生|御中)"))
_CODE_WORDS = _words(
    "property staticmethod classmethod dataclass override param return returns media import "
    "keyframes font-face apply tailwind types babel angular vue nestjs latest next app route "
    "login_required pytest fixture decorator mixin include extend supports container layer "
    "csrf_exempt transaction api get post put patch delete test deprecated"
)


def find_handles(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    if "@" not in text or (view.marks is not None and _HANDLE_MARK not in view.marks):
        return hits
    for match in _HANDLE.finditer(text):
        handle = match.group("h")
        if handle in _CODE_WORDS or handle.isdigit():
            continue
        if _MENTION_AFTER.match(text, match.end()):
            continue
        following = text[match.end() : match.end() + 4]
        if _DOMAIN_AFTER.match(following):  # an e-mail domain after a stray "@"
            continue
        window = text[max(0, match.start() - 30) : match.end() + 25]
        kind = None
        # the service may be named earlier in the message: "X（旧Twitter）で告知してるので…@name"
        for service, _name in service_names(text[max(0, match.start() - 80) : match.end() + 25]):
            kind = service
            break
        if kind is None and _HANDLE_CUE.search(window) is None:
            continue
        hits.append((kind or "social_handle", match.start(), match.end()))
    return hits


_STANDALONE = re.compile(
    kana_pattern(
        r"(?P<skype>(?<![a-z0-9])live:\.?[a-z0-9._\-]{3,40})"
        r"|(?P<wechat>(?<![a-z0-9])wxid_[a-z0-9_]{4,30})"
        r"|(?P<discord>(?<![a-z0-9_.#])(?!(?:issue|pr|bug|ticket|no|order|item|case|task|id)#)"
        r"[a-z][a-z0-9_.]{1,31}#[0-9]{4}(?![0-9]))"
        r"|(?P<meeting_link>(?:zoom|ズーム|ミーティング|meeting|会議)\s?(?:id|ＩＤ|番号)\s?[:：は]?\s?"
        r"[0-9]{3}\s?[0-9]{3,4}\s?[0-9]{3,4})"
    )
)


_STANDALONE_MARK = SIEVE.mark("standalone", _STANDALONE)


def find_standalone(view: View) -> list[Hit]:
    text = view.text
    if view.marks is not None:
        if _STANDALONE_MARK not in view.marks:
            return []
    elif not ("live:" in text or "wxid_" in text or "#" in text or "id" in text or "番号" in text):
        return []
    return [
        (match.lastgroup or "website", match.start(), match.end())
        for match in _STANDALONE.finditer(view.text)
    ]


# Each detector above with the sieve's mark it needs: where the sieve looked, the engine calls
# only those whose mark it saw (each would return nothing otherwise).
DETECTORS_BY_MARK = (
    (_EMAIL_MARK, find_emails),
    (_URL_MARK, find_links),
    (_SERVICE_MARK, find_service_ids),
    (_HANDLE_MARK, find_handles),
    (_STANDALONE_MARK, find_standalone),
    (_SPLIT_MARK, find_split_emails),
)


def find_contacts(view: View) -> list[Hit]:
    return [hit for _mark, detector in DETECTORS_BY_MARK for hit in detector(view)]
