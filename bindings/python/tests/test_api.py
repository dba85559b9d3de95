"""The Python API itself: value conversion, params shapes (multi-value
mappings included), secrets, errors, explain, version and stubs."""

from __future__ import annotations

import collections
import collections.abc
import decimal
import enum
import fractions
import hashlib
import importlib.metadata
import pickle
import re
import subprocess
import sys
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import hooksig
from conftest import BINDING, ROOT

SECRET = "op_secret_4f9a"
# deposit-basic from params.json, as a dict.
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
DEPOSIT_HASH = "9f72b23a2b420cee2af96f239baf188f"


def kind_of(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(hooksig.SignatureError) as info:
        call(*args, **kwargs)
    return info.value.kind


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (1e16, "10000000000000000"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-0.0, "0"),
        (100.0, "100"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (0, "0"),
        (-(2**63), "-9223372036854775808"),
        (2**63, "9223372036854775808"),
        (2**64 - 1, "18446744073709551615"),
        ("", None),
        ("null", None),
        ("undefined", None),
        ("NULL", "NULL"),
        (None, None),
    ],
)
def test_value_text(value: Any, text: str | None) -> None:
    expected = "a=1" if text is None else f"a=1&b={text}"
    assert hooksig.canonical([("a", "1"), ("b", value)]) == expected


def test_bool_is_not_int() -> None:
    assert hooksig.canonical({"a": True}) == "a=true"
    assert hooksig.canonical({"a": 1}) == "a=1"


def test_int_and_str_subclasses_are_their_values() -> None:
    class Level(enum.IntEnum):
        HIGH = 3

    class Tag(str):
        pass

    assert hooksig.canonical({"a": Level.HIGH, "b": Tag("x")}) == "a=3&b=x"


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, 10**100, -(10**100)])
def test_int_out_of_range_is_invalid_value(value: int) -> None:
    with pytest.raises(hooksig.InvalidValue) as info:
        hooksig.sign({"a": value}, SECRET)
    assert info.value.kind == "invalid-value"
    assert info.value.index == 0
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "value",
    [b"bytes", bytearray(b"x"), [1], ("a",), {"a": 1}, decimal.Decimal("1.5"),
     fractions.Fraction(1, 3), 1j, object(), {1, 2}],
)
def test_other_value_types_are_invalid_value(value: Any) -> None:
    for call in (hooksig.sign, hooksig.encode_form):
        with pytest.raises(hooksig.InvalidValue) as info:
            call([("ok", "1"), ("a", value)], SECRET)
        assert info.value.kind == "invalid-value"
        assert info.value.index == 1
    assert kind_of(hooksig.canonical, {"a": value}) == "invalid-value"


def test_lone_surrogate_is_invalid_encoding() -> None:
    for params in ({"a": "x\udc80"}, {"\ud800": "x"}):
        with pytest.raises(hooksig.MalformedBody) as info:
            hooksig.sign(params, SECRET)
        assert info.value.kind == "invalid-encoding"
    with pytest.raises(hooksig.MalformedBody) as info:
        hooksig.verify_form("a=\udc80", SECRET)
    assert (info.value.kind, info.value.index) == ("invalid-encoding", 0)
    assert kind_of(hooksig.sign, {"a": "1"}, "s\udc80") == "invalid-encoding"
    assert kind_of(hooksig.verify_form, "a=1", "s\udc80") == "invalid-encoding"


def error_of(call: Any, *args: Any) -> tuple[type, str, int | None]:
    with pytest.raises(hooksig.SignatureError) as info:
        call(*args)
    return type(info.value), info.value.kind, info.value.index


def body_error(body: str) -> tuple[type, str, int | None]:
    return error_of(hooksig.verify_form, body, SECRET)


