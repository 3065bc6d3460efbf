"""Per-operation cost of the runtime detector on an event-loop thread: asyncio callbacks,
non-blocking socket calls, lock acquisitions, files opened off the loop. Prints nanoseconds per
operation, the best of five. Compare

    python3 bench/runtime/micro.py
    PYTHONPATH=lang-python/src/main/resources/runtime/python LOOPGUARD_RUNTIME_EVENTS=/tmp/e.jsonl \
        python3 bench/runtime/micro.py
"""
import asyncio
import os
import socket
import threading
import time

N = 100000


def best(fn):
    return min(fn() for _ in range(5))


def callbacks():
    loop = asyncio.new_event_loop()
    done = loop.create_future()
    left = [N]

    def tick():
        left[0] -= 1
        if left[0]:
            loop.call_soon(tick)
        else:
            done.set_result(None)

    t0 = time.perf_counter()
    loop.call_soon(tick)
    loop.run_until_complete(done)
    seconds = time.perf_counter() - t0
    loop.close()
    return seconds / N * 1e9


def socket_calls():
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    loop = asyncio.new_event_loop()

    async def run():
        t0 = time.perf_counter()
        for _ in range(N):
            a.send(b"x")
            b.recv(1)
        return (time.perf_counter() - t0) / (2 * N) * 1e9

    ns = loop.run_until_complete(run())
    loop.close()
    a.close()
    b.close()
    return ns


def lock_calls():
    lock = threading.Lock()
    loop = asyncio.new_event_loop()

    async def run():
        t0 = time.perf_counter()
        for _ in range(N):
            with lock:
                pass
        return (time.perf_counter() - t0) / N * 1e9

    ns = loop.run_until_complete(run())
    loop.close()
    return ns


def files_off_the_loop():
    t0 = time.perf_counter()
    for _ in range(N // 10):
        with open(os.devnull, "rb") as f:
            f.read(1)
    return (time.perf_counter() - t0) / (N // 10) * 1e9


for name, fn in (("asyncio callback", callbacks), ("non-blocking socket call on the loop", socket_calls),
                 ("uncontended Lock on the loop", lock_calls), ("open+read off the loop", files_off_the_loop)):
    print("%-40s %8.0f ns" % (name, best(fn)))
