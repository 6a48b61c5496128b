from django.core.management.base import BaseCommand

from shipments.api.idempotency import purge_expired_keys


class Command(BaseCommand):
    help = (
        "Delete the idempotency keys older than their 24-hour lifetime. Run it "
        "from a scheduler (hourly is enough); expired keys are ignored anyway."
    )

    def handle(self, *args, **options):
        deleted = purge_expired_keys()
        self.stdout.write(f"Deleted {deleted} expired idempotency key(s).")
