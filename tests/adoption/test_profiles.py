"""Every adopter has a profile (issue 14): /me/ answered 500 for an adopter entered without one.

The migration gives the old ones a profile, the admin (and the demo, tests/ops/test_demo.py)
creates it, and the dashboard copes if one is missing all the same."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from adoption.models import Adopter, AdopterProfile
from tests.factories import AdopterFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_me_answers_for_an_adopter_without_a_profile(client):
    adopter = AdopterFactory(user=UserFactory(username="13812345678"), email="chen@example.com")
    assert not AdopterProfile.objects.filter(adopter=adopter).exists()
    client.force_login(adopter.user)
    response = client.get("/me/")
    assert response.status_code == 200
    assert adopter.display_name in response.content.decode()
    assert response.context["email_unconfirmed"] is True
    assert client.post("/me/confirm-email/").status_code == 302


def test_the_admin_creates_the_profile_of_an_adopter_it_adds(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/adopters/adopter/add/", {
        "kind": "volunteer", "display_name": "志愿者老李", "contact_person": "李明", "mobile": "13912345678",
        "email": "", "credit_code": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = Adopter.objects.get(display_name="志愿者老李").profile
    assert profile.privacy_consented_at is None and profile.privacy_notice_version == ""


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_old_adopter_a_profile():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("adopters", "0002_adopter_and_adoption_from_registry")])
        old_apps = MigrationExecutor(connection).loader.project_state(
            [("adopters", "0002_adopter_and_adoption_from_registry")]).apps
        old_adopter = old_apps.get_model("adopters", "Adopter")
        bare = old_adopter.objects.create(kind="volunteer", display_name="老志愿者", contact_person="陈",
                                          mobile="13812345678")
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        assert AdopterProfile.objects.get(adopter_id=bare.pk).privacy_consented_at is None
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