def test_lone_surrogate_in_a_str_body_is_found_in_body_order() -> None:
    # The first fault from the left decides, as for the same body in bytes.
    assert body_error("a=1&a=2&b=\ud800") == (hooksig.MalformedBody, "duplicate-key", 1)
    assert body_error("a=1&b=\ud800&hash=" + "0" * 32) == (hooksig.MalformedBody, "invalid-encoding", 1)
    assert body_error("=1&\udfff=2") == (hooksig.MalformedBody, "empty-key", 0)
    assert body_error("a=1&%ZZ=\ud800") == (hooksig.MalformedBody, "invalid-encoding", 1)
    for body in ("a=1&a=2&b=\ud800", "a=1&b=\ud800&hash=x", "a\udc80b=1"):
        as_bytes = body.encode("utf-8", "surrogatepass")
        assert body_error(body)[1:] == error_of(hooksig.verify_form, as_bytes, SECRET)[1:]
    # explain reports it instead of raising.
    report = hooksig.explain("a=1&b=\ud800", SECRET)
    assert report["error"] is not None
    assert (report["error"]["kind"], report["error"]["index"]) == ("invalid-encoding", 1)

    class Sly(str):
        def encode(self, *args: Any, **kwargs: Any) -> bytes:  # never called
            raise AssertionError("the str's own encode ran")

    assert body_error(Sly("a=1&a=2&b=\ud800"))[1:] == ("duplicate-key", 1)


@pytest.mark.parametrize("key", [1, None, b"a", 1.5, ("a",)])
def test_non_str_key_is_invalid_value(key: Any) -> None:
    assert kind_of(hooksig.sign, [(key, "1")], SECRET) == "invalid-value"
    if isinstance(key, (int, float, type(None), tuple)):
        assert kind_of(hooksig.sign, {key: "1"}, SECRET) == "invalid-value"


def test_core_rules_reach_python() -> None:
    assert kind_of(hooksig.sign, [("a", "1"), ("a", "2")], SECRET) == "duplicate-key"
    assert kind_of(hooksig.sign, {"": "1"}, SECRET) == "empty-key"
    assert kind_of(hooksig.canonical, [("a", "1"), ("", "2")]) == "empty-key"


# ------------------------------------------------------------------ params shapes


class PlainMapping(Mapping[str, Any]):
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class GetlistMapping(PlainMapping):
    """A multi-value mapping exposing only ``items(multi=True)`` and ``getlist``."""

    def __init__(self, items: list[tuple[str, Any]]) -> None:
        super().__init__(dict(items))
        self._items = items

    def getlist(self, key: str) -> list[Any]:
        return [v for k, v in self._items if k == key]

    def items(self, multi: bool = False) -> Any:  # type: ignore[override]
        return list(self._items) if multi else list(self._data.items())


class BottleMultiDict(collections.abc.MutableMapping):  # type: ignore[type-arg]
    """Shaped like Bottle's ``MultiDict``/``FormsDict``: ``getall``/``getlist``
    give every value, ``items()`` takes no argument and gives the last value."""

    def __init__(self, items: list[tuple[str, Any]]) -> None:
        self.dict: dict[str, list[Any]] = {}
        for k, v in items:
            self.dict.setdefault(k, []).append(v)

    def __getitem__(self, key: str) -> Any:
        return self.dict[key][-1]

    def __setitem__(self, key: str, value: Any) -> None:
        self.dict.setdefault(key, []).append(value)

    def __delitem__(self, key: str) -> None:
        del self.dict[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.dict)

    def __len__(self) -> int:
        return len(self.dict)

    def keys(self) -> Any:
        return self.dict.keys()

    def items(self) -> Any:
        return ((k, v[-1]) for k, v in self.dict.items())

    def getall(self, key: str) -> list[Any]:
        return self.dict.get(key) or []

    getlist = getall


@pytest.mark.parametrize(
    "make",
    [
        dict,
        collections.OrderedDict,
        lambda d: types.MappingProxyType(dict(d)),
        PlainMapping,
        lambda d: list(d.items()),
        lambda d: [list(p) for p in d.items()],
        lambda d: tuple(d.items()),
        lambda d: iter(list(d.items())),
        lambda d: ((k, v) for k, v in d.items()),
        lambda d: GetlistMapping(list(d.items())),
        lambda d: BottleMultiDict(list(d.items())),
    ],
)
def test_params_shapes(make: Any) -> None:
    assert hooksig.sign(make(DEPOSIT), SECRET) == DEPOSIT_HASH


