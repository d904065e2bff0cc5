"""Bilingual names: Chinese always, English optional; shown in the visitor's language."""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language


def localized_name(name_zh: str, name_en: str) -> str:
    """The English name for English visitors when there is one, else the Chinese name."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name_zh


class BilingualNameMixin:
    """For models with ``name_zh`` and ``name_en`` fields."""

    @property
    def display_name(self) -> str:
        return localized_name(self.name_zh, self.name_en)


def in_each_language(text) -> list[tuple[str, str]]:
    """``text()`` rendered in each site language, Chinese first, as (code, text); blanks and repeats
    dropped. For what is read by people of either language at once: plaques, e-mails."""
    lines = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered = str(text())
        if rendered and all(rendered != seen for _code, seen in lines):
            lines.append((code, rendered))
    return lines


#: Chinese (CJK) characters: a name written in them is written family name first, with no space.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def person_name(user) -> str:
    """A person's name as its own language writes it, for every page that names a staff member.

    Chinese names family name first with no space (陈 + 嘉欣 → "陈嘉欣"), where Django's
    ``get_full_name`` gives the Western order ("嘉欣 陈"); other names "given family". The user
    name only when no name was given. Blank for no user.
    """
    if user is None:
        return ""
    given, family = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (given or family):
        return user.get_username()
    if _HAN.search(given + family):
        return f"{family}{given}"
    return f"{given} {family}".strip()
