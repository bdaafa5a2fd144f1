from __future__ import annotations

import threading

from tsunagu.api.throttling import AuthBurstThrottle


def test_per_request_state_is_kept_per_thread() -> None:
    throttle = AuthBurstThrottle("5/m")
    throttle.key = "main"
    throttle.history = [1.0]
    seen: dict[str, object] = {}

    def other_thread() -> None:
        seen["before"] = getattr(throttle, "key", None)
        throttle.key = "other"
        throttle.history = []
        seen["after"] = throttle.key

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()

    assert seen == {"before": None, "after": "other"}
    assert throttle.key == "main"
    assert throttle.history == [1.0]
    assert throttle.num_requests == 5
    assert throttle.duration == 60
