"""The client's address: ``X-Forwarded-For`` is believed only when a trusted proxy sent it.

Behind nginx every request comes from 127.0.0.1; the visitor's address is in the
``X-Forwarded-For`` header nginx sets. Anyone can send that header too, so it is read only when
``REMOTE_ADDR`` is one of ``settings.TRUSTED_PROXIES`` (addresses or networks, e.g.
``127.0.0.1`` or ``10.0.0.0/8``). The header is then read from the right: each hop a trusted
proxy added is skipped, and the first address no trusted proxy owns is the client. Whatever a
client wrote further left is never reached.

One function, used by everything that counts or records addresses: django-ratelimit
(``RATELIMIT_IP_META_KEY``), django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit trail, which
reads the address of the request being served through :func:`current_client_address` (set by
``config.middleware.ClientAddressMiddleware``).
"""

import contextvars
import ipaddress
from functools import lru_cache

from django.conf import settings

_current = contextvars.ContextVar("client_address", default=None)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _parse(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def trusted_proxies() -> tuple[Network, ...]:
    configured = getattr(settings, "TRUSTED_PROXIES", ())
    if isinstance(configured, str):
        configured = configured.split(",")
    return _networks(tuple(configured))


def _trusted(address: Address | None, proxies: tuple[Network, ...]) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in proxies)


def client_address(request) -> str:
    """The address of the client behind ``request``: see the module's docstring."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = trusted_proxies()
    nearest = _parse(remote)
    if not _trusted(nearest, proxies):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:  # garbage a client wrote: the nearest hop we can vouch for answers
            break
        nearest = address
        if not _trusted(address, proxies):
            break
    return str(nearest)


def current_client_address() -> str | None:
    """The client address of the request being served, or None (a command, a test without a request)."""
    return _current.get()


def bind(address: str | None) -> contextvars.Token:
    """Make ``address`` the current one (the middleware does it per request); reset with :func:`unbind`."""
    return _current.set(address)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)