def test_pairs_keep_input_order_for_ties() -> None:
    # "a" and "a\x00" collate equal; input order decides, like the reference.
    assert hooksig.canonical([("a", "1"), ("a\x00", "2")]) == "a=1&a\x00=2"
    assert hooksig.canonical([("a\x00", "2"), ("a", "1")]) == "a\x00=2&a=1"


def test_django_querydict_reads_every_value() -> None:
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for k, v in DEPOSIT.items():
        q[k] = v
    assert hooksig.sign(q, SECRET) == DEPOSIT_HASH
    q.appendlist("event", "WITHDRAW_REQUEST")
    assert q["event"] == "WITHDRAW_REQUEST"  # Django silently picks the last one...
    assert kind_of(hooksig.sign, q, SECRET) == "duplicate-key"  # ...hooksig refuses.


def test_werkzeug_multidict_reads_every_value() -> None:
    from werkzeug.datastructures import ImmutableMultiDict, MultiDict

    assert hooksig.sign(MultiDict(list(DEPOSIT.items())), SECRET) == DEPOSIT_HASH
    md = MultiDict(list(DEPOSIT.items()) + [("event", "X")])
    assert md["event"] == "DEPOSIT"  # Werkzeug silently picks the first one.
    assert kind_of(hooksig.sign, md, SECRET) == "duplicate-key"
    assert kind_of(hooksig.sign, ImmutableMultiDict([("a", "1"), ("a", "1")]), SECRET) == "duplicate-key"


def test_starlette_formdata_reads_every_value() -> None:
    from starlette.datastructures import FormData

    assert hooksig.sign(FormData(list(DEPOSIT.items())), SECRET) == DEPOSIT_HASH
    form = FormData(list(DEPOSIT.items()) + [("event", "X")])
    assert form["event"] == "X"  # Starlette silently picks the last one.
    assert kind_of(hooksig.sign, form, SECRET) == "duplicate-key"


def test_getlist_mapping_duplicates() -> None:
    m = GetlistMapping([("a", "1"), ("a", "2")])
    assert dict(m.items()) == {"a": "2"}
    assert kind_of(hooksig.canonical, m) == "duplicate-key"


def test_bottle_multidict_reads_every_value() -> None:
    md = BottleMultiDict(list(DEPOSIT.items()) + [("event", "WITHDRAW_REQUEST")])
    with pytest.raises(TypeError):
        md.items(multi=True)  # type: ignore[call-arg]
    assert md["event"] == "WITHDRAW_REQUEST"  # Bottle silently picks the last one...
    assert dict(md.items())["event"] == "WITHDRAW_REQUEST"  # ...so does items()...
    with pytest.raises(hooksig.MalformedBody) as info:  # ...hooksig refuses.
        hooksig.sign(md, SECRET)
    assert info.value.kind == "duplicate-key"
    assert hooksig.canonical(BottleMultiDict([("b", 2), ("a", None), ("c", "")])) == "b=2"


class AddictDict(dict):  # type: ignore[type-arg]
    """Like addict's Dict: any missing attribute is a new child mapping."""

    def __getattr__(self, name: str) -> "AddictDict":
        return AddictDict()


class DataNamedLists(dict):  # type: ignore[type-arg]
    lists = 5  # an attribute that happens to share the protocol's name


def test_attributes_that_are_not_methods_are_not_the_multi_value_protocol() -> None:
    expected = hooksig.sign(DEPOSIT, SECRET)
    assert hooksig.sign(AddictDict(DEPOSIT), SECRET) == expected
    assert hooksig.sign(DataNamedLists(DEPOSIT), SECRET) == expected


@pytest.mark.parametrize(
    "params", [None, 42, 1.5, "a=1", b"a=1", [("a",)], [("a", "1", "2")], ["ab"], [1], object()]
)
def test_unusable_params_are_invalid_value(params: Any) -> None:
    assert kind_of(hooksig.canonical, params) == "invalid-value"


