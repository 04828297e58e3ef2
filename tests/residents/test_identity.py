"""ID numbers (GB 11643), phones and names: good values pass, each mistake is named."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from residents.identity import check_id_number, check_name, check_phone
from tests.residents.conftest import make_id

TODAY = datetime.date(2026, 6, 1)


def test_a_valid_id_number_gives_birth_date_and_sex():
    facts = check_id_number(make_id("19850312", 123), today=TODAY)

    assert facts.birth_date == datetime.date(1985, 3, 12)
    assert facts.sex == "M"  # 17th digit odd
    assert facts.region == "420502"


def test_an_id_number_whose_check_digit_is_x_is_accepted_in_either_case():
    x_number = next(
        number
        for number in (make_id("19900101", seq) for seq in range(1000))
        if number.endswith("X")
    )

    assert check_id_number(x_number, today=TODAY).number == x_number
    assert check_id_number(x_number.lower(), today=TODAY).number == x_number


def _message(value) -> str:
    with pytest.raises(ValidationError) as caught:
        check_id_number(value, today=TODAY)
    return " ".join(caught.value.messages)


def test_a_wrong_check_digit_is_named():
    good = make_id("19850312", 123)
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    assert "check digit" in _message(bad)


def test_the_31st_of_february_is_named_as_a_date_that_does_not_exist():
    first17 = "42050219850231123"
    from residents.identity import check_digit

    assert "1985-02-31" in _message(first17 + check_digit(first17))
    assert "does not exist" in _message(first17 + check_digit(first17))


def test_a_birth_date_in_the_future_is_named():
    assert "in the future" in _message(make_id("20270101", 123))


@pytest.mark.parametrize("length", [17, 19])
def test_an_id_number_of_the_wrong_length_is_named(length):
    text = (make_id() + "1")[:length]

    assert f"this one has {length}" in _message(text)


def test_full_width_digits_are_named():
    wide = make_id().translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    assert "full-width" in _message(wide)


def test_an_invisible_character_is_named():
    assert "U+200B" in _message(make_id()[:5] + "\u200b" + make_id()[5:])


def test_an_unknown_region_is_named():
    from residents.identity import check_digit

    first17 = "99050219850312123"
    assert "region code" in _message(first17 + check_digit(first17))


@pytest.mark.parametrize(
    ("given", "stored"),
    [("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
     ("+86 13812345678", "13812345678"), ("0717-6123456", "0717-6123456"),
     ("07176123456", "0717-6123456"), ("", "")],
)  # fmt: skip
def test_mobiles_and_landlines_are_normalised(given, stored):
    assert check_phone(given) == stored


@pytest.mark.parametrize("bad", ["1381234567", "23812345678", "12345", "１３８１２３４５６７８"])
def test_a_malformed_phone_is_refused(bad):
    with pytest.raises(ValidationError):
        check_phone(bad)


def test_names_must_be_present_short_and_free_of_digits():
    assert check_name(" 阿依古丽•买买提 ") == "阿依古丽·买买提"
    for bad, words in [("", "empty"), ("张" * 51, "51 characters"), ("张3", "digits")]:
        with pytest.raises(ValidationError, match=words):
            check_name(bad)
