"""The public template library, in code as WeChat's is a fixed catalogue (server-api.md §4.3),
and the value rules a send's data is checked against.

Titles are grouped in categories (WeChat's `categoryId`, what `getpubtemplatetitles?ids=` filters
by); every app may use every category, as the console offers every title.

A keyword's key in a send's `data` is `<rule><kid>` (`thing1`, `time3`), as WeChat's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import IntEnum


class TemplateType(IntEnum):
    ONE_TIME = 2
    LONG_TERM = 3


@dataclass(frozen=True, slots=True)
class Keyword:
    kid: int
    name: str
    rule: str
    example: str

    @property
    def key(self) -> str:
        return f"{self.rule}{self.kid}"


@dataclass(frozen=True, slots=True)
class TemplateCategory:
    id: int
    name: str


CATEGORIES: tuple[TemplateCategory, ...] = (
    TemplateCategory(id=101, name="Shopping"),
    TemplateCategory(id=102, name="Food and drink"),
    TemplateCategory(id=103, name="Public services"),
)
CATEGORY_IDS = frozenset(category.id for category in CATEGORIES)


@dataclass(frozen=True, slots=True)
class LibraryTemplate:
    tid: int
    title: str
    type: TemplateType
    category_id: int
    keywords: tuple[Keyword, ...]

    def keyword(self, kid: int) -> Keyword | None:
        return next((keyword for keyword in self.keywords if keyword.kid == kid), None)

    def keywords_of(self, kids: Iterable[int]) -> tuple[Keyword, ...]:
        """The keywords `kids` name, in their order (a kid the title lacks is left out)."""
        return tuple(keyword for kid in kids if (keyword := self.keyword(kid)) is not None)


LIBRARY: tuple[LibraryTemplate, ...] = (
    LibraryTemplate(
        tid=1001,
        title="Order shipped",
        type=TemplateType.ONE_TIME,
        category_id=101,
        keywords=(
            Keyword(1, "Order number", "character_string", "SO20301201-0042"),
            Keyword(2, "Item", "thing", "Oolong tea, 250 g"),
            Keyword(3, "Shipped at", "time", "2030-12-01 15:01"),
            Keyword(4, "Courier phone", "phone_number", "+86 138-0000-0000"),
            Keyword(5, "Courier", "name", "Li Lei"),
        ),
    ),
    LibraryTemplate(
        tid=1002,
        title="Payment succeeded",
        type=TemplateType.ONE_TIME,
        category_id=101,
        keywords=(
            Keyword(1, "Amount", "amount", "¥36.00"),
            Keyword(2, "Merchant", "thing", "Corner Café"),
            Keyword(3, "Paid at", "time", "2030-12-01 09:30"),
            Keyword(4, "Order number", "character_string", "P2030120100017"),
        ),
    ),
    LibraryTemplate(
        tid=1003,
        title="Booking reminder",
        type=TemplateType.ONE_TIME,
        category_id=102,
        keywords=(
            Keyword(1, "Venue", "thing", "Riverside table 4"),
            Keyword(2, "Date", "date", "2030-12-24"),
            Keyword(3, "Status", "phrase", "已确认"),
            Keyword(4, "Party size", "number", "4"),
            Keyword(5, "Booked by", "name", "Han Meimei"),
        ),
    ),
    LibraryTemplate(
        tid=1004,
        title="Appointment status",
        type=TemplateType.LONG_TERM,
        category_id=103,
        keywords=(
            Keyword(1, "Service", "thing", "Passport renewal"),
            Keyword(2, "Status", "phrase", "已受理"),
            Keyword(3, "Updated at", "time", "2030-12-01 10:00"),
        ),
    ),
)
BY_TID = {template.tid: template for template in LIBRARY}

_TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?|\d{2}:\d{2}(:\d{2})?"
_DATE = r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?"
# The rule's check: a full match of the pattern (lengths are in characters).
RULES: dict[str, re.Pattern[str]] = {
    "thing": re.compile(r".{1,20}", re.DOTALL),
    "number": re.compile(r"(?=[\d.]{1,32}$)\d+(\.\d+)?"),
    "letter": re.compile(r"[A-Za-z]{1,32}"),
    "symbol": re.compile(r"[!-/:-@\[-`{-~]{1,5}"),
    "character_string": re.compile(r"[!-~]{1,32}"),
    "time": re.compile(_TIME),
    "date": re.compile(_DATE),
    "amount": re.compile(r"[¥$€£]?\d{1,10}(\.\d{1,2})?元?"),
    "phone_number": re.compile(r"[\d+\- ]{1,17}"),
    "car_number": re.compile(r"[\w\u4e00-\u9fff]{1,8}"),
    "name": re.compile(r".{1,10}", re.DOTALL),
    "phrase": re.compile(r"[\u4e00-\u9fff]{1,5}"),
}


def find_template(tid: int) -> LibraryTemplate | None:
    return BY_TID.get(tid)


def titles_in(category_ids: Collection[int]) -> list[LibraryTemplate]:
    """The library's titles of those categories, in tid order."""
    return [template for template in LIBRARY if template.category_id in category_ids]


def value_fits(rule: str, value: str) -> bool:
    """Whether `value` satisfies the keyword rule `rule` (a rule of RULES)."""
    return RULES[rule].fullmatch(value) is not None
