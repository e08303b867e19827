"""Helpers shared by the HTTP API tests."""
from __future__ import annotations


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response, status: int, *, errors: bool | None = None) -> dict:
    """Check an error answer's status, media type and keys; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    if errors is not None:
        assert ("errors" in body) is errors
    return body
