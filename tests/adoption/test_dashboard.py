"""The adopter's dashboard /me/: adoptions by state, care logs with photos (own adoptions only),
volunteer hours, the certificate, editing details, withdrawing, ending early and asking to renew."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from adoption.models import Adoption, AdoptionStatus
from adoption.operations import approve_adoption, period_of
from adoption.queries import looking_for_adopter
from registry.audit import AuditEntry
from registry.photos import Photo
from registry.queries import visible_assets
from tests.adoption.conftest import days, make_adopter
from tests.factories import AdoptionFactory, GreenPlotFactory, square
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db


def adoption(adopter, asset, first=-30, last=300, status=AdoptionStatus.APPROVED, **fields):
    return AdoptionFactory(adopter=adopter, asset=asset, status=status, period=period_of(days(first), days(last)),
                           duties="每周浇水", **fields)


@pytest.fixture
def me(client, adopter):
    client.force_login(adopter.user)
    return client


def png(name="care.png", size=(80, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def care(**changes):
    data = {"day": days(0).isoformat(), "action": "watering", "hours": "1.5", "participants": "4", "notes": "浇水"}
    data.update(changes)
    return data


def test_the_dashboard_groups_my_adoptions(me, adopter, district):
    plots = [GreenPlotFactory(name_zh=f"地块{i}", geometry=square(113.231 + i * 0.001, 23.121)) for i in range(5)]
    adoption(adopter, plots[0])                                                    # current
    adoption(adopter, plots[1], first=1, last=40, status=AdoptionStatus.REQUESTED)  # pending
    adoption(adopter, plots[2], first=10, last=100)                               # upcoming
    adoption(adopter, plots[3], first=-400, last=-40)                             # past (expired)
    adoption(adopter, plots[4], first=5, last=50, status=AdoptionStatus.REJECTED, decision_reason="已有人认领")
    page = me.get("/me/").content.decode()
    current, pending = page.index('id="current-title"'), page.index("Applications waiting for a decision")
    upcoming, past = page.index("Approved, starting later"), page.index("Past adoptions and applications")
    assert current < page.index("地块0") < pending < page.index("地块1") < upcoming < page.index("地块2") < past
    assert past < page.index("地块3") and past < page.index("地块4")
    assert "Reason: 已有人认领" in page and "completed" in page


def test_someone_who_is_not_an_adopter_gets_a_clear_page(client, west_staff):
    assert client.get("/me/").status_code == 302  # to sign in
    client.force_login(west_staff)
    response = client.get("/me/")
    assert response.status_code == 403 and "not an adopter account" in response.content.decode()


def test_logging_care_with_a_photo_credits_me_on_the_asset_page(me, adopter, west_plot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    adoption(adopter, west_plot)
    response = me.post(f"/me/assets/{west_plot.pk}/care/", {**care(), "photos": [png("a.png"), png("b.png")]})
    assert response.status_code == 302, response.content.decode()[:2000]
    log = UpkeepLog.objects.get()
    assert (log.adopter, log.staff, log.action, log.duration_minutes, log.participants) == (
        adopter, None, "watering", 90, 4)
    assert Photo.objects.filter(upkeep_log=log, asset=west_plot).count() == 2
    page = me.get(f"/assets/{west_plot.pk}/").content.decode()
    assert "荔湾花木有限公司" in page
    assert "6.0" in me.get("/me/").content.decode()  # 1.5 hours × 4 people


def test_volunteer_hours_add_up_person_hours(me, adopter, west_plot):
    adoption(adopter, west_plot)
    me.post(f"/me/assets/{west_plot.pk}/care/", care(hours="2", participants="3"))
    me.post(f"/me/assets/{west_plot.pk}/care/", care(hours="0.5", participants="1", day=days(-2).isoformat()))
    from adoption.queries import volunteer_hours

    assert volunteer_hours(adopter) == 6.5


def test_care_on_an_asset_i_do_not_adopt_is_refused(me, adopter, west_plot, east_plot):
    adoption(make_adopter(mobile="13900004444", kind="volunteer", name="别人"), east_plot)
    for plot in (west_plot, east_plot):
        assert me.get(f"/me/assets/{plot.pk}/care/").status_code == 403
        response = me.post(f"/me/assets/{plot.pk}/care/", care())
        assert response.status_code == 403
        assert "You can log care only on assets you look after or currently adopt." in response.content.decode()
    assert not UpkeepLog.objects.exists()


def test_care_after_my_adoption_ended_is_refused(me, adopter, west_plot):
    adoption(adopter, west_plot, first=-100, last=-1)
    assert me.post(f"/me/assets/{west_plot.pk}/care/", care()).status_code == 403
    assert not UpkeepLog.objects.exists()


@pytest.mark.parametrize("changes, message", [
    ({"day": days(3).isoformat()}, "Care work cannot be logged in the future."),
    ({"hours": "0"}, "greater than or equal to 0.25"),
    ({"action": "dancing"}, "Select a valid choice."),
])
def test_bad_care_input_is_refused(me, adopter, west_plot, changes, message):
    adoption(adopter, west_plot)
    response = me.post(f"/me/assets/{west_plot.pk}/care/", care(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not UpkeepLog.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_kept(me, adopter, west_plot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    adoption(adopter, west_plot)
    fake = SimpleUploadedFile("evil.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = me.post(f"/me/assets/{west_plot.pk}/care/", {**care(), "photos": [png(), fake]})
    assert response.status_code == 200 and "JPEG" in response.content.decode()
    assert not UpkeepLog.objects.exists() and not Photo.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_the_certificate_of_an_approved_adoption(me, adopter, west_plot):
    granted = adoption(adopter, west_plot)
    page = me.get(f"/me/adoptions/{granted.pk}/certificate/").content.decode()
    assert "Certificate of adoption" in page and "荔湾花木有限公司" in page and west_plot.name_zh in page
    assert f"LW-{granted.first_day:%Y}-{granted.pk:06d}" in page and "W街道" in page
    requested = adoption(adopter, GreenPlotFactory(geometry=square(113.238, 23.124)), first=1,
                         status=AdoptionStatus.REQUESTED)
    assert me.get(f"/me/adoptions/{requested.pk}/certificate/").status_code == 404


def test_someone_elses_adoption_is_a_404_everywhere(me, east_plot):
    theirs = adoption(make_adopter(mobile="13900005555", kind="volunteer", name="别人"), east_plot)
    for action in ("certificate", "withdraw", "end", "renew"):
        assert me.get(f"/me/adoptions/{theirs.pk}/{action}/").status_code == 404
    for action in ("withdraw", "end", "renew"):
        assert me.post(f"/me/adoptions/{theirs.pk}/{action}/", {"last_day": days(800).isoformat()}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AdoptionStatus.APPROVED and Adoption.objects.count() == 1


def test_withdrawing_an_application(me, adopter, west_plot):
    pending = adoption(adopter, west_plot, first=1, status=AdoptionStatus.REQUESTED)
    assert "Withdraw your application" in me.get(f"/me/adoptions/{pending.pk}/withdraw/").content.decode()
    me.post(f"/me/adoptions/{pending.pk}/withdraw/")
    pending.refresh_from_db()
    assert pending.status == AdoptionStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="adoption.withdraw", object_id=pending.pk).exists()
    response = me.post(f"/me/adoptions/{pending.pk}/withdraw/", follow=True)  # again: refused, said so
    assert "Only an application waiting for a decision can be withdrawn." in response.content.decode()


def test_ending_early_makes_it_history_and_the_asset_looks_for_an_adopter_again(me, adopter, west_plot):
    current = adoption(adopter, west_plot)
    assert not looking_for_adopter(visible_assets(None)).filter(pk=west_plot.pk).exists()
    me.post(f"/me/adoptions/{current.pk}/end/")
    current.refresh_from_db()
    assert current.status == AdoptionStatus.ENDED and current.last_day == days(-1)
    assert looking_for_adopter(visible_assets(None)).filter(pk=west_plot.pk).exists()
    page = me.get(f"/assets/{west_plot.pk}/").content.decode()
    assert "Earlier adopters" in page and "Looking for an adopter." in page
    # and someone else may adopt it from today
    other = make_adopter(mobile="13900006666", kind="volunteer", name="新认领人")
    me.force_login(other.user)
    assert me.post(f"/assets/{west_plot.pk}/adopt/", {
        "first_day": days(0).isoformat(), "last_day": days(100).isoformat(), "duties": "浇水",
        "care_interval_days": "7", "people": "1"}).status_code == 302


def test_ending_an_adoption_that_has_not_started_cancels_it(me, adopter, west_plot):
    upcoming = adoption(adopter, west_plot, first=10, last=100)
    me.post(f"/me/adoptions/{upcoming.pk}/end/")
    upcoming.refresh_from_db()
    assert upcoming.status == AdoptionStatus.WITHDRAWN and upcoming.first_day == days(10)


def test_asking_to_renew_sends_an_application_for_the_following_period(me, adopter, west_plot, west_staff):
    current = adoption(adopter, west_plot, first=-300, last=20, care_interval_days=7, people=3)
    response = me.post(f"/me/adoptions/{current.pk}/renew/", {"last_day": days(385).isoformat()})
    assert response.status_code == 302
    renewal = Adoption.objects.get(status=AdoptionStatus.REQUESTED)
    assert (renewal.first_day, renewal.last_day) == (days(21), days(385))
    assert (renewal.duties, renewal.care_interval_days, renewal.people) == ("每周浇水", 7, 3)
    approve_adoption(actor=west_staff, adoption=renewal)  # back to back: no overlap
    assert Adoption.objects.filter(asset=west_plot, status=AdoptionStatus.APPROVED).count() == 2


def test_renewing_to_a_day_before_the_end_is_refused(me, adopter, west_plot):
    current = adoption(adopter, west_plot, first=-300, last=20)
    response = me.post(f"/me/adoptions/{current.pk}/renew/", {"last_day": days(10).isoformat()})
    assert "The adoption cannot end before it starts." in response.content.decode()
    assert Adoption.objects.count() == 1


def test_editing_my_details(me, adopter):
    response = me.post("/me/details/", {"display_name": "荔湾花木", "contact_person": "王五",
                                        "mobile": "+86 139 8765 4321", "email": "", "credit_code": adopter.credit_code})
    assert response.status_code == 302
    adopter.refresh_from_db()
    assert (adopter.display_name, adopter.contact_person, adopter.mobile) == ("荔湾花木", "王五", "13987654321")
    assert adopter.user.username == "13987654321"  # signs in with the new number
    entry = AuditEntry.objects.get(action="adopter.update")
    assert entry.changes["mobile"] == ["138****5678", "139****4321"]


@pytest.mark.parametrize("changes, message", [
    ({"mobile": "1381234567"}, "Enter a mainland China mobile number"),
    ({"credit_code": "9144030071526726XA"}, "check character"),
    ({"credit_code": ""}, "This field is required."),
    ({"display_name": ""}, "This field is required."),
])
def test_bad_details_are_refused(me, adopter, changes, message):
    data = {"display_name": "荔湾花木", "contact_person": "王五", "mobile": "13987654321", "email": "",
            "credit_code": adopter.credit_code, **changes}
    response = me.post("/me/details/", data)
    assert response.status_code == 200 and message in response.content.decode()
    adopter.refresh_from_db()
    assert adopter.display_name == "荔湾花木有限公司" and adopter.mobile == "13812345678"


def test_a_new_email_is_sent_a_confirmation_link(me, adopter, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        me.post("/me/details/", {"display_name": adopter.display_name, "contact_person": "陈小明",
                                 "mobile": "13812345678", "email": "new@example.com",
                                 "credit_code": adopter.credit_code})
    assert [mail.to for mail in mailoutbox] == [["new@example.com"]]
    assert "not confirmed yet" in me.get("/me/").content.decode()
