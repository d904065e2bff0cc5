"""Build the files the import tests read: GeoJSON by hand, other formats with GDAL's ogr2ogr."""

import csv
import json
import subprocess
from pathlib import Path


def point(lon, lat) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def square(lon, lat, half=0.0002) -> dict:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half],
            [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


def bowtie(lon, lat, half=0.0002) -> dict:
    """A self-intersecting polygon."""
    ring = [[lon - half, lat - half], [lon + half, lat + half], [lon + half, lat - half], [lon - half, lat + half],
            [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_geojson(path: Path, features: list, crs: int | None = None) -> Path:
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs}"}}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(path: Path, header: list, rows: list, encoding="utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def ogr2ogr(destination: Path, source: Path, *options: str) -> Path:
    subprocess.run(["ogr2ogr", *options, str(destination), str(source)], check=True, capture_output=True)
    return destination


def zip_folder(destination: Path, folder: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(destination, "w") as archive:
        for member in sorted(folder.iterdir()):
            archive.write(member, member.name)
    return destination
