"""Validators for the real-world formats the registry accepts (see shared/domain.md).

- Mainland China mobile numbers: 11 digits, ``1[3-9]`` followed by nine digits.
- Unified social credit codes (统一社会信用代码), GB 32100-2015: 18 characters whose last one
  is a check character over the first 17.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()]")


def normalize_mobile(value: str) -> str:
    """Drop spaces, dashes and a leading +86 / 0086 country code."""
    digits = _MOBILE_SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits


def validate_mobile(value: str) -> None:
    if not _MOBILE.fullmatch(normalize_mobile(value)):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 13–19, e.g. 13812345678."),
            code="invalid_mobile",
        )


def mask_mobile(value: str) -> str:
    """138****1234: what staff see unless they may reveal the number."""
    number = normalize_mobile(value)
    if len(number) != 11:
        return "*" * len(number)
    return f"{number[:3]}****{number[-4:]}"


# GB 32100-2015: the 31 characters a code may use (no I, O, S, V, Z) and the weights
# 3**(i-1) mod 31 for positions 1..17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_CREDIT_CODE_SHAPE = re.compile(rf"[{CREDIT_CODE_ALPHABET}]{{2}}\d{{6}}[{CREDIT_CODE_ALPHABET}]{{10}}")


def credit_code_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code, computed from the first 17."""
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    if not _CREDIT_CODE_SHAPE.fullmatch(code):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and the capital letters A–Y except "
                "I, O, S, V and Z, with digits in positions 3–8 (the region code)."
            ),
            code="credit_code_characters",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code does not match; please check for a typo."),
            code="credit_code_checksum",
        )


# Characters that change how a name is drawn without being seen: bidirectional overrides and
# isolates (U+202A–U+202E, U+2066–U+2069) can make "gpj.exe" read as "exe.jpg", and zero-width
# characters (U+200B–U+200D, U+2060, U+FEFF) make a look-alike of another adopter's public name.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def validate_visible_name(value: str) -> None:
    """Refuse names with invisible or direction-changing characters (the public sees names)."""
    if value and _INVISIBLE.search(value):
        raise ValidationError(
            _("The name contains invisible or text-direction characters; type it again without them."),
            code="invisible_characters")
