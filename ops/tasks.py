"""The operator's periodic tasks on the job queue (procrastinate; docs/jobs.md), run by the same
workers as the imports, instead of cron lines: reminder sending (daily) and the orphan-photo sweep
(hourly). Each is also a command (``send_reminders``, ``send_green_channel_reminders``,
``cleanup_orphan_photos``) for a one-off run; both ways are idempotent (a reminder already sent is
never sent again), so a task run twice, or beside cron, does no harm.
"""

import datetime

from procrastinate.contrib.django import app

from adoption.reminders import send_due_reminders
from elevators.reminders import send_green_channel_digests
from registry.photos.storage import delete_quietly, orphan_files

#: Files younger than this are left alone: their transaction may not have committed yet.
ORPHAN_MIN_AGE = datetime.timedelta(hours=1)


@app.periodic(cron="0 8 * * *", periodic_id="adoption-reminders")
@app.task(name="ops.send_adoption_reminders", queue="maintenance", queueing_lock="adoption-reminders")
def send_adoption_reminders(timestamp: int) -> dict:
    counts = send_due_reminders()
    return {"ending_soon": counts.ending_soon, "care_overdue": counts.care_overdue}


@app.periodic(cron="5 8 * * *", periodic_id="green-channel-digests")
@app.task(name="ops.send_green_channel_digests", queue="maintenance", queueing_lock="green-channel-digests")
def send_green_channel_reminders(timestamp: int) -> int:
    return send_green_channel_digests()


@app.periodic(cron="17 * * * *", periodic_id="orphan-photos")
@app.task(name="ops.sweep_orphan_photos", queue="maintenance", queueing_lock="orphan-photos")
def sweep_orphan_photos(timestamp: int) -> int:
    orphans = orphan_files(ORPHAN_MIN_AGE)
    delete_quietly(orphans)
    return len(orphans)
