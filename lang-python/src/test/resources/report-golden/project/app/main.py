import asyncio

import httpx
import requests
from fastapi import FastAPI

from app.util import backoff, load_report

app = FastAPI()
http = httpx.AsyncClient(timeout=10)


@app.post("/notify")
async def notify(url: str):
    requests.post(url, json={"ok": True})
    backoff(1)


@app.get("/fetch")
async def fetch(url: str):
    resp = await http.get(url)
    return resp.json()


@app.get("/report")
async def report(name: str):
    text = await asyncio.to_thread(load_report, name)
    return {"text": text}


@app.get("/export")
async def export(name: str):
    with open(f"/tmp/{name}.csv") as fh:
        return fh.read()


@app.get("/status")
async def status():
    r = requests.get("https://example.com/health", timeout=5)
    return r.status_code
