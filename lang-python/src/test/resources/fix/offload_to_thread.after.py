#!/usr/bin/env python3
# An existing import of asyncio is not repeated.
import asyncio
import subprocess

import requests


async def fetch(url: str) -> bytes:
    r = await asyncio.to_thread(requests.get, url, timeout=5)
    await asyncio.to_thread(subprocess.run, ["sync"], check=True)
    return await asyncio.to_thread(requests.post,
        url,
        json={"ok": True},
        timeout=10,
    )


class Client:
    async def download(self, session: requests.Session, url: str) -> None:
        response: requests.Response = await asyncio.to_thread(session.get, url, timeout=3)
        await asyncio.sleep(0)
        print(response)
