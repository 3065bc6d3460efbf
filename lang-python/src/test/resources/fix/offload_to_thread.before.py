#!/usr/bin/env python3
# An existing import of asyncio is not repeated.
import asyncio
import subprocess

import requests


async def fetch(url: str) -> bytes:
    r = requests.get(url, timeout=5)
    subprocess.run(["sync"], check=True)
    return requests.post(
        url,
        json={"ok": True},
        timeout=10,
    )


class Client:
    async def download(self, session: requests.Session, url: str) -> None:
        response: requests.Response = session.get(url, timeout=3)
        await asyncio.sleep(0)
        print(response)
