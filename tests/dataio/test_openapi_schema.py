"""The OpenAPI schema is an interface other people's clients are generated from: it changes only
on purpose. ``docs/api/openapi.yaml`` is the published copy; regenerate it with
``.venv/bin/python manage.py spectacular --lang en --file docs/api/openapi.yaml`` when an API change is meant."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

PUBLISHED = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"


def test_the_schema_is_byte_for_byte_the_published_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--file", str(generated))
    assert generated.read_bytes() == PUBLISHED.read_bytes(), (
        "The OpenAPI schema changed. If that is meant, regenerate docs/api/openapi.yaml (see this test's docstring).")
