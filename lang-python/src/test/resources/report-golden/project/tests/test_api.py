import time

from app.main import notify


async def test_notify():
    time.sleep(0.5)
    await notify("http://localhost")
