"""Writing a planned batch: set-based on PostgreSQL, batched elsewhere.

Both writers take the same ``BatchChanges`` and leave the same rows behind;
they differ only in how the rows travel. ``CopyWriter`` streams them with
PostgreSQL's COPY into temporary staging tables and moves them with one
``INSERT ... SELECT ... ON CONFLICT`` or ``UPDATE ... FROM`` per table.
``BatchWriter`` uses Django's ``bulk_create`` and ``bulk_update``, which work
on every database.
"""

from django.db import connection

from orders.models import CancellationRequest, Order, OrderLine

BULK_BATCH_SIZE = 500

ORDER_TABLE = Order._meta.db_table
LINE_TABLE = OrderLine._meta.db_table
REQUEST_TABLE = CancellationRequest._meta.db_table


class BatchWriter:
    """Portable writer: ``bulk_create`` and ``bulk_update`` in batches."""

    def write(self, changes, *, now):
        if changes.new_orders:
            rows = [
                Order(
                    seller_id=seller_pk,
                    sales_channel_id=channel_pk,
                    order_id=order.order_id,
                    status=order.status,
                    supply_mode=order.supply_mode,
                    shipping_country=order.shipping_country,
                    created_at=order.created_at,
                    updated_at=order.updated_at,
                )
                for order, seller_pk, channel_pk in changes.new_orders
            ]
            Order.objects.bulk_create(rows, batch_size=BULK_BATCH_SIZE)
            for (order, _, _), row in zip(changes.new_orders, rows, strict=True):
                order.pk = row.pk

        if changes.changed_orders:
            Order.objects.bulk_update(
                [
                    Order(
                        pk=order.pk,
                        sales_channel_id=channel_pk,
                        status=order.status,
                        supply_mode=order.supply_mode,
                        shipping_country=order.shipping_country,
                        created_at=order.created_at,
                        updated_at=order.updated_at,
                    )
                    for order, channel_pk in changes.changed_orders
                ],
                [
                    "sales_channel",
                    "status",
                    "supply_mode",
                    "shipping_country",
                    "created_at",
                    "updated_at",
                ],
                batch_size=BULK_BATCH_SIZE,
            )

        if changes.new_lines:
            rows = [
                OrderLine(
                    order_id=order.pk,
                    order_line_id=line.order_line_id,
                    seller_product_id=line.seller_product_id,
                    product_title=line.product_title,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    status=line.status,
                )
                for order, line in changes.new_lines
            ]
            OrderLine.objects.bulk_create(rows, batch_size=BULK_BATCH_SIZE)
            for (_, line), row in zip(changes.new_lines, rows, strict=True):
                line.pk = row.pk

        if changes.changed_lines:
            OrderLine.objects.bulk_update(
                [
                    OrderLine(
                        pk=line.pk,
                        seller_product_id=line.seller_product_id,
                        product_title=line.product_title,
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                        status=line.status,
                        updated_at=now,
                    )
                    for line in changes.changed_lines
                ],
                [
                    "seller_product_id",
                    "product_title",
                    "quantity",
                    "unit_price",
                    "status",
                    "updated_at",
                ],
                batch_size=BULK_BATCH_SIZE,
            )

        if changes.new_requests:
            CancellationRequest.objects.bulk_create(
                [
                    CancellationRequest(
                        order_line_id=line.pk,
                        initiator=request.initiator,
                        reason=request.reason,
                        requested_at=request.requested_at,
                        state=request.state,
                    )
                    for line, request in changes.new_requests
                ],
                batch_size=BULK_BATCH_SIZE,
            )

        if changes.changed_requests:
            CancellationRequest.objects.bulk_update(
                [
                    CancellationRequest(
                        pk=pk,
                        reason=request.reason,
                        state=request.state,
                        updated_at=now,
                    )
                    for pk, request in changes.changed_requests
                ],
                ["reason", "state", "updated_at"],
                batch_size=BULK_BATCH_SIZE,
            )


# Staging tables live for the session; each use empties them first.
STAGING_TABLES = {
    "import_staging_order": (
        "pk bigint, sales_channel_id bigint, status text, supply_mode text, "
        "shipping_country text, created_at timestamptz, updated_at timestamptz"
    ),
    "import_staging_line": (
        "pk bigint, seller_product_id text, product_title text, "
        "quantity integer, unit_price numeric(12, 2), status text"
    ),
    "import_staging_request": "pk bigint, reason text, state text",
}


