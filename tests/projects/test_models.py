"""What the database itself refuses or keeps: cycles, phase history, progress roll-up, dates, amounts."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from projects.models import FundingLine, FundingSource, PhaseEvent, Project
from projects.phases import DEFAULT_PROGRESS, Phase
from tests.projects.conftest import make_project


def rolled(project):
    project.refresh_from_db()
    return project.rolled_progress


def test_the_database_phase_defaults_agree_with_python(db):
    with connection.cursor() as cursor:
        for phase, progress in DEFAULT_PROGRESS.items():
            cursor.execute("SELECT projects_phase_progress(%s)", [phase])
            assert cursor.fetchone()[0] == progress, phase


def test_a_parent_shows_the_weighted_mean_of_its_children(west_staff):
    parent = make_project(west_staff, name="逢源街更新计划")
    done = make_project(west_staff, name="完成的子项目", parent=parent, weight=1)
    started = make_project(west_staff, name="未开始的子项目", parent=parent, weight=3)
    Project.objects.filter(pk=done.pk).update(progress=100)
    Project.objects.filter(pk=started.pk).update(progress=0)
    assert rolled(done) == Decimal("100.0")
    assert rolled(started) == Decimal("0.0")
    assert rolled(parent) == Decimal("25.0")


def test_the_roll_up_follows_phase_defaults_three_levels_up_and_a_moved_child(west_staff):
    top = make_project(west_staff, name="区级计划")
    middle = make_project(west_staff, name="社区计划", parent=top)
    leaf = make_project(west_staff, name="花园", parent=middle)
    other = make_project(west_staff, name="另一个社区计划", parent=top)
    Project.objects.filter(pk=leaf.pk).update(phase=Phase.CONSTRUCTION)   # 50 %
    Project.objects.filter(pk=other.pk).update(phase=Phase.IN_USE)        # 100 %
    assert (rolled(leaf), rolled(middle), rolled(top)) == (50, 50, 75)
    Project.objects.filter(pk=leaf.pk).update(parent=other)               # middle has no children left
    assert (rolled(middle), rolled(other), rolled(top)) == (0, 50, 25)


@pytest.mark.parametrize("depth", [0, 2])
def test_the_database_refuses_a_parent_cycle(west_staff, depth):
    top = make_project(west_staff, name="顶层")
    chain = [top]
    for level in range(depth):
        chain.append(make_project(west_staff, name=f"第{level}层", parent=chain[-1]))
    with pytest.raises(IntegrityError, match="part of its own descendant|project_not_its_own_parent"), \
            transaction.atomic():
        Project.objects.filter(pk=top.pk).update(parent=chain[-1])
    assert Project.objects.get(pk=top.pk).parent_id is None


def test_phase_events_are_append_only(west_project):
    event = PhaseEvent.objects.get(project=west_project)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        PhaseEvent.objects.filter(pk=event.pk).update(note="改写历史")
    assert PhaseEvent.objects.get(pk=event.pk).note == event.note


def test_the_database_refuses_end_before_start_and_negative_amounts(west_project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=west_project.pk).update(planned_start=datetime.date(2026, 5, 1),
                                                           planned_end=datetime.date(2026, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingLine.objects.create(project=west_project, source=FundingSource.DISTRICT_BUDGET,
                                   amount_planned=Decimal("-1"))
    assert not FundingLine.objects.exists()


def totals(project):
    project.refresh_from_db()
    return project.tree_planned, project.tree_received


def test_funding_totals_over_the_tree_are_kept_on_insert_change_delete_and_move(west_staff):
    top = make_project(west_staff, name="计划")
    middle = make_project(west_staff, name="项目", parent=top)
    other = make_project(west_staff, name="另一项目", parent=top)
    leaf = make_project(west_staff, name="部分", parent=middle)
    line = FundingLine.objects.create(project=leaf, source=FundingSource.STREET_BUDGET,
                                      amount_planned=Decimal("100.50"), amount_received=Decimal("40"))
    FundingLine.objects.create(project=top, source=FundingSource.DISTRICT_BUDGET, amount_planned=Decimal("1000"))
    assert totals(leaf) == totals(middle) == (Decimal("100.50"), Decimal("40"))
    assert totals(top) == (Decimal("1100.50"), Decimal("40"))
    FundingLine.objects.filter(pk=line.pk).update(amount_received=Decimal("100.50"))
    assert totals(top) == (Decimal("1100.50"), Decimal("100.50"))
    Project.objects.filter(pk=leaf.pk).update(parent=other)            # the part moves with its money
    assert totals(middle) == (0, 0) and totals(other) == (Decimal("100.50"), Decimal("100.50"))
    assert totals(top) == (Decimal("1100.50"), Decimal("100.50"))
    FundingLine.objects.filter(pk=line.pk).delete()
    assert totals(other) == (0, 0) and totals(top) == (Decimal("1000"), 0)
