"""Two street staff approve overlapping applications for one asset at the same instant, each on its own
database connection: the exclusion constraint lets exactly one win, the other gets the clear message."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import translation

from adoption.models import Adoption, AdoptionStatus, Notice
from adoption.operations import approve_adoption, period_of
from registry.audit import AuditEntry
from registry.staffing import Role
from tests.adoption.conftest import days, make_adopter
from tests.factories import AdoptionFactory, GreenPlotFactory, make_staff, make_test_district, square


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("both_pass_the_precheck", [False, True])
def test_two_parallel_approvals_of_overlapping_adoptions_exactly_one_wins(monkeypatch, both_pass_the_precheck):
    """With ``both_pass_the_precheck`` both transactions are held after the operation's own overlap check
    (neither sees the other's uncommitted approval), so only the database constraint can stop one."""
    district = make_test_district()
    plot = GreenPlotFactory(geometry=square(113.235, 23.122))
    staff = [make_staff(Role.STREET_STAFF, username=f"staff-{i}", streets=[district["W"]]) for i in range(2)]
    applications = [
        AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED, period=period_of(days(1), days(200)),
                        adopter=make_adopter(mobile="13800000001", kind="volunteer", name="甲")),
        AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED, period=period_of(days(100), days(300)),
                        adopter=make_adopter(mobile="13800000002", kind="volunteer", name="乙")),
    ]
    barrier = threading.Barrier(2, timeout=30)
    if both_pass_the_precheck:
        from adoption import operations

        precheck = operations._check_approvable
        after_precheck = threading.Barrier(2, timeout=30)

        def check_then_wait(adoption):
            precheck(adoption)
            after_precheck.wait()

        monkeypatch.setattr(operations, "_check_approvable", check_then_wait)
    outcomes, errors = [None, None], [None, None]
    backend_pids = [None, None]

    def decide(index):
        translation.activate("en")  # a new thread starts in the default language (Chinese)
        try:
            backend_pids[index] = connection.cursor().connection.info.backend_pid  # this thread's own connection
            barrier.wait()  # both are connected and ready: go at once
            approve_adoption(actor=staff[index], adoption=applications[index])
            outcomes[index] = "approved"
        except ValidationError as error:
            outcomes[index], errors[index] = error.messages, error
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert backend_pids[0] != backend_pids[1]  # really two database sessions
    assert sorted(outcomes, key=str) == sorted(
        ["approved", ["This asset is already adopted for part of that period."]], key=str)
    assert Adoption.objects.filter(asset=plot, status=AdoptionStatus.APPROVED).count() == 1
    loser = applications[outcomes.index(["This asset is already adopted for part of that period."])]
    loser.refresh_from_db()
    assert loser.status == AdoptionStatus.REQUESTED and loser.decided_by is None and loser.decided_at is None
    assert AuditEntry.objects.filter(action="adoption.approve").count() == 1
    if both_pass_the_precheck:  # then the refusal can only have come from PostgreSQL
        assert isinstance(errors[applications.index(loser)].__cause__, IntegrityError)
    assert Notice.objects.count() == 1 and not Notice.objects.filter(adoption=loser).exists()
