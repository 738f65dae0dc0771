"""TIMEX3 time expressions: find them in plain text and normalise them against the document date.

`tag(text, dct)` returns the time expressions of `text` with TimeML/TempEval-3 spans and TIMEX3
types and values ("last month" -> DATE 2013-10 when the article is dated 2013-11-09). It works on
plain text alone, with regular expressions built once at import from the word lists and rules in
`data/timex/` (month names, number words, relative-expression rules...), so a linguist can extend
it without touching this file.

How it works, in three passes over the text:
1. every rule's regex proposes candidate spans, and each candidate is read once to drop the ones
   that turn out not to be times ("May" the name, "1500 troops");
2. overlapping candidates are resolved, longest first ("last week" beats "week");
3. the survivors are normalised in text order, so that anaphoric expressions ("the following
   day", "a year earlier") can count from the date mentioned last, as news narrative does.

`bounds(value)` and `granularity(value)` interpret the DATE values produced.
"""
from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

from dateutil.easter import easter
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from kg.resources import data_file
from kg.types import TimeExpr

__all__ = ["tag", "bounds", "granularity"]


# --------------------------------------------------------------------------------------------
# Word lists and rules (data/timex/*.json), frozen so that nothing can change them after import
# --------------------------------------------------------------------------------------------

def _load(name: str) -> Mapping[str, Any]:
    with data_file("timex", name).open(encoding="utf-8") as f:
        return MappingProxyType(json.load(f))


def _key(phrase: str) -> str:
    """The lookup form of a matched phrase: lower case, single spaces."""
    return " ".join(phrase.lower().split())


def _table(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({_key(k): v for k, v in raw.items()})


_WORDS = _load("words.json")
_RULES = _load("rules.json")

MONTHS: Mapping[str, int] = _table(_WORDS["months"])
WEEKDAYS: Mapping[str, int] = _table(_WORDS["weekdays"])  # ISO: Monday = 1
NUMBERS: Mapping[str, float] = _table(_WORDS["numbers"])
VAGUE_NUMBERS = frozenset(_key(w) for w in _WORDS["vague_numbers"])
ORDINALS: Mapping[str, int] = _table(_WORDS["ordinals"])
UNITS: Mapping[str, tuple[str, int, bool]] = _table({k: tuple(v) for k, v in _WORDS["units"].items()})
UNIT_PLURALS: Mapping[str, str] = _table(_WORDS["unit_plurals"])
SEASONS: Mapping[str, str] = _table(_WORDS["seasons"])
PARTS_OF_DAY: Mapping[str, str] = _table(_WORDS["parts_of_day"])
CLOCK_WORDS: Mapping[str, str] = _table(_WORDS["clock_words"])
DECADE_WORDS: Mapping[str, int] = _table(_WORDS["decade_words"])
CENTURY_WORDS: Mapping[str, int] = _table(_WORDS["century_words"])

DIRECTIONS: Mapping[str, int] = _table(_RULES["direction"])
ANAPHORIC_DIRECTIONS = frozenset(_key(w) for w in _RULES["anaphoric_direction"])
OFFSETS: Mapping[str, tuple[int, bool]] = _table({k: tuple(v) for k, v in _RULES["offsets"].items()})
DEICTIC_DAYS: Mapping[str, int] = _table(_RULES["deictic_days"])
REFERENCES: Mapping[str, tuple[str, str]] = _table({k: tuple(v) for k, v in _RULES["references"].items()})
SETS: Mapping[str, str] = _table(_RULES["sets"])
SET_NEEDS_RATE = frozenset(_key(w) for w in _RULES["set_needs_rate"])
HOLIDAYS: Mapping[str, Mapping[str, int]] = _table(_RULES["holidays"])
MAY_NEEDS = frozenset(_key(w) for w in _RULES["may_needs"])



def names_a_time(word: str) -> bool:
    """Whether one word names a time rather than a participant: "Sunday's election", "this
    year's budget", "today's vote" say when, not who or what. Not month names: "May" is also a
    name ("Theresa May's resignation"); the tagger's DATE label decides those."""
    key = _key(word)
    return key in WEEKDAYS or key in UNITS or key in UNIT_PLURALS or key in DEICTIC_DAYS


# --------------------------------------------------------------------------------------------
# Regex fragments
# --------------------------------------------------------------------------------------------

def _phrase(p: str) -> str:
    """One word-list entry as a regex: any whitespace between its words."""
    return r"\s+".join(re.escape(w) for w in p.split())


def _alt(phrases: Iterable[str]) -> str:
    # Longest first: Python's alternation takes the first branch that matches, not the longest.
    return "(?:" + "|".join(_phrase(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


def _capitalised(words: Iterable[str]) -> str:
    """Title Case or ALL CAPS forms only, so that 'may', 'march' and 'sun' stay verbs and nouns."""
    forms = {f for w in words for f in (w.capitalize(), w.upper())}
    return "(?-i:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


_B = r"(?<![\w'])"  # left word boundary that also refuses "'90" inside "1'90"
_E = r"(?!\w)"

_MONTH_FULL = _capitalised(_WORDS["months_alone"])
_MONTH_ABBR = _capitalised(m for m in MONTHS if m not in set(_WORDS["months_alone"]))
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}\.?|(?-i:May))(?!\w)"
_MONTH_ALONE = rf"{_MONTH_FULL}(?!\w)"
_WEEKDAY_FULL = rf"{_capitalised(_WORDS['weekdays_full'])}"
_WEEKDAY_ABBR = _capitalised(w for w in WEEKDAYS if w not in set(_WORDS["weekdays_full"]))
_WEEKDAY = rf"(?:{_WEEKDAY_FULL}(?!\w)|{_WEEKDAY_ABBR}\.)"

_ORDINAL_WORD = _alt(ORDINALS)
_DAY = rf"(?:(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![0-9])|{_ORDINAL_WORD})"
_YEAR4 = r"(?:1[0-9]{3}|20[0-9]{2})(?![0-9])"
_ONES = _alt(k for k, v in NUMBERS.items() if isinstance(v, int) and 1 <= v <= 9 and " " not in k and k not in ("a", "an"))
_TENS = _alt(k for k, v in NUMBERS.items() if isinstance(v, int) and v in range(20, 100, 10))
_TEENS = _alt(k for k, v in NUMBERS.items() if isinstance(v, int) and 10 <= v <= 19)
_YEAR_WORDS = (  # "nineteen ninety-six", "two thousand and one"
    rf"(?:{_alt(CENTURY_WORDS)}\s+(?:{_TENS}(?:[\s-]{_ONES})?|{_TEENS}|hundred|oh[\s-]{_ONES})"
    rf"|two\s+thousand(?:\s+and\s+(?:{_TENS}(?:[\s-]{_ONES})?|{_TEENS}|{_ONES}))?)(?!\w)"
)
_YEAR = rf"(?:{_YEAR4}|{_YEAR_WORDS})"
_NUMBER_WORD = rf"(?:{_TENS}(?:[\s-]{_ONES})?|{_alt(NUMBERS)}|{_alt(VAGUE_NUMBERS)})"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)(?:\s+[0-9]/[0-9]{1,2})?"
_NUMBER = rf"(?:{_DIGITS}|{_NUMBER_WORD})(?:\s+and\s+a\s+half)?"
_UNIT_NAMES = [u for u in UNITS if u not in ("sec", "min", "hr")]  # "the SEC" is no second
_UNIT = rf"(?:{_alt(UNIT_PLURALS)}|{_alt(_UNIT_NAMES)}s?)(?!\w)"
_PLURAL_UNIT = rf"(?:{_alt(UNIT_PLURALS)}|{_alt(u for u in _UNIT_NAMES if u != 'fortnight')}s)(?!\w)"
_SEASON = rf"{_alt(SEASONS)}(?!\w)"
_PART_OF_DAY = rf"{_alt(PARTS_OF_DAY)}(?!\w)"
_DIRECTION = _alt(DIRECTIONS)
_APPROX = _alt(_RULES["approximators"])
_POSITION = rf"(?:{_alt(_RULES['position_modifiers'])}(?:\s+|(?<=-))(?:the\s+)?)"
_TIME_ZONE = _alt(_WORDS["time_zones"])
_AMPM = r"(?:[ap]\.\s?m\.?|[ap]m(?!\w))"

