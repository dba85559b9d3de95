"""The README's Python examples, executed: the quick start as is, and the
Flask, Django and FastAPI recipes driven through each framework's own test
client with real signed POSTs (no mocks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import hooksig
from conftest import URLCONF, readme_python_blocks

SECRET = "op_secret_4f9a"
FORM = "application/x-www-form-urlencoded"
DEPOSIT = {
    "event": "DEPOSIT",
    "depositId": "dep_7781",
    "externalUserId": "user-42",
    "fiatAmount": "100.50",
    "fiatCurrency": "USD",
    "cryptoAmount": "0.00161",
    "cryptoCurrency": "BTC",
    "idempotencyKey": "6c1e2a8e-2b0f-4a51-9d7e-3f1b2c9a0d11",
}
GOOD = hooksig.encode_form(DEPOSIT, SECRET).encode()
# (body, expected HTTP status)
CASES = [
    (GOOD, 200),
    (hooksig.encode_form({**DEPOSIT, "memo": "a b&c=d"}, SECRET).encode(), 200),
    (GOOD.replace(b"100.50", b"999.00"), 401),  # tampered amount
    (hooksig.encode_form(DEPOSIT, "another secret").encode(), 401),  # wrong secret
    (GOOD.split(b"&hash=")[0], 401),  # no hash
    (GOOD + b"&event=WITHDRAW_REQUEST", 401),  # duplicate key
    (b"event=DEPOSIT&amount=%ZZ&hash=" + b"0" * 32, 401),  # bad escape
]


def blocks(marker: str) -> list[str]:
    return [b for b in readme_python_blocks() if marker in b]


def run_block(code: str, name: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": name}
    exec(compile(code, f"README.md:{name}", "exec"), namespace)
    return namespace


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPERATOR_SECRET_KEY", SECRET)
    yield


def test_readme_has_the_examples() -> None:
    all_blocks = readme_python_blocks()
    assert len(all_blocks) == 4
    assert len(blocks("from flask")) == len(blocks("from django")) == len(blocks("from fastapi")) == 1


def test_quick_start() -> None:
    quick = [b for b in readme_python_blocks() if "from flask" not in b
             and "from django" not in b and "from fastapi" not in b]
    assert quick
    for i, code in enumerate(quick):
        run_block(code, f"readme_quick_start_{i}")


def test_quick_start_fails_if_a_tampered_body_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    # The README's try/except must not pass silently when nothing is raised.
    real = hooksig.verify_form

    def lenient(body: Any, secret: Any, **kwargs: Any) -> dict[str, str]:
        try:
            return real(body, secret, **kwargs)
        except hooksig.SignatureError:
            return {}

    monkeypatch.setattr(hooksig, "verify_form", lenient)
    quick = [b for b in readme_python_blocks() if "hooksig.verify_form(body.replace(" in b]
    assert len(quick) == 1
    with pytest.raises(AssertionError, match="tampered"):
        run_block(quick[0], "readme_quick_start_lenient")


def check_reply(status: int, reply: Any, expected: int) -> None:
    assert status == expected
    if expected == 200:
        assert reply == {"error": 0, "description": "ok"}
    else:
        assert reply["error"] != 0 and isinstance(reply["description"], str)


def test_flask_recipe(secret_env: None) -> None:
    app = run_block(blocks("from flask")[0], "readme_flask")["app"]
    client = app.test_client()
    for body, expected in CASES:
        response = client.post("/api/webhook", data=body, content_type=FORM)
        check_reply(response.status_code, response.get_json(), expected)


def test_django_recipe(secret_env: None) -> None:
    from django.test import Client
    from django.urls import clear_url_caches

    namespace = run_block(blocks("from django")[0], "readme_django")
    URLCONF.urlpatterns = namespace["urlpatterns"]  # type: ignore[attr-defined]
    clear_url_caches()
    client = Client(enforce_csrf_checks=True)
    for body, expected in CASES:
        response = client.post("/api/webhook", data=body, content_type=FORM)
        check_reply(response.status_code, response.json(), expected)
    assert client.get("/api/webhook").status_code == 405


def test_fastapi_recipe(secret_env: None) -> None:
    from fastapi.testclient import TestClient

    app = run_block(blocks("from fastapi")[0], "readme_fastapi")["app"]
    with TestClient(app) as client:
        for body, expected in CASES:
            response = client.post("/api/webhook", content=body, headers={"content-type": FORM})
            check_reply(response.status_code, response.json(), expected)


@pytest.mark.parametrize("framework", ["flask", "django", "fastapi"])
def test_recipes_fail_loudly_without_a_secret(
    framework: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty secret is a server misconfiguration: EmptySecret, never a 401 or a 200.
    monkeypatch.setenv("OPERATOR_SECRET_KEY", "")
    namespace = run_block(blocks(f"from {framework}")[0], f"readme_{framework}_nosecret")
    view: Callable[..., Any] = namespace["webhook"]
    assert callable(view)
    if framework == "flask":
        app = namespace["app"]
        app.testing = True  # propagate exceptions to the test client
        with pytest.raises(hooksig.EmptySecret):
            app.test_client().post("/api/webhook", data=GOOD, content_type=FORM)
    elif framework == "django":
        from django.test import Client
        from django.urls import clear_url_caches

        URLCONF.urlpatterns = namespace["urlpatterns"]  # type: ignore[attr-defined]
        clear_url_caches()
        with pytest.raises(hooksig.EmptySecret):
            Client().post("/api/webhook", data=GOOD, content_type=FORM)
    else:
        from fastapi.testclient import TestClient

        with TestClient(namespace["app"]) as client, pytest.raises(hooksig.EmptySecret):
            client.post("/api/webhook", content=GOOD, headers={"content-type": FORM})
