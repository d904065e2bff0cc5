"""The data commands' progress on the terminal: tqdm on stderr, one bar per phase (``--no-progress`` off)."""

import sys

from tqdm import tqdm


def terminal_progress(iterable, *, disable: bool, phase: str = "", **bar):
    """One tqdm bar per phase (reading, checking, writing) on stderr; ``phase`` is for a job's row, not tqdm."""
    return tqdm(iterable, file=sys.stderr, disable=disable, leave=False, **bar)
