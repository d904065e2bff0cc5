"""``{% load moderation %}``: ``{{ text|mask_personal_data }}`` masks mobiles, e-mails and ID numbers
(registry.moderation) in text a template shows to the public."""

from django import template

from registry.moderation import mask_personal_data as mask

register = template.Library()


@register.filter
def mask_personal_data(text):
    return mask(str(text)) if text else text
