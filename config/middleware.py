"""Project-wide middleware that belongs to no app."""

from registry.client_address import bind, client_address, unbind


class ClientAddressMiddleware:
    """Makes the request's client address (``registry.client_address``) the current one while it is served,
    so the audit trail records where a change came from without every operation being handed the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = bind(client_address(request))
        try:
            return self.get_response(request)
        finally:
            unbind(token)
