"""OpenAPI descriptions and examples of the endpoints (drf-spectacular).

The examples follow the rule change's own case: order 2312011200A1B2 on
Cdiscount France (CDISFR), shipped by the seller, with LINE_1 InPreparation
and LINE_2 in CancelRequest because the customer asked to cancel.
"""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)

from shipments.api.problems import (
    FORBIDDEN,
    IDEMPOTENCY_KEY_REUSED,
    INVALID_REQUEST,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    REQUEST_TOO_LARGE,
    SERVER_ERROR,
    SHIPMENT_REJECTED,
    TOO_MANY_REQUESTS,
    UNSUPPORTED_MEDIA_TYPE,
    problem_body,
)
from shipments.api.serializers import (
    OrderEligibilitySerializer,
    OrderSerializer,
    ParcelSerializer,
    ProblemSerializer,
    ShipmentSerializer,
)

TAG = "Orders and shipments"
PROBLEM_MEDIA_TYPE = "application/problem+json"

PARCEL = {
    "parcelNumber": "PKG-123456",
    "carrierName": "Chronopost",
    "trackingUrl": "https://tracking.example.com/PKG-123456",
    "orderLineIds": ["LINE_1", "LINE_2"],
}
SHIPMENT = {
    **PARCEL,
    "createdAt": "2026-11-29T17:42:03.120000Z",
}
CANCELLATION_BY_CUSTOMER = {
    "initiator": "Customer",
    "reason": "Ordered by mistake",
    "requestedAt": "2026-11-29T17:35:00Z",
    "state": "Open",
}
ANNOUNCEMENT_HEADER = {
    "orderId": "2312011200A1B2",
    "status": "InPreparation",
    "supplyMode": "Seller",
    "salesChannelId": "CDISFR",
    "shippingCountry": "FR",
    "createdAt": "2026-11-28T17:40:11Z",
    "updatedAt": "2026-11-29T17:40:11Z",
}
ANNOUNCEMENT_ORDER = {
    **ANNOUNCEMENT_HEADER,
    "lines": [
        {
            "orderLineId": "LINE_1",
            "status": "InPreparation",
            "sellerProductId": "SKU-KETTLE-17",
            "productTitle": "Electric kettle 1.7 L",
            "quantity": 1,
            "unitPrice": "39.90",
            "cancellationRequest": None,
        },
        {
            "orderLineId": "LINE_2",
            "status": "CancelRequest",
            "sellerProductId": "SKU-MUG-SET4",
            "productTitle": "Set of 4 stoneware mugs",
            "quantity": 2,
            "unitPrice": "24.50",
            "cancellationRequest": CANCELLATION_BY_CUSTOMER,
        },
    ],
    "shipments": [],
}
SHIPPED_ANNOUNCEMENT_ORDER = {
    **ANNOUNCEMENT_ORDER,
    "status": "Shipped",
    "updatedAt": "2026-11-29T17:42:03.120000Z",
    "lines": [
        {**ANNOUNCEMENT_ORDER["lines"][0], "status": "Shipped"},
        {
            **ANNOUNCEMENT_ORDER["lines"][1],
            "status": "Shipped",
            "cancellationRequest": {
                **CANCELLATION_BY_CUSTOMER,
                "state": "ClosedByShipment",
            },
        },
    ],
    "shipments": [SHIPMENT],
}


def passed_check(name, label, detail):
    return {
        "name": name,
        "label": label,
        "passed": True,
        "code": None,
        "detail": detail,
    }


