"""State changes of adopter accounts: sign up, confirm an e-mail address, edit one's details.

Adoptions themselves change in ``adoption.operations``; this module is the account
around them. Each function is keyword-only, checks who may do it, runs in one transaction and
writes the audit record. Contact details (mobile, e-mail) are kept out of the audit trail's values:
staff who read history must not see a number they may not reveal.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from adoption.models import Adopter, AdopterProfile
from adoption.notices import absolute_url, send_bilingual_mail
from registry import audit
from registry.validators import mask_mobile, normalize_mobile

CONFIRM_SALT = "adopters.confirm-email"
CONFIRM_MAX_AGE = 7 * 24 * 3600
#: Fields whose values the audit trail may hold as they are.
PUBLIC_FIELDS = ["kind", "display_name", "contact_person", "credit_code"]


def _contact_changes(before: Adopter, after: Adopter) -> dict:
    """Audit values for contact details: the mobile masked, the e-mail only as 'changed'."""
    changes = {}
    if normalize_mobile(before.mobile) != normalize_mobile(after.mobile):
        changes["mobile"] = [mask_mobile(before.mobile) if before.mobile else "", mask_mobile(after.mobile)]
    if before.email != after.email:
        changes["email"] = ["…" if before.email else "", "…" if after.email else ""]
    return changes


def _check_mobile_free(mobile: str, user=None) -> None:
    taken = get_user_model().objects.filter(username=normalize_mobile(mobile))
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationError({"mobile": _("An account with this mobile number already exists. Log in instead.")})


def _check_credit_code_free(adopter) -> None:
    if adopter.credit_code and Adopter.objects.filter(credit_code=adopter.credit_code).exclude(pk=adopter.pk).exists():
        raise ValidationError({"credit_code": _("An adopter with this unified social credit code is already "
                                                "registered. Ask its contact person to add you, or log in.")})


def register_adopter(*, kind: str, display_name: str, contact_person: str, mobile: str, password: str,
                     privacy_notice_version: str, email: str = "", credit_code: str = "") -> Adopter:
    """Create an adopter and its account (signing in with the mobile number); e-mail a confirmation link."""
    adopter = Adopter(kind=kind, display_name=display_name.strip(), contact_person=contact_person.strip(),
                      mobile=normalize_mobile(mobile), email=email.strip(), credit_code=credit_code)
    adopter.full_clean(validate_constraints=False)  # kind's required fields, formats (normalised)
    _check_credit_code_free(adopter)
    user_model = get_user_model()
    user = user_model(username=adopter.mobile, email=adopter.email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    with transaction.atomic():
        _check_mobile_free(adopter.mobile)
        user.set_password(password)
        user.save()
        adopter.user = user
        adopter.save()
        AdopterProfile.objects.create(adopter=adopter, privacy_notice_version=privacy_notice_version,
                                      privacy_consented_at=timezone.now())
        audit.record(actor=user, action="adopter.register", obj=adopter,
                     changes=audit.diff({}, audit.snapshot(adopter, PUBLIC_FIELDS)))
        if adopter.email:
            transaction.on_commit(lambda: send_confirmation(adopter))
    return adopter


def ensure_profile(adopter) -> AdopterProfile:
    """The adopter's profile, created (with no privacy consent recorded) if it is missing.

    Sign-up creates the profile with the consent; an adopter entered in the admin or by the demo
    gets an empty one here, so every adopter has one (migration ``adopters.0003`` filled the old).
    """
    profile, _created = AdopterProfile.objects.get_or_create(adopter=adopter)
    adopter.profile = profile
    return profile


def email_unconfirmed(adopter) -> bool:
    """An e-mail address is given and not (yet) confirmed; copes with a profile that is missing."""
    profile = getattr(adopter, "profile", None)
    return bool(adopter.email) and not (profile is not None and profile.email_is_confirmed)


def confirmation_token(adopter) -> str:
    return signing.dumps({"adopter": adopter.pk, "email": adopter.email}, salt=CONFIRM_SALT)


def send_confirmation(adopter) -> None:
    """E-mail ``adopter`` a signed link that proves the address is theirs."""
    link = absolute_url(reverse("adopter-confirm-email", args=[confirmation_token(adopter)]))
    send_bilingual_mail(
        to=adopter.email,
        subject=lambda: gettext("Confirm your e-mail address"),
        body=lambda: gettext("Open this link to confirm that %(email)s is your address for news about "
                             "your adoptions:") % {"email": adopter.email} + f"\n{link}",
    )


def confirm_email(*, token: str) -> Adopter:
    """Mark the address in ``token`` as confirmed, if the link is genuine, recent, and still the adopter's."""
    invalid = ValidationError(_("This confirmation link is invalid or has expired. Ask for a new one on your "
                                "dashboard."))
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as error:
        raise invalid from error
    with transaction.atomic():
        adopter = Adopter.objects.select_for_update().filter(pk=data.get("adopter")).first()
        if adopter is None or not adopter.email or adopter.email != data.get("email"):
            raise invalid
        profile = ensure_profile(adopter)
        if not profile.email_is_confirmed:
            profile.confirmed_email, profile.email_confirmed_at = adopter.email, timezone.now()
            profile.save(update_fields=["confirmed_email", "email_confirmed_at"])
            audit.record(actor=adopter.user, action="adopter.confirm_email", obj=adopter)
    return adopter


def update_adopter_details(*, actor, adopter, display_name: str, contact_person: str, mobile: str,
                           email: str = "", credit_code: str | None = None) -> Adopter:
    """The adopter edits their own details; a new mobile becomes their sign-in name, a new e-mail is re-confirmed."""
    if not getattr(actor, "is_authenticated", False) or adopter.user_id != actor.pk:
        raise PermissionDenied(_("You can edit only your own details."))
    before = Adopter.objects.get(pk=adopter.pk)
    adopter.display_name, adopter.contact_person = display_name.strip(), contact_person.strip()
    adopter.mobile, adopter.email = normalize_mobile(mobile), email.strip()
    if credit_code is not None:
        adopter.credit_code = credit_code
    adopter.full_clean(validate_constraints=False)
    _check_credit_code_free(adopter)
    with transaction.atomic():
        _check_mobile_free(adopter.mobile, actor)
        adopter.save()
        if actor.username != adopter.mobile or actor.email != adopter.email:
            actor.username, actor.email = adopter.mobile, adopter.email
            actor.save(update_fields=["username", "email"])
        changes = audit.diff(audit.snapshot(before, PUBLIC_FIELDS), audit.snapshot(adopter, PUBLIC_FIELDS))
        audit.record(actor=actor, action="adopter.update", obj=adopter, changes={
            **changes, **_contact_changes(before, adopter)})
        if adopter.email and adopter.email != before.email:
            transaction.on_commit(lambda: send_confirmation(adopter))
    return adopter
