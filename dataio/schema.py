"""Which columns an asset has in a file, under which names, and how a cell becomes a field value.

Written once for imports and exports, so that what one writes the other reads back:

* **Importable fields**: the common ones (:data:`COMMON_FIELDS`) plus every field a kind adds
  (a garden's theme, a heritage building's protection level, …), taken from the kind's model so
  a new field is importable without touching this module.
* **Derived columns** (:data:`DERIVED_COLUMNS`): written by exports for the reader's benefit
  (id, kind, street, area…), ignored by imports: the registry derives them itself.
* **Private columns** (:data:`PRIVATE_COLUMNS`): left out of public exports.
* **Shapefile names**: DBF column names hold at most 10 characters; :data:`SHORT_NAMES` gives
  the longer ones a fixed short name, written by the Shapefile export and read by imports (which
  also recognise the first 10 characters, as other tools truncate).
* **Cells**: :func:`cell_to_value` turns what a file holds (text from a CSV, numbers, dates,
  ``;``-separated lists, a choice's label in Chinese or English) into a field's value, with the
  model field's own validation, so a file is held to the same rules as a form.
  An import parses cells with :func:`parse_cell` instead: for the fields :func:`sql_checked`
  accepts, the constraints (required, length, choices, numeric range) are checked afterwards in
  SQL over the whole file (``dataio.importing.field_checks``), and a cell found wrong there is
  worded by :func:`cell_to_value`, so the message is the same.
"""

import datetime
import re

from django.contrib.postgres.fields import ArrayField
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from registry.assets import Asset

COMMON_FIELDS = ("external_id", "name_zh", "name_en", "address", "status", "description", "is_public",
                 "is_adoptable")
#: Columns exports add and imports ignore.
DERIVED_COLUMNS = ("id", "kind", "street", "community", "grid", "area_m2", "adopter", "lon", "lat")
#: Columns public exports leave out.
PRIVATE_COLUMNS = frozenset({"external_id", "is_public"})
DBF_NAME_LENGTH = 10
#: DBF (Shapefile) names of the columns longer than 10 characters.
SHORT_NAMES = {
    "external_id": "ext_id",
    "description": "descriptn",
    "is_adoptable": "adoptable",
    "parking_spaces": "parking",
    "watering_needs": "watering",
    "artwork_theme": "art_theme",
    "protection_level": "protection",
    "renovation_history": "renovation",
    "custody_mode": "custody",
    "maintenance_contractor": "contractor",
    "next_inspection_on": "next_insp",
    "subsidy_yuan": "subsidy",
    "residents_yuan": "residents",
    "other_yuan": "other_fund",
    "registration_code": "reg_code",
    "is_priority": "priority",
}
#: Other names a column commonly has in files (KML placemarks have Name and Description).
ALIASES = {"name": "name_zh", "名称": "name_zh", "编号": "external_id", "地址": "address",
           "描述": "description", "状态": "status"}
#: Separators of list cells (motifs, facilities): ASCII and full-width semicolons, the enumeration comma.
LIST_SEPARATORS = re.compile(r"\s*[;；、]\s*")
TRUE_WORDS = {"1", "true", "t", "yes", "y", "on", "是", "真"}
FALSE_WORDS = {"0", "false", "f", "no", "n", "off", "否", "假"}


def kind_fields(model) -> list[models.Field]:
    """The fields a kind adds to the common asset (its own table's columns but the link to Asset)."""
    if model is Asset:
        return []
    return [f for f in model._meta.local_concrete_fields
            if not f.primary_key and not f.is_relation and not getattr(f, "generated", False)]


def importable_fields(model) -> dict[str, models.Field]:
    """Field name → model field, for every column an import may set on ``model``."""
    fields = {name: model._meta.get_field(name) for name in COMMON_FIELDS}
    fields.update({f.name: f for f in kind_fields(model)})
    return fields


def required_fields(model) -> list[str]:
    """Fields a new row must fill: neither blank-able nor defaulted (name_zh; protection level…)."""
    return [name for name, field in importable_fields(model).items()
            if not field.blank and not field.has_default()]


def column_names(model, aliases: bool = True) -> dict[str, str]:
    """Lower-cased name a file may use → field name: the field's own, its Shapefile name, aliases."""
    names = {}
    for name in importable_fields(model):
        names[name] = name
        names.setdefault(name[:DBF_NAME_LENGTH], name)  # how ogr2ogr truncates names for a Shapefile
        if name in SHORT_NAMES:
            names[SHORT_NAMES[name]] = name
    if aliases:
        for alias, name in ALIASES.items():
            names.setdefault(alias, name)
    return names


