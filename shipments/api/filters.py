"""Query filters of the order list, named as the marketplace API names them."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django_filters.fields import IsoDateTimeField

from orders.models import CancellationRequest, Order


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated values, each one of the choices."""


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned to UTC.

    Python takes UTC offsets up to a day, PostgreSQL up to 16 hours; in UTC
    every valid time reaches the database as a plain value.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError as error:
            raise forms.ValidationError(
                "The time is out of range once turned to UTC.", code="invalid"
            ) from error


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


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
    updatedAtMin = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Orders updated at or after this ISO 8601 time.",
    )
    updatedAtMax = UtcIsoDateTimeFilter(
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
