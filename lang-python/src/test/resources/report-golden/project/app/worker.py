import asyncio
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import billing_sdk

pool = ThreadPoolExecutor()


async def nightly():
    subprocess.run(["backup", "--all"])
    billing_sdk.Client().charge(10)
    future = pool.submit(sum, [1, 2])
    future.result()
    time.sleep(1)  # loopguard: ignore[perf-004] runs once a night, off peak
    time.sleep(2)  # noqa: ASYNC251


async def warm_up():  # loopguard: ignore[perf-004] startup only, before traffic
    time.sleep(5)


def schedule(loop):
    loop.create_task(nightly())
    loop.create_task(warm_up())
    retries = 3  # loopguard: ignore[perf-004] stale: nothing blocks here
    return retries
