"""Hypothesis properties: round trips, order independence, and hostile
inputs that may only ever produce a result or a hooksig error."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hooksig

KINDS = {"mismatch", "malformed-hash", "missing-hash", "duplicate-key", "empty-key",
         "invalid-encoding", "too-many-params", "empty-secret", "unsupported-key",
         "invalid-value", "internal"}

# Any Unicode scalar value (surrogates cannot be UTF-8).
any_text = st.text(st.characters(exclude_categories=("Cs",)))
keys = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
    st.sampled_from(["", "null", "undefined", "&", "=", "+", "%", " "]),
)
secrets = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20)
params = st.dictionaries(keys, values, max_size=12)


def join(fields: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in fields.items())


@given(params, secrets)
def test_round_trip_gives_back_the_signed_fields(p: dict[str, Any], secret: str) -> None:
    body = hooksig.encode_form(p, secret)
    fields = hooksig.verify_form(body, secret)
    # Exactly the signed fields, in signing order: they spell the canonical string...
    assert join(fields) == hooksig.canonical(p)
    # ...and sign to the same hash.
    assert body.endswith("&hash=" + hooksig.sign(p, secret)) or body == "hash=" + hooksig.sign(p, secret)
    assert hooksig.sign(fields, secret) == hooksig.sign(p, secret)
    detailed = hooksig.verify_form_detailed(body.encode(), ["other", secret])
    assert detailed.params == fields and detailed.secret_index == (0 if secret == "other" else 1)


@given(st.dictionaries(keys, any_text, max_size=12), secrets)
def test_round_trip_against_a_naive_oracle(p: dict[str, str], secret: str) -> None:
    # For string values the signed fields are simply the non-dropped ones.
    oracle = {k: v for k, v in p.items() if k != "hash" and v not in ("", "null", "undefined")}
    assert hooksig.verify_form(hooksig.encode_form(p, secret), secret) == oracle


# Keys that never collate equal: printable ASCII (every character has its own
# primary weight or differs in case) and a few precomposed letters.
distinct_keys = st.text(
    st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + list("éßøžÅüñ")), min_size=1, max_size=10
)


@given(st.dictionaries(distinct_keys, values, min_size=1, max_size=20), secrets, st.randoms())
def test_hash_does_not_depend_on_input_order(p: dict[str, Any], secret: str, rnd: random.Random) -> None:
    items = list(p.items())
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert hooksig.sign(shuffled, secret) == hooksig.sign(items, secret)
    assert hooksig.canonical(shuffled) == hooksig.canonical(items)
    assert hooksig.encode_form(shuffled, secret) == hooksig.encode_form(items, secret)
    expected = hashlib.md5((hooksig.canonical(items) + secret).encode()).hexdigest()
    assert hooksig.sign(items, secret) == expected


def check_outcome(call: Any, *args: Any, **kwargs: Any) -> Any:
    """The call returns, or raises a hooksig error with a known kind: nothing else."""
    try:
        return call(*args, **kwargs)
    except hooksig.SignatureError as e:
        assert e.kind in KINDS
        assert type(e) is not hooksig.SignatureError or e.kind == "internal"
        return e


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(st.binary(max_size=2000), st.one_of(secrets, st.lists(secrets, max_size=3)))
def test_arbitrary_bytes(body: bytes, secret: Any) -> None:
    result = check_outcome(hooksig.verify_form, body, secret)
    if isinstance(result, dict):
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.items())
    report = hooksig.explain(body, secret)
    assert report["valid"] == isinstance(result, dict)


form_pieces = st.lists(
    st.sampled_from(["a", "b", "hash", "=", "&", "%", "%2", "%zz", "%C3", "%A9", "%00", "\x00",
                     "+", "%26", "%3D", "\ufeff", "\xef\xbb\xbf", "é", "null", "0" * 32, "%ED%A0%80",
                     "%C0%AF", "%F4%90%80%80"]),
    max_size=40,
)


@settings(max_examples=300)
@given(form_pieces, secrets)
def test_form_like_bytes(pieces: list[str], secret: str) -> None:
    body = "".join(pieces).encode("utf-8", "surrogatepass")
    check_outcome(hooksig.verify_form, body, secret)
    check_outcome(hooksig.verify_form, body.decode("utf-8", "replace"), secret)
    hooksig.explain(body, secret)


scalars = st.one_of(
    values, st.binary(max_size=4), st.integers(), st.complex_numbers(), st.decimals(),
    st.text(max_size=4),  # may hold lone surrogates
    st.just(object()), st.lists(st.integers(), max_size=2),
)
hostile_params = st.one_of(
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), scalars, max_size=6),
    st.lists(st.tuples(st.one_of(st.text(max_size=5), st.none()), scalars), max_size=6),
    st.lists(scalars, max_size=4),
    scalars,
)


@settings(max_examples=300)
@given(hostile_params, st.one_of(st.text(max_size=5), st.none(), st.binary(max_size=3)))
def test_arbitrary_python_params(p: Any, secret: Any) -> None:
    sig = check_outcome(hooksig.sign, p, secret)
    if isinstance(sig, str):
        assert len(sig) == 32 and int(sig, 16) >= 0
    check_outcome(hooksig.canonical, p)
    check_outcome(hooksig.encode_form, p, secret)
    check_outcome(hooksig.verify, p, secret)


def test_huge_bodies() -> None:
    value = "x" * (16 * 1024 * 1024)
    body = hooksig.encode_form({"event": "DEPOSIT", "blob": value}, "s")
    assert hooksig.verify_form(body.encode(), "s")["blob"] == value
    # 16 MiB of undecodable bytes, and of NULs.
    assert isinstance(check_outcome(hooksig.verify_form, b"\xff" * (16 << 20), "s"), hooksig.MalformedBody)
    nul = hooksig.verify_form(hooksig.encode_form({"a": "\x00" * (1 << 20), "\x00b": "1"}, "s"), "s")
    assert nul == {"a": "\x00" * (1 << 20), "\x00b": "1"}
    assert check_outcome(hooksig.verify_form, b"\x00" * (1 << 20), "s").kind == "missing-hash"
    assert check_outcome(hooksig.verify_form, b"&" * (4 << 20), "s").kind == "too-many-params"


def test_one_hundred_thousand_params() -> None:
    p = [(f"f{i:06d}", f"v{i}") for i in range(100_000)]
    body = hooksig.encode_form(p, "s")
    assert check_outcome(hooksig.verify_form, body, "s").kind == "too-many-params"
    fields = hooksig.verify_form(body, "s", max_params=100_001)
    assert fields == dict(p)
    with pytest.raises(hooksig.MalformedBody):
        hooksig.verify_form(body, "s", max_params=100_000)
    assert hooksig.sign(reversed(p), "s") == hooksig.sign(p, "s")
    # A duplicate among 10^5 pairs is found.
    assert check_outcome(hooksig.sign, p + [("f050000", "again")], "s").kind == "duplicate-key"