def _choice_lookup(field) -> dict[str, str]:
    """A choice's value, or its label in any site language, lower-cased → the value."""
    lookup = {}
    for value, label in field.flatchoices:
        lookup[str(value).lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup.setdefault(str(label).strip().lower(), value)
    return lookup


def _is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _boolean(raw):
    if isinstance(raw, bool) or raw is None:
        return raw
    word = str(raw).strip().lower()
    if word.endswith(".0"):  # 1.0 / 0.0 from spreadsheets
        word = word[:-2]
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no (use true/false, 1/0 or 是/否)."),
                          code="not_boolean", params={"value": raw})


def _list(raw) -> list:
    if isinstance(raw, (list, tuple)):
        return [str(item).strip() for item in raw if str(item).strip()]
    return [item for item in LIST_SEPARATORS.split(str(raw).strip()) if item]


def cell_text(raw) -> str:
    """A cell as text: what a text field (an external id, a name) gets from it."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # an id typed into a spreadsheet: 1001.0 means "1001"
    if isinstance(raw, (datetime.date, datetime.datetime)):
        return raw.isoformat()
    return str(raw).strip()


def empty_value(field):
    """What an empty cell sets: the default if there is one, else None or "" as the field allows."""
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


def cell_to_value(field, raw, lookups: dict | None = None):
    """The value of ``field`` for the cell ``raw``; raise ValidationError (field's own messages) if invalid.

    ``lookups`` caches choice lookups between calls (pass the same dict for a whole file).
    """
    if _is_empty(raw):
        value = empty_value(field)
        if not field.blank and value in (None, "", []):
            raise ValidationError(_("This field is required."), code="required")
        return value
    if isinstance(field, models.BooleanField):
        value = _boolean(raw)
    elif isinstance(field, ArrayField):
        value = [_choice(field.base_field, item, lookups) for item in _list(raw)]
    elif isinstance(field, (models.CharField, models.TextField)):
        value = _choice(field, cell_text(raw), lookups)
    elif isinstance(field, models.DateField) and isinstance(raw, str):
        value = raw.strip()[:10]  # "2021-05-01T00:00:00" from some writers
    else:
        value = raw
    return field.clean(value, None)


#: The validators dataio.importing.field_checks can check in SQL; a field with any other is checked in Python.
SQL_VALIDATORS = (validators.MaxLengthValidator, validators.MinValueValidator, validators.MaxValueValidator)
SQL_TYPES = ("CharField", "TextField", "DateField", "SmallIntegerField", "PositiveSmallIntegerField", "IntegerField",
             "PositiveIntegerField", "BigIntegerField", "PositiveBigIntegerField")


def sql_checked(field) -> bool:
    """Whether an import checks ``field``'s constraints in SQL: text, dates and integers whose validators are all
    of :data:`SQL_VALIDATORS`. Lists, booleans and decimals keep their whole check in Python."""
    return (field.get_internal_type() in SQL_TYPES and not isinstance(field, ArrayField)
            and all(type(validator) in SQL_VALIDATORS for validator in field.validators))


def parse_cell(field, raw, lookups: dict | None = None):
    """The value :func:`cell_to_value` would give a :func:`sql_checked` field, only parsed (text, a choice's
    label → its value, a date, an integer; ValidationError if it is none of these): its constraints are
    left to SQL. Other fields go through :func:`cell_to_value` (see :func:`cell_reader`)."""
    if _is_empty(raw):
        return empty_value(field)
    if isinstance(field, (models.CharField, models.TextField)):
        return _choice(field, cell_text(raw), lookups)  # text already: the field's to_python() would return it
    if isinstance(field, models.DateField) and isinstance(raw, str):
        raw = raw.strip()[:10]
    return field.to_python(raw)


def cell_reader(field):
    """The function an import reads ``field``'s cells with: :func:`parse_cell` or :func:`cell_to_value`."""
    return parse_cell if sql_checked(field) else cell_to_value


def _choice(field, value, lookups):
    if not field.choices:
        return value
    if lookups is None:
        lookups = {}
    if field not in lookups:
        lookups[field] = _choice_lookup(field)
    return lookups[field].get(str(value).strip().lower(), value)


def value_to_cell(value):
    """A field value as a flat file holds it: lists joined with ';', dates ISO, the rest unchanged."""
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
