"""A canary secret goes through every function and every failure; it must
never appear in output, return values, exception messages, reprs or pickles."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import hooksig

CANARY = "CANARY-7f3e9b1d-s3cr3t"
PARAMS = {"event": "DEPOSIT", "depositId": "dep_7781", "fiatAmount": 10.5}


def exposed(obj: Any) -> list[str]:
    """Every text a caller could log: str, repr, args, attributes, pickle."""
    texts = [str(obj), repr(obj)]
    if isinstance(obj, BaseException):
        texts += [repr(a) for a in obj.args]
        texts += [repr(v) for v in vars(obj).values()]
        texts.append(pickle.dumps(obj).decode("latin-1"))
        texts.append(repr(obj.__cause__) + repr(obj.__context__))
    return texts


def calls() -> list[tuple[str, Any]]:
    good = hooksig.encode_form(PARAMS, CANARY)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    secrets: list[Any] = [CANARY, [CANARY], ["other", CANARY], [CANARY, ""], CANARY + "\udc80"]
    out: list[tuple[str, Any]] = []
    for s in secrets:
        for body in (good, bad, good.encode(), "a=1&a=2", "a=%ZZ", "=x", "a=1", "a=1&hash=xyz",
                     "&" * 1001, b"\xff", 42):
            for fn in (hooksig.verify_form, hooksig.verify_form_detailed, hooksig.explain):
                out.append((f"{fn.__name__}({body!r:.20})", lambda fn=fn, body=body, s=s: fn(body, s)))
        for p in (PARAMS, PARAMS | {"hash": "0" * 32}, {"a": 2**70}, {"": "x"}, [("a", "1")] * 2):
            for fn2 in (hooksig.sign, hooksig.encode_form, hooksig.verify):
                out.append((f"{fn2.__name__}", lambda fn2=fn2, p=p, s=s: fn2(p, s)))
    return out


def test_canary_never_leaks(capfd: pytest.CaptureFixture[str]) -> None:
    seen = 0
    for name, call in calls():
        try:
            result = call()
        except hooksig.SignatureError as e:
            texts = exposed(e)
        else:
            texts = exposed(result)
            if isinstance(result, hooksig.Verified):
                texts += exposed(result.params)
        seen += 1
        for text in texts:
            assert CANARY not in text, name
            assert CANARY[7:] not in text, name
    out, err = capfd.readouterr()
    assert CANARY not in out and CANARY not in err
    assert seen >= 240


def test_canary_is_really_used() -> None:
    # The canary does sign: verification with it succeeds, with another fails.
    body = hooksig.encode_form(PARAMS, CANARY)
    assert hooksig.verify_form(body, CANARY) == {"depositId": "dep_7781", "event": "DEPOSIT",
                                                 "fiatAmount": "10.5"}
    with pytest.raises(hooksig.InvalidSignature):
        hooksig.verify_form(body, CANARY + "x")
