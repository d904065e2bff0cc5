"""Upkeep: care work logged on assets (by staff or the adopter), schedules and overdue rounds.
State changes in ``operations``; reads in ``queries``; the overdue SQL in ``sql``."""
