"""Stage events: the database keeps them append-only and in date order, and every existing
retrofit gets the events its ``stage`` implies (dated the day it was registered, marked as a
backfill), so the programme's figures start from today's data."""

from django.db import migrations

ORDER_TRIGGER = """
CREATE FUNCTION elevators_stage_event_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'stage events are append-only' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'stage_event_append_only';
    END IF;
    IF coalesce(btrim(NEW.correction_reason), '') = '' AND EXISTS (
        SELECT 1 FROM elevators_stageevent
        WHERE retrofit_id = NEW.retrofit_id AND happened_on > NEW.happened_on
    ) THEN
        RAISE EXCEPTION 'a stage event dated before the latest one needs a correction reason'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stage_event_in_date_order';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER stage_event_in_order BEFORE INSERT OR UPDATE ON elevators_stageevent
    FOR EACH ROW EXECUTE FUNCTION elevators_stage_event_in_order();
"""
DROP_ORDER_TRIGGER = """
DROP TRIGGER IF EXISTS stage_event_in_order ON elevators_stageevent;
DROP FUNCTION IF EXISTS elevators_stage_event_in_order();
"""

#: The programme stages each of the map's four stages implies, in order.
IMPLIED = {
    "application": ["accepted"],
    "planning_permit": ["accepted", "consent", "planning_permit"],
    "under_construction": ["accepted", "consent", "planning_permit", "construction"],
    "in_service": ["accepted", "consent", "planning_permit", "construction", "acceptance", "registration",
                   "in_service"],
}
BACKFILL = """
INSERT INTO elevators_stageevent (retrofit_id, stage, happened_on, document_number, note, correction_reason,
                                  recorded_at)
SELECT retrofit.asset_ptr_id, implied.stage, asset.created_at::date, '', 'backfilled from the stage', '', now()
FROM retrofits_elevatorretrofit retrofit
JOIN registry_asset asset ON asset.id = retrofit.asset_ptr_id
JOIN (VALUES {values}) AS implied(map_stage, stage, position) ON implied.map_stage = retrofit.stage
ORDER BY retrofit.asset_ptr_id, implied.position
"""


def backfill_sql() -> str:
    values = ", ".join(f"('{map_stage}', '{stage}', {position})"
                       for map_stage, stages in IMPLIED.items() for position, stage in enumerate(stages))
    return BACKFILL.format(values=values)


class Migration(migrations.Migration):

    dependencies = [
        ("elevators", "0001_initial"),
        ("retrofits", "0002_building_facts"),
    ]

    operations = [
        migrations.RunSQL(ORDER_TRIGGER, DROP_ORDER_TRIGGER),
        migrations.RunSQL(backfill_sql(), "DELETE FROM elevators_stageevent WHERE note = 'backfilled from the stage'"),
    ]
