"""Applying to adopt at /assets/<id>/adopt/: the rules, bad input, and what the asset shows meanwhile."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import Adoption, AdoptionStatus
from adoption.operations import apply_for_adoption
from adoption.views import APPLY_RATE_PER_ACCOUNT
from registry.audit import AuditEntry
from tests.adoption.conftest import days, make_adopter
from tests.factories import AdoptionFactory, GreenPlotFactory, MuralFactory, square

pytestmark = pytest.mark.django_db


def application(**changes):
    data = {"first_day": days(1).isoformat(), "last_day": days(365).isoformat(),
            "duties": "每周浇水两次，每月除草", "care_interval_days": "7", "people": "5", "website": ""}
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client, adopter):
    client.force_login(adopter.user)
    return client


def url(asset):
    return f"/assets/{asset.pk}/adopt/"


def test_the_asset_page_links_to_the_application(client, west_plot):
    assert url(west_plot) in client.get(f"/assets/{west_plot.pk}/").content.decode()


def test_a_visitor_is_sent_to_sign_up_and_back(client, west_plot):
    response = client.get(url(west_plot))
    assert response.status_code == 302 and response["Location"] == f"/adopt/?next={url(west_plot)}"


def test_an_adopter_applies_and_the_asset_shows_adoption_pending(signed_in, adopter, west_plot):
    response = signed_in.post(url(west_plot), application())
    assert response.status_code == 302 and response["Location"] == "/me/"
    adoption = Adoption.objects.get()
    assert (adoption.adopter, adoption.asset_id, adoption.status) == (adopter, west_plot.pk, AdoptionStatus.REQUESTED)
    assert (adoption.first_day, adoption.last_day) == (days(1), days(365))
    assert (adoption.duties, adoption.care_interval_days, adoption.people) == ("每周浇水两次，每月除草", 7, 5)
    assert AuditEntry.objects.filter(action="adoption.apply", object_id=adoption.pk, asset=west_plot).exists()
    page = signed_in.get(f"/assets/{west_plot.pk}/").content.decode()
    assert "An application to adopt it is being reviewed." in page
    assert signed_in.get(f"/assets/{west_plot.pk}/popup.json").json()["pending"] is True


def test_a_period_that_ends_before_it_starts_is_refused(signed_in, west_plot):
    response = signed_in.post(url(west_plot), application(first_day=days(10).isoformat(),
                                                          last_day=days(5).isoformat()))
    assert "The adoption cannot end before it starts." in response.content.decode()
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("changes, message", [
    ({"first_day": days(-3).isoformat()}, "The adoption cannot start in the past."),
    ({"last_day": days(5 * 365).isoformat()}, "at most three years"),
    ({"duties": ""}, "This field is required."),
    ({"first_day": "2025-13-40"}, "Enter a valid date."),
    ({"people": "0"}, "greater than or equal to 1"),
    ({"care_interval_days": "abc"}, "Enter a whole number."),
])
def test_bad_application_input_is_refused(signed_in, west_plot, changes, message):
    response = signed_in.post(url(west_plot), application(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Adoption.objects.exists()


def test_an_asset_that_is_not_adoptable_is_refused(signed_in, district):
    mural = MuralFactory()  # murals are not adoptable
    assert "This asset cannot be adopted." in signed_in.get(url(mural)).content.decode()
    response = signed_in.post(url(mural), application())
    assert "This asset cannot be adopted." in response.content.decode()
    assert not Adoption.objects.exists()


def test_an_asset_that_already_has_an_adopter_is_refused(signed_in, west_plot):
    AdoptionFactory(asset=west_plot, period=DateRange(days(-30), days(300)))
    assert url(west_plot) not in signed_in.get(f"/assets/{west_plot.pk}/").content.decode()  # no button
    assert "This asset already has an adopter." in signed_in.get(url(west_plot)).content.decode()
    response = signed_in.post(url(west_plot), application())
    assert "This asset already has an adopter." in response.content.decode()
    assert Adoption.objects.count() == 1


def test_a_period_overlapping_a_later_adoption_is_refused(signed_in, west_plot):
    AdoptionFactory(asset=west_plot, period=DateRange(days(100), days(400)))
    response = signed_in.post(url(west_plot), application())
    assert "This asset is already adopted for part of that period." in response.content.decode()
    assert Adoption.objects.count() == 1


def test_one_waiting_application_per_asset_and_adopter(signed_in, west_plot):
    signed_in.post(url(west_plot), application())
    response = signed_in.post(url(west_plot), application())
    assert "You have already applied to adopt this asset" in response.content.decode()
    assert Adoption.objects.count() == 1


def test_several_adopters_may_apply_for_one_asset(client, west_plot):
    for mobile in ("13800000001", "13800000002"):
        client.force_login(make_adopter(mobile=mobile, kind="volunteer", name=f"志愿者{mobile}").user)
        assert client.post(url(west_plot), application()).status_code == 302
    assert Adoption.objects.filter(status=AdoptionStatus.REQUESTED).count() == 2


def test_a_hidden_asset_is_a_404(signed_in, adopter, district):
    hidden = GreenPlotFactory(geometry=square(113.236, 23.121), is_public=False)
    assert signed_in.get(url(hidden)).status_code == 404
    assert signed_in.post(url(hidden), application()).status_code == 404
    with pytest.raises(PermissionDenied):  # the operation asks registry.access too
        apply_for_adoption(actor=adopter.user, asset=hidden, first_day=days(1), last_day=days(100), duties="浇水",
                           care_interval_days=7)
    assert not Adoption.objects.exists()


def test_a_staff_account_without_an_adopter_cannot_apply(client, west_plot, west_staff):
    client.force_login(west_staff)
    response = client.post(url(west_plot), application())
    assert response.status_code == 403 and "Only adopter accounts can apply" in response.content.decode()
    assert not Adoption.objects.exists()


def test_the_honeypot_turns_bots_away(signed_in, west_plot):
    assert signed_in.post(url(west_plot), application(website="buy now")).status_code == 400
    assert not Adoption.objects.exists()


def test_applications_are_rate_limited_per_account(signed_in, district):
    limit = int(APPLY_RATE_PER_ACCOUNT.split("/")[0])
    plots = [GreenPlotFactory(geometry=square(113.231 + i * 0.0005, 23.121)) for i in range(limit + 1)]
    for plot in plots[:limit]:
        # each from a different address: the per-account limit holds whatever the IP
        signed_in.post(url(plot), application(), REMOTE_ADDR=f"203.0.113.{plots.index(plot) + 1}")
    response = signed_in.post(url(plots[-1]), application(), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert Adoption.objects.count() == limit


def test_the_application_page_reads_in_chinese_by_default(client, adopter, west_plot):
    client.force_login(adopter.user)
    page = client.get(url(west_plot), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="zh-hans"' in page and west_plot.name_zh in page