COMMON_CHECKS = [
    passed_check(
        "order_status", "Order header is InPreparation", "The order is InPreparation."
    ),
    passed_check(
        "supply_mode", "Supply mode is Seller", "The seller ships this order."
    ),
]
ANNOUNCEMENT_ELIGIBILITY = {
    **ANNOUNCEMENT_HEADER,
    "lines": [
        {
            "orderLineId": "LINE_1",
            "status": "InPreparation",
            "shippable": True,
            "reasonCodes": [],
            "checks": [
                *COMMON_CHECKS,
                passed_check(
                    "line_status",
                    "Line is InPreparation or CancelRequest",
                    "The line is InPreparation.",
                ),
            ],
        },
        {
            "orderLineId": "LINE_2",
            "status": "CancelRequest",
            "shippable": True,
            "reasonCodes": [],
            "checks": [
                *COMMON_CHECKS,
                passed_check(
                    "line_status",
                    "Line is InPreparation or CancelRequest",
                    "The line is CancelRequest.",
                ),
                passed_check(
                    "channel_policy",
                    "Sales channel ships customer cancel requests",
                    "CDISFR ships lines with a customer cancel request.",
                ),
                passed_check(
                    "cancel_request_open",
                    "An open cancellation request exists",
                    "An open cancellation request exists.",
                ),
                passed_check(
                    "cancellation_initiator",
                    "Cancellation was initiated by the customer",
                    "The customer asked to cancel.",
                ),
            ],
        },
    ],
}
SELLER_CANCELLATION_ELIGIBILITY = {
    **ANNOUNCEMENT_ELIGIBILITY,
    "lines": [
        ANNOUNCEMENT_ELIGIBILITY["lines"][0],
        {
            **ANNOUNCEMENT_ELIGIBILITY["lines"][1],
            "shippable": False,
            "reasonCodes": ["cancellation_not_initiated_by_customer"],
            "checks": [
                *ANNOUNCEMENT_ELIGIBILITY["lines"][1]["checks"][:5],
                {
                    "name": "cancellation_initiator",
                    "label": "Cancellation was initiated by the customer",
                    "passed": False,
                    "code": "cancellation_not_initiated_by_customer",
                    "detail": "The cancellation was initiated by Seller; only a "
                    "customer's request lets the line ship.",
                },
            ],
        },
    ],
}

