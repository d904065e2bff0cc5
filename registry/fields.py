"""Model fields for the real-world formats: they normalise what people type before validating it."""

from django.db import models

from registry.validators import normalize_credit_code, normalize_mobile, validate_credit_code, validate_mobile


class MobileNumberField(models.CharField):
    """A mainland mobile number, stored as its 11 digits ("+86 138-1234-5678" → "13812345678")."""

    default_validators = [validate_mobile]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_mobile(value) if value else value


class CreditCodeField(models.CharField):
    """A unified social credit code (GB 32100-2015), stored upper-case, checksum validated."""

    default_validators = [validate_credit_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_credit_code(value) if value else value
