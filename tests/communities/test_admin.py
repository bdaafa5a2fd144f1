from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.communities.factories import community, event, held, member
from tsunagu.audit.models import AuditEvent
from tsunagu.communities import services
from tsunagu.communities.models import Post

pytestmark = pytest.mark.django_db


def test_staff_see_every_model_and_hide_posts_with_an_audit_row(client: Client) -> None:
    c = community()
    a, b = member(c), member(c)
    activity = held(event(c), a, b)
    services.endorsement_give(activity=activity, by=a, endorsee=b)
    post = services.post_create(community=c, author=a, body="宣伝です")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for model in ("community", "membership", "activity", "signup", "endorsement", "post"):
        response = client.get(f"/admin/communities/{model}/")
        assert response.status_code == 200, model
    assert client.get(f"/admin/communities/community/{c.pk}/change/").status_code == 200
    response = client.post(
        "/admin/communities/post/",
        {"action": "hide_posts", "_selected_action": [post.pk]},
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).is_hidden
    assert AuditEvent.objects.filter(event="community.post_hidden", actor=staff).exists()


def test_non_staff_cannot_open_the_admin(client: Client) -> None:
    client.force_login(member(community()))
    assert client.get("/admin/communities/community/").status_code == 302
