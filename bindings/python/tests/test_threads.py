"""Threads: the GIL is released while large bodies are hashed, and every
function gives the same answers when called from many threads at once."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import hooksig
from conftest import load, pairs


@contextmanager
def counter_thread() -> Iterator[Callable[[], int]]:
    """A thread that counts while it can run.

    It yields the GIL voluntarily after each step (``time.sleep``), and the
    switch interval is set so long that the interpreter never forces a switch.
    So while the main thread holds the GIL, the count cannot move at all; it
    moves only when the main thread lets go of the GIL.
    """
    count = 0
    stop = False
    started = threading.Event()

    def run() -> None:
        nonlocal count
        started.set()
        while not stop:
            count += 1
            time.sleep(0.00005)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    thread = threading.Thread(target=run, daemon=True)
    try:
        thread.start()
        started.wait()
        yield lambda: count
    finally:
        stop = True
        thread.join()
        sys.setswitchinterval(interval)


def advance_during(read: Callable[[], int], call: Callable[[], Any]) -> int:
    before = read()
    call()
    return read() - before


def test_gil_is_released_while_verifying_a_64_mib_body() -> None:
    body = hooksig.encode_form({"event": "DEPOSIT", "blob": "x" * (64 << 20)}, "s").encode()
    small = hooksig.encode_form({"event": "DEPOSIT", "blob": "x" * 60_000}, "s").encode()
    with counter_thread() as read:
        # Control: below 64 KiB the GIL is held, so the counter cannot move
        # even over many calls; this proves the method can tell.
        held = advance_during(read, lambda: [hooksig.verify_form(small, "s") for _ in range(200)])
        released = advance_during(read, lambda: hooksig.verify_form(body, "s"))
    assert held == 0
    assert released > 0


def test_gil_is_released_while_signing_large_params() -> None:
    params = {"event": "DEPOSIT", "blob": "x" * (64 << 20)}
    with counter_thread() as read:
        released = advance_during(read, lambda: hooksig.sign(params, "s"))
    assert released > 0


def test_many_threads_agree_with_the_vectors() -> None:
    params = load("params.json")
    bodies = load("bodies.json")

    def params_job(v: dict[str, Any]) -> bool:
        return (hooksig.sign(pairs(v), v["secret"]) == v["hash"]
                and hooksig.canonical(pairs(v)) == v["canonical"])

    def body_job(v: dict[str, Any]) -> str:
        try:
            hooksig.verify_form(v["body"].encode(), v["secret"])
            return "accept"
        except hooksig.SignatureError as e:
            return "reject:" + e.kind

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            assert all(pool.map(params_job, params))
            assert list(pool.map(body_job, bodies)) == [v["expected"] for v in bodies]


def test_many_threads_with_fresh_keys() -> None:
    """Threads sharing the key cache, each with its own fresh keys."""

    def job(t: int) -> bool:
        for i in range(400):
            key = f"t{t}-k{i}"
            want = hashlib.md5(f"{key}=1s".encode()).hexdigest()
            if hooksig.sign({key: "1"}, "s") != want or hooksig.sign([(key, 1)], "s") != want:
                return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(job, range(16)))
