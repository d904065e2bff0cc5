"""Upkeep of assets: models in ``models``, the state changes in ``operations``."""

from registry.care.models import UpkeepAction, UpkeepLog, UpkeepSchedule  # noqa: F401
