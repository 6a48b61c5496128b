import io
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from orders.demo import DEMO_SELLER_ID, demo_orders
from orders.importing import OrderImport, SourceRecord
from orders.importing.records import GeneratedOrder

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SAMPLE_FILES = ["orders.json", "orders.jsonl", "orders.csv"]
ANNOUNCEMENT_ORDER_ID = "2312011200A1B2"


class Command(BaseCommand):
    help = (
        "Prepare a demonstration back office: an operator login with a fresh "
        "password, the sample exports and a generated set of orders covering "
        "every branch of the shipment rule, and an API token for the demo "
        "seller."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="operator")
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the generated orders."
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=60,
            help="How many orders to generate (the first ones cover the rule).",
        )

    def handle(self, *args, username, seed, orders, **options):
        password = secrets.token_urlsafe(12)
        operator, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": True},
        )
        operator.is_staff = True
        operator.is_superuser = True
        operator.set_password(password)
        operator.save()

        for name in SAMPLE_FILES:
            run = OrderImport()
            run.import_file(SAMPLES / name)
            self.report(f"sample {name}", run.report)
        run = OrderImport()
        run.import_records(
            SourceRecord("generated demo orders", GeneratedOrder(number), order)
            for number, order in enumerate(demo_orders(orders, seed=seed), start=1)
        )
        self.report(f"{orders} generated orders (seed {seed})", run.report)

        self.stdout.write("Operator admin: http://127.0.0.1:8000/admin/")
        self.stdout.write(f"  username: {username}")
        self.stdout.write(f"  password: {password}")

        output = io.StringIO()
        call_command("create_api_token", DEMO_SELLER_ID, stdout=output)
        token = output.getvalue().strip().splitlines()[-1]
        self.stdout.write("Seller API docs: http://127.0.0.1:8000/seller/v2/docs")
        self.stdout.write(f"  API token of seller {DEMO_SELLER_ID}: {token}")
        self.stdout.write(
            "  try: curl -H 'Authorization: Bearer "
            f"{token}' http://127.0.0.1:8000/seller/v2/orders/{ANNOUNCEMENT_ORDER_ID}"
            "/shipment-eligibility"
        )

    def report(self, what, report):
        if report.rejections:
            raise CommandError(
                f"The demo data was rejected: {report.rejections[0]}", returncode=1
            )
        self.stdout.write(f"Imported {what}: orders {report.orders}")
        if report.new_sales_channels:
            self.stdout.write(
                "  sales channels created with the baseline policy: "
                + ", ".join(report.new_sales_channels)
            )
