"""Which column of a file sets which field of a kind: the defaults, and a user's ``--mapping``.

A mapping file is a JSON object from the file's column to the registry's field, for files whose
columns are named otherwise (a survey's 名称 and 编号, a Shapefile's NAME)::

    {"名称": "name_zh", "编号": "external_id", "保护级别": "protection_level", "备注": null}

``null`` (or ``""``) ignores a column; ``"wkt"``, ``"lon"`` and ``"lat"`` name a CSV's geometry
columns. Columns neither mapped nor named like a field (its own name, its Shapefile short name, a
common alias) are ignored and listed in the report, so a typo in a column name is visible.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dataio.schema import DERIVED_COLUMNS, column_names, importable_fields

GEOMETRY_TARGETS = ("wkt", "lon", "lat")


def load_mapping(text: str | bytes | None) -> dict[str, str | None]:
    """Parse a mapping file's content; ValidationError if it is not a JSON object of column → field."""
    if not text:
        return {}
    try:
        mapping = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(_("The mapping file is not valid JSON: %(error)s"), code="mapping_json",
                              params={"error": error}) from None
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items()):
        raise ValidationError(_("The mapping must be a JSON object from the file's column names to field names, "
                                "e.g. {\"名称\": \"name_zh\"}."), code="mapping_shape")
    return {column: (target or None) for column, target in mapping.items()}


@dataclass
class ColumnMap:
    """The resolved columns of one file for one kind."""

    fields: list[tuple[str, str, object]] = field(default_factory=list)  # (column, field name, model field)
    kind_column: str | None = None
    geometry_columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    @property
    def field_names(self) -> set[str]:
        return {name for _column, name, _field in self.fields}

    def column_of(self, field_name: str) -> str | None:
        return next((column for column, name, _field in self.fields if name == field_name), None)


def mapping_geometry_columns(mapping: dict) -> dict[str, str]:
    """The CSV geometry columns a mapping names: {"wkt": column} or {"lon": …, "lat": …}."""
    return {target: column for column, target in mapping.items() if target in GEOMETRY_TARGETS}


def resolve_columns(model, columns: list[str], mapping: dict, geometry_columns: dict) -> ColumnMap:
    """Match ``columns`` to ``model``'s fields; ValidationError for a mapping naming what does not exist."""
    fields = importable_fields(model)
    missing = sorted(set(mapping) - set(columns))
    if missing:
        raise ValidationError(_("The mapping names columns the file does not have: %(columns)s. Its columns are: "
                                "%(known)s."), code="mapping_unknown_column",
                              params={"columns": ", ".join(missing), "known": ", ".join(columns)})
    unknown = sorted({t for t in mapping.values() if t and t not in fields and t not in GEOMETRY_TARGETS})
    if unknown:
        raise ValidationError(_("The mapping names fields a %(kind)s does not have: %(fields)s. Its fields are: "
                                "%(known)s."), code="mapping_unknown_field",
                              params={"kind": model._meta.verbose_name, "fields": ", ".join(unknown),
                                      "known": ", ".join(fields)})
    result = ColumnMap(geometry_columns=dict(geometry_columns))
    chosen: dict[str, tuple[int, str]] = {}  # field → (priority, column): mapped 0, own name 1, alias 2
    for column in columns:
        if column in result.geometry_columns.values() and column not in mapping:
            continue
        priority, target = _target(model, column, mapping)
        if target in GEOMETRY_TARGETS:
            continue
        if target is None:
            if column in mapping:  # ignored on purpose
                continue
            if column.lower() == "kind":
                result.kind_column = column
            elif column.lower() not in DERIVED_COLUMNS:
                result.ignored.append(column)
            continue
        if target in chosen and chosen[target][0] == priority:
            raise ValidationError(_("Columns “%(first)s” and “%(second)s” both set the field %(field)s; map one "
                                    "of them to null."), code="mapping_twice",
                                  params={"first": chosen[target][1], "second": column, "field": target})
        if target not in chosen or priority < chosen[target][0]:
            if target in chosen:
                result.ignored.append(chosen[target][1])
            chosen[target] = (priority, column)
        else:
            result.ignored.append(column)
    result.fields = [(column, target, fields[target]) for target, (_priority, column) in chosen.items()]
    return result


def _target(model, column: str, mapping: dict) -> tuple[int, str | None]:
    """(priority, field) a column sets by the mapping, by its own name, or by a common alias."""
    if column in mapping:
        return 0, mapping[column]
    own = column_names(model, aliases=False).get(column.lower())
    if own:
        return 1, own
    return 2, column_names(model).get(column.lower())
