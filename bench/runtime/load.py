"""Keep-alive HTTP/1.1 load on loopback: python3 load.py PORT REQUESTS CONNECTIONS -> requests/s."""
import asyncio
import sys
import time


async def session(port, count, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode()
    for _ in range(count):
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
    writer.close()


async def main(port, requests, connections):
    per = requests // connections
    t0 = time.perf_counter()
    await asyncio.gather(*(session(port, per, "/items/%d" % i) for i in range(connections)))
    return per * connections / (time.perf_counter() - t0)


if __name__ == "__main__":
    port, requests, connections = (int(a) for a in sys.argv[1:4])
    print("%.1f" % asyncio.run(main(port, requests, connections)))
