"""Personal data in free text, masked on the way out to the public.

Residents and adopters type phone numbers, e-mail addresses and even ID-card numbers into
descriptions ("call me on 13812345678"). The text is stored as written: staff who work on the
asset read it in full. Everyone else gets :func:`mask_personal_data` of it, applied where text
leaves the registry for the public (the asset page, the API, problem reports' public text).

* mainland mobiles, with or without +86 and spaces or dashes: ``138****5678`` (as
  ``registry.validators.mask_mobile`` shows them everywhere else);
* e-mail addresses: the first character, then ``***@`` and the domain: ``c***@example.com``;
* resident ID-card numbers (18 characters, the last may be X; or the old 15 digits): the first
  three and last four kept: ``440***********1234``.
"""

import re

from registry.access import scope_of

_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)", re.UNICODE)


def _mask_id(match: re.Match) -> str:
    number = match.group(1)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_personal_data(text: str) -> str:
    """``text`` with mobiles, e-mail addresses and ID-card numbers masked (see the module's docstring)."""
    if not text:
        return text
    text = _ID_CARD.sub(_mask_id, text)  # first: an ID number holds 11-digit runs, which are not mobiles
    text = _MOBILE.sub(lambda match: f"{match.group(1)}****{match.group(3)}", text)
    return _EMAIL.sub(lambda match: f"{match.group(1)}***@{match.group(2)}", text)


def sees_original_text(user, asset) -> bool:
    """Does ``user`` work on ``asset`` (staff whose scope covers it), and so read its texts as written?"""
    scope = scope_of(user)
    if scope.role is None:  # the public: no column of the asset is read (lists stay one query)
        return False
    return scope.everywhere or scope.covers(asset.street_id, asset.community_id, asset.grid_id)


def text_seen_by(user, asset, text: str) -> str:
    """``text`` (of ``asset`` or a row about it) as ``user`` reads it: as written, or masked."""
    return text if sees_original_text(user, asset) else mask_personal_data(text)
