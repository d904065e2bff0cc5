"""Bilingual names: Chinese always, English optional; shown in the visitor's language."""

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
