"""The operator admin for parcels, declarations and API tokens.

Parcels and shipment requests are records of what happened, so they are
read-only here: nobody adds, edits or deletes them from the admin. API tokens
are issued with ``manage.py create_api_token`` (the secret is shown once,
there); operators see them and can revoke them. Reviewers do not see tokens.
"""

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from shipments.api.tokens import revoke_api_token
from shipments.models import ApiToken, Shipment, ShipmentRequest
from shipments.request_tables import errors_by_subject, request_body_table


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReasonCodeFilter(admin.AllValuesFieldListFilter):
    """The codes recorded on rejected requests, to find every one of a kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "reason code"


def order_link(order, label):
    if order is None:
        return label
    url = reverse("admin:orders_order_change", args=[order.pk])
    return format_html('<a href="{}">{}</a>', url, label)


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = [
        "parcel_number",
        "order_column",
        "carrier_name",
        "tracking_link",
        "line_ids",
        "declared_by",
        "created_at",
    ]
    list_select_related = ["order"]
    list_filter = ["carrier_name", "order__sales_channel"]
    search_fields = [
        "=parcel_number",
        "=order__order_id",
        "=lines__order_line_id",
        "=lines__seller_product_id",
    ]
    search_help_text = "A parcelNumber, orderId, orderLineId or sellerProductId."
    date_hierarchy = "created_at"
    fields = [
        "order_column",
        "parcel_number",
        "carrier_name",
        "tracking_link",
        "line_ids",
        "declared_by",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")

    @admin.display(description="order", ordering="order__order_id")
    def order_column(self, shipment):
        return order_link(shipment.order, shipment.order.order_id)

    @admin.display(description="tracking")
    def tracking_link(self, shipment):
        if not shipment.tracking_url:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            shipment.tracking_url,
            shipment.tracking_url,
        )

    @admin.display(description="lines")
    def line_ids(self, shipment):
        return ", ".join(line.order_line_id for line in shipment.lines.all())


@admin.register(ShipmentRequest)
class ShipmentRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "order_column",
        "seller",
        "declared_by",
        "outcome_column",
        "http_status",
        "reason_codes",
    ]
    list_select_related = ["seller", "order"]
    list_filter = [
        "outcome",
        ("errors__code", ReasonCodeFilter),
        ("replay_of", admin.EmptyFieldListFilter),
        "seller",
    ]
    search_fields = [
        "=requested_order_id",
        "=line_verdicts__requested_line_id",
        "=line_verdicts__parcel_number",
        "=idempotency_key",
    ]
    search_help_text = "An orderId, orderLineId, parcelNumber or idempotency key."
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("outcome_column", "http_status"),
                    ("order_column", "seller"),
                    ("declared_by", "created_at"),
                    ("idempotency_key", "replay_column"),
                ]
            },
        ),
        ("Request body", {"fields": ["body_table"]}),
        ("Why it was rejected", {"fields": ["errors_table"]}),
        ("Verdict of the rule on each line", {"fields": ["line_verdicts_table"]}),
        ("Parcels created", {"fields": ["shipment_list"]}),
    ]
    readonly_fields = [
        "outcome_column",
        "http_status",
        "order_column",
        "seller",
        "declared_by",
        "created_at",
        "idempotency_key",
        "replay_column",
        "body_table",
        "errors_table",
        "line_verdicts_table",
        "shipment_list",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("errors")

    @admin.display(description="order", ordering="requested_order_id")
    def order_column(self, shipment_request):
        return order_link(shipment_request.order, shipment_request.requested_order_id)

    @admin.display(description="replay of")
    def replay_column(self, shipment_request):
        original = shipment_request.replay_of
        if original is None:
            return "—"
        url = reverse("admin:shipments_shipmentrequest_change", args=[original.pk])
        return format_html(
            '<a href="{}">the call of {}</a>: its answer was sent again, nothing '
            "was decided anew",
            url,
            original.created_at.isoformat(timespec="seconds"),
        )

    @admin.display(description="outcome", ordering="outcome")
    def outcome_column(self, shipment_request):
        return render_to_string(
            "admin/marketplace/outcome_badge.html",
            {"outcome": shipment_request.outcome},
        )

    @admin.display(description="reason codes")
    def reason_codes(self, shipment_request):
        codes = dict.fromkeys(error.code for error in shipment_request.errors.all())
        if not codes:
            return "—"
        return format_html_join(
            " ", '<code class="mp-code">{}</code>', ((code,) for code in codes)
        )

    @admin.display(description="body")
    def body_table(self, shipment_request):
        return render_to_string(
            "admin/marketplace/request_body.html",
            {"body": request_body_table(shipment_request.body)},
        )

    @admin.display(description="errors")
    def errors_table(self, shipment_request):
        return render_to_string(
            "admin/marketplace/request_errors.html",
            {"errors": errors_by_subject(shipment_request.errors.all())},
        )

    @admin.display(description="lines")
    def line_verdicts_table(self, shipment_request):
        return render_to_string(
            "admin/marketplace/request_line_verdicts.html",
            {"line_verdicts": shipment_request.line_verdicts.all()},
        )

    @admin.display(description="parcels")
    def shipment_list(self, shipment_request):
        parcels = shipment_request.shipments.all()
        if not parcels:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:shipments_shipment_change", args=[parcel.pk]), parcel)
                for parcel in parcels
            ),
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "seller",
        "name",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["seller"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "seller"]
    search_fields = ["=prefix", "=seller__seller_id", "name"]
    fields = ["prefix", "seller", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected API tokens", permissions=["change"])
    def revoke_tokens(self, request, queryset):
        revoked = [
            revoke_api_token(token) for token in queryset if token.revoked_at is None
        ]
        self.message_user(request, f"Revoked {len(revoked)} API token(s).")
