"""The dashboard's data version follows a table: a statement-level trigger bumps it on every write.

``public_bump_dashboard_version()`` (migration public 0001) adds one to the single row of
``public_dashboarddataversion``; ``public.dashboard.cache`` keys cached figures by it. The migrations
that make the version follow a table use these two helpers, so every such trigger is the same.
"""


def follow_sql(tables) -> str:
    """Triggers that bump the data version after any write to each of ``tables``."""
    return "".join(
        f"CREATE TRIGGER public_dashboard_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION public_bump_dashboard_version();\n" for table in tables)


def unfollow_sql(tables) -> str:
    return "".join(f"DROP TRIGGER IF EXISTS public_dashboard_version ON {table};\n" for table in tables)
