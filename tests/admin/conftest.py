import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser(
        username="operator", password="operator-password"
    )


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user(
        username="reviewer", password="reviewer-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Reviewer"))
    return user


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
