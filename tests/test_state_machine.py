"""Random sequences of operations against a small reference model of the rule.

Hypothesis drives declarations, new cancellation requests, their acceptance
and imports of marketplace exports in any order over a few orders. After
every step the database, the rule's verdicts, the API's eligibility preview
and the reference model must agree line by line.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from orders.importing import OrderImport, SourceRecord
from orders.importing.records import ArrayIndex
from orders.models import CancellationRequest, Order, OrderLine
from orders.services import (
    CancellationAlreadyOpen,
    CancellationRequestNotOpen,
    LineCannotBeCancelled,
    accept_cancellation_request,
    assess_order_lines,
    record_cancellation_request,
)
from shipments.api.tokens import issue_api_token
from shipments.models import Shipment
from shipments.services import ParcelDeclaration, declare_shipments
from tests.factories import (
    OrderFactory,
    OrderLineFactory,
    OtherChannelFactory,
    SalesChannelFactory,
    SellerFactory,
)
from tests.invariants import assert_order_consistent

REQUESTED_AT = dt.datetime(2026, 11, 30, 8, 5, tzinfo=dt.UTC)


@dataclass
class ModelLine:
    order_line_id: str
    status: str = "InPreparation"
    open_initiator: str | None = None


@dataclass
class ModelOrder:
    status: str
    supply_mode: str
    ships_customer_cancel_requests: bool
    lines: dict[str, ModelLine] = field(default_factory=dict)

    def shippable(self, line):
        if self.status != "InPreparation" or self.supply_mode != "Seller":
            return False
        if line.status == "InPreparation":
            return True
        return (
            line.status == "CancelRequest"
            and self.ships_customer_cancel_requests
            and line.open_initiator == "Customer"
        )

    def settle(self):
        statuses = {line.status for line in self.lines.values()}
        if self.status != "InPreparation" or not statuses <= {"Shipped", "Cancelled"}:
            return
        self.status = "Cancelled" if statuses == {"Cancelled"} else "Shipped"


class ShipmentRules(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.orders = {}
        self.models = {}
        self.parcels = 0
        _, secret = issue_api_token(seller=SellerFactory(seller_id="98979"))
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    @initialize(
        shapes=st.lists(
            st.tuples(
                st.sampled_from(["InPreparation", "InPreparation", "Accepted"]),
                st.sampled_from(["Seller", "Seller", "Fulfillment"]),
                st.booleans(),
                st.integers(min_value=1, max_value=3),
            ),
            min_size=1,
            max_size=3,
        )
    )
    def create_orders(self, shapes):
        for status, supply_mode, on_cdiscount, line_count in shapes:
            channel = SalesChannelFactory() if on_cdiscount else OtherChannelFactory()
            order = OrderFactory(
                status=status, supply_mode=supply_mode, sales_channel=channel
            )
            model = ModelOrder(status, supply_mode, on_cdiscount)
            for number in range(1, line_count + 1):
                line_id = f"LINE_{number}"
                OrderLineFactory(order=order, order_line_id=line_id)
                model.lines[line_id] = ModelLine(line_id)
            self.orders[order.pk] = order
            self.models[order.pk] = model

    def pick_line(self, data):
        order_pk = data.draw(st.sampled_from(sorted(self.orders)))
        line_id = data.draw(st.sampled_from(sorted(self.models[order_pk].lines)))
        return order_pk, line_id

    @rule(data=st.data(), ask_twice=st.booleans())
    def declare(self, data, ask_twice):
        order_pk = data.draw(st.sampled_from(sorted(self.orders)))
        model = self.models[order_pk]
        line_ids = data.draw(
            st.lists(st.sampled_from(sorted(model.lines)), min_size=1, unique=True)
        )
        self.parcels += 1

        outcome = declare_shipments(
            order=self.orders[order_pk],
            parcels=[
                ParcelDeclaration(
                    parcel_number=f"PKG-{self.parcels}",
                    carrier_name="Chronopost",
                    order_line_ids=line_ids + line_ids[:1] * ask_twice,
                )
            ],
            declared_by="state machine",
        )

        expected = not ask_twice and all(
            model.shippable(model.lines[line_id]) for line_id in line_ids
        )
        assert outcome.accepted is expected
        if expected:
            for line_id in line_ids:
                model.lines[line_id].status = "Shipped"
                model.lines[line_id].open_initiator = None
            model.settle()

    @rule(data=st.data(), initiator=st.sampled_from(CancellationRequest.Initiator))
    def request_cancellation(self, data, initiator):
        order_pk, line_id = self.pick_line(data)
        line = self.models[order_pk].lines[line_id]
        order_line = OrderLine.objects.get(order_id=order_pk, order_line_id=line_id)

        try:
            record_cancellation_request(
                order_line=order_line,
                initiator=initiator,
                reason="",
                requested_at=REQUESTED_AT,
            )
        except CancellationAlreadyOpen:
            assert line.status == "CancelRequest"
            return
        except LineCannotBeCancelled:
            assert line.status == "Cancelled"
            return

        if line.status not in ("Shipped", "Cancelled"):
            line.status = "CancelRequest"
            line.open_initiator = initiator.value

    @precondition(
        lambda self: any(
            line.status == "CancelRequest"
            for model in self.models.values()
            for line in model.lines.values()
        )
    )
    @rule(data=st.data())
    def accept_cancellation(self, data):
        candidates = sorted(
            (order_pk, line_id)
            for order_pk, model in self.models.items()
            for line_id, line in model.lines.items()
            if line.status == "CancelRequest"
        )
        order_pk, line_id = data.draw(st.sampled_from(candidates))
        request = CancellationRequest.objects.get(
            order_line__order_id=order_pk,
            order_line__order_line_id=line_id,
            state="Open",
        )

        accept_cancellation_request(cancellation_request=request)

        model = self.models[order_pk]
        model.lines[line_id].status = "Cancelled"
        model.lines[line_id].open_initiator = None
        model.settle()
        with pytest.raises(CancellationRequestNotOpen):
            accept_cancellation_request(cancellation_request=request)

    @rule(
        data=st.data(),
        initiator=st.sampled_from(CancellationRequest.Initiator),
        stale=st.booleans(),
    )
    def import_marketplace_cancellation(self, data, initiator, stale):
        order_pk, line_id = self.pick_line(data)
        model = self.models[order_pk]
        line = model.lines[line_id]
        export = export_of(
            self.orders[order_pk], shift=dt.timedelta(days=-1 if stale else 1)
        )
        exported_line = next(
            entry for entry in export["lines"] if entry["orderLineId"] == line_id
        )
        exported_line["status"] = "CancelRequest"
        exported_line["cancellationRequest"] = {
            "initiator": initiator.value,
            "reason": "",
            "requestedAt": REQUESTED_AT.isoformat(),
        }

        report = import_export(export)

        same_request = (
            line.status == "CancelRequest" and line.open_initiator == initiator.value
        )
        applies = not stale and (line.status == "InPreparation" or same_request)
        assert report.rejections == []
        assert (report.orders.updated, report.orders.conflicting) == (
            (1, 0) if applies else (0, 1)
        )
        if applies:
            line.status = "CancelRequest"
            line.open_initiator = initiator.value

    @rule(data=st.data())
    def reimport_what_is_stored(self, data):
        order_pk = data.draw(st.sampled_from(sorted(self.orders)))

        report = import_export(export_of(self.orders[order_pk]))

        assert report.rejections == []
        assert (report.orders.unchanged, report.orders.updated) == (1, 0)

    @invariant()
    def database_rule_and_model_agree(self):
        for order_pk, model in self.models.items():
            order = (
                Order.objects.select_related("sales_channel")
                .prefetch_related("lines__cancellation_requests")
                .get(pk=order_pk)
            )
            assert order.status == model.status
            for line, open_request, verdict in assess_order_lines(order):
                expected = model.lines[line.order_line_id]
                assert line.status == expected.status
                assert getattr(open_request, "initiator", None) == (
                    expected.open_initiator
                )
                assert verdict.shippable is model.shippable(expected)
            assert_order_consistent(order)
            assert Shipment.objects.filter(order=order).count() <= len(model.lines)

            preview = self.api.get(
                f"/seller/v2/orders/{order.order_id}/shipment-eligibility"
            )
            assert preview.status_code == 200
            assert {
                line["orderLineId"]: line["shippable"]
                for line in preview.json()["lines"]
            } == {
                line_id: model.shippable(line) for line_id, line in model.lines.items()
            }


def export_of(order, shift=dt.timedelta(0)):
    """The marketplace's export of an order as stored here, ``shift`` later."""
    order = (
        Order.objects.select_related("seller", "sales_channel")
        .prefetch_related("lines__cancellation_requests")
        .get(pk=order.pk)
    )
    lines = []
    for line in order.lines.all():
        exported = {
            "orderLineId": line.order_line_id,
            "sellerProductId": line.seller_product_id,
            "productTitle": line.product_title,
            "quantity": line.quantity,
            "unitPrice": str(line.unit_price),
            "status": line.status,
        }
        requests = {
            "CancelRequest": "Open",
            "Cancelled": "Accepted",
            "Shipped": "ClosedByShipment",
        }
        request = next(
            (
                request
                for request in line.cancellation_requests.all()
                if request.state == requests.get(line.status)
            ),
            None,
        )
        if request is not None:
            exported["cancellationRequest"] = {
                "initiator": request.initiator,
                "reason": request.reason,
                "requestedAt": request.requested_at.isoformat(),
            }
        lines.append(exported)
    return {
        "orderId": order.order_id,
        "sellerId": order.seller.seller_id,
        "salesChannelId": order.sales_channel.sales_channel_id,
        "status": order.status,
        "supplyMode": order.supply_mode,
        "shippingCountry": order.shipping_country,
        "createdAt": order.created_at.isoformat(),
        "updatedAt": (order.updated_at + shift).isoformat(),
        "lines": lines,
    }


def import_export(export):
    run = OrderImport()
    run.import_records(
        [SourceRecord(file="export.json", position=ArrayIndex(0), data=export)]
    )
    return run.report


@pytest.mark.django_db
def test_random_operations_keep_database_rule_and_model_in_agreement():
    run_state_machine_as_test(
        ShipmentRules,
        settings=settings(
            max_examples=60,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
