"""``{% load people %}``: ``{{ user|person_name }}``, a staff member's name as its language writes it."""

from django import template

from registry.naming import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    return _person_name(user)
