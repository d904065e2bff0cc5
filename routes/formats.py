"""A route as files to carry: GPX 1.1 (one track, a waypoint per stop; hikers' apps asked Geotrek
for GPX first) and KML 2.2 (a line placemark and a placemark per stop), both in WGS-84.

Written with ``xml.etree`` so every text is escaped; tests validate the GPX against the GPX 1.1
schema and read both back with GDAL.
"""

import xml.etree.ElementTree as ET

from django.utils import timezone

GPX_NS = "http://www.topografix.com/GPX/1/1"
KML_NS = "http://www.opengis.net/kml/2.2"
CREATOR = "Liwan community registry"


def _coordinates(line: dict | None) -> list:
    return line["coordinates"] if line else []


def gpx(route, stops, line: dict | None, url: str) -> bytes:
    """``stops``: the RouteStop rows in order (asset loaded); ``line``: GeoJSON LineString or None."""
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": CREATOR})
    metadata = ET.SubElement(root, f"{{{GPX_NS}}}metadata")
    ET.SubElement(metadata, f"{{{GPX_NS}}}name").text = route.display_name
    if route.description:
        ET.SubElement(metadata, f"{{{GPX_NS}}}desc").text = route.description
    ET.SubElement(metadata, f"{{{GPX_NS}}}link", {"href": url})
    ET.SubElement(metadata, f"{{{GPX_NS}}}time").text = timezone.now().replace(microsecond=0).isoformat()
    for number, stop in enumerate(stops, start=1):
        point = stop.asset.location
        waypoint = ET.SubElement(root, f"{{{GPX_NS}}}wpt", {"lat": f"{point.y:.6f}", "lon": f"{point.x:.6f}"})
        ET.SubElement(waypoint, f"{{{GPX_NS}}}name").text = f"{number}. {stop.asset.display_name}"
        if stop.note:
            ET.SubElement(waypoint, f"{{{GPX_NS}}}desc").text = stop.note
        ET.SubElement(waypoint, f"{{{GPX_NS}}}type").text = stop.asset.kind
    track = ET.SubElement(root, f"{{{GPX_NS}}}trk")
    ET.SubElement(track, f"{{{GPX_NS}}}name").text = route.display_name
    segment = ET.SubElement(track, f"{{{GPX_NS}}}trkseg")
    for lon, lat in _coordinates(line):
        ET.SubElement(segment, f"{{{GPX_NS}}}trkpt", {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def kml(route, stops, line: dict | None, url: str) -> bytes:
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    document = ET.SubElement(root, f"{{{KML_NS}}}Document")
    ET.SubElement(document, f"{{{KML_NS}}}name").text = route.display_name
    ET.SubElement(document, f"{{{KML_NS}}}description").text = f"{route.description}\n{url}".strip()
    track = ET.SubElement(document, f"{{{KML_NS}}}Placemark")
    ET.SubElement(track, f"{{{KML_NS}}}name").text = route.display_name
    line_string = ET.SubElement(track, f"{{{KML_NS}}}LineString")
    ET.SubElement(line_string, f"{{{KML_NS}}}tessellate").text = "1"
    ET.SubElement(line_string, f"{{{KML_NS}}}coordinates").text = " ".join(
        f"{lon:.6f},{lat:.6f}" for lon, lat in _coordinates(line))
    for number, stop in enumerate(stops, start=1):
        placemark = ET.SubElement(document, f"{{{KML_NS}}}Placemark")
        ET.SubElement(placemark, f"{{{KML_NS}}}name").text = f"{number}. {stop.asset.display_name}"
        if stop.note:
            ET.SubElement(placemark, f"{{{KML_NS}}}description").text = stop.note
        point = ET.SubElement(placemark, f"{{{KML_NS}}}Point")
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{stop.asset.location.x:.6f},{stop.asset.location.y:.6f}"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
