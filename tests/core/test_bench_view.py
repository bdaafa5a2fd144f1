"""The bare view of the load test exists only when BENCH_ENDPOINTS is on."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_bench_ok_is_not_found_unless_switched_on(client: Client, settings: Any) -> None:
    settings.BENCH_ENDPOINTS = False
    assert client.get("/bench/ok").status_code == 404
    settings.BENCH_ENDPOINTS = True
    response = client.get("/bench/ok")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.post("/bench/ok").status_code in (403, 405)  # only GET
