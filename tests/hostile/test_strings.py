"""Hostile strings in every text field people can write to, and in the searches anyone can run.

NUL characters (PostgreSQL cannot store them) and 100 KB values are refused with the field
named. Markup and SQL-looking text are ordinary text: stored as typed, shown escaped, and never
run — checked on the pages that show them.
"""

from urllib.parse import quote

import pytest

from problems.models import ProblemReport
from tests.hostile.endpoints import ALL, REPORT, SIGN_UP, TEXT_FIELDS

pytestmark = pytest.mark.django_db

XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"
SQL = "'; DROP TABLE registry_asset; --"
RTL = "荔湾\u202egnp.exe"
ZERO_WIDTH = "荔\u200b湾\u200b志愿者"
NUL = "荔湾\x00志愿者"
HUGE = "荔" * 100_000

REFUSED = {"NUL": NUL, "100 KB": HUGE}
TEXT = {"XSS": XSS, "SQL": SQL, "RTL override": RTL, "zero-width": ZERO_WIDTH}


def field_errors(response, field) -> bool:
    if response.get("Content-Type", "").startswith("application/json"):
        return field in response.json()
    return field in response.context["form"].errors


@pytest.mark.parametrize("endpoint", ALL, ids=lambda e: e.name)
def test_each_endpoints_valid_request_is_accepted(client, world, endpoint):
    """The baseline the other tests poison: without a hostile value, the request goes through."""
    response = endpoint.send(client, world)
    assert response.status_code in (201, 302), (response.status_code, response.content[:1000])


@pytest.mark.parametrize("label", REFUSED)
@pytest.mark.parametrize("endpoint, field", TEXT_FIELDS, ids=lambda v: getattr(v, "name", v))
def test_nul_and_huge_text_is_refused_with_the_field_named(client, guard, world, endpoint, field, label):
    response = endpoint.send(client, world, **{field: REFUSED[label]})
    guard.refused(response)
    assert field_errors(response, field), response.content[:1000]


@pytest.mark.parametrize("value", [RTL, ZERO_WIDTH, "荔湾\u2067志愿者", "\ufeff荔湾"],
                         ids=["RTL override", "zero-width space", "RTL isolate", "BOM"])
@pytest.mark.parametrize("endpoint, field", [(SIGN_UP, "person_name"), (SIGN_UP, "public_name"),
                                             (REPORT, "reporter_name")], ids=lambda v: getattr(v, "name", v))
def test_invisible_and_direction_characters_in_a_name_are_refused(client, guard, world, endpoint, field, value):
    """A public name must read as it is: no "gpj.exe" shown as "exe.jpg", no look-alike of another."""
    response = endpoint.send(client, world, **{field: value})
    guard.refused(response)
    assert field_errors(response, field)


@pytest.mark.parametrize("label", TEXT)
def test_markup_and_sql_text_is_stored_as_typed_and_shown_escaped(client, world, label):
    value = TEXT[label]
    response = REPORT.send(client, world, description=value, reporter_name="")
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.description == value
    client.force_login(world["west_staff"])
    page = client.get(f"/staff/problems/{report.pk}/").content.decode()
    assert "<img src=x" not in page and "<script>alert" not in page
    if label == "XSS":
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert client.get("/").status_code == 200  # the table is still there


SEARCHES = {"XSS": XSS, "SQL": SQL, "RTL": RTL, "zero-width": ZERO_WIDTH, "NUL": NUL, "100 KB": HUGE[:20_000],
            "percent": "%", "underscore": "_", "backslash": "\\", "or-1=1": "' OR 1=1 --"}


@pytest.mark.parametrize("url", ["/search.json?q=", "/api/v1/assets/?q=", "/staff/?q=", "/api/v1/assets/?street=",
                                 "/tiles/14/13358/7119.pbf?street=", "/ogc/collections/garden/items?street=",
                                 "/export.geojson?street=", "/api/v1/problems/?category="])
def test_hostile_search_and_filter_values_are_answered_without_an_error(client, guard, world, url):
    client.force_login(world["west_staff"])
    for label, value in SEARCHES.items():
        response = client.get(url + quote(value), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (200, 400), (label, response.status_code, response.content[:500])
        if label == "NUL":
            assert response.status_code == 400
    guard.unchanged()


# A 100 KB description is long but allowed (a text field); names and the address are not.
@pytest.mark.parametrize("field, label", [(field, label) for field in ("name_zh", "name_en", "address", "description")
                                          for label in REFUSED if (field, label) != ("description", "100 KB")])
def test_nul_and_huge_text_in_the_admin_asset_form_are_form_errors(client, guard, world, field, label):
    from tests.hostile.html_forms import form_data

    client.force_login(world["admin"])
    url = f"/admin/gardens/greenplot/{world['plot'].pk}/change/"
    data = form_data(client.get(url).content.decode(), "greenplot_form")
    guard.before = guard.state()
    response = client.post(url, {**data, field: [REFUSED[label]]}, HTTP_ACCEPT_LANGUAGE="en")
    guard.refused(response)
    assert field in response.context["adminform"].form.errors
