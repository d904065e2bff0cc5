"""The staff workbench with no signal (docs/offline.md): the service worker, the offline page, the
worker's own assets as JSON for the phone to keep, and the endpoint the phone's outbox sends to.

The outbox endpoint answers in JSON that the page shows as is: ``{"state": "accepted", "id": …}``
(also for a replay of an accepted log: same key, nothing written), or ``{"state": "refused",
"code": …, "reason": …}`` with the reason in the user's language, kept on the phone to fix or discard.
The write is ``log_upkeep``, as from the form: permission, one transaction, audit, the idempotency key.
"""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from registry.access import Action, can, managed_scope
from registry.assets import Asset
from registry.decorators import staff_required
from registry.photos.forms import ACCEPT
from registry.photos.renditions import LARGE_QUALITY, LARGE_SIDE
from registry.submissions import KEY_LENGTH, idempotency_key
from upkeep.models import UpkeepAction, UpkeepLog
from upkeep.operations import AlreadySubmitted, log_upkeep
from upkeep.queries import offline_assets

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "offline" / "sw.js"
#: Photos per offline log, as the form's "after the work" field.
PHOTO_LIMIT = 6


#: What the worker keeps for no signal: the offline page and everything it loads (static() gives the
#: deployed names). The offline page itself is fetched with the session, at install.
SHELL_STATIC = ("css/site.css", "css/staff.css", "js/offline/workbench.js", "js/offline/outbox.js",
                "js/offline/db.js", "js/offline/photos.js", "js/offline/assets.js", "icons/icon-192.png",
                "icons/icon-512.png", "favicon.ico")
_IMPORT = re.compile(r'from "\./([a-z]+\.js)"')


def _worker_script() -> str:
    """sw.js with its imports pointed at the static files and the shell's URLs written in front."""
    source = SERVICE_WORKER.read_text(encoding="utf-8")
    source = _IMPORT.sub(lambda match: f'from "{static("js/offline/" + match.group(1))}"', source)
    shell = [reverse("staff-offline"), reverse("staff-manifest"), *(static(path) for path in SHELL_STATIC)]
    config = {"shell": shell, "assets": reverse("staff-offline-assets"), "offline": reverse("staff-offline"),
              "send": reverse("staff-offline-upkeep"), "csrf": reverse("staff-offline-csrf"),
              "version": hashlib.sha256((source + json.dumps(shell)).encode()).hexdigest()[:12]}
    return f"self.WORKBENCH = {json.dumps(config)};\n{source}"


