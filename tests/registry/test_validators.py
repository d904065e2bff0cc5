"""Mainland mobile numbers and unified social credit codes (GB 32100-2015), with real examples."""

import pytest
from django.core.exceptions import ValidationError

from registry.validators import mask_mobile, normalize_mobile, validate_credit_code, validate_mobile

# Real, published unified social credit codes of well-known companies.
REAL_CREDIT_CODES = [
    "9144030071526726XG",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "91330100716105852F",  # Alibaba (China) Co., Ltd.
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "91110000802100433B",  # China Mobile Communications Group Co., Ltd.
]


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_pass(code):
    validate_credit_code(code)
    validate_credit_code(code.lower())  # typed in lower case, normalised


@pytest.mark.parametrize(
    "code, error_code",
    [
        ("9144030071526726XA", "credit_code_checksum"),  # last character changed
        ("9144030071526727XG", "credit_code_checksum"),  # one digit changed
        ("91440300715267", "credit_code_length"),
        ("9144030071526726XGG", "credit_code_length"),
        ("91440300715267I6XG", "credit_code_characters"),  # I is not in the alphabet
        ("91ABCDEF715267260G", "credit_code_characters"),  # region code must be digits
        ("", "credit_code_length"),
    ],
)
def test_bad_credit_codes_fail_with_their_reason(code, error_code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error_code


@pytest.mark.parametrize("number", ["13812345678", "19912345678", "15000000000", "+86 138 1234 5678",
                                    "138-1234-5678", "008613812345678"])
def test_valid_mainland_mobiles(number):
    validate_mobile(number)
    assert len(normalize_mobile(number)) == 11


@pytest.mark.parametrize("number", ["12812345678", "1381234567", "138123456789", "02081234567",
                                    "1381234567a", "", "10086"])
def test_invalid_mobiles(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile(number)
    assert excinfo.value.code == "invalid_mobile"


def test_mobile_is_masked_for_display():
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_mobile("+86 138 1234 5678") == "138****5678"


def test_a_csv_cell_that_starts_like_a_formula_is_quoted_and_the_rest_is_left_alone():
    from registry.spreadsheets import safe_cell

    assert [safe_cell(text) for text in ("=HYPERLINK(1)", "+1", "-2", "@SUM", "\tx", "林")] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@SUM", "'\tx", "林"]
    assert (safe_cell(None), safe_cell(-3), safe_cell(2.5)) == ("", -3, 2.5)
