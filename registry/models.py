"""Django discovers the registry's models here; each lives in the module named for its concern."""

from registry.adoption import Adopter, Adoption  # noqa: F401
from registry.assets import Asset  # noqa: F401
from registry.care import UpkeepLog, UpkeepSchedule  # noqa: F401
from registry.geography import Community, District, Grid, Street  # noqa: F401
from registry.photos import Photo  # noqa: F401
from registry.map_version import MapVersion  # noqa: F401,E402
from registry.audit import AuditEntry  # noqa: F401,E402
from registry.staffing import StaffAssignment  # noqa: F401,E402
