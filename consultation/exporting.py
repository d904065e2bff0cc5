"""The resolutions as CSV: the ledger's own columns (those ``import_resolutions`` reads, so an
export imports back), then the meeting's participants, the due date, the street and the public
reason when not feasible. A byte-order mark first, so Excel reads the Chinese."""

import csv

from consultation.models import Resolution
from registry.spreadsheets import safe_cell

COLUMNS = ["external_id", "community", "level", "meeting_date", "topic", "resolution", "votes_for",
           "votes_against", "votes_abstain", "status", "executed_on", "responsible", "participants", "due_date",
           "street", "not_feasible_reason"]


def row(resolution: Resolution) -> list:
    meeting = resolution.meeting
    return [safe_cell(value) for value in (
        resolution.external_id, resolution.community.code, meeting.level, resolution.meeting_date, meeting.topic,
        resolution.text, resolution.votes_for, resolution.votes_against, resolution.votes_abstain,
        resolution.status, resolution.executed_on, resolution.public_responsible, meeting.participants,
        resolution.due_date, resolution.street.code, resolution.not_feasible_reason)]


def resolutions_csv(resolutions, out) -> None:
    """Write ``resolutions`` (a queryset) to the file-like ``out``."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = resolutions.select_related("meeting", "community", "street", "responsible_adopter").order_by(
        "meeting_date", "id")
    for resolution in rows.iterator(chunk_size=2000):
        writer.writerow(row(resolution))