_FUTURE_CUES = re.compile(rf"(?<!\w)(?:{_alt(_RULES['future_cues'])})(?!\w)", re.I)
_PAST_CUES = re.compile(rf"(?<!\w)(?:{_alt(_RULES['past_cues'])}|[a-z]{{3,}}ed)(?!\w)", re.I)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"'])|\n")


# --------------------------------------------------------------------------------------------
# Calendar values: a granularity and the first day of the period
# --------------------------------------------------------------------------------------------

Point = tuple[str, dt.date]  # ("quarter", 2013-07-01) is 2013-Q3

_STEP = MappingProxyType({
    "century": relativedelta(years=100), "decade": relativedelta(years=10),
    "year": relativedelta(years=1), "half": relativedelta(months=6),
    "quarter": relativedelta(months=3), "season": relativedelta(months=3),
    "month": relativedelta(months=1), "week": relativedelta(weeks=1), "day": relativedelta(days=1),
})
_GRAN_ORDER = ("century", "decade", "year", "half", "quarter", "season", "month", "week", "day")
_SEASON_START = MappingProxyType({"SP": 3, "SU": 6, "FA": 9, "WI": 12})
_SEASON_OF_START = MappingProxyType({v: k for k, v in _SEASON_START.items()})
_WEEKDAY_REL = (MO, TU, WE, TH, FR, SA, SU)


def _start(gran: str, d: dt.date) -> dt.date:
    """First day of the period of granularity `gran` that contains `d`."""
    y, m = d.year, d.month
    if gran == "century":
        return dt.date(max(1, y - y % 100), 1, 1)
    if gran == "decade":
        return dt.date(max(1, y - y % 10), 1, 1)
    if gran == "year":
        return dt.date(y, 1, 1)
    if gran == "half":
        return dt.date(y, 1 if m <= 6 else 7, 1)
    if gran == "quarter":
        return dt.date(y, m - (m - 1) % 3, 1)
    if gran == "season":  # meteorological: winter starts in December and belongs to that year
        return dt.date(y - 1, 12, 1) if m < 3 else dt.date(y, m - m % 3, 1)
    if gran == "month":
        return dt.date(y, m, 1)
    if gran == "week":
        return d - dt.timedelta(days=d.weekday())
    return d


def _shift(gran: str, d: dt.date, n: int) -> dt.date:
    return _start(gran, d) + _STEP[gran] * n


def _fmt(gran: str, d: dt.date) -> str:
    d = _start(gran, d)
    if gran == "century":
        return f"{d.year // 100:02d}"
    if gran == "decade":
        return f"{d.year // 10:03d}"
    if gran == "year":
        return f"{d.year:04d}"
    if gran == "half":
        return f"{d.year:04d}-H{1 if d.month == 1 else 2}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "season":
        return f"{d.year:04d}-{_SEASON_OF_START[d.month]}"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "week":
        year, week, _ = d.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return d.isoformat()


# --------------------------------------------------------------------------------------------
# Reading one candidate
# --------------------------------------------------------------------------------------------

Reading = tuple[str, str, "Point | None"]  # TIMEX3 type, value, and the date later anaphora may use


@dataclass
class _Context:
    """Per-call state: the text, its creation date, and the date mentioned last (for anaphora)."""

    text: str
    dct: dt.date
    last: Point | None = None
    last_quarter: Point | None = None  # financial reports keep talking about "the quarter"

    def topic(self) -> Point | None:
        """The period a "year earlier" compares with: the date mentioned last, if it is recent
        (a report on the current period) rather than a piece of older history."""
        if self.last and self.last[0] in ("quarter", "half", "month", "day", "year") \
                and 0 <= (self.dct - self.last[1]).days <= 366:
            return self.last
        return None

    def anchor(self, gran: str = "day") -> dt.date:
        """What 'the following day' counts from: the date mentioned last, if it was at least as
        precise as `gran` (a year says nothing about which day follows), else the document date."""
        if self.last and _GRAN_ORDER.index(self.last[0]) >= _GRAN_ORDER.index(gran):
            return self.last[1]
        return self.dct

    def tense(self, start: int, end: int) -> int:
        """-1 past, +1 future, 0 unknown: the last tense cue before the expression in its sentence,
        else the first one after it. A cheap stand-in for HeidelTime's use of verb tense; callers
        read "unknown" as past, which is what news mostly reports."""
        before = self.text[max(0, start - 160):start]
        after = self.text[end:end + 160]
        cut = None
        for cut in _SENTENCE_END.finditer(before):
            pass
        if cut:
            before = before[cut.end():]
        nxt = _SENTENCE_END.search(after)
        if nxt:
            after = after[:nxt.start()]
        for window, pick_last in ((before, True), (after, False)):
            # "planned a rally on Saturday" plans that day; "On Friday, they planned to pay" tells
            # what was planned that day: a plan in the past tense looks forward only from before
            cues = [(m.start(), -1 if _PLAN_PAST.search(window, 0, m.start())
                     or (not pick_last and _key(m.group(0)) in ("planned", "scheduled")) else +1)
                    for m in _FUTURE_CUES.finditer(window) if not _NOT_FUTURE.match(window, m.end())]
            cues += [(m.start(), -1) for m in _PAST_CUES.finditer(window) if _is_past_verb(window, m)]
            if cues:
                # a future cue wins a tie: "planned" is both a past form and a plan
                cues.sort(key=lambda c: (c[0], c[1] if pick_last else -c[1]))
                return cues[-1][1] if pick_last else cues[0][1]
        return 0


def _is_past_verb(window: str, m: re.Match[str]) -> bool:
    """A participle after a determiner or an auxiliary is an adjective or a passive, not a tense."""
    word = m.group(0).lower()
    if word.startswith("un") and word.endswith("ed"):
        return False
    return word in ("was", "were", "had", "did") or not _PASSIVE_BEFORE.search(window, 0, m.start())


_DEADLINE_BEFORE = re.compile(rf"\b(?:{_alt(_RULES['deadline_preps'])})\s+$", re.I)
_UNTIL_BEFORE = re.compile(rf"\b(?:{_alt(_RULES['until_preps'])})\s+$", re.I)
# "had been scheduled to expire Friday", "as previously planned": a plan for a day now past
_PLAN_PAST = re.compile(rf"\b(?:{_alt(_RULES['plan_past'])})\s+$", re.I)
# "next to the embassy" is a place, not a time to come
_NOT_FUTURE = re.compile(r"(?<=next)\s+to\b", re.I)
_PASSIVE_BEFORE = re.compile(rf"\b(?:{_alt(_RULES['participle_before'])})\s+$", re.I)
# "Black Monday", "Super Tuesday": a weekday in the name of a day
_DAY_NAME_BEFORE = re.compile(rf"\b(?:{_capitalised(_RULES['day_name_words'])})\s+$")
UTC_ZONES = frozenset(_key(w) for w in _RULES["utc_zones"])


def _date(gran: str, d: dt.date, type_: str = "DATE") -> Reading:
    return type_, _fmt(gran, d), (gran, _start(gran, d))


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _number(s: str | None) -> float | None:
    """The quantity a number phrase names; None for vague ones ('several'); -1 when unreadable."""
    if s is None:
        return 1
    k = _key(s)
    extra = 0.0
    if k.endswith(" and a half"):
        k, extra = k[: -len(" and a half")], 0.5
    if k in VAGUE_NUMBERS:
        return None
    if k in NUMBERS:
        return NUMBERS[k] + extra
    if k[0].isdigit():
        whole, _, frac = k.partition(" ")
        value = float(whole.replace(",", ""))
        if frac:
            num, _, den = frac.partition("/")
            value += int(num) / int(den) if int(den) else 0
        return value + extra
    parts = re.split(r"[\s-]+", k)
    if all(p in NUMBERS for p in parts):
        return sum(NUMBERS[p] for p in parts) + extra
    return -1


def _unit(s: str) -> tuple[str, int, bool, str]:
    """(ISO designator, multiplier, is a clock unit, singular name) of a unit word."""
    k = _key(s)
    k = UNIT_PLURALS.get(k, k)
    if k not in UNITS and k.endswith("s"):
        k = k[:-1]
    designator, mult, clock = UNITS[k]
    return designator, mult, clock, k


