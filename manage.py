#!/usr/bin/env python
"""Django's command-line utility for the marketplace back office."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    # Commands run from a checkout default to development settings; the web
    # servers (wsgi.py, asgi.py) do not, and production sets
    # DJANGO_DEBUG=false for its commands too.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
