"""The rules the database keeps for projects, whoever writes the rows:

* ``projects_no_cycle``: a project's parent may not be the project itself or one of its
  descendants (a recursive CTE up from the new parent); SQLSTATE 23514 (check_violation).
* ``projects_phase_event_append_only``: a phase event is never updated (the history is kept).
* ``projects_rollup``: ``rolled_progress`` is maintained on every change of progress, phase,
  parent or weight: a project with children shows the weighted mean of its children's progress,
  any other its milestone's progress or else its phase's default (``projects_phase_progress``,
  which must agree with ``projects.phases.DEFAULT_PROGRESS``; a test checks it). The change walks
  up the ancestors, so a read never computes anything.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION projects_phase_progress(phase text) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE phase
        WHEN 'proposal' THEN 0 WHEN 'consultation' THEN 10 WHEN 'design' THEN 20
        WHEN 'approval' THEN 30 WHEN 'construction' THEN 50 WHEN 'acceptance' THEN 90
        WHEN 'in_use' THEN 100 ELSE 0 END::numeric
$$;

CREATE FUNCTION projects_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE ancestors(id, parent_id) AS (
            SELECT id, parent_id FROM projects_project WHERE id = NEW.parent_id
            UNION
            SELECT p.id, p.parent_id FROM projects_project p JOIN ancestors a ON p.id = a.parent_id
        )
        SELECT 1 FROM ancestors WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'project % cannot be part of its own descendant %', NEW.id, NEW.parent_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'project_parent_no_cycle';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER projects_no_cycle BEFORE INSERT OR UPDATE OF parent_id ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_no_cycle();

CREATE FUNCTION projects_phase_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'phase events are append-only' USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER projects_phase_event_append_only BEFORE UPDATE ON projects_phaseevent
    FOR EACH ROW EXECUTE FUNCTION projects_phase_event_append_only();

CREATE FUNCTION projects_refresh_progress(start_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    current_id bigint := start_id;
    value numeric;
BEGIN
    WHILE current_id IS NOT NULL LOOP
        SELECT CASE
                 WHEN EXISTS (SELECT 1 FROM projects_project c WHERE c.parent_id = p.id) THEN
                   (SELECT round(sum(c.rolled_progress * c.weight) / sum(c.weight), 1)
                      FROM projects_project c WHERE c.parent_id = p.id)
                 ELSE coalesce(p.progress, projects_phase_progress(p.phase))
               END
          INTO value FROM projects_project p WHERE p.id = current_id;
        UPDATE projects_project SET rolled_progress = value
         WHERE id = current_id AND rolled_progress IS DISTINCT FROM value;
        SELECT parent_id INTO current_id FROM projects_project WHERE id = current_id;
    END LOOP;
END $$;

CREATE FUNCTION projects_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM projects_refresh_progress(NEW.id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.parent_id IS DISTINCT FROM NEW.parent_id) THEN
        PERFORM projects_refresh_progress(OLD.parent_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER projects_rollup_insert AFTER INSERT ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_rollup();
CREATE TRIGGER projects_rollup_change AFTER UPDATE OF progress, phase, parent_id, weight ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_rollup();
CREATE TRIGGER projects_rollup_delete AFTER DELETE ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_rollup();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS projects_rollup_delete ON projects_project;
DROP TRIGGER IF EXISTS projects_rollup_change ON projects_project;
DROP TRIGGER IF EXISTS projects_rollup_insert ON projects_project;
DROP FUNCTION IF EXISTS projects_rollup();
DROP FUNCTION IF EXISTS projects_refresh_progress(bigint);
DROP TRIGGER IF EXISTS projects_phase_event_append_only ON projects_phaseevent;
DROP FUNCTION IF EXISTS projects_phase_event_append_only();
DROP TRIGGER IF EXISTS projects_no_cycle ON projects_project;
DROP FUNCTION IF EXISTS projects_no_cycle();
DROP FUNCTION IF EXISTS projects_phase_progress(text);
"""


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
