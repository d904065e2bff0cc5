from django.db import migrations

# Check-in spots are a map filter (public.tiles.filters ``checkin=1``): cached tiles are keyed by the
# map version, so marking or unmarking a spot bumps it, as asset and adoption changes do.
SQL = """
CREATE TRIGGER routes_checkinspot_map_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routes_checkinspot
FOR EACH STATEMENT EXECUTE FUNCTION registry_bump_map_version();
"""


class Migration(migrations.Migration):
    dependencies = [("routes", "0001_initial"), ("registry", "0005_map_version_upsert")]

    operations = [migrations.RunSQL(SQL, "DROP TRIGGER IF EXISTS routes_checkinspot_map_version ON routes_checkinspot;")]
