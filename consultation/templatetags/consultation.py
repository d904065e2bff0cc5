"""``{{ rate|pct }}``: a fraction as a percentage with two decimals (0.9547 → 95.47%)."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    return "" if value is None else f"{value * 100:.2f}%"
