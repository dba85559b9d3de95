"""Hostile input through the Python binding: each case gets a typed exception
or a correct answer (asserted exactly), with no crash, hang or blow-up.
The same cases as crates/hooksig/tests/hostile.rs; expected hashes were
computed independently with hashlib over canonical + secret."""

from __future__ import annotations

import hashlib

import pytest

import hooksig

S = "s"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def error(call, *args, **kwargs) -> tuple[type, str, int | None]:
    with pytest.raises(hooksig.SignatureError) as info:
        call(*args, **kwargs)
    return type(info.value), info.value.kind, info.value.index


def test_ten_mib_bodies() -> None:
    value = "ab cd" * (2 << 20)
    body = hooksig.encode_form({"data": value}, S)
    assert len(body) > 10 << 20
    assert body.endswith("hash=" + md5("data=" + value + S))
    assert hooksig.verify_form(body, S) == {"data": value}
    assert error(hooksig.verify_form, b"%" * (10 << 20), S) == (hooksig.MalformedBody, "invalid-encoding", 0)
    kind = error(hooksig.verify_form, b"a=1&" * (10 << 18), S)
    assert kind[:2] == (hooksig.MalformedBody, "too-many-params")


def test_a_hundred_thousand_ampersands() -> None:
    body = "&" * 100_000 + "a=1&hash=" + md5("a=1" + S)
    assert error(hooksig.verify_form, body, S)[1] == "too-many-params"
    assert hooksig.verify_form(body, S, max_params=100_002) == {"a": "1"}
    assert error(hooksig.verify_form, body, S, max_params=100_001)[1] == "too-many-params"


def test_a_thousand_duplicate_keys() -> None:
    assert error(hooksig.verify_form, "&".join(["a=1"] * 1000), S) == (hooksig.MalformedBody, "duplicate-key", 1)
    body = "&".join([f"k{i}=1" for i in range(999)] + ["k500=2"])
    assert error(hooksig.verify_form, body, S)[1:] == ("duplicate-key", 999)


def test_keys_of_64_kib() -> None:
    key = "k" * (64 << 10)
    sig = md5(key + "=1" + S)
    assert hooksig.verify_form(f"{key}=1&hash={sig}", S) == {key: "1"}
    assert hooksig.verify_form("%6B" * (64 << 10) + f"=1&hash={sig}", S) == {key: "1"}


@pytest.mark.parametrize(("body", "index"), [("a=1%", 0), ("a=1&b=%", 1), ("a=1&b=%4", 1), ("a=1&%", 1)])
def test_percent_at_the_end(body: str, index: int) -> None:
    assert error(hooksig.verify_form, body, S) == (hooksig.MalformedBody, "invalid-encoding", index)


@pytest.mark.parametrize(
    "body",
    [b"a=%C0%AF", b"a=%C0%80", b"a=%E0%80%80", b"a=\xc0\xaf", b"\xc0\xaf=1",  # overlong
     b"a=%ED%A0%80", b"%ED%A0%80=1", b"a=\xed\xa0\x80"],  # surrogates
)
def test_overlong_utf8_and_surrogates(body: bytes) -> None:
    assert error(hooksig.verify_form, body, S) == (hooksig.MalformedBody, "invalid-encoding", 0)


def test_nul_bytes() -> None:
    # Distinct keys that collate equal keep their input order.
    params = [("a\0", "1"), ("a", "2"), ("\0a", "3")]
    assert hooksig.canonical(params) == "a\0=1&a=2&\0a=3"
    sig = hooksig.sign(params, S)
    assert sig == md5("a\0=1&a=2&\0a=3" + S)
    assert list(hooksig.verify_form(f"a%00=1&a=2&%00a=3&hash={sig}", S).items()) == params
    assert list(hooksig.verify_form(f"a\0=1&a=2&\0a=3&hash={sig}".encode(), S).items()) == params


def test_byte_order_marks() -> None:
    plain, bom = md5("a=1" + S), md5("\ufeffa=1" + S)
    assert hooksig.verify_form(b"\xef\xbb\xbfa=1&hash=" + plain.encode(), S) == {"a": "1"}
    assert error(hooksig.verify_form, f"%EF%BB%BFa=1&hash={plain}", S)[:2] == (hooksig.InvalidSignature, "mismatch")
    assert hooksig.verify_form(f"%EF%BB%BFa=1&hash={bom}", S) == {"\ufeffa": "1"}


def test_ten_thousand_tied_keys() -> None:
    keys = []
    for i in range(10_000):
        pad = "".join(chr((i >> (3 * d)) & 7) for d in range(5))
        keys.append(pad + "a" if i % 2 == 0 else "a" + pad)
    params = [(k, "v") for k in keys]
    canonical = "&".join(f"{k}=v" for k in keys)
    assert hooksig.canonical(params) == canonical
    sig = hooksig.sign(params, S)
    assert sig == md5(canonical + S)
    hooksig.verify(params + [("hash", sig)], S)
    assert error(hooksig.sign, params + [params[4321]], S)[1:] == ("duplicate-key", 10_000)


def test_a_hundred_thousand_distinct_keys() -> None:
    params = [(f"k{i:05}", 1) for i in reversed(range(100_000))]
    canonical = "&".join(f"k{i:05}=1" for i in range(100_000))
    assert hooksig.canonical(params) == canonical
    assert hooksig.sign(params, S) == md5(canonical + S)


def test_values_of_16_mib() -> None:
    value = "x" * (16 << 20)
    sig = hooksig.sign({"v": value}, S)
    assert sig == "124c86a8c04220bdc7074e7444e419b9"
    hooksig.verify({"v": value, "hash": sig}, S)


# Keys' UTF-8 is cached by object identity (bindings/python/src/lib.rs,
# `KEYS`). These would fail if the cache kept an address without keeping its
# object alive (freed keys' addresses are reused at once by the next key),
# mixed up two slots, or kept a str subclass's text.


def test_fresh_keys_are_never_confused_with_cached_ones() -> None:
    for i in range(3000):
        key = f"key{i:05d}" if i % 3 else f"ключ{i}"  # a new object each time
        assert hooksig.sign({key: "1"}, S) == md5(key + "=1" + S), key
        assert hooksig.canonical([(key, 2)]) == key + "=2"


def test_the_same_key_objects_again_and_again() -> None:
    keys = [f"k{i:03d}" for i in range(600)]  # more keys than cache slots
    params = {k: "v" for k in keys[:3]}
    expected = md5("k000=v&k001=v&k002=v" + S)
    for _ in range(3):
        for k in keys:
            assert hooksig.sign({k: "v"}, S) == md5(k + "=v" + S)
        assert hooksig.sign(params, S) == expected
    too_long = "x" * 65  # not cached: still right
    assert hooksig.sign({too_long: 1}, S) == hooksig.sign({too_long: 1}, S) == md5(too_long + "=1" + S)


def test_str_subclass_keys_use_their_text() -> None:
    class Key(str):
        def __str__(self) -> str:
            return "other"

    key = Key("a")
    assert hooksig.sign({key: "1"}, S) == hooksig.sign({key: "1"}, S) == md5("a=1" + S)
