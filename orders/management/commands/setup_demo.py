import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare a demonstration back office: an operator login with a fresh "
        "password, printed on standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="operator")

    def handle(self, *args, username, **options):
        password = secrets.token_urlsafe(12)
        operator, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": True},
        )
        operator.is_staff = True
        operator.is_superuser = True
        operator.set_password(password)
        operator.save()

        self.stdout.write("Operator admin: http://127.0.0.1:8000/admin/")
        self.stdout.write(f"  username: {username}")
        self.stdout.write(f"  password: {password}")
