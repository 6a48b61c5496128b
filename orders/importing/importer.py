"""Importing order exports: read, validate, plan under the locks, write.

Orders are taken in batches. Each batch is one transaction: the stored
orders of the batch are locked (orders, then lines), compared with the
export, and the changes written at once. Every order of a batch is applied
whole or not at all; when the database refuses a batch, it is rolled back and
retried one order per transaction, so that only the order at fault is
rejected.
"""

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from orders.importing.planning import (
    CONFLICTING,
    CREATED,
    UNCHANGED,
    UPDATED,
    load_stored_orders,
    plan_batch,
)
from orders.importing.readers import UnreadableFile, format_of, read_records
from orders.importing.records import Rejection, validate
from orders.importing.writers import writer_for_connection
from orders.models import SalesChannel, Seller

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Conflict:
    """An order that was read but not applied over the stored one."""

    file: str
    location: str
    order_id: str
    reasons: tuple[str, ...]

    def __str__(self):
        return f"{self.file}, {self.location}, order {self.order_id}: " + "; ".join(
            self.reasons
        )


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicting: int = 0
    rejected: int = 0

    def __str__(self):
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.conflicting} conflicting, "
            f"{self.rejected} rejected"
        )


@dataclass
class ImportReport:
    dry_run: bool = False
    orders: Tally = field(default_factory=Tally)
    lines: Tally = field(default_factory=Tally)
    rejections: list[Rejection] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    new_sellers: list[str] = field(default_factory=list)
    new_sales_channels: list[str] = field(default_factory=list)


class OrderImport:
    """One run of an import over any number of files or records.

    ``on_record`` is called once per order read (for a progress bar).
    With ``dry_run`` everything is read, validated and compared with the
    stored orders, and nothing is written, not even new sellers or channels.
    """

    def __init__(
        self,
        *,
        dry_run=False,
        batch_size=DEFAULT_BATCH_SIZE,
        writer=None,
        on_record=None,
    ):
        self.report = ImportReport(dry_run=dry_run)
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.writer = writer or writer_for_connection()
        self.on_record = on_record
        self.seller_pks = {}
        self.channel_pks = None
        self.batch = []
        self.batch_keys = set()

    def import_file(self, path, file_format=None):
        try:
            records = read_records(path, format_of(path, file_format))
            for record in records:
                self.add(record)
        except UnreadableFile as error:
            self.report.rejections.append(
                Rejection(str(path), error.location, error.field, error.reason)
            )
            logger.warning(
                "Import file rejected: %s",
                error.reason,
                extra={"import_file": str(path), "code": error.code},
            )
        self.flush()

    def import_records(self, records):
        for record in records:
            self.add(record)
        self.flush()

    def add(self, record):
        if self.on_record is not None:
            self.on_record()
        order, rejections = validate(record)
        if rejections:
            self.report.rejections += rejections
            self.report.orders.rejected += 1
            self.report.lines.rejected += record.line_count
            return
        if order.key in self.batch_keys:
            # The same order twice in a row of input: the second reading is
            # compared with the first once that is written.
            self.flush()
        self.batch.append(order)
        self.batch_keys.add(order.key)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self):
        batch, self.batch, self.batch_keys = self.batch, [], set()
        if not batch:
            return
        self._resolve_sellers(batch)
        self._resolve_sales_channels(batch)
        try:
            outcomes = self._apply(batch)
        except DatabaseError:
            logger.warning(
                "Import batch refused by the database; retrying order by order",
                exc_info=True,
                extra={"batch_size": len(batch)},
            )
            outcomes = []
            for order in batch:
                try:
                    outcomes += self._apply([order])
                except DatabaseError as error:
                    self._reject_refused(order, error)
        for outcome in outcomes:
            self._count(outcome)

    def _apply(self, batch):
        keys = [(self.seller_pks[order.seller_id], order.order_id) for order in batch]
        if self.dry_run:
            stored = load_stored_orders(
                [key for key in keys if key[0] is not None], lock=False
            )
            _, outcomes = plan_batch(
                batch, stored, seller_pks=self.seller_pks, channel_pks=self.channel_pks
            )
            return outcomes
        with transaction.atomic():
            stored = load_stored_orders(keys, lock=True)
            changes, outcomes = plan_batch(
                batch, stored, seller_pks=self.seller_pks, channel_pks=self.channel_pks
            )
            if changes:
                self.writer.write(changes, now=timezone.now())
        return outcomes

    def _resolve_sellers(self, batch):
        unknown = {order.seller_id for order in batch} - self.seller_pks.keys()
        if not unknown:
            return
        found = dict(
            Seller.objects.filter(seller_id__in=unknown).values_list("seller_id", "pk")
        )
        missing = sorted(unknown - found.keys())
        if missing and not self.dry_run:
            Seller.objects.bulk_create(
                [Seller(seller_id=seller_id) for seller_id in missing],
                ignore_conflicts=True,
            )
            found.update(
                Seller.objects.filter(seller_id__in=missing).values_list(
                    "seller_id", "pk"
                )
            )
        # In a dry run, sellers still to create have no primary key.
        self.seller_pks.update(dict.fromkeys(missing))
        self.seller_pks.update(found)
        self.report.new_sellers += missing

    def _resolve_sales_channels(self, batch):
        if self.channel_pks is None:
            self.channel_pks = dict(
                SalesChannel.objects.values_list("sales_channel_id", "pk")
            )
        missing = sorted(
            {order.sales_channel_id for order in batch} - self.channel_pks.keys()
        )
        if not missing:
            return
        if not self.dry_run:
            # Unknown channels get the baseline policy: only an operator turns
            # on the shipping of customer cancel requests.
            SalesChannel.objects.bulk_create(
                [
                    SalesChannel(
                        sales_channel_id=channel_id,
                        ships_customer_cancel_requests=False,
                    )
                    for channel_id in missing
                ],
                ignore_conflicts=True,
            )
            logger.warning(
                "Sales channels created by an import with the baseline policy: %s",
                ", ".join(missing),
                extra={"sales_channel_ids": missing},
            )
        self.channel_pks.update(dict.fromkeys(missing))
        self.channel_pks.update(
            SalesChannel.objects.filter(sales_channel_id__in=missing).values_list(
                "sales_channel_id", "pk"
            )
        )
        self.report.new_sales_channels += missing

    def _reject_refused(self, order, error):
        source = order.source
        self.report.rejections.append(
            Rejection(
                source.file,
                source.position.label,
                "",
                f"order {order.order_id} was refused by the database: {error}",
            )
        )
        self.report.orders.rejected += 1
        self.report.lines.rejected += len(order.lines)

    def _count(self, outcome):
        order = outcome.order
        orders, lines = self.report.orders, self.report.lines
        if outcome.outcome == CREATED:
            orders.created += 1
            lines.created += len(order.lines)
            return
        if outcome.outcome == CONFLICTING:
            orders.conflicting += 1
            lines.conflicting += len(order.lines)
            self.report.conflicts.append(
                Conflict(
                    order.source.file,
                    order.source.position.label,
                    order.order_id,
                    tuple(outcome.reasons),
                )
            )
            logger.warning(
                "Import of order %s not applied: %s",
                order.order_id,
                "; ".join(outcome.reasons),
                extra={"order_pk": order.pk, "import_file": order.source.file},
            )
            return
        if outcome.outcome == UPDATED:
            orders.updated += 1
        elif outcome.outcome == UNCHANGED:
            orders.unchanged += 1
        lines.created += outcome.lines_created
        lines.updated += outcome.lines_updated
        lines.unchanged += outcome.lines_unchanged
