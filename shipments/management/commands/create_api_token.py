from django.core.management.base import BaseCommand, CommandError

from orders.models import Seller
from shipments.api.tokens import issue_api_token


class Command(BaseCommand):
    help = (
        "Create an API token for a seller, creating the seller if it does not "
        "exist. The token is printed alone on the last line, and only once: "
        "the database keeps its digest."
    )

    def add_arguments(self, parser):
        parser.add_argument("seller_id", metavar="SELLER_ID")
        parser.add_argument("--name", default="", help="A label for the token.")
        parser.add_argument(
            "--seller-name", default="", help="The name of a seller created here."
        )

    def handle(self, *args, seller_id, name, seller_name, **options):
        seller_id = seller_id.strip()
        if not seller_id:
            raise CommandError("SELLER_ID must not be blank.")
        max_length = Seller._meta.get_field("seller_id").max_length
        if len(seller_id) > max_length:
            raise CommandError(f"SELLER_ID is at most {max_length} characters.")

        seller, created = Seller.objects.get_or_create(
            seller_id=seller_id, defaults={"name": seller_name}
        )
        token, secret = issue_api_token(seller=seller, name=name)

        if created:
            self.stdout.write(f"Created seller {seller.seller_id}.")
        self.stdout.write(
            f"API token {token.prefix}… for seller {seller.seller_id}; it is shown "
            "once, keep it secret:"
        )
        self.stdout.write(secret)
