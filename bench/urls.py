from django.urls import path

from bench.views import constant_page
from directory.urls import urlpatterns as product_urlpatterns

# The reference page lives beside the product's routes, not in them, so the
# product never serves it.
urlpatterns = [
    path("__bench__/constant/", constant_page),
    *product_urlpatterns,
]
