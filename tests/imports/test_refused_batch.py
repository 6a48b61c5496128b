"""A batch the database refuses is retried order by order; nothing is lost."""

import pytest

from orders.importing import importer
from tests.imports.exports import export_order, run_import, stored_orders, write_export

pytestmark = pytest.mark.django_db


def test_an_order_created_meanwhile_refuses_the_batch_and_the_rest_is_imported(
    tmp_path, monkeypatch
):
    run_import(write_export(tmp_path, [export_order("ORDER-2")], "jsonl", "first"))
    stored_before = stored_orders()
    real_lookup = importer.load_stored_orders
    lookups = []

    def lookup_missing_order_2_once(keys, *, lock):
        """The first lookup misses ORDER-2, as if another import had created
        it just after: writing it then breaks the unique constraint."""
        stored = real_lookup(keys, lock=lock)
        lookups.append(sorted(order_id for _, order_id in keys))
        if len(lookups) == 1:
            return {key: order for key, order in stored.items() if key[1] != "ORDER-2"}
        return stored

    monkeypatch.setattr(importer, "load_stored_orders", lookup_missing_order_2_once)
    path = write_export(
        tmp_path,
        [export_order("ORDER-1"), export_order("ORDER-2"), export_order("ORDER-3")],
        "jsonl",
        "second",
    )

    run = run_import(path)

    assert lookups == [
        ["ORDER-1", "ORDER-2", "ORDER-3"],
        ["ORDER-1"],
        ["ORDER-2"],
        ["ORDER-3"],
    ]
    assert run.returncode == 0
    assert run.problems == []
    assert run.stdout.splitlines()[0] == (
        "Orders: 2 created, 0 updated, 1 unchanged, 0 conflicting, 0 rejected"
    )
    assert [entry[1] for entry in stored_orders()] == ["ORDER-1", "ORDER-2", "ORDER-3"]
    assert [entry for entry in stored_orders() if entry[1] == "ORDER-2"] == (
        stored_before
    )
