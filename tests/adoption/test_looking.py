"""Issue 13, item 9: the header's "认领绿地" lands on the plots looking for an adopter (a list, and the
map filtered to them), with sign-up one step further."""

from django.urls import reverse

from tests.factories import AdoptionFactory, GreenPlotFactory, MuralFactory, UserFactory


def test_the_header_link_lands_on_the_assets_looking_for_an_adopter(client, district):
    free = GreenPlotFactory(name_zh="多宝路待认领绿地", is_adoptable=True)
    taken = GreenPlotFactory(name_zh="已被认领的绿地", is_adoptable=True)
    AdoptionFactory(asset=taken)
    GreenPlotFactory(name_zh="不可认领的绿地", is_adoptable=False)
    GreenPlotFactory(name_zh="未公开的绿地", is_adoptable=True, is_public=False)
    header = client.get(reverse("map"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    looking_url = reverse("adoptable-assets")
    assert f'<a href="{looking_url}">认领绿地</a>' in header
    response = client.get(looking_url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert response.status_code == 200
    assert "多宝路待认领绿地" in text and f'href="{reverse("adopt-asset", args=[free.pk])}"' in text
    for hidden in ("已被认领的绿地", "不可认领的绿地", "未公开的绿地"):
        assert hidden not in text
    assert f'href="{reverse("map")}?looking=1"' in text  # the map filtered to them
    assert f'href="{reverse("adopter-signup")}"' in text  # sign-up one step further
    assert "共 1 处待认领" in text


def test_other_kinds_looking_for_an_adopter_are_listed_too_and_an_adopter_is_not_asked_to_sign_up(client, district):
    mural = MuralFactory(name_zh="待认领的墙绘", is_adoptable=True)
    adopter = AdoptionFactory().adopter
    user = UserFactory(username="adopter")
    adopter.user = user
    adopter.save()
    client.force_login(user)
    text = client.get(reverse("adoptable-assets"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mural.name_zh in text and f'href="{reverse("adopter-signup")}"' not in text


def test_nothing_looking_for_an_adopter_says_so(client, district):
    text = client.get(reverse("adoptable-assets"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Every adoptable asset has an adopter at the moment." in text
