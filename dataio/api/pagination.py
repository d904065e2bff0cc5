"""Paging of API lists: ``limit``/``offset``, strictly checked (a bad value is a 400, not silently the default)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10 ** 9


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000

    def _strict(self, request, name: str, minimum: int, maximum: int):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not minimum <= value <= maximum:
            raise ValidationError({name: [_("Must be a whole number from %(minimum)d to %(maximum)d.")
                                          % {"minimum": minimum, "maximum": maximum}]})
        return value

    def get_limit(self, request):
        value = self._strict(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request):
        value = self._strict(request, self.offset_query_param, 0, MAX_OFFSET)
        return 0 if value is None else value
