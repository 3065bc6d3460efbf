"""Polls a service.

The import of asyncio goes after this docstring and the __future__ import.
"""
from __future__ import annotations
import asyncio

import time
from time import sleep


async def poll(interval: float) -> None:
    await asyncio.sleep(interval)
    await asyncio.sleep(
        interval * 2,  # the arguments are kept as they are written
    )
    while True:
        await asyncio.sleep(0.5)
        break
