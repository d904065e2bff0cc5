"""OpenStreetMap XML: each asset as a node, a way or a multipolygon, tagged the way OSM maps such things.

For sharing with the OSM community (who review before anything is uploaded: the file uses new,
negative ids and is never uploaded by the registry). Tags by kind, chosen from established OSM
practice (wiki.openstreetmap.org):

=====================  ==============================================================================
neighbourhood garden   ``leisure=garden`` + ``garden:type=community``
green plot             by vegetation: lawn/mixed ``landuse=grass``, flower bed ``landuse=flowerbed``,
                       shrubs ``natural=scrub``, trees ``natural=wood``, vegetables
                       ``landuse=allotments``
painted box            ``man_made=street_cabinet`` + ``street_cabinet=power`` (an electrical box),
                       with its painting as ``tourism=artwork`` + ``artwork_type=mural``
mural / relief wall    ``tourism=artwork`` + ``artwork_type=mural`` or ``relief``
heritage building      ``building=yes`` + ``historic=building``; relic protection units also
                       ``heritage=N`` with N the admin_level of the body that lists them (national 2,
                       provincial 4, municipal 5, district 6), as Key:heritage prescribes
elevator retrofit      in service ``highway=elevator``; before that ``construction:highway=elevator``
=====================  ==============================================================================

Every element also gets ``name`` (Chinese, the local language, per the China tagging guidelines),
``name:zh``, ``name:en``, ``description``, ``addr:full``, the artist as ``artist_name``, the date
painted as ``start_date``, themes and motifs as ``subject``, and — in full (staff) exports — the
registry's external id as ``ref:liwan_registry`` so a later import can match it.
"""

from itertools import count
from typing import Iterable, Iterator
from xml.sax.saxutils import quoteattr

from django.utils import translation

from dataio.exporting.rows import ExportRow
from heritage.models import Motif

GREEN_PLOT_TAGS = {
    "lawn": {"landuse": "grass"}, "mixed": {"landuse": "grass"}, "flower_bed": {"landuse": "flowerbed"},
    "shrubs": {"natural": "scrub"}, "trees": {"natural": "wood"}, "vegetables": {"landuse": "allotments"},
}
HERITAGE_LEVELS = {"national": "2", "provincial": "4", "municipal": "5", "district": "6"}
COORDINATE_FORMAT = "{:.7f}"  # OSM stores 7 decimals (≈ 1 cm)


def kind_tags(kind: str, values: dict) -> dict:
    """The tags that say what the asset is."""
    if kind == "garden":
        return {"leisure": "garden", "garden:type": "community"}
    if kind == "green_plot":
        return dict(GREEN_PLOT_TAGS.get(values.get("vegetation"), {"landuse": "grass"}))
    if kind == "painted_box":
        return {"man_made": "street_cabinet", "street_cabinet": "power", "tourism": "artwork", "artwork_type": "mural"}
    if kind == "mural":
        return {"tourism": "artwork", "artwork_type": "relief" if values.get("wall_type") == "relief" else "mural"}
    if kind == "heritage":
        tags = {"building": "yes", "historic": "building"}
        if values.get("protection_level") in HERITAGE_LEVELS:
            tags["heritage"] = HERITAGE_LEVELS[values["protection_level"]]
        return tags
    if kind == "elevator":
        return {"highway": "elevator"} if values.get("stage") == "in_service" else {"construction:highway": "elevator"}
    return {}


def _subject(values: dict) -> str:
    """A painted box's theme, or a mural's motifs by their English labels (OSM's lingua franca for values)."""
    if values.get("artwork_theme"):
        return values["artwork_theme"]
    with translation.override("en"):
        return ";".join(str(Motif(m).label) for m in values.get("motif_tags") or [] if m in Motif.values)


def osm_tags(row: ExportRow) -> dict:
    values = row.values
    tags = kind_tags(row.kind, values)
    extra = {
        "name": values.get("name_zh"), "name:zh": values.get("name_zh"), "name:en": values.get("name_en"),
        "description": values.get("description"), "addr:full": values.get("address"),
        "artist_name": values.get("painter") or values.get("artist"),
        "start_date": values["painted_on"].isoformat() if values.get("painted_on") else None,
        "subject": _subject(values), "ref:liwan_registry": values.get("external_id"),
    }
    tags.update({key: str(value) for key, value in extra.items() if value not in (None, "")})
    return tags


class OsmDocument:
    """Builds the XML: nodes stream out first, ways and relations are held and follow (OSM's order)."""

    def __init__(self):
        self.ids = count(-1, -1)
        self.ways: list[str] = []
        self.relations: list[str] = []

    def node(self, lon, lat, tags=None) -> tuple[int, str]:
        ref = next(self.ids)
        attributes = f'id="{ref}" lat="{COORDINATE_FORMAT.format(lat)}" lon="{COORDINATE_FORMAT.format(lon)}"'
        if not tags:
            return ref, f"  <node {attributes}/>\n"
        return ref, f"  <node {attributes}>\n{_tags(tags)}  </node>\n"

    def way(self, coordinates, tags=None) -> tuple[int, list[str]]:
        """A way through ``coordinates`` (a closed ring repeats its first node); returns its id and node XML."""
        ring = len(coordinates) > 3 and tuple(coordinates[0]) == tuple(coordinates[-1])
        points = coordinates[:-1] if ring else coordinates
        nodes = [self.node(*xy) for xy in points]
        refs = [ref for ref, _xml in nodes] + ([nodes[0][0]] if ring else [])
        way_id = next(self.ids)
        members = "".join(f'    <nd ref="{ref}"/>\n' for ref in refs)
        self.ways.append(f'  <way id="{way_id}">\n{members}{_tags(tags or {})}  </way>\n')
        return way_id, [xml for _ref, xml in nodes]

    def feature(self, geometry, tags) -> Iterator[str]:
        kind = geometry.geom_type
        if kind == "Point":
            yield self.node(geometry.x, geometry.y, tags)[1]
        elif kind == "LineString":
            yield from self.way(geometry.coords, tags)[1]
        elif kind == "MultiLineString":
            for line in geometry:
                yield from self.way(line.coords, tags)[1]
        elif kind == "Polygon" and len(geometry) == 1:
            yield from self.way(geometry.exterior_ring.coords, tags)[1]
        else:  # a polygon with holes, or several polygons: a multipolygon relation
            yield from self._multipolygon(geometry if kind == "MultiPolygon" else [geometry], tags)

    def _multipolygon(self, polygons, tags) -> Iterator[str]:
        members = []
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                way_id, nodes = self.way(ring.coords)
                yield from nodes
                members.append(f'    <member type="way" ref="{way_id}" role="{"outer" if index == 0 else "inner"}"/>\n')
        relation_tags = {"type": "multipolygon", **tags}
        self.relations.append(f'  <relation id="{next(self.ids)}">\n{"".join(members)}{_tags(relation_tags)}'
                              f"  </relation>\n")


def _tags(tags: dict) -> str:
    return "".join(f"    <tag k={quoteattr(key)} v={quoteattr(value)}/>\n" for key, value in tags.items())


def osm_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The OSM XML document for ``rows``, as text chunks."""
    document = OsmDocument()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="Liwan garden registry">\n'
    for row in rows:
        yield from document.feature(row.geometry, osm_tags(row))
    yield from document.ways
    yield from document.relations
    yield "</osm>\n"
