"""Adopters and adoptions: the database refuses overlapping approved adoptions of one asset."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import Adopter, AdopterKind, Adoption, AdoptionStatus
from tests.factories import AdopterFactory, AdoptionFactory, GreenPlotFactory

D = datetime.date


@pytest.fixture
def plot(district):
    return GreenPlotFactory()


def test_two_overlapping_approved_adoptions_are_refused_by_the_database(plot):
    AdoptionFactory(asset=plot, period=DateRange(D(2026, 1, 1), D(2027, 1, 1)))
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        # bulk_create skips every Python check: only the database stands in the way.
        Adoption.objects.bulk_create([Adoption(adopter=AdopterFactory(), asset=plot, status=AdoptionStatus.APPROVED,
                                               period=DateRange(D(2026, 6, 1), D(2026, 9, 1)))])
    assert "adoption_no_overlapping_granted" in str(excinfo.value)
    assert Adoption.objects.filter(asset=plot).count() == 1


def test_an_ended_adoption_also_blocks_an_overlapping_approval(plot):
    AdoptionFactory(asset=plot, status=AdoptionStatus.ENDED, period=DateRange(D(2025, 1, 1), D(2025, 7, 1)))
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionFactory(asset=plot, period=DateRange(D(2025, 6, 1), D(2026, 1, 1)))


def test_back_to_back_and_other_assets_and_requests_are_fine(plot):
    AdoptionFactory(asset=plot, period=DateRange(D(2025, 1, 1), D(2026, 1, 1)))
    AdoptionFactory(asset=plot, period=DateRange(D(2026, 1, 1), D(2027, 1, 1)))  # [) ranges touch, no overlap
    AdoptionFactory(asset=GreenPlotFactory(), period=DateRange(D(2026, 1, 1), D(2027, 1, 1)))
    AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED, period=DateRange(D(2026, 3, 1), D(2026, 4, 1)))
    AdoptionFactory(asset=plot, status=AdoptionStatus.REJECTED, period=DateRange(D(2026, 3, 1), D(2026, 4, 1)))
    assert Adoption.objects.filter(asset=plot).count() == 4


def test_full_clean_reports_the_overlap_as_a_message(plot):
    AdoptionFactory(asset=plot, period=DateRange(D(2026, 1, 1), D(2027, 1, 1)))
    second = Adoption(adopter=AdopterFactory(), asset=plot, status=AdoptionStatus.APPROVED,
                      period=DateRange(D(2026, 5, 1), D(2026, 6, 1)))
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "already has an adopter" in str(excinfo.value)


def test_a_period_ending_before_it_starts_is_refused(plot):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionFactory(asset=plot, period=DateRange(D(2026, 5, 1), D(2026, 5, 1)))


def test_organisations_need_a_valid_credit_code(db):
    enterprise = Adopter(kind=AdopterKind.ENTERPRISE, display_name="腾讯", contact_person="张三", mobile="13812345678")
    with pytest.raises(ValidationError) as excinfo:
        enterprise.full_clean()
    assert "credit_code" in excinfo.value.message_dict

    enterprise.credit_code = "9144030071526726XA"
    with pytest.raises(ValidationError) as excinfo:
        enterprise.full_clean()
    assert "credit_code" in excinfo.value.message_dict

    enterprise.credit_code = "9144030071526726xg"
    enterprise.full_clean()
    enterprise.save()
    assert Adopter.objects.get().credit_code == "9144030071526726XG"


def test_adopter_mobile_is_validated_and_normalised(db):
    person = Adopter(kind=AdopterKind.VETERAN, display_name="老兵李", contact_person="李四", mobile="12345678901")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "mobile" in excinfo.value.message_dict
    person.mobile = "+86 139-1234-5678"
    person.full_clean()
    assert person.mobile == "13912345678"
    assert person.masked_mobile == "139****5678"
