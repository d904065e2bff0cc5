"""Personal data in free text is masked on the way out (registry/moderation.py)."""

import pytest

from registry.moderation import mask_personal_data


@pytest.mark.parametrize("text, masked", [
    ("请联系13812345678", "请联系138****5678"),
    ("电话 138 1234 5678。", "电话 138****5678。"),
    ("+86 138-1234-5678", "138****5678"),
    ("call 8613812345678 or 19912345678", "call 138****5678 or 199****5678"),
    ("邮箱 chen.xiaoming@example.com 谢谢", "邮箱 c***@example.com 谢谢"),
    ("身份证440103199001011234", "身份证440***********1234"),
    ("ID 44010319900101123X.", "ID 440***********123X."),
    ("old ID 440103900101123", "old ID 440********1123"),
])
def test_mobiles_e_mails_and_id_numbers_are_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", [
    "花坛里有垃圾", "2026年5月1日, 3棵树", "门牌12号", "订单号 123456789012", "", "12345678901",
    "Room 1380 at 5678 Road",
])
def test_text_without_personal_data_is_unchanged(text):
    assert mask_personal_data(text) == text
