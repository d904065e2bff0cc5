"""``POST /api/v1/token/`` (username, password) → an API token, rate-limited per IP like the sign-in form.

Clients then send ``Authorization: Token <key>``; the token acts for its user with exactly the
user's rights (``registry.access``), no more.
"""

from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled

TOKEN_RATE_PER_IP = "30/h"


@method_decorator(ratelimit(key="ip", rate=TOKEN_RATE_PER_IP, method="POST", block=False), name="post")
class TokenView(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            raise Throttled()
        return super().post(request, *args, **kwargs)
