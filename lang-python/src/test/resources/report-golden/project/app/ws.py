import time

from fastapi import WebSocket

from app.main import app


@app.websocket("/ws")
async def feed(ws: WebSocket):
    await ws.accept()
    while True:
        msg = await ws.receive_text()
        time.sleep(0.1)
        await ws.send_text(msg)
