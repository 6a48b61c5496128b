"""Routes of the seller API, under ``/seller/v2/``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shipments.api import views

app_name = "seller_api"

urlpatterns = [
    path("orders", views.OrderListView.as_view(), name="order-list"),
    path("orders/<str:orderId>", views.OrderDetailView.as_view(), name="order-detail"),
    path(
        "orders/<str:orderId>/shipments",
        views.OrderShipmentsView.as_view(),
        name="order-shipments",
    ),
    path(
        "orders/<str:orderId>/shipment-eligibility",
        views.OrderEligibilityView.as_view(),
        name="order-shipment-eligibility",
    ),
    path(
        "schema",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "docs",
        SpectacularSwaggerView.as_view(
            url_name="seller_api:schema",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="docs",
    ),
]
