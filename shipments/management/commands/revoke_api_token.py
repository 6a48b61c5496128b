from django.core.management.base import BaseCommand, CommandError

from shipments.api.tokens import revoke_api_token
from shipments.models import ApiToken


class Command(BaseCommand):
    help = (
        "Revoke an API token, named by the readable start that "
        "create_api_token printed (such as mkt_AbCd1234)."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefix", metavar="TOKEN_PREFIX")

    def handle(self, *args, prefix, **options):
        tokens = list(
            ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True)
            .select_related("seller")
            .order_by("pk")
        )
        if not tokens:
            raise CommandError(f"No active token starts with {prefix}.")
        if len(tokens) > 1:
            raise CommandError(
                f"{len(tokens)} active tokens start with {prefix}; revoke them "
                "from the admin instead."
            )
        token = revoke_api_token(tokens[0])
        self.stdout.write(
            f"Revoked {token.prefix}… of seller {token.seller.seller_id}."
        )
