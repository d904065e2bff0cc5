"""Django discovers the core's models here; each lives in the module named for its concern."""

from registry.assets import Asset  # noqa: F401
from registry.audit import AuditEntry  # noqa: F401,E402
from registry.cluster_cells import ClusterCell  # noqa: F401
from registry.geography import Community, District, Grid, Street  # noqa: F401
from registry.map_version import MapVersion  # noqa: F401,E402
from registry.photos import Photo  # noqa: F401
from registry.staffing import StaffAssignment  # noqa: F401,E402
