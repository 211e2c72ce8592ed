"""Where a link goes, read as a browser reads it: an address -> its kind and host, and a link's
words -> the host they promise.

Used twice, so the two agree: the sanitiser drops addresses a browser would resolve in a way the
text does not show (`address_problem`), and both the source check and the post-build scan refuse a
link whose words name one website, or an e-mail address, while it leads somewhere else
(`words_problem`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# A browser drops these before it reads an address (the WHATWG URL parser): leading and trailing
# C0 controls and spaces, and every tab and newline inside.
_STRIPPED_AROUND = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# A plain e-mail address: no ?, &, = or # that a mailto: address would read as more fields (cc,
# bcc, body), no spaces, a host of dot-separated labels.
EMAIL = re.compile(
    r"[A-Za-z0-9._+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_TELEPHONE = re.compile(r"\+?[0-9 ()-]{3,30}")


@dataclass(frozen=True)
class Target:
    """Where a link leads: `kind` is "site" (a page of this site), "web" (another website, `host`
    lower-case), "mailto" (`host` is the whole address, lower-case) or "tel"."""

    kind: str
    host: str = ""


def clean_address(href: str) -> str:
    """The address as a browser reads it before resolving it."""
    return _TAB_OR_NEWLINE.sub("", href.strip(_STRIPPED_AROUND))


def address_problem(href: str) -> str | None:
    """Why a link's address is not allowed, in plain words, or None.

    Links may go to a page of this site (a relative address, a fragment), to another website
    written in full (`https://host/...`), to one plain e-mail address or to a phone number. Forms a
    browser would resolve to another website although they do not look like it (`//host`,
    `/\\host`, `https:host`) and names before a host (`https://council.gov.uk@elsewhere/`) are not.
    Schemes other than these are the sanitiser's (it drops them) and are not judged here.
    """
    address = clean_address(href)
    scheme = _SCHEME.match(address)
    if scheme is None:
        if "\\" in address:
            return "a link's address may not hold a backslash (\\): browsers read it as /"
        if address.startswith("//"):
            return (
                "a link that starts with // leads to another website: write its whole address, "
                "starting with https://"
            )
        return None
    name, rest = scheme.group(1).lower(), address[scheme.end() :]
    if name in ("http", "https"):
        if "\\" in rest:
            return "a link's address may not hold a backslash (\\): browsers read it as /"
        if not rest.startswith("//") or rest.startswith("///"):
            return f"write a link to another website in full, starting with {name}:// and its name"
        authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
        if "@" in authority:
            return (
                "a link's address may not have a name and @ before the website's name: it "
                "would lead to the website after the @"
            )
        if not _host(authority):
            return f"write a link to another website in full, starting with {name}:// and its name"
        return None
    if name == "mailto":
        mailbox = unquote(rest)
        if not EMAIL.fullmatch(mailbox):
            return (
                "a mailto: link must hold one plain e-mail address, with nothing after it "
                "(no ?cc=, ?bcc=, ?subject= or a second address)"
            )
        return None
    if name == "tel" and not _TELEPHONE.fullmatch(unquote(rest)):
        return "a tel: link must hold only a phone number"
    return None


def target_of(href: str) -> Target:
    """Where an allowed address (see `address_problem`) leads."""
    address = clean_address(href)
    scheme = _SCHEME.match(address)
    if scheme is None:
        if address.replace("\\", "/").startswith("//"):
            return Target("web", _host(re.split(r"[/?#]", address[2:], maxsplit=1)[0]))
        return Target("site")
    name, rest = scheme.group(1).lower(), address[scheme.end() :]
    if name in ("http", "https"):
        authority = re.split(r"[/?#]", rest.replace("\\", "/").lstrip("/"), maxsplit=1)[0]
        return Target("web", _host(authority.rsplit("@", 1)[-1]))
    if name == "mailto":
        return Target("mailto", unquote(rest).lower())
    return Target(name)


def _host(authority: str) -> str:
    """A host as browsers compare them: percent-decoded, lower case, IDNA (full-width dots are
    dots), without its port and a final dot. "" when it is no host a browser would reach."""
    host = unquote(authority).rsplit(":", 1)[0] if not authority.startswith("[") else authority
    try:
        host = host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        return ""
    return host if re.fullmatch(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]", host) else ""


# What in a link's words promises a destination: an address with a scheme, a website's name
# (www.x, or labels ending in a known top-level domain, `_names_a_website`), or an e-mail address.
_WORDS_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>\"']+", re.IGNORECASE)
_WORDS_EMAIL = re.compile(EMAIL.pattern)
_WORDS_DOMAIN = re.compile(
    r"(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?[.\u3002\uff0e\uff61])+[a-z]{2,63}(?![\w@-])",
    re.IGNORECASE,
)


# Which endings make words a website's name: every two-letter country ending (but the file
# endings among them, "Node.js", "setup.py"), and the generic endings readers know as websites.
# Not every word after a dot: "referral.Then" (a missed space) or "constructor.constructor" name
# no website a reader would trust, and refusing them would only puzzle an editor.
_FILE_ENDINGS = frozenset(["js", "md", "py", "sh", "ps", "rb", "pl", "cs", "gz"])
_GENERIC_ENDINGS = frozenset(
    [
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "app", "dev",
        "page", "online", "site", "website", "web", "tech", "xyz", "top", "shop", "store", "blog",
        "cloud", "email", "link", "live", "news", "london", "wales", "cymru", "scot",
    ]
)  # fmt: skip


def _names_a_website(host: str) -> bool:
    ending = host.rsplit(".", 1)[-1]
    if host.startswith("www.") or ending.startswith("xn--"):
        return True
    if len(ending) == 2:
        return ending not in _FILE_ENDINGS
    return ending in _GENERIC_ENDINGS


def promised(words: str) -> list[Target]:
    """The destinations a link's words name, in order: websites and e-mail addresses."""
    found: list[Target] = []
    rest = words
    for match in _WORDS_URL.finditer(words):
        found.append(target_of(match.group()))
        rest = rest.replace(match.group(), " ")
    for match in _WORDS_EMAIL.finditer(rest):
        found.append(Target("mailto", match.group().lower()))
        rest = rest.replace(match.group(), " ")
    for match in _WORDS_DOMAIN.finditer(rest):
        host = _host(match.group())
        if host and _names_a_website(host):
            found.append(Target("web", host))
    return found


def words_problem(words: str, href: str) -> str | None:
    """Why a link whose words are `words` may not lead to `href`, or None.

    Words that name a website must lead to that website (a leading `www.` aside); words that name an
    e-mail address must be a mailto: link to that address."""
    target = target_of(href)
    for promise in promised(words):
        if promise.kind == "mailto" and (target.kind, target.host) != ("mailto", promise.host):
            return (
                f"the link's words show the e-mail address {promise.host} but it leads "
                f"elsewhere ({_shown(href)}); link the address to mailto:{promise.host}"
            )
        if promise.kind == "web" and (
            target.kind != "web" or _bare(target.host) != _bare(promise.host)
        ):
            return (
                f"the link's words show the website {promise.host} but it leads elsewhere "
                f"({_shown(href)}); make the words and the address name the same website"
            )
    return None


def _bare(host: str) -> str:
    return host.removeprefix("www.")


def _shown(href: str) -> str:
    text = clean_address(href)
    return text if len(text) <= 60 else text[:57] + "..."
