from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from orders.importing import FORMATS, OrderImport
from orders.importing.importer import DEFAULT_BATCH_SIZE


class ProgressStream:
    """Lets tqdm draw on the command's standard error as it is."""

    def __init__(self, output):
        self.output = output

    def write(self, text):
        self.output.write(text, style_func=str, ending="")

    def flush(self):
        self.output.flush()


class Command(BaseCommand):
    help = (
        "Import marketplace order exports (JSON, JSON Lines or CSV): orders, "
        "lines and cancellation requests are created or updated whole. Exits "
        "with status 1 when any record was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="Read every file in this format instead of guessing it from "
            "the extension (.json, .jsonl, .csv).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and compare with the stored orders; write nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Orders per transaction (default %(default)s).",
        )

    def handle(self, *args, files, format, dry_run, batch_size, **options):
        progress = tqdm(
            desc="Importing",
            unit=" orders",
            file=ProgressStream(self.stderr),
            disable=not self.stderr.isatty(),
        )
        run = OrderImport(
            dry_run=dry_run,
            batch_size=batch_size,
            on_record=progress.update,
        )
        with progress:
            for path in files:
                run.import_file(path, format)
        report = run.report

        for rejection in report.rejections:
            self.stderr.write(f"Rejected: {rejection}")
        for conflict in report.conflicts:
            self.stderr.write(f"Conflict: {conflict}")
        if report.new_sellers:
            self.stdout.write(
                ("Sellers to create: " if dry_run else "Sellers created: ")
                + ", ".join(report.new_sellers)
            )
        if report.new_sales_channels:
            self.stdout.write(
                ("Sales channels to create" if dry_run else "Sales channels created")
                + " with the baseline policy (customer cancel requests not "
                "shipped): " + ", ".join(report.new_sales_channels)
            )
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(f"{prefix}Orders: {report.orders}")
        self.stdout.write(f"{prefix}Lines: {report.lines}")

        if report.rejections:
            raise CommandError(
                f"{len(report.rejections)} problem(s) in rejected records; the "
                "rest was imported" + (" (dry run)" if dry_run else ""),
                returncode=1,
            )
