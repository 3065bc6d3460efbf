"""Polls a service.

The import of asyncio goes after this docstring and the __future__ import.
"""
from __future__ import annotations

import time
from time import sleep


async def poll(interval: float) -> None:
    time.sleep(interval)
    sleep(
        interval * 2,  # the arguments are kept as they are written
    )
    while True:
        time.sleep(0.5)
        break