PROBLEM_EXAMPLES = {
    400: OpenApiExample(
        "Invalid body",
        value=problem_body(
            INVALID_REQUEST,
            detail="The request has 2 errors; see errors.",
            code="invalid",
            errors=[
                {
                    "field": "carrierName",
                    "code": "required",
                    "detail": "This field is required.",
                },
                {
                    "field": "trackingUrl",
                    "code": "invalid",
                    "detail": "Enter a valid URL.",
                },
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["400"],
    ),
    401: OpenApiExample(
        "No token",
        value=problem_body(
            NOT_AUTHENTICATED,
            detail="Authentication credentials were not provided.",
            code="not_authenticated",
            errors=[
                {
                    "field": "Authorization",
                    "code": "not_authenticated",
                    "detail": "Authentication credentials were not provided.",
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["401"],
    ),
    403: OpenApiExample(
        "SellerId of another seller",
        value=problem_body(
            FORBIDDEN,
            detail="The SellerId header does not match the seller of the token.",
            code="seller_id_mismatch",
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["403"],
    ),
    404: OpenApiExample(
        "Unknown order, or another seller's",
        value=problem_body(
            NOT_FOUND,
            detail="No order with this id.",
            code="order_not_found",
            errors=[
                {
                    "field": "orderId",
                    "code": "order_not_found",
                    "detail": "No order with this id.",
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["404"],
    ),
    405: OpenApiExample(
        "Method not allowed",
        value=problem_body(
            METHOD_NOT_ALLOWED,
            detail='Method "DELETE" not allowed.',
            code="method_not_allowed",
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["405"],
    ),
    406: OpenApiExample(
        "Only JSON is served",
        value=problem_body(
            NOT_ACCEPTABLE,
            detail="Could not satisfy the request Accept header.",
            code="not_acceptable",
            errors=[
                {
                    "field": "Accept",
                    "code": "not_acceptable",
                    "detail": "Could not satisfy the request Accept header.",
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["406"],
    ),
    409: OpenApiExample(
        "Idempotency key reused with another body",
        value=problem_body(
            IDEMPOTENCY_KEY_REUSED,
            detail="This Idempotency-Key was already used with a different "
            "request; send a new key for a new request.",
            code="idempotency_key_reused",
            errors=[
                {
                    "field": "Idempotency-Key",
                    "code": "idempotency_key_reused",
                    "detail": "This Idempotency-Key was already used with a "
                    "different request; send a new key for a new request.",
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["409"],
    ),
    413: OpenApiExample(
        "Body over the size limit",
        value=problem_body(
            REQUEST_TOO_LARGE,
            detail="The body is larger than 1048576 bytes; send fewer parcels per "
            "request.",
            code="request_too_large",
            errors=[
                {
                    "field": "body",
                    "code": "request_too_large",
                    "detail": "The body is larger than 1048576 bytes; send fewer "
                    "parcels per request.",
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["413"],
    ),
    415: OpenApiExample(
        "Body is not JSON",
        value=problem_body(
            UNSUPPORTED_MEDIA_TYPE,
            detail='Unsupported media type "text/plain" in request.',
            code="unsupported_media_type",
            errors=[
                {
                    "field": "Content-Type",
                    "code": "unsupported_media_type",
                    "detail": 'Unsupported media type "text/plain" in request.',
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["415"],
    ),
    422: OpenApiExample(
        "Cancellation asked by the seller",
        description="LINE_2's cancellation was initiated by the seller, so it "
        "cannot ship; LINE_1 is not shipped either: all or nothing.",
        value=problem_body(
            SHIPMENT_REJECTED,
            detail="Nothing was declared: 1 error(s) in the request; see errors.",
            code="shipment_rejected",
            errors=[
                {
                    "orderLineId": "LINE_2",
                    "code": "cancellation_not_initiated_by_customer",
                    "detail": "The cancellation was initiated by Seller; only a "
                    "customer's request lets the line ship.",
                }
            ],
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["422"],
    ),
    429: OpenApiExample(
        "Too many declarations",
        value=problem_body(
            TOO_MANY_REQUESTS,
            detail="Request was throttled. Expected available in 12 seconds.",
            code="throttled",
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["429"],
    ),
    500: OpenApiExample(
        "Server error",
        value=problem_body(
            SERVER_ERROR,
            detail="The server failed to answer; the error is logged. Retry later.",
            code="server_error",
        ),
        media_type=PROBLEM_MEDIA_TYPE,
        status_codes=["500"],
    ),
}

PROBLEM_DESCRIPTIONS = {
    400: "The request is malformed; `errors` names each field.",
    401: "No token, or an unknown or revoked one.",
    403: "The `SellerId` header names another seller than the token's.",
    404: "No such order among the caller's orders (another seller's order is "
    "never revealed).",
    405: "The method is not allowed on this path.",
    406: "The `Accept` header excludes JSON.",
    409: "The `Idempotency-Key` was already used with another request.",
    413: "The body is larger than the server accepts (1 MiB by default).",
    415: "The body is not `application/json`.",
    422: "A line or parcel cannot ship; `errors` lists every one and nothing "
    "was declared.",
    429: "Too many declarations for this seller; retry after `Retry-After` seconds.",
    500: "An unexpected error, logged on the server; no detail is given.",
}


def problem_responses(*status_codes):
    return {
        (status_code, PROBLEM_MEDIA_TYPE): OpenApiResponse(
            response=ProblemSerializer, description=PROBLEM_DESCRIPTIONS[status_code]
        )
        for status_code in status_codes
    }


def problem_examples(*status_codes):
    return [PROBLEM_EXAMPLES[status_code] for status_code in status_codes]


SELLER_ID_HEADER = OpenApiParameter(
    "SellerId",
    str,
    OpenApiParameter.HEADER,
    description="Optional. When sent, must be the seller id of the token (403 "
    "otherwise).",
)
ORDER_ID = OpenApiParameter(
    "orderId",
    str,
    OpenApiParameter.PATH,
    description="The marketplace's order id.",
)
IDEMPOTENCY_KEY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Optional, up to 255 printable characters, scoped to the seller. "
    "Sending the same key with the same order and body within 24 hours returns "
    "the first answer (201 or 422) again, with the header `Idempotent-Replayed: "
    "true`, and declares nothing twice. The same key with another order or body "
    "is 409.",
)
READ_ERRORS = (401, 403, 404, 405, 406, 500)

list_orders = extend_schema(
    operation_id="listOrders",
    tags=[TAG],
    summary="List the seller's orders",
    description="The caller's orders, newest first, with their lines and "
    "shipments. Filters combine; `status` takes several values separated by "
    "commas.",
    parameters=[SELLER_ID_HEADER],
    responses={
        200: OrderSerializer(many=True),
        **problem_responses(400, 401, 403, 405, 406, 500),
    },
    examples=[
        OpenApiExample(
            "A page of orders",
            value=ANNOUNCEMENT_ORDER,
            response_only=True,
            status_codes=["200"],
        ),
        *problem_examples(400, 401, 403, 405, 406, 500),
    ],
)

retrieve_order = extend_schema(
    operation_id="getOrder",
    tags=[TAG],
    summary="Read an order",
    description="The header, every line with its cancellation request, and the "
    "shipments declared so far.",
    parameters=[ORDER_ID, SELLER_ID_HEADER],
    responses={200: OrderSerializer, **problem_responses(*READ_ERRORS)},
    examples=[
        OpenApiExample(
            "LINE_2 has a customer's cancellation request",
            value=ANNOUNCEMENT_ORDER,
            response_only=True,
            status_codes=["200"],
        ),
        OpenApiExample(
            "After the shipment",
            value=SHIPPED_ANNOUNCEMENT_ORDER,
            response_only=True,
            status_codes=["200"],
        ),
        *problem_examples(*READ_ERRORS),
    ],
)

shipment_eligibility = extend_schema(
    operation_id="getShipmentEligibility",
    tags=[TAG],
    summary="Which lines may be declared shipped, and why",
    description="Every line's verdict with every check of the rule the "
    "declaration applies, so an integrator can ask before it posts. Nothing is "
    "recorded.",
    parameters=[ORDER_ID, SELLER_ID_HEADER],
    responses={200: OrderEligibilitySerializer, **problem_responses(*READ_ERRORS)},
    examples=[
        OpenApiExample(
            "Both lines shippable (customer cancellation on CDISFR)",
            value=ANNOUNCEMENT_ELIGIBILITY,
            response_only=True,
            status_codes=["200"],
        ),
        OpenApiExample(
            "LINE_2 blocked: the seller asked to cancel",
            value=SELLER_CANCELLATION_ELIGIBILITY,
            response_only=True,
            status_codes=["200"],
        ),
        *problem_examples(*READ_ERRORS),
    ],
)

list_shipments = extend_schema(
    operation_id="listShipments",
    tags=[TAG],
    summary="List an order's shipments",
    parameters=[ORDER_ID, SELLER_ID_HEADER],
    responses={200: ShipmentSerializer(many=True), **problem_responses(*READ_ERRORS)},
    examples=[
        OpenApiExample(
            "One parcel",
            value=[SHIPMENT],
            response_only=True,
            status_codes=["200"],
        ),
        *problem_examples(*READ_ERRORS),
    ],
)

PARCEL_OR_PARCELS = PolymorphicProxySerializer(
    component_name="ParcelOrParcels",
    serializers=[ParcelSerializer, ParcelSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
SHIPMENT_OR_SHIPMENTS = PolymorphicProxySerializer(
    component_name="ShipmentOrShipments",
    serializers=[ShipmentSerializer, ShipmentSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
DECLARATION_ERRORS = (400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 500)

declare_shipments = extend_schema(
    operation_id="declareShipments",
    tags=[TAG],
    summary="Declare parcels as shipped",
    description=(
        "The body is one parcel or an array of parcels. All or nothing: every "
        "line of every parcel must be shippable, or nothing is declared and the "
        "answer (422) lists every failing line. On success each line becomes "
        "`Shipped`, an open cancellation request on it becomes "
        "`ClosedByShipment`, and the order becomes `Shipped` once no line is "
        "left to ship. The answer has the shape of the body: an object for an "
        "object, an array for an array. Every call, accepted or refused, is "
        "recorded for the marketplace's operators.\n\n"
        "A line in `CancelRequest` ships on Cdiscount channels when the "
        "customer asked to cancel: the parcel is often already with the "
        "carrier.\n\n"
        "Declarations are limited per seller (3000 a minute unless configured "
        "otherwise); over the limit the answer is 429 with `Retry-After`.\n\n"
        "A request holds at most 100 parcels of at most 1000 lines each, and "
        "its body at most 1 MiB (413 otherwise). The body is strict JSON: a "
        "member named twice in one object (`duplicate_key`), a NUL character "
        "in a string (`null_character`) or arrays and objects nested more "
        "than 10 levels deep (`too_deep`) are refused with 400."
    ),
    parameters=[ORDER_ID, SELLER_ID_HEADER, IDEMPOTENCY_KEY_HEADER],
    request=PARCEL_OR_PARCELS,
    responses={
        201: OpenApiResponse(
            response=SHIPMENT_OR_SHIPMENTS,
            description="Declared: the created shipment, or the array of them.",
        ),
        **problem_responses(*DECLARATION_ERRORS),
    },
    examples=[
        OpenApiExample(
            "One parcel with both lines",
            value=PARCEL,
            request_only=True,
        ),
        OpenApiExample(
            "Two parcels",
            value=[
                {**PARCEL, "orderLineIds": ["LINE_1"]},
                {
                    "parcelNumber": "PKG-123457",
                    "carrierName": "Colissimo",
                    "orderLineIds": ["LINE_2"],
                },
            ],
            request_only=True,
        ),
        OpenApiExample(
            "Declared",
            value=SHIPMENT,
            response_only=True,
            status_codes=["201"],
        ),
        OpenApiExample(
            "Two parcels declared",
            value=[
                {**SHIPMENT, "orderLineIds": ["LINE_1"]},
                {
                    "parcelNumber": "PKG-123457",
                    "carrierName": "Colissimo",
                    "trackingUrl": None,
                    "orderLineIds": ["LINE_2"],
                    "createdAt": "2026-11-29T17:42:03.120000Z",
                },
            ],
            response_only=True,
            status_codes=["201"],
        ),
        *problem_examples(*DECLARATION_ERRORS),
    ],
)
