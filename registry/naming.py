"""Bilingual names: Chinese always, English optional; shown in the visitor's language."""

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
