"""Street staff decide: the queue shows their street only, approve / reject with a reason, overlaps are
refused with a message, URL tampering changes nothing, the adopter is notified, mobiles stay masked."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import Adoption, AdoptionStatus, Notice, NoticeKind
from adoption.operations import approve_adoption, period_of, reject_adoption, reveal_mobile
from registry.audit import AuditEntry
from registry.staffing import Role
from tests.adoption.conftest import days, make_adopter
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    GreenPlotFactory,
    make_district_admin,
    make_staff,
    square,
)

pytestmark = pytest.mark.django_db
QUEUE = "/staff/adoptions/"


def request(adopter, asset, first=1, last=365, **fields):
    return AdoptionFactory(adopter=adopter, asset=asset, status=AdoptionStatus.REQUESTED,
                           period=period_of(days(first), days(last)), duties=fields.pop("duties", "每周浇水"),
                           **fields)


@pytest.fixture
def west_request(adopter, west_plot):
    return request(adopter, west_plot)


@pytest.fixture
def east_request(east_plot):
    return request(make_adopter(mobile="13900002222", kind="volunteer", name="东区志愿者"), east_plot)


def test_the_queue_shows_only_the_staff_members_street(client, west_staff, west_request, east_request):
    client.force_login(west_staff)
    page = client.get(QUEUE).content.decode()
    assert west_request.asset.name_zh in page and "荔湾花木有限公司" in page and "每周浇水" in page
    assert east_request.asset.name_zh not in page and "东区志愿者" not in page
    assert f'data-application="{west_request.pk}"' in page
    assert 'data-asset-map' in page and f'id="asset-geometry-{west_request.pk}"' in page  # the small map's data
    assert "138****5678" in page and "13812345678" not in page  # masked


def test_a_district_admin_sees_every_street(client, west_request, east_request):
    client.force_login(make_district_admin("admin-1"))
    page = client.get(QUEUE).content.decode()
    assert west_request.asset.name_zh in page and east_request.asset.name_zh in page


def test_street_staff_land_on_their_queue_after_signing_in(client, west_staff):
    west_staff.set_password("West-street-2025")
    west_staff.save()
    response = client.post("/accounts/login/", {"username": "west-staff", "password": "West-street-2025"})
    assert response.status_code == 302 and response["Location"] == QUEUE


@pytest.mark.parametrize("who", ["anonymous", "adopter", "grid_worker"])
def test_only_deciders_open_the_queue(client, district, adopter, who):
    if who == "adopter":
        client.force_login(adopter.user)
    elif who == "grid_worker":
        client.force_login(make_staff(Role.GRID_WORKER, username="grid", communities=[district["W1"]]))
    response = client.get(QUEUE)
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_approving_notifies_the_adopter(client, west_staff, west_request, mailoutbox, django_capture_on_commit_callbacks):
    profile = west_request.adopter.profile
    west_request.adopter.email = profile.confirmed_email = "chen@example.com"
    west_request.adopter.save()
    profile.save()
    client.force_login(west_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}{west_request.pk}/approve/")
    assert response.status_code == 302
    west_request.refresh_from_db()
    assert (west_request.status, west_request.decided_by) == (AdoptionStatus.APPROVED, west_staff)
    assert west_request.decided_at is not None
    assert AuditEntry.objects.filter(action="adoption.approve", object_id=west_request.pk, actor=west_staff).exists()
    notice = Notice.objects.get(adopter=west_request.adopter)
    assert notice.kind == NoticeKind.APPROVED
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chen@example.com"]
    assert "approved" in mailoutbox[0].subject and "逢源认领绿地" in mailoutbox[0].body
    assert "/me/" in mailoutbox[0].body
    assert "Approved:" in client.get(QUEUE).content.decode()  # the staff member's confirmation message


def test_no_email_to_an_unconfirmed_address(west_staff, west_request, mailoutbox, django_capture_on_commit_callbacks):
    west_request.adopter.email = "unconfirmed@example.com"
    west_request.adopter.save()
    with django_capture_on_commit_callbacks(execute=True):
        approve_adoption(actor=west_staff, adoption=west_request)
    assert mailoutbox == [] and Notice.objects.filter(adopter=west_request.adopter).count() == 1


def test_rejecting_needs_a_reason_the_adopter_reads(client, west_staff, west_request, adopter):
    client.force_login(west_staff)
    client.post(f"{QUEUE}{west_request.pk}/reject/", {"reason": "  "})
    west_request.refresh_from_db()
    assert west_request.status == AdoptionStatus.REQUESTED
    assert "Say why the application is rejected" in client.get(QUEUE).content.decode()

    client.post(f"{QUEUE}{west_request.pk}/reject/", {"reason": "该地块明年改造"})
    west_request.refresh_from_db()
    assert (west_request.status, west_request.decision_reason) == (AdoptionStatus.REJECTED, "该地块明年改造")
    client.force_login(adopter.user)
    assert "Reason: 该地块明年改造" in client.get("/me/").content.decode()


def test_another_streets_application_by_url_tampering_is_a_404_and_changes_nothing(client, west_staff, east_request):
    client.force_login(west_staff)
    for action in ("approve", "reject", "reveal-mobile"):
        assert client.post(f"{QUEUE}{east_request.pk}/{action}/", {"reason": "x"}).status_code == 404
    east_request.refresh_from_db()
    assert east_request.status == AdoptionStatus.REQUESTED and east_request.decided_by is None
    assert not AuditEntry.objects.filter(action__startswith="adoption.").exclude(action="adoption.apply").exists()
    assert not AuditEntry.objects.filter(action="adopter.reveal_mobile").exists()
    with pytest.raises(PermissionDenied):
        approve_adoption(actor=west_staff, adoption=east_request)


def test_an_overlapping_approval_gets_a_clear_message_and_writes_nothing(client, west_staff, west_plot, west_request):
    other = request(make_adopter(mobile="13900003333", kind="veteran", name="老兵李"), west_plot, first=100, last=200)
    approve_adoption(actor=west_staff, adoption=other)
    later = request(make_adopter(mobile="13900004444", kind="volunteer", name="后来者"), west_plot, first=300,
                    last=400)  # overlaps the first application's period but not the approved one
    client.force_login(west_staff)
    cards = {card["adoption"]: card["overlaps"] for card in client.get(QUEUE).context["cards"]}
    assert cards == {west_request: [other], later: []}
    assert "Already adopted for part of this period by:" in client.get(QUEUE).content.decode()
    response = client.post(f"{QUEUE}{west_request.pk}/approve/", follow=True)
    assert "This asset is already adopted for part of that period." in response.content.decode()
    west_request.refresh_from_db()
    assert west_request.status == AdoptionStatus.REQUESTED and west_request.decided_by is None
    assert not Notice.objects.filter(adoption=west_request).exists()
    assert not AuditEntry.objects.filter(action="adoption.approve", object_id=west_request.pk).exists()


def test_the_queue_reads_the_same_number_of_rows_for_2_or_10_applications(client, west_staff, west_plot,
                                                                          django_assert_num_queries):
    def applications(count):
        for _ in range(count):
            plot = GreenPlotFactory(geometry=square(113.233, 23.121), is_adoptable=True)
            AdoptionFactory(asset=plot, period=DateRange(days(50), days(60)))
            request(AdopterFactory(), plot)

    client.force_login(west_staff)
    applications(2)
    client.get(QUEUE)  # the session and the staff scope are read like on any page
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(QUEUE).context["cards"]) == 2
    applications(8)
    with django_assert_num_queries(len(two)):
        cards = client.get(QUEUE).context["cards"]
    assert len(cards) == 10 and all(len(card["overlaps"]) == 1 for card in cards)


def test_the_database_constraint_is_turned_into_the_same_message(west_staff, west_plot, west_request):
    # Skip the operation's own pre-check: the exclusion constraint alone must produce the message.
    AdoptionFactory(asset=west_plot, period=DateRange(days(50), days(60)))
    from adoption import operations

    original = operations._granted_overlap
    operations._granted_overlap = lambda *args, **kwargs: Adoption.objects.none()
    try:
        with pytest.raises(ValidationError) as excinfo:
            approve_adoption(actor=west_staff, adoption=west_request)
    finally:
        operations._granted_overlap = original
    assert excinfo.value.messages == ["This asset is already adopted for part of that period."]
    west_request.refresh_from_db()
    assert west_request.status == AdoptionStatus.REQUESTED
    assert not Notice.objects.exists()


def test_a_decided_application_cannot_be_decided_again(west_staff, west_request):
    reject_adoption(actor=west_staff, adoption=west_request, reason="不符合")
    with pytest.raises(ValidationError, match="already been decided"):
        approve_adoption(actor=west_staff, adoption=west_request)


def test_an_application_whose_period_is_over_cannot_be_approved(west_staff, adopter, west_plot):
    stale = AdoptionFactory(adopter=adopter, asset=west_plot, status=AdoptionStatus.REQUESTED,
                            period=period_of(days(-40), days(-10)))
    with pytest.raises(ValidationError, match="already over"):
        approve_adoption(actor=west_staff, adoption=stale)


def test_mobiles_are_revealed_only_with_the_permission_and_each_reveal_is_recorded(client, district, west_request):
    plain = make_staff(Role.STREET_STAFF, username="plain", streets=[district["W"]])
    with pytest.raises(PermissionDenied):
        reveal_mobile(actor=plain, adoption=west_request)
    client.force_login(plain)
    assert "Show the full number" not in client.get(QUEUE).content.decode()
    assert client.post(f"{QUEUE}{west_request.pk}/reveal-mobile/").status_code == 403

    revealer = make_staff(Role.STREET_STAFF, username="revealer", streets=[district["W"]], can_reveal_mobile=True)
    client.force_login(revealer)
    assert "Show the full number" in client.get(QUEUE).content.decode()
    page = client.post(f"{QUEUE}{west_request.pk}/reveal-mobile/").content.decode()
    assert "13812345678" in page
    entry = AuditEntry.objects.get(action="adopter.reveal_mobile")
    assert (entry.actor, entry.object_id, entry.asset_id) == (revealer, west_request.adopter_id, west_request.asset_id)
    assert "13812345678" not in client.get(QUEUE).content.decode()  # shown once, not kept


def test_revealing_needs_the_street_too(district, east_request):
    west_revealer = make_staff(Role.STREET_STAFF, username="w-revealer", streets=[district["W"]],
                               can_reveal_mobile=True)
    with pytest.raises(PermissionDenied):
        reveal_mobile(actor=west_revealer, adoption=east_request)


def as_text(response) -> str:
    """A JSON response as readable text (non-ASCII unescaped), whatever its encoder did."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def test_the_public_sees_the_adopters_name_and_kind_only(client, west_staff, west_request):
    west_request.adopter.email = "chen@example.com"
    west_request.adopter.save()
    west_request.period = period_of(days(0), days(365))
    west_request.save()
    approve_adoption(actor=west_staff, adoption=west_request)
    asset = west_request.asset
    page = client.get(f"/assets/{asset.pk}/").content.decode()
    popup_response = client.get(f"/assets/{asset.pk}/popup.json")
    popup = as_text(popup_response)
    plaque = client.get(f"/assets/{asset.pk}/plaque/").content.decode()
    assert "荔湾花木有限公司" in page and "enterprise" in page
    assert (popup_response.json()["adopter_name"], popup_response.json()["adopter_kind_label"]) == (
        "荔湾花木有限公司", "enterprise")
    api = [as_text(client.get(path))
           for path in (f"/api/v1/assets/{asset.pk}/", "/api/v1/adopters/", "/api/v1/adoptions/")]
    assert "荔湾花木有限公司" in api[0]
    for text in (page, popup, plaque, *api):
        for secret in ("13812345678", "138****5678", "chen@example.com", "陈小明", "9144030071526726XG"):
            assert secret not in text
