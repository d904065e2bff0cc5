"""OpenStreetMap XML in: which elements are assets of a kind, and which of their tags fill which field.

The reverse of :mod:`dataio.exporting.osm`, so an OSM export imports back, and an extract from
OpenStreetMap (murals or gardens the community mapped) can seed the registry. GDAL's OSM driver
reads the file (points, lines, multipolygons); an element's tags are its columns plus the
``other_tags`` hstore text. Elements that are not of the kind being imported are skipped, not
refused: an OSM file holds every sort of thing. What OSM does not carry (status, seats, a plot's
watering needs…) takes the field's default.
"""

import re

from django.contrib.gis.gdal.libgdal import lgdal

from dataio.exporting.osm import GREEN_PLOT_TAGS, HERITAGE_LEVELS

HSTORE_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
ELEMENT_ID_COLUMNS = ("osm_id", "osm_way_id")
COMMON = {"external_id": ("ref:liwan_registry",), "name_zh": ("name:zh", "name"), "name_en": ("name:en",),
          "description": ("description",), "address": ("addr:full",)}
KIND_TAGS = {
    "painted_box": {"artwork_theme": ("subject",), "painter": ("artist_name",), "painted_on": ("start_date",)},
    "mural": {"artist": ("artist_name",), "painted_on": ("start_date",), "motif_tags": ("subject",),
              "wall_type": ("artwork_type",)},
}
VEGETATION = {next(iter(tags.items())): vegetation for vegetation, tags in GREEN_PLOT_TAGS.items()
              if tags != {"landuse": "grass"}}  # grass stands for lawn and mixed alike: left to the default
PROTECTION = {level: name for name, level in HERITAGE_LEVELS.items()}


def allow_new_element_ids() -> None:
    """Files not yet uploaded to OSM use negative ids; GDAL's OSM driver reads them with its generic index."""
    lgdal.CPLSetConfigOption(b"OSM_USE_CUSTOM_INDEXING", b"NO")


def tags_of(cells: dict) -> dict:
    """An element's tags: the driver's own columns and the ``other_tags`` hstore text."""
    tags = {key: str(value) for key, value in cells.items()
            if value not in (None, "") and key not in ("other_tags", "z_order", *ELEMENT_ID_COLUMNS)}
    for key, value in HSTORE_PAIR.findall(cells.get("other_tags") or ""):
        tags[_unescape(key)] = _unescape(value)
    return tags


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def element_id(cells: dict) -> int | None:
    for column in ELEMENT_ID_COLUMNS:
        if cells.get(column) not in (None, ""):
            return int(cells[column])
    return None


def kind_of(tags: dict) -> str | None:
    """The registry kind an element's tags describe, or None (order matters: a painted cabinet is artwork too)."""
    if tags.get("man_made") == "street_cabinet" and tags.get("tourism") == "artwork":
        return "painted_box"
    if tags.get("tourism") == "artwork" and tags.get("artwork_type") in ("mural", "relief"):
        return "mural"
    if tags.get("leisure") == "garden":
        return "garden"
    if tags.get("historic") == "building" or (tags.get("building") and tags.get("heritage")):
        return "heritage"
    if "elevator" in (tags.get("highway"), tags.get("construction:highway")):
        return "elevator"
    if any((key, value) in VEGETATION for key, value in tags.items()) or tags.get("landuse") == "grass":
        return "green_plot"
    return None


def columns_for(kind: str) -> list[str]:
    """The columns an OSM row of ``kind`` has once its tags are read."""
    extra = {"green_plot": ["vegetation"], "heritage": ["protection_level"], "elevator": ["stage"]}.get(kind, [])
    return [*COMMON, *KIND_TAGS.get(kind, {}), *extra]


def cells_for(kind: str, tags: dict) -> dict:
    """The row's cells for ``kind`` from its tags (a missing tag is an empty cell: the field's default)."""
    cells = {}
    for column, keys in {**COMMON, **KIND_TAGS.get(kind, {})}.items():
        cells[column] = next((tags[key] for key in keys if tags.get(key)), None)
    if kind == "green_plot":
        cells["vegetation"] = next((v for (key, value), v in VEGETATION.items() if tags.get(key) == value), None)
    elif kind == "heritage":
        cells["protection_level"] = PROTECTION.get(tags.get("heritage", ""))
    elif kind == "elevator":
        cells["stage"] = "in_service" if tags.get("highway") == "elevator" else None
    return cells
