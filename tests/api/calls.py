"""Shortcuts for the seller API's URLs and bodies in tests."""

PARCEL = {
    "parcelNumber": "PKG-123456",
    "carrierName": "Chronopost",
    "trackingUrl": "https://tracking.example.com/PKG-123456",
    "orderLineIds": ["LINE_1", "LINE_2"],
}


def shipments_url(order_id):
    return f"/seller/v2/orders/{order_id}/shipments"


def order_url(order_id):
    return f"/seller/v2/orders/{order_id}"


def eligibility_url(order_id):
    return f"/seller/v2/orders/{order_id}/shipment-eligibility"


def post_shipments(api, order_id, body, **headers):
    return api.post(shipments_url(order_id), body, format="json", headers=headers)


def error_codes(response):
    return [
        (error.get("orderLineId") or error.get("field"), error["code"])
        for error in response.json()["errors"]
    ]
