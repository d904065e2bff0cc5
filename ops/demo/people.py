"""Demo people: street-office staff and adopters of every kind.

Demo accounts have no usable password: they exist to own logs and decisions, not to sign in
(``manage.py demo_admin`` makes the local administrator). Staff are keyed by username, adopters
by kind and display name, so a second load finds them instead of duplicating them.
"""

from django.contrib.auth import get_user_model

from adoption.accounts import ensure_profile
from adoption.models import Adopter, AdopterKind
from ops.demo import names
from registry.geography import Street
from registry.staffing import Role, StaffAssignment
from registry.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

#: The district administrator: creator of the demo's assets, and the marker that it is loaded.
DISTRICT_ADMIN = ("demo-district", "李", "文华")
#: Street-office staff: (username, family name, given name, the streets they look after).
STREET_STAFF = [
    ("demo-fengyuan", "陈", "嘉欣", ["逢源街道", "多宝街道", "昌华街道"]),
    ("demo-longjin", "黄", "国栋", ["龙津街道", "华林街道", "岭南街道", "沙面街道"]),
    ("demo-jinhua", "梁", "淑仪", ["金花街道", "彩虹街道", "南源街道"]),
    ("demo-xicun", "何", "永康", ["西村街道", "站前街道", "桥中街道"]),
    ("demo-baihedong", "林", "美玲", ["白鹤洞街道", "冲口街道", "石围塘街道"]),
    ("demo-huadi", "吴", "振华", ["花地街道", "茶滘街道", "东漖街道"]),
    ("demo-hailong", "罗", "婉婷", ["海龙街道", "东沙街道", "中南街道"]),
]
ADOPTER_ACCOUNT_EVERY = 3  # every third adopter signs in with an account of their own


def _user(username, family_name, given_name, is_staff):
    user, created = get_user_model().objects.get_or_create(username=username, defaults={
        "last_name": family_name, "first_name": given_name, "is_staff": is_staff})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def build_staff():
    """(district administrator, {street Chinese name: the staff member looking after it})."""
    admin = _user(*DISTRICT_ADMIN, is_staff=True)
    _assign(admin, Role.DISTRICT_ADMIN, [])
    by_street = {}
    for username, family_name, given_name, streets in STREET_STAFF:
        user = _user(username, family_name, given_name, is_staff=True)
        _assign(user, Role.STREET_STAFF, streets)
        by_street.update(dict.fromkeys(streets, user))
    return admin, by_street


def _assign(user, role, street_names):
    """Give a demo staff member their role and streets (registry.access reads nothing else)."""
    assignment, _created = StaffAssignment.objects.get_or_create(user=user, defaults={"role": role})
    assignment.streets.set(Street.objects.filter(name_zh__in=street_names))


def person_name(rng) -> str:
    return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN_NAMES)


def mobile_number(rng) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}"


def credit_code(rng, prefix: str) -> str:
    """A well-formed unified social credit code: ``prefix`` (authority, category, region code),
    nine organisation-code characters, and the GB 32100-2015 check character."""
    first17 = prefix + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(17 - len(prefix)))
    return first17 + credit_code_check_character(first17)


def adopter_specs(rng):
    """(kind, display name, credit-code prefix or "") of every demo adopter."""
    specs = [(kind, name, prefix) for kind, name, prefix in names.ORGANISATIONS]
    specs += [(AdopterKind.SHOP, name, "92440103" if coded else "") for name, coded in names.SHOPS]
    specs += [(AdopterKind.VOLUNTEER, team, "") for team in names.VOLUNTEER_TEAMS]
    specs += [(AdopterKind.VOLUNTEER, f"志愿者{person_name(rng)}", "") for _ in range(3)]
    specs += [(AdopterKind.VETERAN, f"退役军人{person_name(rng)}", "") for _ in range(4)]
    specs += [(AdopterKind.RESIDENT, f"社区达人{person_name(rng)}", "") for _ in range(4)]
    return specs


def build_adopters(rng) -> list[Adopter]:
    adopters = []
    for number, (kind, display_name, prefix) in enumerate(adopter_specs(rng), start=1):
        defaults = {"contact_person": person_name(rng), "mobile": mobile_number(rng),
                    "credit_code": credit_code(rng, prefix) if prefix else "",
                    "email": f"adopter{number:02d}@example.org" if prefix else ""}
        if number % ADOPTER_ACCOUNT_EVERY == 0:
            defaults["user"] = _user(f"demo-adopter-{number:02d}", defaults["contact_person"][0],
                                     defaults["contact_person"][1:], is_staff=False)
        adopter = Adopter.objects.filter(kind=kind, display_name=display_name).first()
        if adopter is None:
            adopter = Adopter(kind=kind, display_name=display_name, **defaults)
            adopter.full_clean()  # demo data keeps the same format rules as a sign-up form
            adopter.save()
        ensure_profile(adopter)  # as the admin does: every adopter has a profile, no consent recorded
        adopters.append(adopter)
    return adopters