_SMALLER = MappingProxyType({  # how to write the fraction of a unit: "5 1/2 hours" is PT5H30M
    ("Y", False): ("M", 12, False), ("Q", False): ("M", 3, False), ("M", False): ("D", 30, False), ("W", False): ("D", 7, False),
    ("D", False): ("H", 24, True), ("H", True): ("M", 60, True), ("M", True): ("S", 60, True),
})


def _duration_value(n: float | None, unit: str) -> str:
    designator, mult, clock, name = _unit(unit)
    if n is None:  # decades and centuries count in years, but "some decades" is just PXY
        return f"PTX{designator}" if clock else f"PX{designator}"
    total = n * mult
    whole = int(total)
    parts = [(whole, designator, clock)] if whole else []
    frac = total - whole
    if frac > 1e-9 and (designator, clock) in _SMALLER:
        small, factor, small_clock = _SMALLER[(designator, clock)]
        parts.append((round(frac * factor), small, small_clock))
    if not parts:
        parts = [(0, designator, clock)]
    date_part = "".join(f"{v}{d}" for v, d, c in parts if not c and v)
    time_part = "".join(f"{v}{d}" for v, d, c in parts if c and v)
    if not date_part and not time_part:
        return f"PT0{designator}" if clock else f"P0{designator}"
    return "P" + date_part + ("T" + time_part if time_part else "")


_UNIT_GRAN = MappingProxyType({
    "day": "day", "week": "week", "fortnight": "week", "month": "month", "quarter": "quarter",
    "year": "year", "decade": "year", "century": "year", "millennium": "year",
})


def _weekday_date(ref: dt.date, wd: int, direction: int | None, tense: int) -> dt.date:
    """The date of weekday `wd` (ISO) relative to `ref`; same-day mentions mean that very day."""
    rel = _WEEKDAY_REL[wd - 1]
    if direction is None or direction == 0:
        if wd == ref.isoweekday():
            return ref
        return ref + relativedelta(weekday=rel(+1) if tense > 0 else rel(-1))
    if direction < 0:
        return ref + relativedelta(days=-1, weekday=rel(-1))
    return ref + relativedelta(days=+1, weekday=rel(+1))


def _month_year(ref: dt.date, month: int, direction: int | None, tense: int) -> int:
    """Which year a month named without one falls in: news talks mostly of the recent past."""
    if direction is not None and direction < 0:
        return ref.year if month < ref.month else ref.year - 1
    if direction is not None and direction > 0:
        return ref.year if month > ref.month else ref.year + 1
    if direction == 0:
        return ref.year
    options = [dt.date(y, month, 1) for y in (ref.year - 1, ref.year, ref.year + 1)]
    return _nearest(ref, options, tense, "month", _MONTH_TENSE_PULL_DAYS).year


_TENSE_PULL_DAYS = 150  # the tense of the sentence outweighs up to five months of distance
# A bare month is told further from the document date than a day is: "bought RJR in February",
# said in October, is last February, though next February is nearer; only the month just past or
# to come stays with its neighbour whatever the tense.
_MONTH_TENSE_PULL_DAYS = 240


def _nearest_day(ref: dt.date, month: int, day: int, tense: int) -> dt.date:
    """A month-day without a year: the candidate closest to the reference date."""
    options = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(dt.date(y, month, day))
        except ValueError:
            continue
    if not options:
        raise ValueError("no such day")
    return _nearest(ref, options, tense, "day")


def _nearest(ref: dt.date, options: list[dt.date], tense: int, gran: str, pull: int = _TENSE_PULL_DAYS) -> dt.date:
    """The option closest to `ref`, pulled towards the side the tense points to.

    A tense cue puts the date on its side of the document date ("was passed in March"); without
    one the closest reading wins, with a lean towards the past, which news mostly reports.
    """
    here = _start(gran, ref)

    def cost(d: dt.date) -> int:
        on_side = d >= here if tense > 0 else d <= here
        return abs((d - ref).days) - (pull if on_side else 0)
    return min(options, key=cost)


def _parse_year(s: str, ref: dt.date) -> int:
    k = _key(s)
    if k[0].isdigit():
        return int(k)
    if k.startswith("'"):  # '98: the century that puts it nearest the document date
        yy = int(k[1:3])
        base = ref.year - ref.year % 100
        return min((base - 100 + yy, base + yy, base + 100 + yy), key=lambda y: abs(y - ref.year))
    words = re.split(r"[\s-]+", k)
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return 2000 + int(sum(NUMBERS[w] for w in rest))  # whole numbers: _YEAR_WORDS matches no others
    century = CENTURY_WORDS[words[0]]
    rest = words[1:]
    if rest == ["hundred"]:
        return century * 100
    return century * 100 + int(sum(NUMBERS[w] for w in rest if w != "oh"))


def _day_number(s: str) -> int:
    k = _key(s)
    if k in ORDINALS:
        return ORDINALS[k]
    digits = re.match(r"[0-9]+", k)
    assert digits is not None  # the rules pass an ordinal word or a number ("4", "4th"), nothing else
    return int(digits.group(0))


def _part_of_day(s: str | None) -> str:
    return "T" + PARTS_OF_DAY[_key(s)] if s else ""


# --------------------------------------------------------------------------------------------
# The rules: a regex and the function that reads its match. Order breaks ties between equal spans.
# --------------------------------------------------------------------------------------------

Handler = Callable[[re.Match[str], _Context], "Reading | None"]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    read: Handler


def _rule(name: str, pattern: str, flags: int = re.I) -> Callable[[Handler], _Rule]:
    def wrap(read: Handler) -> _Rule:
        return _Rule(name, re.compile(_B + pattern, flags), read)
    return wrap


@_rule("iso date", r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![0-9])")
def _iso_date(m: re.Match[str], ctx: _Context) -> Reading | None:
    return _date("day", dt.date(int(m["y"]), int(m["m"]), int(m["d"])))


@_rule("slash date", r"(?P<m>1[0-2]|0?[1-9])/(?P<d>[12][0-9]|3[01]|0?[1-9])/(?P<y>[0-9]{4}|[0-9]{2})(?![0-9/])")
def _slash_date(m: re.Match[str], ctx: _Context) -> Reading | None:
    year = int(m["y"]) if len(m["y"]) == 4 else _parse_year("'" + m["y"], ctx.dct)
    return _date("day", dt.date(year, int(m["m"]), int(m["d"])))


@_rule("month day", rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:(?P<pos>{_POSITION}))?(?P<mon>{_MONTH})\s+(?P<day>{_DAY})"
                    rf"(?:,?\s+(?P<year>{_YEAR})|(?P<rel>\s+(?:last|this|next)\s+year))?(?!\w|,[0-9])")
def _month_day(m: re.Match[str], ctx: _Context) -> Reading | None:
    return _calendar_day(m, ctx)


@_rule("week of", rf"the\s+week\s+of\s+(?P<wd>(?!))?(?P<mon>{_MONTH})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?(?!\w|,[0-9])")
def _week_of(m: re.Match[str], ctx: _Context) -> Reading | None:
    """ "The week of March 6" is that whole week."""
    reading = _calendar_day(m, ctx)
    if reading is None or reading[2] is None:
        return None
    return _date("week", reading[2][1])


@_rule("day month", rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{_DAY})(?:\s+of)?\s+(?P<mon>{_MONTH})"
                    rf"(?:,?\s+(?P<year>{_YEAR}))?")
def _day_month(m: re.Match[str], ctx: _Context) -> Reading | None:
    return _calendar_day(m, ctx)


def _calendar_day(m: re.Match[str], ctx: _Context) -> Reading | None:
    month = MONTHS[_key(m["mon"]).rstrip(".")]
    day = _day_number(m["day"])
    if m["year"]:
        return _date("day", dt.date(_parse_year(m["year"], ctx.dct), month, day))
    if _g(m, "rel"):
        year = ctx.dct.year + DIRECTIONS[_key(m["rel"]).split()[0]]
        return _date("day", dt.date(year, month, day))
    ref = ctx.dct
    if m["wd"]:  # "Friday, Oct. 23": the year in which that date is that weekday, if near
        wd = WEEKDAYS[_key(m["wd"]).rstrip(".")]
        for y in (ref.year, ref.year - 1, ref.year + 1):
            try:
                if dt.date(y, month, day).isoweekday() == wd:
                    return _date("day", dt.date(y, month, day))
            except ValueError:
                continue
    return _date("day", _nearest_day(ref, month, day, ctx.tense(m.start(), m.end())))


