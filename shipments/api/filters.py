"""Query filters of the order list, named as the marketplace API names them."""

import django_filters
from django.db.models import Exists, OuterRef

from orders.models import CancellationRequest, Order


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated values, each one of the choices."""


class OrderFilter(django_filters.FilterSet):
    status = ChoiceInFilter(
        field_name="status",
        choices=Order.Status.choices,
        help_text="Header statuses, comma-separated: InPreparation,Shipped.",
    )
    salesChannelId = django_filters.CharFilter(
        field_name="sales_channel__sales_channel_id",
        help_text="A sales channel id, such as CDISFR.",
    )
    supplyMode = django_filters.ChoiceFilter(
        field_name="supply_mode", choices=Order.SupplyMode.choices
    )
    updatedAtMin = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Orders updated at or after this ISO 8601 time.",
    )
    updatedAtMax = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="lte",
        help_text="Orders updated at or before this ISO 8601 time.",
    )
    hasCancelRequest = django_filters.BooleanFilter(
        method="filter_has_cancel_request",
        help_text="true: orders with a line whose cancellation request is open; "
        "false: orders without one.",
    )

    class Meta:
        model = Order
        fields = []

    def filter_has_cancel_request(self, queryset, name, value):
        open_request = CancellationRequest.objects.filter(
            order_line__order=OuterRef("pk"), state=CancellationRequest.State.OPEN
        )
        if value:
            return queryset.filter(Exists(open_request))
        return queryset.exclude(Exists(open_request))
