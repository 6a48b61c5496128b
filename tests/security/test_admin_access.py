"""The admin is for staff only; shipments and their requests are records
that nobody, not even a superuser, adds, changes or deletes there."""

import pytest
from django.urls import reverse

from shipments.models import ShipmentRequest
from shipments.services import ParcelDeclaration, declare_shipments
from tests.factories import announcement_order

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:orders_order_changelist",
    "admin:shipments_shipment_changelist",
]


@pytest.fixture
def shipment():
    order, _, _ = announcement_order()
    outcome = declare_shipments(
        order=order,
        parcels=[
            ParcelDeclaration(
                parcel_number="PKG-1",
                carrier_name="Chronopost",
                order_line_ids=["LINE_1"],
            )
        ],
        declared_by="tests",
    )
    return outcome.shipments[0]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_anonymous_visitor_is_sent_to_the_login(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_user_who_is_not_staff_is_sent_to_the_login(client, django_user_model, page):
    client.force_login(django_user_model.objects.create_user(username="customer"))

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", ["shipment", "shipmentrequest"])
def test_superuser_cannot_add_records(admin_client, model):
    response = admin_client.get(reverse(f"admin:shipments_{model}_add"))

    assert response.status_code == 403


@pytest.mark.parametrize("model", ["shipment", "shipmentrequest"])
def test_superuser_cannot_delete_or_change_records(admin_client, shipment, model):
    record = shipment if model == "shipment" else ShipmentRequest.objects.get()
    delete_url = reverse(f"admin:shipments_{model}_delete", args=[record.pk])
    change_url = reverse(f"admin:shipments_{model}_change", args=[record.pk])

    deleted = admin_client.post(delete_url, {"post": "yes"})
    changed = admin_client.post(change_url, {})
    page = admin_client.get(change_url)

    assert deleted.status_code == 403
    assert changed.status_code == 403
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b"deletelink" not in page.content
    assert type(record).objects.filter(pk=record.pk).exists()