@_rule("month year", rf"(?:(?P<pos>{_POSITION}))?(?P<mon>{_MONTH})(?:,|\s+of)?\s+(?P<year>{_YEAR}|'[0-9]{{2}}(?!\w))")
def _month_year_rule(m: re.Match[str], ctx: _Context) -> Reading | None:
    month = MONTHS[_key(m["mon"]).rstrip(".")]
    return _date("month", dt.date(_parse_year(m["year"], ctx.dct), month, 1))


@_rule("month relative year", rf"(?:(?P<pos>{_POSITION}))?(?P<mon>{_MONTH_ALONE})\s+(?P<dir>last|this|next)\s+year(?!\w)")
def _month_rel_year(m: re.Match[str], ctx: _Context) -> Reading | None:
    month = MONTHS[_key(m["mon"])]
    return _date("month", dt.date(ctx.dct.year + DIRECTIONS[_key(m["dir"])], month, 1))


@_rule("month", rf"(?:(?P<pos>{_POSITION})|(?P<dir>{_DIRECTION})\s+)?(?P<mon>{_MONTH_ALONE})")
def _month_alone(m: re.Match[str], ctx: _Context) -> Reading | None:
    month = MONTHS[_key(m["mon"])]
    if m["mon"] in ("May", "MAY") and not (m["pos"] or m["dir"]):
        before = ctx.text[max(0, m.start() - 20):m.start()].split()
        if not before or _key(before[-1]) not in MAY_NEEDS:
            return None
    if _followed_by_name(ctx.text, m.end()):
        return None  # "March Madness", "August Wilson"
    if not (m["pos"] or m["dir"]) and re.search(r"\b(?:the|a|an|annual)\s+\W{0,2}$", ctx.text[max(0, m.start() - 10):m.start()], re.I) \
            and re.match(r"\s+(?:of|for)\s", ctx.text[m.end():m.end() + 5]):
        return None  # "the annual March for Life", "the March of Dimes": a march, not the month
    direction = DIRECTIONS[_key(m["dir"])] if m["dir"] else None
    tense = ctx.tense(m.start(), m.end())
    if _DEADLINE_BEFORE.search(ctx.text, max(0, m.start() - 10), m.start()):
        # "repay the loan by February" is a deadline whatever the verb's tense (a weekday is not:
        # "had filed reports by Wednesday" is told after the fact)
        tense = 1
    year = _month_year(ctx.dct, month, direction, tense)
    return _date("month", dt.date(year, month, 1))


def _in_a_day_name(text: str, start: int) -> bool:
    """ "Black Monday", "Super Tuesday" name a day (a crash, a primary), not the last Monday."""
    return _DAY_NAME_BEFORE.search(text, max(0, start - 20), start) is not None


def _followed_by_name(text: str, end: int) -> bool:
    nxt = re.match(r" ([A-Z][a-z]+)", text[end:end + 20])
    return nxt is not None and _key(nxt.group(1)) not in MONTHS and _key(nxt.group(1)) not in WEEKDAYS


@_rule("weekday", rf"(?:(?P<dir>{_DIRECTION}|that)\s+)?(?:(?P<pos>early|late|earlier|later)\s+)?(?P<wd>{_WEEKDAY})"
                  rf"(?:\s+(?P<pod>{_PART_OF_DAY}))?")
def _weekday(m: re.Match[str], ctx: _Context) -> Reading | None:
    wd = WEEKDAYS[_key(m["wd"]).rstrip(".")]
    d = _key(m["dir"]) if m["dir"] else None
    if d and d not in DIRECTIONS and d != "that":
        return None
    if not (d or m["pos"]) and _in_a_day_name(ctx.text, m.start()):
        return None
    direction = DIRECTIONS.get(d) if d else None
    ref = ctx.anchor() if d in ANAPHORIC_DIRECTIONS or d == "that" else ctx.dct
    # "Wednesday's ruling" names something that has happened
    tense = -1 if ctx.text.startswith("'s", m.end()) else ctx.tense(m.start(), m.end())
    if tense == 0 and _UNTIL_BEFORE.search(ctx.text, max(0, m.start() - 8), m.start()):
        tense = 1  # "remain closed until Friday": the Friday to come, unless told in the past
    day = _weekday_date(ref, wd, direction, tense)
    pod = _part_of_day(m["pod"])
    if pod:
        return "TIME", day.isoformat() + pod, ("day", day)
    return _date("day", day)


@_rule("weekdays", rf"(?:(?:every|each)\s+)?(?P<wd>{_capitalised(_WORDS['weekdays_full'])})s(?:\s+(?P<pod>{_PART_OF_DAY})s?)?(?!\w)")
def _weekdays(m: re.Match[str], ctx: _Context) -> Reading | None:
    """ "On Mondays", "Tuesday nights": a weekday that recurs."""
    return "SET", f"XXXX-WXX-{WEEKDAYS[_key(m['wd'])]}{_part_of_day(m['pod'])}", None


@_rule("deictic day", rf"(?:(?P<pos>early|late|earlier|later)\s+)?(?P<word>{_alt(DEICTIC_DAYS)})(?!\w)"
                      rf"(?:\s+(?P<pod>{_PART_OF_DAY}))?")
def _deictic(m: re.Match[str], ctx: _Context) -> Reading | None:
    word = _key(m["word"])
    day = ctx.dct + dt.timedelta(days=DEICTIC_DAYS[word])
    pod = _part_of_day(m["pod"]) or ("TNI" if word == "tonight" else "")
    if pod:
        return "TIME", day.isoformat() + pod, ("day", day)
    return _date("day", day)


@_rule("part of day", rf"(?:(?P<pos>early|late|earlier|later)\s+)?(?P<dir>this|last|that|the\s+next|the\s+following|the\s+previous)\s+(?P<pod>{_PART_OF_DAY})")
def _part_of_day_rule(m: re.Match[str], ctx: _Context) -> Reading | None:
    d = _key(m["dir"])
    pod = _part_of_day(m["pod"])
    if d == "this":
        day = ctx.dct
    elif d == "last":
        if pod not in ("TNI", "TEV"):
            return None  # "last morning" is not said; "last night" is yesterday's
        day = ctx.dct - dt.timedelta(days=1)
    elif d == "that":
        day = ctx.anchor()
    else:
        day = ctx.anchor() + dt.timedelta(days=1 if d != "the previous" else -1)
    return "TIME", day.isoformat() + pod, ("day", day)


@_rule("holiday", rf"(?:(?P<dir>last|next|this)\s+)?(?P<name>{_alt(HOLIDAYS)})(?:,?\s+(?P<year>{_YEAR4}))?(?P<week>\s+week)?(?!\w)")
def _holiday(m: re.Match[str], ctx: _Context) -> Reading | None:
    reading = _holiday_day(m, ctx)
    if reading is not None and m["week"] and reading[2] is not None:
        return _date("week", reading[2][1])  # "Easter week", "Christmas week": the week around it
    return reading


def _holiday_day(m: re.Match[str], ctx: _Context) -> Reading | None:
    if m["name"][0].islower():
        return None  # holidays are capitalised; "a labor day" in lower case is no date
    rule = HOLIDAYS[_key(m["name"])]
    ref = ctx.dct

    def on(year: int) -> dt.date:
        if "easter" in rule:
            return easter(year) + dt.timedelta(days=rule["easter"])
        if "day" in rule:
            return dt.date(year, rule["month"], rule["day"])
        nth = rule["nth"]
        if nth < 0:
            return dt.date(year, rule["month"], 1) + relativedelta(day=31, weekday=_WEEKDAY_REL[rule["weekday"] - 1](nth))
        first = dt.date(year, rule["month"], rule.get("from_day", 1))
        return first + relativedelta(weekday=_WEEKDAY_REL[rule["weekday"] - 1](nth))

    if m["year"]:
        return _date("day", on(int(m["year"])))
    direction = DIRECTIONS[_key(m["dir"])] if m["dir"] else None
    this = on(ref.year)
    if direction == -1:
        return _date("day", this if this < ref else on(ref.year - 1))
    if direction == 1:
        return _date("day", this if this > ref else on(ref.year + 1))
    if direction == 0:
        return _date("day", this)
    tense = ctx.tense(m.start(), m.end())
    options = [on(ref.year - 1), this, on(ref.year + 1)]
    return _date("day", _nearest(ref, options, tense, "day"))


