"""The service of the runtime-overhead benchmark: a FastAPI handler that awaits and returns JSON."""
import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int):
    await asyncio.sleep(0)
    return {"item_id": item_id, "name": "item %d" % item_id}
