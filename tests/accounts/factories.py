from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from tsunagu.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An account with a verified primary e-mail address, able to log in with ``password``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "password")
    time_zone = "Asia/Tokyo"

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        obj.save()
        if extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
