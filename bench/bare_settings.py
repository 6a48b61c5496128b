"""The product's settings, serving the bare baseline views instead."""

from marketplace.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