def test_errors_raised_by_the_callers_iterable_propagate() -> None:
    def broken() -> Iterator[tuple[str, str]]:
        yield ("a", "1")
        raise KeyError("from the caller's own code")

    with pytest.raises(KeyError):
        hooksig.sign(broken(), SECRET)

    class BrokenIter:
        def __iter__(self) -> Iterator[Any]:
            raise RuntimeError("from the caller's own __iter__")

    with pytest.raises(RuntimeError):
        hooksig.sign(BrokenIter(), SECRET)
    with pytest.raises(RuntimeError):
        hooksig.verify_form("a=1", BrokenIter())


# ------------------------------------------------------------------ secrets


def test_str_secret_is_one_secret() -> None:
    body = hooksig.encode_form(DEPOSIT, "s")
    assert hooksig.verify_form(body, "s") == DEPOSIT
    # Were "xs" read as the characters "x", "s", it would match.
    assert kind_of(hooksig.verify_form, body, "xs") == "mismatch"
    assert kind_of(hooksig.verify_form_detailed, body, "xs") == "mismatch"
    assert hooksig.verify_form_detailed(body, ("x", "s")).secret_index == 1
    assert hooksig.verify_form_detailed(body, iter(["s"])).secret_index == 0


@pytest.mark.parametrize("secrets", ["", [], (), [""], ["ok", ""]])
def test_empty_secret(secrets: Any) -> None:
    body = hooksig.encode_form(DEPOSIT, SECRET)
    with pytest.raises(hooksig.EmptySecret) as info:
        hooksig.verify_form(body, secrets)
    assert info.value.kind == "empty-secret"
    assert not isinstance(info.value, TypeError)
    assert kind_of(hooksig.verify_form_detailed, body, secrets) == "empty-secret"
    assert kind_of(hooksig.verify, DEPOSIT | {"hash": DEPOSIT_HASH}, secrets) == "empty-secret"
    if isinstance(secrets, str):
        assert kind_of(hooksig.sign, DEPOSIT, secrets) == "empty-secret"
        assert kind_of(hooksig.encode_form, DEPOSIT, secrets) == "empty-secret"


@pytest.mark.parametrize("secret", [None, 1, b"s", [b"s"], [1], ["s", None], object()])
def test_unusable_secret_is_invalid_value(secret: Any) -> None:
    body = hooksig.encode_form(DEPOSIT, SECRET)
    assert kind_of(hooksig.verify_form, body, secret) == "invalid-value"
    assert kind_of(hooksig.sign, DEPOSIT, secret) == "invalid-value"


