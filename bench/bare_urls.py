"""Routes of the bare baseline: the shipment declaration without DRF."""

from django.urls import path

from bench.bare_views import declare_shipment

urlpatterns = [
    path("bare/orders/<str:order_id>/shipments", declare_shipment),
]