@require_safe
def service_worker(request):
    """The worker's script from /staff/sw.js, so that its scope is /staff/ (the header says so too).
    Never cached by HTTP: the browser checks it for updates on every visit."""
    response = HttpResponse(_worker_script(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/staff/"
    return response


@require_safe
@staff_required
def offline_page(request):
    """The offline workbench: the outbox, the worker's assets (from the phone's copy) and the log form."""
    return render(request, "staff/offline.html", {
        "actions": UpkeepAction.choices, "accept": ACCEPT, "photo_side": LARGE_SIDE,
        "photo_quality": LARGE_QUALITY / 100, "photo_limit": PHOTO_LIMIT, "texts": _page_texts(),
        "now": timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
    })


def _page_texts() -> dict:
    """What the page's script says, in the user's language (read from a JSON block: no inline script)."""
    return {
        "waiting": _("waiting"), "sending": _("sending…"), "sent": _("sent"), "refused": _("refused"),
        "count": _("Logs waiting to be sent: %(count)s"), "discard": _("Discard"), "fix": _("Fix and send again"),
        "saved": _("Saved in the outbox. It is sent when the phone has a signal."),
        "offline": _("No signal: logs are kept on this phone and sent later."),
        "online": _("Online."), "no_asset": _("Choose an asset."),
        "too_many_photos": _("At most %(count)s photos per log."),
        "photo_kept": _("This photo could not be resized on the phone; it is sent as taken."),
        "assets_cached": _("Your assets, as of %(time)s."), "assets_missing": _(
            "Your asset list is not on this phone yet: open this page once with a signal."),
        "never": _("no upkeep yet"), "photos": _("photos: %(count)s"), "sign_in": _(
            "Sign in again to send the waiting logs."),
    }


@require_safe
@staff_required
@never_cache
def assets_json(request):
    """The assets this staff member works on: id, name, kind, position, last upkeep (JSON, for the phone)."""
    assets = [{
        "id": asset.pk, "name": asset.display_name, "kind": asset.kind, "kind_label": str(asset.get_kind_display()),
        "lat": round(asset.location.y, 7) if asset.location else None,
        "lon": round(asset.location.x, 7) if asset.location else None,
        "last_upkeep": asset.last_performed_at.isoformat() if asset.last_performed_at else None,
        "last_action": str(UpkeepAction(asset.last_action).label) if asset.last_action else None,
    } for asset in offline_assets(request.user)]
    return JsonResponse({"generated_at": timezone.now().isoformat(), "assets": assets})


@require_safe
@staff_required
@never_cache
def csrf_token(request):
    """A fresh CSRF token for the outbox to send with (the page it was written on may be days old)."""
    return JsonResponse({"token": get_token(request)})


def _refused(code: str, reason: str, status: int = 422) -> JsonResponse:
    return JsonResponse({"state": "refused", "code": code, "reason": reason}, status=status)


def _reason(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _when(value: str | None):
    """An ISO 8601 time with its offset, as the phone sends it; None if absent or not one."""
    parsed = parse_datetime(value or "")
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _position(data):
    try:
        lat, lon = float(data["lat"]), float(data["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    return Point(lon, lat, srid=4326)


@require_POST
@staff_required
def send_upkeep(request):
    """One outbox entry (multipart: author (the account that made it), asset, action, performed_at, recorded_at, notes, lat, lon, photos;
    ``Idempotency-Key`` header or ``submission_key`` field) → accepted or refused with the reason, in JSON."""
    key = idempotency_key(request) or request.POST.get("submission_key", "").strip()
    if not key or len(key) > KEY_LENGTH:
        return _refused("key", _("The log has no valid idempotency key; discard it and log the work again."), 400)
    try:
        asset_id = int(request.POST.get("asset", ""))
    except ValueError:
        return _refused("asset", _("The log names no asset."), 400)
    author = request.POST.get("author", "")
    if author and author != str(request.user.pk):
        return _refused("author", _("This log was made on this phone by another account: sign in as that "
                                    "account to send it, or discard it."), 403)
    sent = UpkeepLog.objects.filter(submission_key=key, staff=request.user, asset_id=asset_id).first()
    if sent is not None:  # a replay of an accepted log: accepted, whatever happened to the asset since
        return JsonResponse({"state": "accepted", "id": sent.pk, "replay": True})
    asset = Asset.objects.filter(pk=asset_id).only("pk", "street", "community", "grid", "kind").first()
    if asset is None:
        return _refused("asset_deleted", _("This asset was deleted from the registry while you were offline. "
                                           "Discard the log, or log the work on another asset."), 410)
    if not Asset.objects.filter(managed_scope(request.user), pk=asset_id).exists() or not can(
            request.user, Action.LOG_UPKEEP, asset):
        return _refused("asset_out_of_scope", _("This asset is no longer in your work area (it left your scope "
                                                "while you were offline). Ask its street's staff to log the work."), 403)
    action = request.POST.get("action", "")
    if action not in UpkeepAction.values:
        return _refused("action", _("Choose what was done."))
    performed_at, recorded_at = _when(request.POST.get("performed_at")), _when(request.POST.get("recorded_at"))
    if performed_at is None or recorded_at is None:
        return _refused("time", _("The log has no valid time; fix the time and send it again."))
    photos = request.FILES.getlist("photos")
    if len(photos) > PHOTO_LIMIT:
        return _refused("photos", _("At most %(limit)d photos per log.") % {"limit": PHOTO_LIMIT})
    try:
        log = log_upkeep(actor=request.user, asset=asset, action=action, performed_at=performed_at,
                         recorded_at=recorded_at, notes=request.POST.get("notes", "")[:2000], photos=photos,
                         position=_position(request.POST), submission_key=key)
    except AlreadySubmitted as sent:
        return JsonResponse({"state": "accepted", "id": sent.log.pk, "replay": True})
    except ValidationError as error:
        return _refused("invalid", _reason(error))
    except PermissionDenied as refusal:
        return _refused("asset_out_of_scope", str(refusal) or _("You may not log work on this asset."), 403)
    return JsonResponse({"state": "accepted", "id": log.pk, "replay": False}, status=201)