class CopyWriter:
    """PostgreSQL writer: COPY into staging tables, then set-based SQL."""

    def write(self, changes, *, now):
        # COPY goes to psycopg directly: its errors are turned into Django's
        # here, so the importer's retry catches them like any other.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if changes.new_orders:
                self._insert_orders(cursor, changes.new_orders)
            if changes.changed_orders:
                self._stage(
                    cursor,
                    "import_staging_order",
                    "pk, sales_channel_id, status, supply_mode, shipping_country, "
                    "created_at, updated_at",
                    (
                        (
                            order.pk,
                            channel_pk,
                            order.status,
                            order.supply_mode,
                            order.shipping_country,
                            order.created_at,
                            order.updated_at,
                        )
                        for order, channel_pk in changes.changed_orders
                    ),
                )
                cursor.execute(
                    f"UPDATE {ORDER_TABLE} AS target SET "
                    "sales_channel_id = staged.sales_channel_id, "
                    "status = staged.status, supply_mode = staged.supply_mode, "
                    "shipping_country = staged.shipping_country, "
                    "created_at = staged.created_at, updated_at = staged.updated_at "
                    "FROM import_staging_order AS staged WHERE target.id = staged.pk"
                )
            if changes.new_lines:
                self._insert_lines(cursor, changes.new_lines, now)
            if changes.changed_lines:
                self._stage(
                    cursor,
                    "import_staging_line",
                    "pk, seller_product_id, product_title, quantity, unit_price, "
                    "status",
                    (
                        (
                            line.pk,
                            line.seller_product_id,
                            line.product_title,
                            line.quantity,
                            line.unit_price,
                            line.status,
                        )
                        for line in changes.changed_lines
                    ),
                )
                cursor.execute(
                    f"UPDATE {LINE_TABLE} AS target SET "
                    "seller_product_id = staged.seller_product_id, "
                    "product_title = staged.product_title, "
                    "quantity = staged.quantity, unit_price = staged.unit_price, "
                    "status = staged.status, updated_at = %s "
                    "FROM import_staging_line AS staged WHERE target.id = staged.pk",
                    [now],
                )
            if changes.new_requests:
                with cursor.copy(
                    f"COPY {REQUEST_TABLE} (order_line_id, initiator, reason, "
                    "requested_at, state, created_at, updated_at) FROM STDIN"
                ) as copy:
                    for line, request in changes.new_requests:
                        copy.write_row(
                            (
                                line.pk,
                                request.initiator,
                                request.reason,
                                request.requested_at,
                                request.state,
                                now,
                                now,
                            )
                        )
            if changes.changed_requests:
                self._stage(
                    cursor,
                    "import_staging_request",
                    "pk, reason, state",
                    (
                        (pk, request.reason, request.state)
                        for pk, request in changes.changed_requests
                    ),
                )
                cursor.execute(
                    f"UPDATE {REQUEST_TABLE} AS target SET reason = staged.reason, "
                    "state = staged.state, updated_at = %s "
                    "FROM import_staging_request AS staged WHERE target.id = staged.pk",
                    [now],
                )

    def _stage(self, cursor, table, columns, rows):
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({STAGING_TABLES[table]})"
        )
        cursor.execute(f"TRUNCATE {table}")
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _insert_orders(self, cursor, new_orders):
        # New rows go straight into the table with primary keys taken from
        # its sequence first: no staging, no RETURNING. An order created by
        # a concurrent import since the lookup breaks the unique constraint;
        # the caller then rolls the batch back and retries order by order.
        pks = self._take_primary_keys(cursor, ORDER_TABLE, len(new_orders))
        with cursor.copy(
            f"COPY {ORDER_TABLE} (id, seller_id, sales_channel_id, order_id, "
            "status, supply_mode, shipping_country, created_at, updated_at) "
            "FROM STDIN"
        ) as copy:
            for (order, seller_pk, channel_pk), pk in zip(new_orders, pks, strict=True):
                order.pk = pk
                copy.write_row(
                    (
                        pk,
                        seller_pk,
                        channel_pk,
                        order.order_id,
                        order.status,
                        order.supply_mode,
                        order.shipping_country,
                        order.created_at,
                        order.updated_at,
                    )
                )

    def _insert_lines(self, cursor, new_lines, now):
        pks = self._take_primary_keys(cursor, LINE_TABLE, len(new_lines))
        with cursor.copy(
            f"COPY {LINE_TABLE} (id, order_id, order_line_id, seller_product_id, "
            "product_title, quantity, unit_price, status, created_at, updated_at) "
            "FROM STDIN"
        ) as copy:
            for (order, line), pk in zip(new_lines, pks, strict=True):
                line.pk = pk
                copy.write_row(
                    (
                        pk,
                        order.pk,
                        line.order_line_id,
                        line.seller_product_id,
                        line.product_title,
                        line.quantity,
                        line.unit_price,
                        line.status,
                        now,
                        now,
                    )
                )

    def _take_primary_keys(self, cursor, table, count):
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [pk for (pk,) in cursor]


def writer_for_connection():
    """The fastest writer the default database supports."""
    if connection.vendor == "postgresql":
        return CopyWriter()
    return BatchWriter()
