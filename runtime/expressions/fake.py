"""``fake.<name>``: a curated table of Faker providers under snake_case names.

Each :class:`FakeProvider` owns a Faker instance seeded with its seed, so a
provider created with the same seed and locale yields the same sequence of
values. Date and time values are drawn between fixed bounds (2000–2030, UTC)
rather than relative to today, so they do not drift with the clock.
Faker is imported and instantiated on first use only.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["FAKE_NAMES", "FakeProvider", "default_fake", "resolve_fake_name", "suggest_fake_name"]

_START = datetime(2000, 1, 1, tzinfo=UTC)
_END = datetime(2030, 12, 31, 23, 59, 59, tzinfo=UTC)


def _moment(faker: Any) -> datetime:
    moment: datetime = faker.date_time_between_dates(_START, _END, tzinfo=UTC)
    return moment


_PROVIDERS: dict[str, Callable[[Any], Any]] = {
    "address": lambda f: f.address(),
    "bban": lambda f: f.bban(),
    "boolean": lambda f: bool(f.boolean()),
    "building_number": lambda f: f.building_number(),
    "catch_phrase": lambda f: f.catch_phrase(),
    "city": lambda f: f.city(),
    "color_name": lambda f: f.color_name(),
    "company": lambda f: f.company(),
    "company_email": lambda f: f.company_email(),
    "company_suffix": lambda f: f.company_suffix(),
    "country": lambda f: f.country(),
    "country_calling_code": lambda f: f.country_calling_code(),
    "country_code": lambda f: f.country_code(),
    "credit_card_number": lambda f: f.credit_card_number(),
    "credit_card_provider": lambda f: f.credit_card_provider(),
    "currency_code": lambda f: f.currency_code(),
    "currency_name": lambda f: f.currency_name(),
    "date": lambda f: _moment(f).date().isoformat(),
    "date_time": lambda f: _moment(f).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "day_of_week": lambda f: _moment(f).strftime("%A"),
    "domain_name": lambda f: f.domain_name(),
    "domain_word": lambda f: f.domain_word(),
    "ean13": lambda f: f.ean13(),
    "ean8": lambda f: f.ean8(),
    "email": lambda f: f.email(),
    "emoji": lambda f: f.emoji(),
    "file_extension": lambda f: f.file_extension(),
    "file_name": lambda f: f.file_name(),
    "first_name": lambda f: f.first_name(),
    "first_name_female": lambda f: f.first_name_female(),
    "first_name_male": lambda f: f.first_name_male(),
    "free_email": lambda f: f.free_email(),
    "hex_color": lambda f: f.hex_color(),
    "hostname": lambda f: f.hostname(),
    "http_method": lambda f: f.http_method(),
    "iban": lambda f: f.iban(),
    "image_url": lambda f: f.image_url(),
    "ipv4": lambda f: f.ipv4(),
    "ipv6": lambda f: f.ipv6(),
    "isbn10": lambda f: f.isbn10(),
    "isbn13": lambda f: f.isbn13(),
    "iso8601": lambda f: _moment(f).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "job": lambda f: f.job(),
    "language_code": lambda f: f.language_code(),
    "language_name": lambda f: f.language_name(),
    "last_name": lambda f: f.last_name(),
    "latitude": lambda f: float(f.latitude()),
    "license_plate": lambda f: f.license_plate(),
    "locale": lambda f: f.locale(),
    "longitude": lambda f: float(f.longitude()),
    "mac_address": lambda f: f.mac_address(),
    "md5": lambda f: f.md5(),
    "mime_type": lambda f: f.mime_type(),
    "month": lambda f: _moment(f).month,
    "month_name": lambda f: _moment(f).strftime("%B"),
    "msisdn": lambda f: f.msisdn(),
    "name": lambda f: f.name(),
    "paragraph": lambda f: f.paragraph(),
    "password": lambda f: f.password(),
    "phone_number": lambda f: f.phone_number(),
    "port_number": lambda f: f.port_number(),
    "postcode": lambda f: f.postcode(),
    "prefix": lambda f: f.prefix(),
    "random_digit": lambda f: f.random_digit(),
    "random_int": lambda f: f.random_int(0, 9999),
    "rgb_color": lambda f: f.rgb_color(),
    "safe_email": lambda f: f.safe_email(),
    "sentence": lambda f: f.sentence(),
    "sha1": lambda f: f.sha1(),
    "sha256": lambda f: f.sha256(),
    "slug": lambda f: f.slug(),
    "ssn": lambda f: f.ssn(),
    "state": lambda f: f.state(),
    "state_abbr": lambda f: f.state_abbr(),
    "street_address": lambda f: f.street_address(),
    "street_name": lambda f: f.street_name(),
    "suffix": lambda f: f.suffix(),
    "swift": lambda f: f.swift(),
    "text": lambda f: f.text(),
    "time": lambda f: _moment(f).strftime("%H:%M:%S"),
    "timezone": lambda f: f.timezone(),
    "tld": lambda f: f.tld(),
    "unix_time": lambda f: int(_moment(f).timestamp()),
    "uri": lambda f: f.uri(),
    "url": lambda f: f.url(),
    "user_agent": lambda f: f.user_agent(),
    "user_name": lambda f: f.user_name(),
    "uuid": lambda f: f.uuid4(),
    "word": lambda f: f.word(),
    "year": lambda f: _moment(f).year,
    "zipcode": lambda f: f.zipcode(),
}

FAKE_NAMES: tuple[str, ...] = tuple(sorted(_PROVIDERS))
"""Every name accepted after ``fake.``, sorted."""

_FOLDED = {name.replace("_", ""): name for name in FAKE_NAMES}
_CAMEL_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def resolve_fake_name(name: str) -> str | None:
    """The table name for ``name``: exact (``first_name``) or CamelCase as Mockarty
    writes it (``FirstName``, ``UUID``, ``IPv4``); None when unknown."""
    if name in _PROVIDERS:
        return name
    return _FOLDED.get(name.replace("_", "").lower())


def suggest_fake_name(name: str) -> str | None:
    """The table name closest to ``name``, for error messages."""
    snake = _CAMEL_BREAK.sub("_", name).lower()
    close = difflib.get_close_matches(snake, FAKE_NAMES, n=1, cutoff=0.6)
    return close[0] if close else None


class FakeProvider:
    """Fake values by table name, from a Faker instance seeded with ``seed``."""

    def __init__(self, seed: int = 0, locale: str = "en_US") -> None:
        self.seed = seed
        self.locale = locale
        self._faker: Any = None
        self._lock = threading.Lock()

    @property
    def faker(self) -> Any:
        """The seeded Faker instance, created on first use."""
        if self._faker is None:
            with self._lock:
                if self._faker is None:
                    from faker import Faker

                    faker = Faker(self.locale)
                    faker.seed_instance(self.seed)
                    self._faker = faker
        return self._faker

    def generate(self, name: str) -> Any:
        """A fresh value for the table name ``name``; KeyError when it is not in the table."""
        provider = _PROVIDERS[name]
        faker = self.faker
        with self._lock:
            return provider(faker)


_DEFAULT: list[FakeProvider] = []


def default_fake() -> FakeProvider:
    """The process-wide provider (seed 0) used when a scope brings none."""
    if not _DEFAULT:
        _DEFAULT.append(FakeProvider())
    return _DEFAULT[0]
