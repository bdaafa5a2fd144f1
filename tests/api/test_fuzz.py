"""Every operation of /api/v1 fuzzed from its own OpenAPI schema: no input may end in a 500.

Schemathesis generates requests from the schema the API serves (valid ones, and ones that break
it: wrong types, values past the bounds, missing fields) and sends them through the WSGI app, in
process, signed in with a personal token of a person who has a funded contract, a job, a room
and a community, so that small ids often name something real. Any answer of 500 or above fails.

The number of generated requests per operation is bounded (``EXAMPLES`` per phase; the coverage
phase adds a fixed set of boundary cases), so the whole run takes a few minutes on one core.
Set ``FUZZ_EXAMPLES`` to search harder locally, and ``FUZZ_STATS`` to a file to count what was
sent and answered.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings

from tests.accounts.factories import UserFactory
from tests.api.factories import make_token
from tests.contracts.factories import give_balance, offer
from tests.jobs.factories import published_job
from tests.support.seeds import migration_seeds_restore
from tsunagu.api_v1 import api

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
STATS = os.environ.get("FUZZ_STATS", "")

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)

_app = WSGIHandler()


@pytest.fixture
def fuzz_headers(transactional_db: Any) -> dict[str, str]:
    migration_seeds_restore()
    me = UserFactory()
    other = UserFactory()
    offer(client=me, worker=other)
    offer(client=other, worker=me, accept=False)
    published_job(client=me)
    published_job(client=other)
    give_balance(me, 100_000)
    _, secret = make_token(user=me)
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_ends_in_a_server_error(case: Any, fuzz_headers: dict[str, str]) -> None:
    cache.clear()  # the fuzzer's requests must not run into the rate limits instead
    response = case.call(app=_app, headers=fuzz_headers)
    if STATS:  # FUZZ_STATS=path: one line per request sent, to count them
        with open(STATS, "a") as out:
            out.write(f"{case.method} {case.path} {response.status_code}\n")
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}: "
        f"{response.text[:500]}\n{case.as_curl_command(headers=fuzz_headers)}"
    )
