from __future__ import annotations

from django_tasks import task

from tsunagu.payments.providers.sandbox import SandboxProvider, sign
from tsunagu.payments.services import webhook_receive


@task()
def deliver_sandbox_webhook(*, body: str) -> bool:
    """Deliver a sandbox event through the same checks as the HTTP endpoint: signed, then parsed."""
    raw = body.encode()
    provider = SandboxProvider()
    data = provider.parse_webhook(body=raw, signature=sign(raw))
    return webhook_receive(data=data, provider=provider.name)
