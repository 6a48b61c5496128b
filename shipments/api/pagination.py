"""Paging by ``pageIndex`` (from 1) and ``pageSize`` (at most 100)."""

from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from shipments.api.serializers import PageQuerySerializer

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


class PageIndexPagination(BasePagination):
    """A page of results with the total count; out-of-range values are 400."""

    def paginate_queryset(self, queryset, request, view=None):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.page_index = query.validated_data["pageIndex"]
        self.page_size = query.validated_data["pageSize"]
        self.total_count = queryset.count()
        start = (self.page_index - 1) * self.page_size
        return list(queryset[start : start + self.page_size])

    def get_paginated_response(self, data):
        return Response(
            {
                "totalCount": self.total_count,
                "pageIndex": self.page_index,
                "pageSize": self.page_size,
                "orders": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["totalCount", "pageIndex", "pageSize", "orders"],
            "properties": {
                "totalCount": {
                    "type": "integer",
                    "description": "Orders matching the filters, on every page.",
                    "example": 1,
                },
                "pageIndex": {"type": "integer", "example": 1},
                "pageSize": {"type": "integer", "example": DEFAULT_PAGE_SIZE},
                "orders": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "pageIndex",
                "required": False,
                "in": "query",
                "description": "The page to return, from 1. A page past the end "
                "is empty.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1_000_000,
                    "default": 1,
                },
            },
            {
                "name": "pageSize",
                "required": False,
                "in": "query",
                "description": f"Orders per page, at most {MAX_PAGE_SIZE}.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                },
            },
        ]
