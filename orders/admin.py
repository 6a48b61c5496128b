"""The operator admin for sellers, channels, orders, lines and cancellations.

Orders, lines and cancellation requests arrive from the marketplace (imports
and the API), so the admin shows them read-only: every change of a line's
state goes through ``orders.services`` under the order lock. Only a sales
channel's policy is edited here, and Django's admin history records it.
"""

from django.contrib import admin, messages
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from orders.eligibility import shippable_line_condition
from orders.exports import assess_lines, assess_orders, verdicts_csv
from orders.models import CancellationRequest, Order, OrderLine, SalesChannel, Seller
from orders.services import (
    OrderOperationError,
    accept_cancellation_request,
    assess_order_lines,
)
from shipments.models import Shipment, ShipmentRequest
from shipments.request_tables import errors_by_subject, request_body_table

admin.site.site_header = "Marketplace back office"
admin.site.site_title = "Marketplace back office"
admin.site.index_title = "Orders, shipments and the reasons behind them"

HIDDEN_SAVE_BUTTONS = {
    "show_save": False,
    "show_save_and_continue": False,
    "show_save_and_add_another": False,
    "show_delete": False,
}


def verdict_badge(shippable):
    return render_to_string(
        "admin/marketplace/verdict_badge.html", {"shippable": shippable}
    )


def status_pill(status):
    return format_html('<span class="mp-pill">{}</span>', status)


def open_request_exists(**lookups):
    return Exists(
        CancellationRequest.objects.filter(
            state=CancellationRequest.State.OPEN, **lookups
        )
    )


class ShippableNowFilter(admin.SimpleListFilter):
    """Filter on the ``shippable_now`` annotation of the admin's queryset."""

    title = "shippable now"
    parameter_name = "shippable_now"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(shippable_now=self.value() == "yes")
        return queryset


