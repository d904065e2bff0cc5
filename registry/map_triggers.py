"""The SQL of the triggers that stamp the map's blocks (see registry migration 0018), for the migrations
of every app whose table the map draws. Kept stable: migrations import it."""

#: The triggers of ``table`` (its rows are assets or point at one: ``mode``); ``changed``: the SQL condition on
#: ``o`` (old row) and ``n`` (new row) of an UPDATE that changed something the map draws.
def triggers_sql(table: str, prefix: str, mode: str, changed: str) -> str:
    changed = changed.replace("'", "''")
    return f"""
CREATE TRIGGER {prefix}_map_inserted AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_map_changed('{mode}', '{changed}');
CREATE TRIGGER {prefix}_map_updated AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_map_changed('{mode}', '{changed}');
CREATE TRIGGER {prefix}_map_deleted AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_map_changed('{mode}', '{changed}');
CREATE TRIGGER {prefix}_map_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION registry_map_changed('{mode}', '{changed}');
"""


def drop_triggers_sql(table: str, prefix: str) -> str:
    return "".join(f"DROP TRIGGER IF EXISTS {prefix}_map_{event} ON {table};\n"
                   for event in ("inserted", "updated", "deleted", "truncated"))


#: Any change of an asset's row may change its feature (or whether and where it is drawn).
ANY_COLUMN = "o::text IS DISTINCT FROM n::text"