@_rule("year", rf"(?:(?P<pos>{_POSITION})|(?P<pre>fiscal|calendar|the\s+year|post-|pre-|FY)\s*)?(?P<year>{_YEAR4})"
               rf"(?!\w|-[0-9]|,[0-9]|\.[0-9]|\s*%|\s+percent)")
def _year(m: re.Match[str], ctx: _Context) -> Reading | None:
    before = ctx.text[max(0, m.start() - 3):m.start()]
    if re.search(r"[$£€#]\s*$|[0-9.,]$", before):
        return None
    year = int(m["year"])
    if not m["pos"] and not m["pre"] and _looks_like_count(ctx.text, m.start(), m.end(), year):
        return None
    return _date("year", dt.date(year, 1, 1))


_COUNT_BEFORE = re.compile(r"(?:about|some|nearly|almost|over|than|least|only|of|just|to|and|by|the|No\.|no\.|number|page|pages|flight|route|room|article|section|rule)\s*$")
_COUNT_AFTER = re.compile(r"\s+(?!BC|AD|A\.D\.|B\.C\.)[a-z]+(?<!s)s\b")


def _looks_like_count(text: str, start: int, end: int, year: int) -> bool:
    """A bare four-digit number is a year unless its surroundings say it counts things."""
    before = text[max(0, start - 12):start]
    after = text[end:end + 24]
    if 1900 <= year <= 2099:
        # "the 1990 budget" and "in 1990" are years; "1990 people" and "of 1990 votes" are counts
        return bool(re.match(r"\s+(?:people|men|women|troops|soldiers|cases|votes|members|years|units|miles|feet|meters|metres|tons|dollars|shares|employees|workers|deaths|students)\b", after))
    if re.match(r"\s+[a-z]+s\b", after):
        return True  # "1500 troops"
    return not re.search(r"(?:in|since|until|till|by|from|of|year|around|circa|c\.|before|after|during|between)\s*$", before, re.I)


@_rule("year words", rf"(?:(?P<pos>{_POSITION})|(?P<pre>the\s+year)\s+)?(?P<year>{_YEAR_WORDS})")
def _year_words(m: re.Match[str], ctx: _Context) -> Reading | None:
    return _date("year", dt.date(_parse_year(m["year"], ctx.dct), 1, 1))


@_rule("decade", rf"(?:the\s+)?(?:(?P<pos>early|mid|late)[\s-]+)?(?:(?P<y>1[0-9]{{2}}|20[0-9])0'?s|'(?P<yy>[0-9])0'?s|(?P<word>{_alt(DECADE_WORDS)}))(?!\w)")
def _decade(m: re.Match[str], ctx: _Context) -> Reading | None:
    if m["word"]:
        if not m.group(0).lower().startswith("the"):
            return None  # "in his forties" is an age
        decade = ctx.dct.year // 100 * 100 + 10 * DECADE_WORDS[_key(m["word"])]
        if decade > ctx.dct.year:  # "the sixties" said in 2013 are the 1960s
            decade -= 100
        return "DATE", f"{decade // 10:03d}", None
    if m["yy"]:
        return "DATE", f"{_parse_year(chr(39) + m['yy'] + '0', ctx.dct) // 10:03d}", None
    return "DATE", m["y"], ("decade", dt.date(int(m["y"]) * 10, 1, 1))


@_rule("century", rf"(?:the\s+)?(?:(?P<pos>early|mid|late)[\s-]+)?(?P<n>{_ORDINAL_WORD}|[0-9]{{1,2}}(?:st|nd|rd|th))[\s-]+century(?!\w)")
def _century(m: re.Match[str], ctx: _Context) -> Reading | None:
    n = _day_number(m["n"])
    return ("DATE", f"{n - 1:02d}", None) if n >= 1 else None


