"""Every shared conformance vector through the Python API: params (canonical
string and hash), collation (key order seen through ``canonical``), bodies
(verdict and kind) and golden forms (byte for byte)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

import hooksig
from conftest import load, pairs

PARAMS = load("params.json")
COLLATION = load("collation.json")
BODIES = load("bodies.json")
GOLDEN = [b for b in BODIES if b["id"].endswith("/golden")]
PARAMS_BY_ID = {v["id"]: v for v in PARAMS}

# Which exception class each kind must raise (the core's categories).
SIGNATURE_KINDS = {"mismatch", "malformed-hash", "missing-hash"}
BODY_KINDS = {"duplicate-key", "empty-key", "invalid-encoding", "too-many-params"}


def ids(vectors: list[dict[str, Any]]) -> list[str]:
    return [v["id"] for v in vectors]


def test_vector_counts() -> None:
    # Guards against silently loading fewer vectors.
    assert len(PARAMS) == 230
    assert len(COLLATION) == 200
    assert len(BODIES) == 188
    assert len(GOLDEN) >= 50


@pytest.mark.parametrize("v", PARAMS, ids=ids(PARAMS))
def test_params_vector(v: dict[str, Any]) -> None:
    params = pairs(v)
    assert hooksig.canonical(params) == v["canonical"]
    assert hooksig.sign(params, v["secret"]) == v["hash"]
    # A dict keeps insertion order, so it signs the same (keys are distinct).
    assert hooksig.sign(dict(params), v["secret"]) == v["hash"]
    # verify() finds the hash inside the params.
    with_hash = [p for p in params if p[0] != "hash"] + [("hash", v["hash"])]
    assert hooksig.verify(with_hash, v["secret"]) is None
    assert hooksig.verify(with_hash, ["another-secret", v["secret"]]) is None


def _collation_case(v: dict[str, Any]) -> tuple[list[tuple[str, str]], str]:
    """Params whose canonical string shows the order of the vector's keys.

    Each distinct key gets its first position as value. Keys the canonical
    string cannot carry are removed from both lists: the empty key (refused),
    `hash` (never signed) and byte-identical repeats (refused as duplicates).
    Removing an element from a stable sort's input and output keeps the
    output the stable sort of the input, so the expectation stays exact.
    """
    unique: dict[str, int] = {}
    for key in v["keys"]:
        if key not in ("", "hash") and key not in unique:
            unique[key] = len(unique)
    seen: set[str] = set()
    order = []
    for key in v["sorted"]:
        if key in unique and key not in seen:
            seen.add(key)
            order.append(key)
    params = [(k, str(i)) for k, i in unique.items()]
    return params, "&".join(f"{k}={unique[k]}" for k in order)


@pytest.mark.parametrize("v", COLLATION, ids=ids(COLLATION))
def test_collation_vector(v: dict[str, Any]) -> None:
    params, expected = _collation_case(v)
    assert hooksig.canonical(params) == expected
    # The signature is MD5 over that same order plus the secret.
    assert hooksig.sign(params, "s") == hashlib.md5((expected + "s").encode()).hexdigest()


@pytest.mark.parametrize("v", BODIES, ids=ids(BODIES))
def test_body_vector(v: dict[str, Any]) -> None:
    body: str = v["body"]
    secret: str = v["secret"]
    expected: str = v["expected"]
    for form in (body.encode("utf-8"), body):
        if expected == "accept":
            fields = hooksig.verify_form(form, secret)
            assert all(isinstance(k, str) and isinstance(x, str) for k, x in fields.items())
            assert "hash" not in fields
            # The fields alone re-sign to the received hash.
            assert f"hash={hooksig.sign(fields, secret)}" in body
            detailed = hooksig.verify_form_detailed(form, ["not-it", secret])
            assert detailed.secret_index == 1
            assert detailed.params == fields
            assert list(detailed.params) == list(fields)
        else:
            kind = expected.removeprefix("reject:")
            cls = (
                hooksig.InvalidSignature
                if kind in SIGNATURE_KINDS
                else hooksig.MalformedBody
                if kind in BODY_KINDS
                else hooksig.SignatureError
            )
            with pytest.raises(cls) as info:
                hooksig.verify_form(form, secret)
            assert info.value.kind == kind
    report = hooksig.explain(body.encode("utf-8"), secret)
    assert report["valid"] == (expected == "accept")
    if expected != "accept":
        assert report["error"] is not None
        assert report["error"]["kind"] == expected.removeprefix("reject:")


@pytest.mark.parametrize("v", GOLDEN, ids=ids(GOLDEN))
def test_golden_form(v: dict[str, Any]) -> None:
    params_vector = PARAMS_BY_ID[v["id"].removesuffix("/golden")]
    body = hooksig.encode_form(pairs(params_vector), params_vector["secret"])
    assert body == v["body"]