class CancellationInitiatorFilter(admin.SimpleListFilter):
    """Who opened the open cancellation request, or that none is open."""

    title = "open cancellation request by"
    parameter_name = "cancellation_initiator"
    none_value = "none"
    request_to_row = "order_line"

    def lookups(self, request, model_admin):
        return [
            *CancellationRequest.Initiator.choices,
            (self.none_value, "No open request"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.none_value:
            return queryset.filter(
                ~open_request_exists(**{self.request_to_row: OuterRef("pk")})
            )
        if value in CancellationRequest.Initiator.values:
            return queryset.filter(
                open_request_exists(
                    initiator=value, **{self.request_to_row: OuterRef("pk")}
                )
            )
        return queryset


class OrderCancellationInitiatorFilter(CancellationInitiatorFilter):
    request_to_row = "order_line__order"


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["seller_id", "name", "order_count", "updated_at"]
    search_fields = ["seller_id", "name"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(order_count=Count("orders"))

    @admin.display(description="orders", ordering="order_count")
    def order_count(self, seller):
        return seller.order_count


@admin.register(SalesChannel)
class SalesChannelAdmin(admin.ModelAdmin):
    list_display = ["sales_channel_id", "name", "ships_customer_cancel_requests"]
    list_filter = ["ships_customer_cancel_requests"]
    search_fields = ["sales_channel_id", "name"]
    fields = [
        "sales_channel_id",
        "name",
        "ships_customer_cancel_requests",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    change_form_template = "admin/orders/order/change_form.html"
    list_display = [
        "order_id",
        "seller",
        "sales_channel",
        "status_column",
        "supply_mode",
        "line_count",
        "shippable_now_column",
        "updated_at",
    ]
    list_select_related = ["seller", "sales_channel"]
    list_filter = [
        ShippableNowFilter,
        "status",
        "lines__status",
        "sales_channel",
        "supply_mode",
        OrderCancellationInitiatorFilter,
    ]
    search_fields = [
        "=order_id",
        "=lines__order_line_id",
        "=shipments__parcel_number",
        "=lines__seller_product_id",
    ]
    search_help_text = "An orderId, orderLineId, parcelNumber or sellerProductId."
    date_hierarchy = "updated_at"
    actions = ["export_verdicts_csv"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("order_id", "seller"),
                    ("status", "supply_mode"),
                    ("sales_channel", "channel_policy"),
                    "shipping_country",
                    ("created_at", "updated_at"),
                ]
            },
        )
    ]

    def get_queryset(self, request):
        shippable_lines = OrderLine.objects.filter(
            shippable_line_condition(), order=OuterRef("pk")
        )
        line_counts = (
            OrderLine.objects.filter(order=OuterRef("pk"))
            .order_by()
            .values("order")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                shippable_now=Exists(shippable_lines),
                line_count=Coalesce(
                    Subquery(line_counts, output_field=IntegerField()), 0
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        return [
            *(field.name for field in Order._meta.fields),
            "channel_policy",
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="status", ordering="status")
    def status_column(self, order):
        return status_pill(order.status)

    @admin.display(description="lines", ordering="line_count")
    def line_count(self, order):
        return order.line_count

    @admin.display(description="shippable now", ordering="shippable_now")
    def shippable_now_column(self, order):
        return verdict_badge(order.shippable_now)

    @admin.display(description="channel policy")
    def channel_policy(self, order):
        if order.sales_channel.ships_customer_cancel_requests:
            return "Ships lines the customer asked to cancel"
        return "Never ships a line in CancelRequest"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = order_review(object_id)
        return super().change_view(
            request,
            object_id,
            form_url,
            extra_context={
                "title": "Order",
                **(extra_context or {}),
                **review,
                **HIDDEN_SAVE_BUTTONS,
            },
        )

    @admin.action(description="Export selected orders' line verdicts to CSV")
    def export_verdicts_csv(self, request, queryset):
        orders = queryset.select_related("seller", "sales_channel").prefetch_related(
            "lines__cancellation_requests"
        )
        return csv_response(verdicts_csv(assess_orders(orders)), "order-verdicts.csv")


def order_review(object_id):
    """What the order page shows below the order: verdicts, parcels, calls."""
    if not str(object_id).isdigit():
        return {}
    order = (
        Order.objects.select_related("seller", "sales_channel")
        .prefetch_related("lines__cancellation_requests")
        .filter(pk=object_id)
        .first()
    )
    if order is None:
        return {}
    assessments = [
        {
            "line": line,
            "cancellation_request": open_request
            or latest_request(line.cancellation_requests.all()),
            "verdict": verdict,
        }
        for line, open_request, verdict in assess_order_lines(order)
    ]
    shipment_requests = (
        ShipmentRequest.objects.filter(order=order)
        .select_related("seller")
        .prefetch_related("errors")
    )
    return {
        "assessments": assessments,
        "shippable_line_count": sum(item["verdict"].shippable for item in assessments),
        "shipments": Shipment.objects.filter(order=order).prefetch_related("lines"),
        "shipment_requests": [
            {
                "request": shipment_request,
                "body": request_body_table(shipment_request.body),
                "errors": errors_by_subject(shipment_request.errors.all()),
            }
            for shipment_request in shipment_requests
        ],
    }


def latest_request(cancellation_requests):
    """The last request of a line, shown when none is open any more."""
    return max(
        cancellation_requests,
        key=lambda request: (request.requested_at, request.pk),
        default=None,
    )


def csv_response(text, filename):
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = [
        "order_line_id",
        "order_link",
        "seller_product_id",
        "product_title",
        "quantity",
        "unit_price",
        "status_column",
        "open_request_initiator",
        "shippable_now_column",
        "reason_codes",
    ]
    list_select_related = ["order__seller", "order__sales_channel"]
    list_filter = [
        ShippableNowFilter,
        "order__status",
        "status",
        "order__sales_channel",
        "order__supply_mode",
        CancellationInitiatorFilter,
    ]
    search_fields = [
        "=order__order_id",
        "=order_line_id",
        "=shipment_line__shipment__parcel_number",
        "=seller_product_id",
    ]
    search_help_text = "An orderId, orderLineId, parcelNumber or sellerProductId."
    actions = ["export_verdicts_csv"]

    def get_queryset(self, request):
        open_initiator = CancellationRequest.objects.filter(
            order_line=OuterRef("pk"), state=CancellationRequest.State.OPEN
        ).values("initiator")[:1]
        return (
            super()
            .get_queryset(request)
            .prefetch_related("cancellation_requests")
            .annotate(
                shippable_now=Case(
                    When(shippable_line_condition(), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
                open_request_initiator=Subquery(open_initiator),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in OrderLine._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="order", ordering="order__order_id")
    def order_link(self, line):
        url = reverse("admin:orders_order_change", args=[line.order_id])
        return format_html('<a href="{}">{}</a>', url, line.order.order_id)

    @admin.display(description="status", ordering="status")
    def status_column(self, line):
        return status_pill(line.status)

    @admin.display(description="cancel request by")
    def open_request_initiator(self, line):
        return line.open_request_initiator or "—"

    @admin.display(description="shippable now", ordering="shippable_now")
    def shippable_now_column(self, line):
        return verdict_badge(line.shippable_now)

    @admin.display(description="why not")
    def reason_codes(self, line):
        [(_order, _line, _open_request, verdict)] = assess_lines([line])
        return render_to_string(
            "admin/marketplace/reason_codes.html", {"verdict": verdict}
        )

    @admin.action(description="Export selected lines' verdicts to CSV")
    def export_verdicts_csv(self, request, queryset):
        lines = queryset.select_related(
            "order__seller", "order__sales_channel"
        ).prefetch_related("cancellation_requests")
        return csv_response(verdicts_csv(assess_lines(lines)), "line-verdicts.csv")


@admin.register(CancellationRequest)
class CancellationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "order_line",
        "order_link",
        "initiator",
        "reason",
        "requested_at",
        "state_column",
    ]
    list_select_related = ["order_line__order"]
    list_filter = ["state", "initiator", "order_line__order__sales_channel"]
    search_fields = ["=order_line__order_line_id", "=order_line__order__order_id"]
    search_help_text = "An orderId or orderLineId."
    date_hierarchy = "requested_at"
    actions = ["accept_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in CancellationRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="order", ordering="order_line__order__order_id")
    def order_link(self, cancellation_request):
        order = cancellation_request.order_line.order
        url = reverse("admin:orders_order_change", args=[order.pk])
        return format_html('<a href="{}">{}</a>', url, order.order_id)

    @admin.display(description="state", ordering="state")
    def state_column(self, cancellation_request):
        return status_pill(cancellation_request.state)

    @admin.action(
        description="Accept selected cancellation requests (lines become Cancelled)",
        permissions=["change"],
    )
    def accept_selected(self, request, queryset):
        accepted = 0
        for cancellation_request in queryset.select_related("order_line"):
            try:
                accept_cancellation_request(cancellation_request=cancellation_request)
            except OrderOperationError as error:
                self.message_user(
                    request,
                    f"{cancellation_request.order_line.order_line_id}: "
                    f"{error.detail} ({error.code})",
                    messages.ERROR,
                )
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                f"Accepted {accepted} cancellation request(s); their lines are "
                "now Cancelled.",
                messages.SUCCESS,
            )
