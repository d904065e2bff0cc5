"""Issue 13, item 11: Chinese labels end in the full-width "：", English ones in ":"."""

import re

from django.urls import reverse
from django.utils import translation

from adoption.forms import ApplyForm


def labels(html):
    return re.findall(r"<label[^>]*>([^<]*)</label>", html)


def test_the_form_labels_end_in_a_full_width_colon_in_chinese():
    with translation.override("zh-hans"):
        html = ApplyForm().as_div()
    assert "开始日期：" in labels(html) and "开始日期:" not in html
    with translation.override("en"):
        assert "First day:" in labels(ApplyForm().as_div())


def test_the_sign_in_page_in_chinese_has_no_ascii_colon_after_a_label(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    found = labels(html)
    assert "手机号码或用户名：" in found
    assert not [label for label in found if label.rstrip().endswith(":")]
