"""URL routes: the operator admin and the seller API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("seller/v2/", include("shipments.api.urls")),
]

handler400 = "shipments.api.problems.bad_request"
handler404 = "shipments.api.problems.page_not_found"
handler500 = "shipments.api.problems.server_error"