def message_of(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(hooksig.InvalidValue) as info:
        call(*args, **kwargs)
    assert info.value.kind == "invalid-value"
    return str(info.value)


def test_wrong_argument_messages_name_the_argument() -> None:
    # Only a parameter value gets the core's value message; any other
    # argument of the wrong type says what it must be.
    body = hooksig.encode_form(DEPOSIT, SECRET)
    assert message_of(hooksig.verify_form, 1, SECRET) == (
        "invalid argument: the body must be bytes, bytearray or str")
    assert message_of(hooksig.sign, DEPOSIT, 1) == "invalid argument: the secret must be a str"
    assert message_of(hooksig.verify_form, body, [1]) == (
        "invalid argument: the secret must be a str or a sequence of str")
    assert message_of(hooksig.canonical, 5) == (
        "invalid argument: params must be a mapping or an iterable of (key, value) pairs")
    assert message_of(hooksig.canonical, [("a", "1"), ("b",)]) == (
        "invalid argument: params must be a mapping or an iterable of (key, value) pairs"
        " (at parameter 2)")
    assert message_of(hooksig.canonical, [("a", "1"), (2, "1")]) == (
        "invalid argument: a key must be a str (at parameter 2)")
    assert message_of(hooksig.verify_form, body, SECRET, max_params=-1) == (
        "invalid argument: max_params must be a non-negative int or None")
    value = message_of(hooksig.canonical, [("a", "1"), ("b", object())])
    assert value.startswith("invalid value: only strings, integers, floats, booleans and null "
                            "can be signed (at parameter 2): a value must be str")


def test_sign_takes_exactly_one_secret() -> None:
    assert kind_of(hooksig.sign, DEPOSIT, [SECRET]) == "invalid-value"


# ------------------------------------------------------------------ verify, bodies


def test_verify_params_with_hash() -> None:
    assert hooksig.verify(DEPOSIT | {"hash": DEPOSIT_HASH}, SECRET) is None
    assert kind_of(hooksig.verify, DEPOSIT | {"hash": "0" * 32}, SECRET) == "mismatch"
    assert kind_of(hooksig.verify, DEPOSIT | {"hash": "A" * 32}, SECRET) == "malformed-hash"
    assert kind_of(hooksig.verify, DEPOSIT, SECRET) == "missing-hash"
    assert kind_of(hooksig.verify, DEPOSIT | {"hash": None}, SECRET) == "missing-hash"


def test_body_types() -> None:
    body = hooksig.encode_form(DEPOSIT, SECRET)
    expected = hooksig.verify_form(body, SECRET)
    assert expected == DEPOSIT
    assert list(expected) == sorted(DEPOSIT, key=str.lower)  # canonical order for these keys
    assert hooksig.verify_form(body.encode(), SECRET) == expected
    assert hooksig.verify_form(bytearray(body.encode()), SECRET) == expected
    for bad in (None, 1, [body], memoryview(body.encode()), object()):
        assert kind_of(hooksig.verify_form, bad, SECRET) == "invalid-value"


def test_max_params() -> None:
    body = "a=1&b=2&" + "&" * 5 + "hash=" + "0" * 32  # 8 segments
    assert kind_of(hooksig.verify_form, body, SECRET, max_params=7) == "too-many-params"
    assert kind_of(hooksig.verify_form, body, SECRET, max_params=8) == "mismatch"
    assert kind_of(hooksig.verify_form, body, SECRET, max_params=None) == "mismatch"
    assert kind_of(hooksig.verify_form, body, SECRET, max_params=2**200) == "mismatch"
    for bad in (-1, "9", 9.0, True, -(2**200)):
        assert kind_of(hooksig.verify_form, body, SECRET, max_params=bad) == "invalid-value"
    report = hooksig.explain(body, SECRET, max_params=7)
    assert report["error"] is not None and report["error"]["kind"] == "too-many-params"


def test_verified_object() -> None:
    body = hooksig.encode_form({"b": "2", "a": "1", "c": ""}, "k2")
    v = hooksig.verify_form_detailed(body, ["k1", "k2"])
    assert isinstance(v, hooksig.Verified)
    assert v.params == {"a": "1", "b": "2"}
    assert v.secret_index == 1
    assert repr(v) == "Verified(params={'a': '1', 'b': '2'}, secret_index=1)"
    with pytest.raises(AttributeError):
        v.secret_index = 0  # type: ignore[misc]


def test_verified_pickles() -> None:
    body = hooksig.encode_form({"b": "2", "a": "1"}, "k2")
    v = hooksig.verify_form_detailed(body, ["k1", "k2"])
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(v, protocol))
        assert type(again) is hooksig.Verified
        assert (again.params, again.secret_index) == ({"a": "1", "b": "2"}, 1)
        assert list(again.params) == ["a", "b"]
    assert repr(hooksig.Verified({"a": "1"}, 0)) == "Verified(params={'a': '1'}, secret_index=0)"


# ------------------------------------------------------------------ errors


def test_exception_hierarchy() -> None:
    assert issubclass(hooksig.SignatureError, ValueError)
    for cls in (hooksig.InvalidSignature, hooksig.MalformedBody, hooksig.InvalidValue,
                hooksig.EmptySecret):
        assert issubclass(cls, hooksig.SignatureError)
    assert issubclass(hooksig.InvalidValue, TypeError)
    assert not issubclass(hooksig.EmptySecret, TypeError)


def test_error_details_and_pickling() -> None:
    with pytest.raises(hooksig.MalformedBody) as info:
        hooksig.verify_form(b"a=1&b=%ZZ&hash=x", SECRET)
    err = info.value
    assert (err.kind, err.index) == ("invalid-encoding", 1)
    assert "parameter 2" in str(err)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is hooksig.MalformedBody
    assert (again.kind, again.index, str(again)) == (err.kind, err.index, str(err))