@_rule("season", rf"(?:(?P<pos>{_POSITION}))?(?:(?P<dir>{_DIRECTION}|the|that)\s+)?(?:(?P<pos2>early|late|mid)[\s-]+)?(?P<season>{_SEASON})"
                 rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?")
def _season(m: re.Match[str], ctx: _Context) -> Reading | None:
    code = SEASONS[_key(m["season"])]
    d = _key(m["dir"]) if m["dir"] else None
    if m["year"]:
        return _date("season", dt.date(_parse_year(m["year"], ctx.dct), _SEASON_START[code], 1))
    after = ctx.text[m.end():m.end() + 6]
    if code == "FA" and (d is None or d == "the") and not m["pos"] and not m["pos2"]:
        return None  # "the fall of Rome", "a fall in prices"
    if d in ("the", None) and re.match(r"\s+(?:of|in|and)\b", after) and not m["pos"]:
        return None
    if d is None and not (m["pos"] or m["pos2"]):
        before = ctx.text[max(0, m.start() - 12):m.start()]
        if not re.search(r"(?:in|during|since|until|by|through|this|last|next)\s+$", before, re.I):
            return None
    if d == "that":
        ref = ctx.anchor("year")
        return _date("season", dt.date(ref.year, _SEASON_START[code], 1))
    direction = DIRECTIONS.get(d) if d else None
    ref = ctx.dct
    if direction is not None and direction != 0:
        # "last spring" is the spring of last year in TimeBank's reading
        year = ref.year + direction
        return _date("season", dt.date(year, _SEASON_START[code], 1))
    if direction == 0:
        return _date("season", dt.date(ref.year, _SEASON_START[code], 1))
    tense = ctx.tense(m.start(), m.end())
    this = dt.date(ref.year, _SEASON_START[code], 1)
    cur = _start("season", ref)
    if tense > 0:
        year = ref.year if this >= cur else ref.year + 1
    else:
        year = ref.year if this <= cur or code == "WI" else ref.year - 1
    return _date("season", dt.date(year, _SEASON_START[code], 1))


_QUARTER_ORD = MappingProxyType({"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4})


@_rule("ordinal quarter", rf"(?:(?P<det>the(?!\s+\w+-quarter)|this\s+year's|last\s+year's|next\s+year's|(?P<yr0>{_YEAR4})'s)\s+)?"
                          rf"(?:(?P<q>latest|current|same|comparable|corresponding|year-earlier|year-ago|flat|fiscal|calendar|(?P<yr1>{_YEAR4}))[\s-]+)*"
                          rf"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)[\s-]+(?:fiscal[\s-]+)?"
                          rf"(?P<unit>quarter|half)(?!\w)(?:\s+of\s+(?:fiscal\s+)?(?P<yr2>{_YEAR4}))?"
                          rf"(?P<ago>\s+(?:a\s+year\s+(?:ago|earlier)|of\s+last\s+year|last\s+year))?")
def _ordinal_quarter(m: re.Match[str], ctx: _Context) -> Reading | None:
    unit = _key(m["unit"])
    ordinal = _key(m["ord"])
    whole = _key(m.group(0))
    ref = ctx.dct
    gran = "quarter" if unit == "quarter" else "half"
    n = _QUARTER_ORD.get(ordinal, 4 if unit == "quarter" else 2)
    if ordinal == "last" and not m["det"]:
        return None  # "last quarter" is the quarter before this one: the relative rule reads it
    per = 3 if gran == "quarter" else 6
    explicit = m["yr0"] or m["yr1"] or m["yr2"]
    if explicit:
        year = int(explicit)
    else:
        this = dt.date(ref.year, (n - 1) * per + 1, 1)
        if ctx.tense(m.start(), m.end()) > 0:  # the nearest one: "third-quarter results" in October are Q3's
            year = min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: abs((this.replace(year=y) - ref).days))
        else:
            year = ref.year if this <= ref else ref.year - 1
        if "next year's" in whole:
            year = ref.year + 1
    if not explicit and ("year-earlier" in whole or "year-ago" in whole or "last year" in whole or m["ago"]):
        year = year - 1 if "last year" not in whole else ref.year - 1
        return "DATE", _fmt(gran, dt.date(year, (n - 1) * per + 1, 1)), None  # a comparison, not a new topic
    return _date(gran, dt.date(year, (n - 1) * per + 1, 1))


@_rule("the quarter", rf"(?:(?P<det>the|this|that|its|last\s+year's)\s+)(?:(?P<q>latest|current|same|comparable|corresponding|year-earlier|year-ago|prior-year|previous|past|last|recent|most\s+recent|fiscal|(?P<yr>{_YEAR4}))[\s-]+)*"
                      rf"(?P<unit>quarter|period)(?!\w)(?P<ago>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?"
                      rf"(?=\s+(?:that\s+)?end(?:ed|ing|s)\s+(?P<endmon>{_MONTH})\s+(?P<endday>{_DAY}))?")
def _the_quarter(m: re.Match[str], ctx: _Context) -> Reading | None:
    whole = _key(m.group(0))
    quals = whole.split()
    if _key(m["unit"]) == "period" and not (m["q"] and (m["yr"] or any(q in whole for q in ("latest", "year-earlier", "year-ago", "comparable", "corresponding", "prior-year", "same")))):
        return None  # "the period" alone is too vague to be tagged
    ref = ctx.dct
    last = ctx.last_quarter
    if m["endmon"]:  # "the quarter ended July 31": a fiscal quarter, counted where most of it lies
        end = _nearest_day(ref, MONTHS[_key(m["endmon"]).rstrip(".")], _day_number(m["endday"]), -1)
        base = _start("quarter", end - dt.timedelta(days=45))
    elif "current" in quals or quals[0] == "this":
        base = _start("quarter", ref)
    elif any(q in quals for q in ("previous", "past", "last", "latest", "recent")) and "year's" not in whole:
        base = _shift("quarter", ref, -1)
    elif last:
        base = last[1]
    else:  # the quarter just reported: the last one finished
        base = _shift("quarter", ref, -1)
    if m["yr"]:  # "the 1988 period": compared with, not reported on
        return "DATE", _fmt("quarter", dt.date(int(m["yr"]), base.month, 1)), None
    if any(q in whole for q in ("year-earlier", "year-ago", "prior-year", "last year")) or m["ago"]:
        return "DATE", _fmt("quarter", base - relativedelta(years=1)), None  # a comparison
    return _date("quarter", base)


@_rule("year earlier", r"(?P<w>year-earlier|year-ago|year-before|prior-year)(?!\w)(?:\s+(?P<unit>period|quarter)(?!\w))?")
def _year_earlier(m: re.Match[str], ctx: _Context) -> Reading | None:
    ref = ctx.topic()
    # a comparison with the period under discussion, which stays the reference for what follows
    if ref is None:
        return "DATE", _fmt("year", ctx.dct - relativedelta(years=1)), None
    return "DATE", _fmt(ref[0], ref[1] - relativedelta(years=1)), None


@_rule("relative unit", rf"(?:(?P<pos>{_POSITION}))?(?P<dir>{_DIRECTION}|the|that|that\s+same|the\s+same)\s+"
                        rf"(?P<fiscal>fiscal\s+|calendar\s+)?(?P<unit>day|week|weekend|month|quarter|year|decade|century|half)(?!\w|-)"
                        rf"(?:\s+or\s+so)?")
def _relative_unit(m: re.Match[str], ctx: _Context) -> Reading | None:
    d = _key(m["dir"])
    unit = _key(m["unit"])
    anaphoric = d in ANAPHORIC_DIRECTIONS or d.startswith("that") or d == "the same"
    if d == "the" and not m["pos"] and unit not in ("weekend",):
        return None  # "the year" alone: read as a duration by the duration rule
    if d == "the next" and unit == "day":
        anaphoric = True  # "the next day" continues a narrative
    if d in DIRECTIONS:
        direction = DIRECTIONS[d]
    else:
        direction = 0
    gran = "quarter" if unit == "quarter" else "half" if unit == "half" else "week" if unit == "weekend" else unit
    ref = ctx.anchor(gran) if anaphoric else ctx.dct
    if unit == "weekend":
        return _weekend(ctx, ref, direction if d not in ("the",) else None, m)
    if unit in ("decade", "century") and d in ("the last", "the past", "past") and not m["pos"]:
        # "the past decade" is the ten years up to now (P10Y); "the last decade" in TimeBank too
        return "DURATION", "P10Y" if unit == "decade" else "P100Y", None
    return _date(gran, _shift(gran, ref, direction))


@_rule("unit before", r"the\s+(?P<unit>day|week|month|year)\s+(?P<rel>before|after|earlier|later)(?!\w)")
def _unit_before(m: re.Match[str], ctx: _Context) -> Reading | None:
    """ "The week before", "the day after": one unit from the date mentioned last."""
    gran = _key(m["unit"])
    return _date(gran, _shift(gran, ctx.anchor(gran), OFFSETS[_key(m["rel"])][0]))


def _weekend(ctx: _Context, ref: dt.date, direction: int | None, m: re.Match[str]) -> Reading:
    if direction is None:  # "the weekend": the one just past in a past-tense sentence
        direction = 0 if ctx.tense(m.start(), m.end()) > 0 or ref.isoweekday() >= 6 else -1
    monday = _shift("week", ref, direction)
    year, week, _ = monday.isocalendar()
    return "DATE", f"{year:04d}-W{week:02d}-WE", ("week", monday)


@_rule("offset", rf"(?:(?P<approx>{_APPROX})\s+)?(?P<num>{_NUMBER})(?:\s+(?:or|to)\s+(?P<num2>{_NUMBER}))?\s+(?:more\s+)?(?P<unit>{_UNIT})"
                 rf"(?:\s+or\s+so)?\s+(?P<off>{_alt(OFFSETS)})(?!\w)")
def _offset(m: re.Match[str], ctx: _Context) -> Reading | None:
    off = _key(m["off"])
    sign, anaphoric = OFFSETS[off]
    if off in ("before", "after") and not re.match(r"\s*(?:[,.;:!?)]|$|that\b|when\b)", ctx.text[m.end():m.end() + 6]):
        return None  # "two years after the war": a duration and a signal, not a date
    n = _number(m["num"])
    if n is None:
        if anaphoric:
            return None  # "a few days later": the duration is tagged, "later" is a signal
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None
    if n < 0:
        return None
    _, mult, clock, name = _unit(m["unit"])
    gran = "day" if clock else _UNIT_GRAN[name]
    if anaphoric and gran != "year":
        return None  # "three days later": TimeBank tags the duration and leaves "later" as a signal
    if clock:
        return _date("day", ctx.dct)
    steps = int(n * mult) if gran == "year" else int(n)
    if name == "fortnight":
        steps *= 2
    topic = ctx.topic() if gran == "year" else None
    if topic and (anaphoric or topic[0] == "quarter"):
        # "a year earlier" compares with the period under discussion, at its granularity
        # (financial reports: "a year ago" is the same quarter last year); the topic stays put
        return "DATE", _fmt(topic[0], topic[1] + _STEP[gran] * (sign * steps)), None
    if anaphoric and ctx.last is not None:
        # "in 1984 ... One year later he was fired": counts from the story's last date, whatever its age
        return _date(gran, ctx.last[1] + _STEP[gran] * (sign * steps))
    return _date(gran, ctx.dct + _STEP[gran] * (sign * steps))


_RATE_BEFORE = re.compile(rf"(?:[0-9%]|cents?|dollars?|euros?|pounds?|million|billion|per\s+cent|percent"
                          rf"|(?:[0-9][0-9,.]*|{_NUMBER_WORD})\s+[a-z]+s)\s*$", re.I)  # "four flights a week"


@_rule("duration", rf"(?:(?P<approx>{_APPROX})\s+)?(?:(?P<the>the)\s+)?(?:(?P<dir>past|last|next|first|coming|following|previous|latest|final|remaining|additional|further|initial|entire|full|whole|other|same)\s+)?"
                   rf"(?P<num>{_NUMBER})(?:\s+(?:or|to)\s+(?P<num2>{_NUMBER}))?(?:\s+(?:more|additional|straight|consecutive|full|long|trading|business|calendar|working))?"
                   rf"(?:\s+|-)(?P<unit>{_UNIT})(?P<adj>-(?:long|old))?(?P<half>\s+and\s+a\s+half)?(?:\s+or\s+so)?")
def _duration(m: re.Match[str], ctx: _Context) -> Reading | None:
    n = _number(m["num"])
    if n is not None and n < 0:
        return None
    unit = _key(m["unit"])
    if m["adj"] == "-old" or re.match(r"-old|\s+old\b", ctx.text[m.end():m.end() + 5]):
        return None  # "a 6-year-old", "37 years old": ages, which TimeBank leaves untagged
    if unit == "second" and _key(m["num"]) in ("a", "one") and re.match(r"\s+[a-z]", ctx.text[m.end():m.end() + 2]):
        return None  # "a second term" is an ordinal
    if unit.startswith("quarter") and ("-" in m.group(0) or re.match(
            r"\s+(?:of|as|million|billion|trillion|century|mile|percent|point|more|less)\b", ctx.text[m.end():m.end() + 12])):
        return None  # "three-quarters", "a quarter of the votes" are fractions
    if re.fullmatch(r"[0-9,]+", _key(m["num"]) or "") and "," in m["num"]:
        return None
    num = _key(m["num"])
    if num in ("a", "an") and not m["approx"] and not m["the"] and not m["dir"]:
        before = ctx.text[max(0, m.start() - 24):m.start()]
        if re.search(r"(?:times|once|twice|thrice)\s*$", before, re.I):
            return "SET", _duration_value(1, unit), None  # "twice a year"
        if _RATE_BEFORE.search(ctx.text, max(0, m.start() - 40), m.start()):
            return None  # "$5 a day", "four flights a week": a rate, which TimeBank mostly leaves untagged
    if m["num2"] is not None and _number(m["num2"]) is None:
        n = None
    if m["half"] and n is not None:
        n += 0.5
    if m["the"] and not m["dir"] and re.search(r"[0-9a-z]-[a-z]+$", m.group(0), re.I):
        return None  # "the two-week strike": the article belongs to the noun; the bare adjective is also a candidate
    value = _duration_value(n, unit)
    if m["the"] and (not m["dir"] or _key(m["dir"]) in ("first", "latest")) and _unit(unit)[3] == "month" and n and n > 3:
        # "the nine months" of a report run from January: what follows compares with this year
        return "DURATION", value, ("year", _start("year", ctx.dct))
    return "DURATION", value, None


@_rule("units", rf"(?:(?P<the>the)\s+(?=(?:past|last|next|coming|recent|following|previous|early|first|final|ensuing|intervening)\s))?(?:(?P<dir>past|last|next|coming|recent|following|previous|early|first|final|ensuing|intervening)\s+)?(?P<unit>{_PLURAL_UNIT})(?P<alt>\s+(?:or|and)\s+{_PLURAL_UNIT})?")
def _units(m: re.Match[str], ctx: _Context) -> Reading | None:
    before = ctx.text[max(0, m.start() - 3):m.start()]
    if re.search(r"[0-9]\s*$", before):
        return None
    if re.search(r"\bmatter\s+of\s+$", ctx.text[max(0, m.start() - 12):m.start()], re.I):
        return None  # "a matter of days" says how soon, and TimeBank leaves it untagged
    if not m["the"] and not m["dir"]:
        prev = ctx.text[max(0, m.start() - 16):m.start()]
        if not re.search(r"(?:for|in|over|within|take|takes|took|taken|lasted?|last|spent|spend|spending|after|few|several|many|\bof)\s+$", prev, re.I):
            after = ctx.text[m.end():m.end() + 12]
            if not re.match(r"\s+(?:ago|later|earlier|before|after)\b", after):
                return None
    return "DURATION", _duration_value(None, m["unit"]), None


@_rule("the year", r"the\s+(?P<kind>full\s+|fiscal\s+|calendar\s+|entire\s+|whole\s+)?(?P<unit>year|month|week)(?!\w|-|'s)")
def _the_year(m: re.Match[str], ctx: _Context) -> Reading | None:
    """ "For the year" in a report is the year being reported on; "the year ended June 30" is a
    twelve-month span ending then, which TimeBank writes as a duration."""
    if _key(m["unit"]) != "year":
        return None
    if re.match(r"\s+(?:that\s+)?(?:ended|ending|ends|to)\b", ctx.text[m.end():m.end() + 12]):
        return "DURATION", "P1Y", None
    return "DATE", _fmt("year", ctx.dct), None


@_rule("year end", r"(?P<w>year-end|year\s+end|year's\s+end)(?!\w)")
def _year_end(m: re.Match[str], ctx: _Context) -> Reading | None:
    return "DATE", _fmt("year", ctx.dct), None


@_rule("set", rf"(?P<q>every|each|per)\s+(?:(?P<other>other)\s+)?(?:(?P<num>{_NUMBER})\s+)?(?P<what>{_UNIT}|{_WEEKDAY}|{_MONTH_ALONE}|{_SEASON}|{_PART_OF_DAY})")
def _every(m: re.Match[str], ctx: _Context) -> Reading | None:
    what = _key(m["what"]).rstrip(".")
    n = _number(m["num"]) if m["num"] else 1
    if n is None or n < 0:
        return None
    if m["other"]:
        n *= 2
    if what in WEEKDAYS and m["what"][0].isupper():
        return "SET", f"XXXX-WXX-{WEEKDAYS[what]}", None
    if what in MONTHS and m["what"][0].isupper():
        return "SET", f"XXXX-{MONTHS[what]:02d}", None
    if what in SEASONS:
        return "SET", f"XXXX-{SEASONS[what]}", None
    if what in PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[what]}", None
    try:
        return "SET", _duration_value(n, what), None
    except KeyError:
        return None


@_rule("set word", rf"(?P<w>{_alt(k for k in SETS if k not in SET_NEEDS_RATE)})(?!\w)")
def _set_word(m: re.Match[str], ctx: _Context) -> Reading | None:
    if re.search(r"\baverage\s+$", ctx.text[max(0, m.start() - 10):m.start()], re.I):
        return None  # "average daily volume" is a statistic, not a recurring time
    return "SET", SETS[_key(m["w"])], None


@_rule("reference", rf"(?P<w>{_alt(REFERENCES)})(?!\w)")
def _reference(m: re.Match[str], ctx: _Context) -> Reading | None:
    w = _key(m["w"])
    type_, value = REFERENCES[w]
    if w == "the past" and re.match(r"\s+(?:few|several|decade|year|month|week|[0-9])", ctx.text[m.end():m.end() + 10]):
        return None
    if w in ("now", "currently") and m["w"][0].isupper() and ctx.text.startswith(",", m.end()):
        return None  # "Now, he says": a discourse marker opening the sentence, not a time
    if w == "recently" and re.search(r"\b(?:has|have|had|was|were|is|are)\s+$", ctx.text[max(0, m.start() - 6):m.start()], re.I):
        return None  # "have recently moved": the annotators leave the adverb inside a verb group alone
    return type_, value, None


@_rule("clock", rf"(?:(?P<approx>around|about|approximately|shortly\s+(?:after|before)|just\s+(?:after|before))\s+)?"
                rf"(?:(?P<h>[0-9]{{1,2}})(?:[:.](?P<min>[0-5][0-9]))?\s*(?P<ampm>{_AMPM})|(?P<h24>[01]?[0-9]|2[0-3]):(?P<min24>[0-5][0-9])(?![0-9:])"
                rf"|(?P<word>noon|midday|midnight)|(?P<oc>[0-9]{{1,2}}|{_ONES}|ten|eleven|twelve)(?:\s+o'clock|(?=\s+in\s+the\s+(?:morning|afternoon|evening|night))))"
                rf"(?:\s+(?P<tz>{_TIME_ZONE})(?!\w))?"
                rf"(?:\s+in\s+the\s+(?P<pod>morning|afternoon|evening|night))?"
                rf"(?:,?\s+(?:on\s+)?(?P<day>{_WEEKDAY}(?:,?\s+{_MONTH}\s+{_DAY})?|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR4})?|today|yesterday|tomorrow|tonight))?")
def _clock(m: re.Match[str], ctx: _Context) -> Reading | None:
    if m["word"]:
        hhmm = CLOCK_WORDS[_key(m["word"])]
    else:
        if m["oc"]:
            oc = _number(m["oc"])
            assert oc is not None  # a number up to twelve, in digits or words: never a vague one
            hour = int(oc)
        else:
            hour = int(m["h"] or m["h24"] or 0)
        minute = int(m["min"] or m["min24"] or 0)
        ampm = _key(m["ampm"] or "").replace(".", "").replace(" ", "")
        if m["h24"] is not None and not m["ampm"] and not (m["tz"] or m["day"]):
            before = ctx.text[max(0, m.start() - 4):m.start()]
            if not re.search(r"(?:at|by)\s+$", before, re.I):
                return None  # "3:2" scores and ratios
        if hour > 12 and ampm or hour > 24:
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if m["pod"] in ("afternoon", "evening", "night") and hour < 12:
            hour += 12
        hhmm = f"{hour:02d}:{minute:02d}"
    day = ctx.anchor("day")  # "at 6 a.m." is on the day being narrated
    if m["day"]:
        inner = _DAY_OF_CLOCK.match(m["day"])
        if inner is None:
            return None
        reading = _day_phrase(inner, ctx, m.start(), m.end())
        if reading is None:
            return None
        day = reading
    zone = "Z" if m["tz"] and _key(m["tz"]) in UTC_ZONES else ""  # TIMEX3 keeps UTC; other zones it cannot say
    return "TIME", f"{day.isoformat()}T{hhmm}{zone}", ("day", day)


_DAY_OF_CLOCK = re.compile(rf"(?:(?P<wd>{_WEEKDAY})(?:,?\s+(?P<mon>{_MONTH})\s+(?P<day>{_DAY}))?|(?P<mon2>{_MONTH})\s+(?P<day2>{_DAY})(?:,?\s+(?P<year>{_YEAR4}))?|(?P<deictic>today|yesterday|tomorrow|tonight))", re.I)


def _day_phrase(m: re.Match[str], ctx: _Context, start: int, end: int) -> dt.date | None:
    if m["deictic"]:
        return ctx.dct + dt.timedelta(days=DEICTIC_DAYS[_key(m["deictic"])])
    mon, day = (m["mon"], m["day"]) if m["mon"] else (m["mon2"], m["day2"])
    if mon:
        month, d = MONTHS[_key(mon).rstrip(".")], _day_number(day)
        if m["year"]:
            return dt.date(int(m["year"]), month, d)
        return _nearest_day(ctx.dct, month, d, ctx.tense(start, end))
    return _weekday_date(ctx.dct, WEEKDAYS[_key(m["wd"]).rstrip(".")], None, ctx.tense(start, end))


# Earlier rules win ties between candidates of equal length.
_ALL_RULES: tuple[_Rule, ...] = (
    _iso_date, _slash_date, _clock, _month_day, _week_of, _day_month, _month_year_rule, _month_rel_year, _holiday,
    _ordinal_quarter, _the_quarter, _reference, _relative_unit, _unit_before, _offset, _deictic, _part_of_day_rule,
    _weekday, _weekdays, _month_alone, _season, _decade, _century, _year, _year_words,
    _every, _set_word, _duration, _year_earlier, _units, _the_year, _year_end,
)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def _read(rule: _Rule, m: re.Match[str], ctx: _Context) -> Reading | None:
    # The tagger must never raise on odd input (impossible dates such as "Feb. 30", years out of
    # the calendar's range): a candidate that cannot be read is simply not a time expression.
    try:
        return rule.read(m, ctx)
    except (ValueError, KeyError, OverflowError, ArithmeticError, IndexError, TypeError, AttributeError):
        return None


def _non_overlapping(cands: list[tuple[int, int, int, _Rule, re.Match[str]]]) -> list[tuple[int, int, int, _Rule, re.Match[str]]]:
    """Longest candidates first, then leftmost, then rule order; keep those that overlap nothing kept."""
    cands.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    starts: list[int] = []
    ends: list[int] = []
    kept = []
    for c in cands:
        i = bisect.bisect_right(starts, c[0])
        if i > 0 and ends[i - 1] > c[0]:
            continue  # overlaps the kept span starting at or before it
        if i < len(starts) and starts[i] < c[1]:
            continue  # overlaps the kept span starting after it
        starts.insert(i, c[0])
        ends.insert(i, c[1])
        kept.append(c)
    kept.sort(key=lambda c: c[0])
    return kept


def tag(text: str, dct: dt.date) -> list[TimeExpr]:
    """The TIMEX3 time expressions in `text`, sorted and non-overlapping, normalised against `dct`."""
    if not isinstance(text, str) or not text:
        return []
    if isinstance(dct, dt.datetime):
        dct = dct.date()
    if not isinstance(dct, dt.date):
        raise TypeError(f"dct must be a datetime.date, not {type(dct).__name__}")
    probe = _Context(text, dct)
    cands = []
    for priority, rule in enumerate(_ALL_RULES):
        pos = 0
        while (m := rule.pattern.search(text, pos)) is not None:
            if m.end() > m.start() and _read(rule, m, probe) is not None:
                cands.append((m.start(), m.end(), priority, rule, m))
                pos = m.end()
            else:
                pos = m.start() + 1  # a rejected match may hide a shorter one inside it ("the two-week" > "two-week")
    ctx = _Context(text, dct)
    out: list[TimeExpr] = []
    for start, end, _, rule, m in _non_overlapping(cands):
        reading = _read(rule, m, ctx)
        if reading is None:
            continue
        type_, value, point = reading
        if point is not None:
            ctx.last = point
            if point[0] == "quarter" and _shift("quarter", point[1], 1) <= dct:  # only finished quarters are reported on
                ctx.last_quarter = point
        out.append(TimeExpr(start=start, end=end, text=text[start:end], type=type_, value=value))
    return out


_VALUE = re.compile(
    r"(?:(?P<century>[0-9]{2})|(?P<decade>[0-9]{3})|(?P<year>[0-9]{4})"
    r"(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2})(?P<time>T[0-9A-Z:.]+)?)?"
    r"|-W(?P<week>[0-9]{1,2})(?P<weekend>-WE)?|-Q(?P<quarter>[1-4])|-H(?P<half>[12])|-(?P<season>SP|SU|FA|WI))?)"
)


def _parse_value(value: str) -> tuple[str, dt.date, dt.date] | None:
    m = _VALUE.fullmatch(value or "")
    if not m:
        return None
    try:
        if m["century"]:
            first = dt.date(max(1, int(m["century"]) * 100), 1, 1)
            return "century", first, dt.date(int(m["century"]) * 100 + 99, 12, 31)
        if m["decade"]:
            first = dt.date(max(1, int(m["decade"]) * 10), 1, 1)
            return "decade", first, dt.date(int(m["decade"]) * 10 + 9, 12, 31)
        year = int(m["year"])
        if m["day"]:
            d = dt.date(year, int(m["month"]), int(m["day"]))
            return ("time" if m["time"] else "day"), d, d
        if m["month"]:
            gran, first = "month", dt.date(year, int(m["month"]), 1)
        elif m["week"]:
            monday = dt.date.fromisocalendar(year, int(m["week"]), 1)
            if m["weekend"]:
                return "week", monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
            return "week", monday, monday + dt.timedelta(days=6)
        elif m["quarter"]:
            gran, first = "quarter", dt.date(year, 3 * int(m["quarter"]) - 2, 1)
        elif m["half"]:
            gran, first = "half", dt.date(year, 6 * int(m["half"]) - 5, 1)
        elif m["season"]:
            gran, first = "season", dt.date(year, _SEASON_START[m["season"]], 1)
        else:
            gran, first = "year", dt.date(year, 1, 1)
        return gran, first, _shift(gran, first, 1) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None


def bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day a DATE/TIME value covers; None for durations, references and sets."""
    parsed = _parse_value(value)
    return (parsed[1], parsed[2]) if parsed else None


def granularity(value: str) -> str | None:
    """'year', 'month', 'day', 'week', 'quarter', 'half', 'season', 'decade', 'century' or 'time'."""
    parsed = _parse_value(value)
    return parsed[0] if parsed else None
