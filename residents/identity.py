"""Checks for what people type: ID numbers (GB 11643), phones, names, invisible characters.

Each check returns the normalised value or raises ``ValidationError`` whose message names the
problem, in the user's language. Forms, the API and the Excel importer all call these.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from residents.choices import Sex

ID_LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits of a region code: provinces, autonomous regions, municipalities, and
# Taiwan, Hong Kong and Macao (GB/T 2260).
PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
# Characters that show as nothing (or as a plain space) but are not one.
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e")
NAME_MAX = 50
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(0\d{2,3})(\d{7,8})$")


@dataclass(frozen=True)
class IdFacts:
    """What a valid mainland ID number says about its holder."""

    number: str
    region: str
    birth_date: datetime.date
    sex: str


def invisible_characters(text: str) -> list[str]:
    """Code points of invisible or control characters in ``text`` ("U+200B"), in order."""
    found = []
    for char in text:
        if char in INVISIBLE or (unicodedata.category(char) in ("Cc", "Cf") and char != "\n"):
            found.append(f"U+{ord(char):04X}")
    return found


def reject_invisible(text: str) -> None:
    found = invisible_characters(text)
    if found:
        raise ValidationError(
            _("Contains invisible characters (%(chars)s); retype the value.")
            % {"chars": ", ".join(dict.fromkeys(found))},
            code="invisible",
        )


def _non_ascii(text: str) -> list[str]:
    return [char for char in text if not char.isascii()]


def check_id_number(value: str, *, today: datetime.date | None = None) -> IdFacts:
    """A mainland resident ID number (居民身份证号码, GB 11643-1999), checked character by
    character: length, ASCII digits, region, birth date (real and not in the future), and the
    ISO 7064 MOD 11-2 check digit."""
    text = (value or "").strip()
    reject_invisible(text)
    wide = _non_ascii(text)
    if wide:
        raise ValidationError(
            _(
                "The ID number contains full-width or other non-ASCII characters (%(chars)s); "
                "type it with ordinary digits."
            )
            % {"chars": "".join(dict.fromkeys(wide))},
            code="non_ascii",
        )
    text = text.replace(" ", "").upper()
    if len(text) != ID_LENGTH:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)s.") % {"n": len(text)},
            code="length",
        )
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
        raise ValidationError(
            _("The first 17 characters of an ID number are digits and the last is a digit or X."),
            code="characters",
        )
    region = text[:6]
    if region[:2] not in PROVINCES or region[2:] == "0000":
        raise ValidationError(
            _("%(code)s is not a valid region code (the first 6 digits).") % {"code": region},
            code="region",
        )
    try:
        birth = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) does not exist.")
            % {"date": f"{text[6:10]}-{text[10:12]}-{text[12:14]}"},
            code="birth_date",
        ) from None
    today = today or timezone.localdate()
    if birth > today:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is in the future.")
            % {"date": birth.isoformat()},
            code="birth_future",
        )
    if birth.year < 1890:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is impossibly early.")
            % {"date": birth.isoformat()},
            code="birth_early",
        )
    if check_digit(text[:17]) != text[17]:
        raise ValidationError(
            _(
                "The check digit (the last character) does not match the other 17; "
                "a character was probably mistyped."
            ),
            code="check_digit",
        )
    sex = Sex.MALE if int(text[16]) % 2 else Sex.FEMALE
    return IdFacts(text, region, birth, sex)


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def check_document_number(value: str) -> str:
    """A passport or permit number: 5-30 ASCII letters, digits or '-'."""
    text = (value or "").strip()
    reject_invisible(text)
    if _non_ascii(text):
        raise ValidationError(
            _("The document number contains full-width or other non-ASCII characters."),
            code="non_ascii",
        )
    text = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z0-9-]{5,30}", text):
        raise ValidationError(
            _("A document number has 5 to 30 letters, digits or dashes."), code="document"
        )
    return text


def check_phone(value: str) -> str:
    """A mainland mobile (11 digits starting 13-19) or a landline with its area code
    (``0717-6123456``); spaces and dashes are ignored, a +86 prefix dropped."""
    text = (value or "").strip()
    if not text:
        return ""
    reject_invisible(text)
    wide = _non_ascii(text)
    if wide:
        raise ValidationError(
            _(
                "The phone number contains full-width or other non-ASCII characters "
                "(%(chars)s); type it with ordinary digits."
            )
            % {"chars": "".join(dict.fromkeys(wide))},
            code="non_ascii",
        )
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    if MOBILE.match(digits):
        return digits
    landline = LANDLINE.match(digits)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    raise ValidationError(
        _(
            "Not a phone number: give an 11-digit mobile number (e.g. 13812345678) or a "
            "landline with its area code (e.g. 0717-6123456)."
        ),
        code="phone",
    )


def check_name(value: str) -> str:
    """A person's name: not empty, at most 50 characters, no invisible characters; the
    middle dot of minority and foreign names is normalised to '·'."""
    text = unicodedata.normalize("NFKC", (value or "")).strip()
    reject_invisible(value or "")
    if not text:
        raise ValidationError(_("The name is empty."), code="required")
    if len(text) > NAME_MAX:
        raise ValidationError(
            _("The name is %(n)s characters long; at most %(max)s are allowed.")
            % {"n": len(text), "max": NAME_MAX},
            code="max_length",
        )
    if any(unicodedata.category(c).startswith(("S", "N")) for c in text if c not in "·.-'"):
        raise ValidationError(_("A name holds no digits or symbols."), code="characters")
    return re.sub(r"[•・‧∙]", "·", text)