def test_kinds_are_the_core_names() -> None:
    seen = {
        kind_of(hooksig.verify_form, "a=1&hash=" + "0" * 32, SECRET),
        kind_of(hooksig.verify_form, "a=1&hash=zz", SECRET),
        kind_of(hooksig.verify_form, "a=1", SECRET),
        kind_of(hooksig.verify_form, "a=1&a=1", SECRET),
        kind_of(hooksig.verify_form, "=1", SECRET),
        kind_of(hooksig.verify_form, "a=%", SECRET),
        kind_of(hooksig.verify_form, "&" * 1000, SECRET),
        kind_of(hooksig.verify_form, "a=1", ""),
        kind_of(hooksig.sign, {"a": 2**64}, SECRET),
    }
    assert seen == {"mismatch", "malformed-hash", "missing-hash", "duplicate-key", "empty-key",
                    "invalid-encoding", "too-many-params", "empty-secret", "invalid-value"}


# ------------------------------------------------------------------ explain


def test_explain_report() -> None:
    body = "b=2&a=1&c=&d=null&hash=00000000000000000000000000000000"
    report = hooksig.explain(body, ["k1", "k2"])
    assert report["valid"] is False
    assert report["secret_index"] is None
    with pytest.raises(hooksig.InvalidSignature) as info:
        hooksig.verify_form(body, ["k1", "k2"])
    assert report["error"] == {"kind": "mismatch", "category": "signature",
                               "message": str(info.value), "index": None}
    assert report["fields"] == [
        {"key": "b", "value": "2", "dropped": None},
        {"key": "a", "value": "1", "dropped": None},
        {"key": "c", "value": "", "dropped": "empty"},
        {"key": "d", "value": "null", "dropped": "null-text"},
        {"key": "hash", "value": "0" * 32, "dropped": "hash-field"},
    ]
    assert report["canonical"] == "a=1&b=2"
    assert report["expected"] == [hooksig.sign({"a": "1", "b": "2"}, "k1"),
                                  hooksig.sign({"a": "1", "b": "2"}, "k2")]
    assert report["received"] == "0" * 32
    assert "a=1&b=2" in report["text"]
    # A hash no known bug reproduces: a diagnosis without a cause.
    assert report["diagnosis"] is not None and report["diagnosis"]["cause"] is None
    assert not any(f["reproduces"] for f in report["diagnosis"]["findings"])

    good = hooksig.encode_form({"a": "1"}, "k2")
    ok = hooksig.explain(good.encode(), ["k1", "k2"])
    assert (ok["valid"], ok["secret_index"], ok["error"]) == (True, 1, None)
    assert ok["diagnosis"] is None

    refused = hooksig.explain("a=1&a=2", "k")
    with pytest.raises(hooksig.MalformedBody) as info:
        hooksig.verify_form("a=1&a=2", "k")
    assert refused["error"] == {"kind": "duplicate-key", "category": "body",
                                "message": str(info.value), "index": 1}
    assert refused["fields"] == [] and refused["canonical"] is None
    assert refused["diagnosis"] is None


@pytest.mark.parametrize("secrets", ["", [], ["k", ""]])
def test_explain_reports_an_empty_secret(secrets: Any) -> None:
    # Like the JS binding and `hooksig explain`: reported, not raised, and the
    # report still shows what would be signed.
    body = "b=2&a=1&hash=" + "0" * 32
    report = hooksig.explain(body, secrets)
    assert report["valid"] is False and report["secret_index"] is None
    assert report["error"] is not None
    assert (report["error"]["kind"], report["error"]["category"]) == ("empty-secret", "input")
    assert report["canonical"] == "a=1&b=2"
    assert [f["key"] for f in report["fields"]] == ["b", "a", "hash"]
    assert report["expected"] == [] and report["diagnosis"] is None
    assert kind_of(hooksig.verify_form, body, secrets) == "empty-secret"


