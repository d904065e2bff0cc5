"""Issue 13, items 10, 12, 13 and 14: the adopter's pages as adopters found them."""

import pytest
from django.urls import reverse

from tests.adoption.test_dashboard import adoption
from tests.factories import GreenPlotFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client, adopter):
    client.force_login(adopter.user)
    return client


def test_me_has_one_current_adoptions_heading_and_one_sign_out(me, adopter, west_plot):
    adoption(adopter, west_plot)
    page = me.get(reverse("adopter-dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    body = page.split("</head>", 1)[1]
    assert body.count("当前认领") == 1 and "当前认领 <span class=\"count\">(1)</span>" in body
    assert body.count("退出登录") == 1 and body.count(f'action="{reverse("logout")}"') == 1


def test_volunteer_hours_say_they_are_person_hours(me, adopter):
    page = me.get(reverse("adopter-dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "志愿服务人时" in page and "× 参与人数" in page
    english = me.get(reverse("adopter-dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteer person-hours" in english and "× the people who took part" in english


def certificate_text(client, granted, language="zh-hans"):
    response = client.get(reverse("adopter-certificate", args=[granted.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_certificate_does_not_repeat_the_kind_the_name_ends_with(me, adopter, district):
    plot = GreenPlotFactory(name_zh="多宝路26号认领绿地", name_en="Duobao Road 26 green plot",
                            geometry=square(113.236, 23.121), is_adoptable=True)
    granted = adoption(adopter, plot)
    zh = certificate_text(me, granted)
    assert "认领<strong>多宝路26号认领绿地</strong>" in zh and "绿地<strong>" not in zh
    english = certificate_text(me, granted, "en")
    assert "has adopted <strong>Duobao Road 26 green plot</strong>" in english and "the green plot <strong>" not in english


def test_the_certificate_names_the_kind_when_the_name_does_not(me, adopter, district):
    plot = GreenPlotFactory(name_zh="荔枝湾涌畔", geometry=square(113.236, 23.121), is_adoptable=True)
    zh = certificate_text(me, adoption(adopter, plot))
    assert "认领绿地<strong>荔枝湾涌畔</strong>" in zh


def test_the_sign_up_form_says_why_organisations_have_no_public_name_field(client, db):
    page = client.get(reverse("adopter-signup"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    organisation = page.split('data-for="organisation"', 1)[1].split("</fieldset>", 1)[0]
    assert "地图和标识牌以此名称向公众展示" in organisation and "无需另填公开名称" in organisation
