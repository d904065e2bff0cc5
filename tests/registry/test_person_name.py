"""Issue 13, item 15: Chinese names family name first, and a name rather than the user name."""

from django.contrib.auth.models import User

from registry.naming import person_name


def test_chinese_names_are_written_family_name_first_without_a_space():
    assert person_name(User(username="chen", first_name="嘉欣", last_name="陈")) == "陈嘉欣"
    assert User(first_name="嘉欣", last_name="陈").get_full_name() == "嘉欣 陈"  # what Django alone would show


def test_other_names_keep_their_order_and_no_name_falls_back_to_the_user_name():
    assert person_name(User(username="li", first_name="Jiaxin", last_name="Chen")) == "Jiaxin Chen"
    assert person_name(User(username="li", first_name="", last_name="")) == "li"
    assert person_name(User(username="li", last_name="陈")) == "陈"
    assert person_name(None) == ""
