#!/usr/bin/env python3
"""hooksig's Python binding against the naive pure-Python code a user would write.

Prints ns per call and the ratio naive / hooksig (above 1: hooksig is faster)
for `sign` and `verify_form` on the shared payloads (benches/payloads.json,
also read by the Rust and JS benches). Targets on the typical deposit:
verify_form >= 4x, sign >= 2x; neither slower than naive on any payload.

    python benches/python/bench.py            # full run (about a minute)
    python benches/python/bench.py --smoke    # one call each, checks results (used by the test suite)

The naive code is exactly the issue's: `sorted()` by code point (not
localeCompare, so it disagrees with the reference on mixed-case keys) and
`parse_qsl` (which silently joins nothing and keeps the last duplicate).
It is a speed baseline, not a correct implementation.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import timeit
import urllib.parse
from pathlib import Path
from typing import Any, Callable

import hooksig

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads.json"
REQUIRED = ("deposit", "camel64", "value64k")
TARGETS = {("deposit", "verify_form"): 4.0, ("deposit", "sign"): 2.0}


def naive_sign(params: dict[str, Any], secret: str) -> str:
    canonical = "&".join(
        f"{k}={v}"
        for k, v in sorted(params.items())
        if k != "hash" and v is not None and v not in ("null", "undefined") and str(v) != ""
    )
    return hashlib.md5((canonical + secret).encode()).hexdigest()


def naive_verify_form(body: bytes, secret: str) -> dict[str, str] | None:
    """The fields, or None when the signature does not match (where the naive
    key order differs from the reference's, even valid bodies fail)."""
    params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
    received = params.pop("hash", "")
    if not hmac.compare_digest(naive_sign(params, secret), received):
        return None
    return params


def value(v: Any) -> Any:
    """A payload value; {"repeat": TEXT, "count": N} is TEXT repeated N times."""
    if isinstance(v, dict):
        return v["repeat"] * v["count"]
    return v


def load() -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    doc = json.loads(PAYLOADS.read_text(encoding="utf-8"))
    payloads = [(p["name"], {k: value(v) for k, v in p["params"]}) for p in doc["payloads"]]
    return doc["secret"], payloads


def calls_for(fn: Callable[[], Any], seconds: float) -> int:
    """How many calls of `fn` take about `seconds`."""
    number = 1
    while True:
        elapsed = timeit.timeit(fn, number=number)
        if elapsed >= seconds / 10:
            return max(1, int(number * seconds / elapsed))
        number *= 10


def compare(ours: Callable[[], Any], naive: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Best ns per call of each. The two are timed in alternation, round
    after round, so that a noisy neighbour slows both rather than one."""
    n_ours, n_naive = calls_for(ours, 0.05), calls_for(naive, 0.05)
    best_ours = best_naive = float("inf")
    for _ in range(rounds):
        best_ours = min(best_ours, timeit.timeit(ours, number=n_ours) / n_ours)
        best_naive = min(best_naive, timeit.timeit(naive, number=n_naive) / n_naive)
    return best_ours * 1e9, best_naive * 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one call each; check results; no timing")
    parser.add_argument("--rounds", type=int, default=20, help="alternating timing rounds (best is kept)")
    parser.add_argument("--only", nargs="*", help="payload names (default: all)")
    args = parser.parse_args()

    secret, payloads = load()
    names = [n for n, _ in payloads]
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        print(f"payloads.json lacks {missing}", file=sys.stderr)
        return 1
    print(f"hooksig {hooksig.__version__}, Python {sys.version.split()[0]}; ratio = naive / hooksig")
    print(f"{'payload':<12} {'operation':<12} {'hooksig ns':>12} {'naive ns':>12} {'ratio':>8}")
    missed = []
    for name, params in payloads:
        if args.only and name not in args.only:
            continue
        body = hooksig.encode_form(params, secret).encode()
        # The reference receiver stops at 1000 segments; raise the limit
        # only for payloads that need it, so the others use the default path.
        segments = body.count(b"&") + 1
        if segments > 1000:
            verify: Callable[[], Any] = lambda: hooksig.verify_form(body, secret, max_params=segments)
        else:
            verify = lambda: hooksig.verify_form(body, secret)
        cases = [
            ("sign", lambda: hooksig.sign(params, secret), lambda: naive_sign(params, secret)),
            ("verify_form", verify, lambda: naive_verify_form(body, secret)),
        ]
        for op, ours, naive in cases:
            if args.smoke:
                got, base = ours(), naive()
                if name == "deposit":
                    # On the typical payload the naive code is right: same answer.
                    expected = base if op == "sign" else {k: str(v) for k, v in (base or {}).items()}
                    assert got == expected, (name, op, got, base)
                print(f"{name:<12} {op:<12} {'ok':>12} {'ok':>12}")
                continue
            t_ours, t_naive = compare(ours, naive, args.rounds)
            ratio = t_naive / t_ours
            flag = ""
            target = TARGETS.get((name, op), 1.0)
            if ratio < target:
                flag = f"  < target {target:g}x"
                missed.append((name, op))
            print(f"{name:<12} {op:<12} {t_ours:>12.0f} {t_naive:>12.0f} {ratio:>7.2f}x{flag}")
    if missed:
        print(f"targets missed: {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
