# trio code: asyncio's sleep and to_thread would be wrong here, so the file is left alone.
import time

import trio


async def main():
    time.sleep(1)
    await trio.sleep(1)
