"""Databases and application servers for the benchmarks, on this machine."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

PROJECT_DIR = Path(__file__).resolve().parent.parent
POSTGRESQL_SERVER = os.environ.get(
    "BENCH_POSTGRESQL_URL", "postgres://postgres@127.0.0.1:5432"
)


def database_url(name):
    return f"{POSTGRESQL_SERVER}/{name}"


def recreate_database(name):
    """Drop and create an empty PostgreSQL database, then migrate it."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=PROJECT_DIR,
        env=bench_environment(name),
        check=True,
    )


def bench_environment(database_name, **variables):
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(database_name),
        "LOG_LEVEL": "ERROR",
        **variables,
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn_running(
    database_name, *, workers=2, settings="marketplace.settings", environment=None
):
    """Serve the application under gunicorn's sync workers on loopback.

    ``environment`` adds variables to the production-like ones; yields the
    port.
    """
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "marketplace.wsgi",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env=bench_environment(
            database_name, DJANGO_SETTINGS_MODULE=settings, **(environment or {})
        ),
    )
    try:
        wait_for_port(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for_port(port, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on port {port} in {timeout}s")