def test_explain_diagnoses_a_known_wrong_sender() -> None:
    # A sender that sorts keys by code point (Python's sorted, not
    # localeCompare): "B" < "a" by code point, "a" < "B" in the reference.
    params = {"a": "1", "B": "2"}
    wrong_canonical = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    assert wrong_canonical == "B=2&a=1" != hooksig.canonical(params)
    wrong = hashlib.md5((wrong_canonical + "k2").encode()).hexdigest()
    body = f"{wrong_canonical}&hash={wrong}"
    report = hooksig.explain(body, ["k1", "k2"])
    assert report["valid"] is False
    assert report["error"] is not None and report["error"]["kind"] == "mismatch"
    assert report["error"]["category"] == "signature"
    assert report["received"] == wrong
    diagnosis = report["diagnosis"]
    assert diagnosis is not None and diagnosis["cause"] == "code-point-order"
    first = diagnosis["findings"][0]
    assert first == {"variant": "code-point-order",
                     "description": "keys sorted by code point instead of localeCompare",
                     "reproduces": True, "secret_index": 1}
    assert "code-point-order" in report["text"]
    # The same structure as the JS binding's (which spells it secretIndex).
    assert set(report) == {"valid", "secret_index", "error", "fields", "canonical", "expected",
                           "received", "diagnosis", "text"}


# ------------------------------------------------------------------ package


def _toml_version(text: str, table: str) -> str | None:
    """The ``version = "..."`` of one table of a Cargo.toml, without a TOML
    library (tomllib needs Python 3.11); ``None`` if that table has none."""
    current = None
    for line in text.splitlines():
        header = re.fullmatch(r"\s*\[([^\[\]]+)\]\s*(#.*)?", line)
        if header:
            current = header.group(1).strip()
        elif current == table:
            found = re.fullmatch(r"""\s*version\s*=\s*"([^"]+)"\s*(#.*)?""", line)
            if found:
                return found.group(1)
    return None


def _cargo_version() -> str:
    package = (BINDING / "Cargo.toml").read_text(encoding="utf-8")
    version = _toml_version(package, "package")
    if version is None:  # version.workspace = true
        assert re.search(r"(?m)^version\.workspace\s*=\s*true\s*$", package)
        version = _toml_version((ROOT / "Cargo.toml").read_text(encoding="utf-8"),
                                "workspace.package")
    assert version is not None
    return version


def test_cargo_version_parser_agrees_with_a_toml_library() -> None:
    try:
        import tomllib as toml
    except ModuleNotFoundError:  # Python < 3.11
        toml = pytest.importorskip("tomli")
    workspace = toml.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    assert _cargo_version() == workspace["workspace"]["package"]["version"]
    assert _toml_version('[a]\nversion = "1"\n[b]\nversion = "2" # x\n', "b") == "2"
    assert _toml_version('[a]\nversion = "1"\n', "b") is None


def test_version_matches_cargo_toml() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", hooksig.__version__)
    assert hooksig.__version__ == _cargo_version()
    assert importlib.metadata.version("hooksig") == hooksig.__version__


def test_py_typed_is_shipped() -> None:
    package = Path(hooksig.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "__init__.pyi").exists()


@pytest.mark.parametrize("name", ["LICENSE-MIT", "LICENSE-APACHE"])
def test_license_files_are_shipped(name: str) -> None:
    # The copy next to pyproject.toml is the repository's license, unchanged...
    root = (ROOT / name).read_bytes()
    assert (BINDING / name).read_bytes() == root
    # ...and the installed wheel carries it.
    dist = importlib.metadata.distribution("hooksig")
    shipped = [f for f in dist.files or [] if f.name == name and "dist-info" in str(f)]
    assert len(shipped) == 1
    assert shipped[0].read_text(encoding="utf-8").encode("utf-8") == root
    assert name in (dist.metadata.get_all("License-File") or [])
    assert dist.metadata["License-Expression"] == "MIT OR Apache-2.0"


def test_stubs_match_runtime(tmp_path: Path) -> None:
    # Run outside the source tree, against the installed package.
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "hooksig"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_namespace_is_exactly_all() -> None:
    public = {n for n in dir(hooksig) if not n.startswith("_")}
    assert public == {n for n in hooksig.__all__ if not n.startswith("_")}
    for name in hooksig.__all__:
        assert hasattr(hooksig, name)
    assert len(set(hooksig.__all__)) == len(hooksig.__all__)
