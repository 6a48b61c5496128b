import pytest
from django.conf import settings
from django.db import connections

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    skip_without_postgresql = pytest.mark.skip(
        reason="needs PostgreSQL row locks: set DATABASE_URL to a PostgreSQL "
        "server (make test-postgresql)"
    )
    for item in items:
        if "postgresql" in item.keywords and not ON_POSTGRESQL:
            item.add_marker(skip_without_postgresql)


@pytest.fixture
def close_thread_connections():
    """Close the database connections a test's threads opened."""
    yield
    connections.close_all()
