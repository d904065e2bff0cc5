"""Adopters and adoptions: models in ``models``, the state changes in ``operations``."""

from registry.adoption.models import (  # noqa: F401
    GRANTED_STATUSES, Adopter, AdopterKind, Adoption, AdoptionStatus,
)
