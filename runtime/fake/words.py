"""Small word lists and realistic string values chosen by a property's name."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import lru_cache

__all__ = ["LOREM", "email", "full_name", "string_for_name", "username", "words"]

FIRST_NAMES = (
    "Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Grace", "Hiro",
    "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nadia", "Omar", "Priya",
)  # fmt: skip
LAST_NAMES = (
    "Almeida", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes",
    "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nguyen", "Okafor", "Patel",
)  # fmt: skip
CITIES = (
    "Lisbon", "Berlin", "Osaka", "Toronto", "Nairobi", "Lyon", "Austin", "Porto",
    "Oslo", "Seville", "Melbourne", "Bogota",
)  # fmt: skip
COUNTRIES = ("Portugal", "Germany", "Japan", "Canada", "Kenya", "France", "Norway", "Spain")
COUNTRY_CODES = ("PT", "DE", "JP", "CA", "KE", "FR", "NO", "ES", "US", "BR")
STREETS = ("Main Street", "Oak Avenue", "Harbour Road", "Mill Lane", "Park Row", "High Street")
COMPANIES = (
    "Acme Corp", "Globex", "Initech", "Umbrella Labs", "Stark Industries", "Wayne Enterprises",
    "Hooli", "Soylent Co",
)  # fmt: skip
CURRENCIES = ("EUR", "USD", "GBP", "JPY", "CHF", "CAD", "BRL", "NOK")
COLORS = ("red", "green", "blue", "orange", "purple", "teal", "black", "white")
STATUSES = ("active", "pending", "inactive", "archived")
LANGUAGES = ("en", "pt", "de", "fr", "ja", "es", "nb")
LOCALES = ("en-US", "pt-PT", "de-DE", "fr-FR", "ja-JP", "es-ES")
TIMEZONES = ("Europe/Lisbon", "Europe/Berlin", "Asia/Tokyo", "America/Toronto", "UTC")
LOREM = (
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
    "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim",
    "minim", "veniam", "quis", "nostrud",
)  # fmt: skip
NOUNS = (
    "apple", "river", "falcon", "harbor", "pixel", "meadow", "comet", "lantern",
    "quartz", "willow", "ember", "summit", "orbit", "cedar", "delta", "nimbus",
)  # fmt: skip


def words(rng: random.Random, count: int) -> str:
    """``count`` lorem words separated by spaces."""
    return " ".join(rng.choice(LOREM) for _ in range(count))


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def username(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES).lower()}{rng.randint(1, 99)}"


def email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES).lower(), rng.choice(LAST_NAMES).lower()
    return f"{first}.{last}@example.com"


def _phone(rng: random.Random) -> str:
    return f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _street(rng: random.Random) -> str:
    return f"{rng.randint(1, 250)} {rng.choice(STREETS)}"


def _url(rng: random.Random) -> str:
    return f"https://www.example.com/{rng.choice(NOUNS)}"


def _token(rng: random.Random) -> str:
    return "".join(rng.choice("abcdef0123456789") for _ in range(32))


def _password(rng: random.Random) -> str:
    return f"{rng.choice(NOUNS).capitalize()}-{rng.randint(1000, 9999)}!"


def _sentence(rng: random.Random) -> str:
    return words(rng, rng.randint(6, 10)).capitalize() + "."


def _title(rng: random.Random) -> str:
    return f"{rng.choice(NOUNS).capitalize()} {rng.choice(NOUNS)}"


def _identifier(rng: random.Random) -> str:
    return f"{rng.choice(NOUNS)}-{rng.randint(100, 999)}"


def _choice(options: tuple[str, ...]) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(options)


_Rule = tuple[tuple[str, ...], Callable[[random.Random], str]]

_EXACT: dict[str, Callable[[random.Random], str]] = {
    "name": full_name,
    "fullname": full_name,
    "displayname": full_name,
    "id": _identifier,
    "uid": _identifier,
    "key": _identifier,
    "slug": _identifier,
    "code": lambda rng: f"{rng.choice(NOUNS).upper()}{rng.randint(10, 99)}",
    "lang": _choice(LANGUAGES),
    "tz": _choice(TIMEZONES),
    "zip": lambda rng: f"{rng.randint(10000, 99999)}",
    "text": _sentence,
    "body": _sentence,
    "message": _sentence,
    "state": _choice(STATUSES),
    "tag": _choice(NOUNS),
    "type": _choice(NOUNS),
    "kind": _choice(NOUNS),
    "category": _choice(NOUNS),
}

_CONTAINS: tuple[_Rule, ...] = (
    (("email", "mail"), email),
    (("hostname", "host", "domain"), lambda rng: f"{rng.choice(NOUNS)}.example.com"),
    (("filename", "file", "path"), lambda rng: f"{rng.choice(NOUNS)}-{rng.randint(1, 99)}.txt"),
    (("firstname", "givenname", "forename"), _choice(FIRST_NAMES)),
    (("lastname", "surname", "familyname"), _choice(LAST_NAMES)),
    (("username", "login", "nickname", "handle", "userid"), username),
    (("password", "passwd", "secret"), _password),
    (("token", "apikey", "accesskey", "hash", "checksum"), _token),
    (("phone", "mobile", "fax", "telephone"), _phone),
    (("city", "town"), _choice(CITIES)),
    (("countrycode",), _choice(COUNTRY_CODES)),
    (("country", "nation"), _choice(COUNTRIES)),
    (("street", "address", "line1"), _street),
    (("zip", "postal", "postcode"), lambda rng: f"{rng.randint(10000, 99999)}"),
    (("company", "organization", "organisation", "employer", "vendor"), _choice(COMPANIES)),
    (("url", "uri", "website", "homepage", "link", "href"), _url),
    (("currency",), _choice(CURRENCIES)),
    (("colour", "color"), _choice(COLORS)),
    (("status",), _choice(STATUSES)),
    (("locale",), _choice(LOCALES)),
    (("language",), _choice(LANGUAGES)),
    (("timezone",), _choice(TIMEZONES)),
    (("description", "summary", "comment", "note", "bio", "about", "detail"), _sentence),
    (("title", "headline", "subject", "label"), _title),
    (("firstname", "name"), full_name),
    (("uuid", "guid"), lambda rng: _uuid_text(rng)),
    (("id",), _identifier),
)


def _uuid_text(rng: random.Random) -> str:
    bits = f"{rng.getrandbits(128):032x}"
    return f"{bits[:8]}-{bits[8:12]}-4{bits[13:16]}-a{bits[17:20]}-{bits[20:]}"


def normalise_name(name: str) -> str:
    """``first_name``, ``firstName`` and ``First-Name`` all become ``firstname``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def string_for_name(name: str, rng: random.Random) -> str | None:
    """A realistic value for a property called ``name``, or None when the name says nothing."""
    make = _maker_for(name)
    return None if make is None else make(rng)


@lru_cache(maxsize=4096)
def _maker_for(name: str) -> Callable[[random.Random], str] | None:
    key = normalise_name(name)
    if not key:
        return None
    exact = _EXACT.get(key)
    if exact is not None:
        return exact
    for needles, make in _CONTAINS:
        if any(needle in key for needle in needles):
            if needles == ("id",) and not (key.endswith("id") or key.startswith("id")):
                continue
            return make
    return None
