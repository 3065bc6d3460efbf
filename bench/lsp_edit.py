#!/usr/bin/env python3
"""Time of a one-file edit in `loopguard lsp` on a generated project.

Generates FILES Python modules (packages of 50, each module with sync helpers, async handlers
that call helpers of other modules, and imports), starts `java -jar JAR lsp` in it, opens one
module, and then alternately adds and removes a `time.sleep` in a helper of that module
(unsaved edits). Each edit changes the published diagnostics, so the time from sending
didChange to receiving publishDiagnostics is one re-analysis of the project as the editor holds
it. Prints the cold (first) analysis and the warm edits' median, p90 and max.

    bench/lsp_edit.py [JAR] [FILES] [EDITS]     # defaults: cli/target/loopguard.jar 1000 20
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
jar = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "cli", "target", "loopguard.jar"))
files = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20


def generate(root, n):
    rnd = random.Random(1)
    per = 50
    for i in range(n):
        pkg = "pkg%d" % (i // per)
        os.makedirs(os.path.join(root, pkg), exist_ok=True)
        init = os.path.join(root, pkg, "__init__.py")
        if not os.path.exists(init):
            open(init, "w").close()
        others = [rnd.randrange(n) for _ in range(3)]
        lines = ["import json", "import os"]
        for o in others:
            lines.append("from pkg%d.mod%d import helper%d_0" % (o // per, o, o))
        lines.append("")
        for h in range(4):
            lines += ["", "def helper%d_%d(x):" % (i, h), "    y = json.dumps({'x': x})",
                      "    return os.path.join(y, str(x))"]
        for a in range(3):
            o = others[a]
            lines += ["", "async def handler%d_%d(x):" % (i, a), "    v = helper%d_0(x)" % o,
                      "    w = helper%d_%d(v)" % (i, a), "    return w"]
        with open(os.path.join(root, pkg, "mod%d.py" % i), "w") as f:
            f.write("\n".join(lines) + "\n")


def send(p, msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def receive(p):
    length = None
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("lsp_edit.py: the server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def await_diagnostics(p, uri):
    while True:
        m = receive(p)
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return m["params"]["diagnostics"]


def main():
    work = tempfile.mkdtemp(prefix="lg-lsp-bench-")
    try:
        generate(work, files)
        target = os.path.join(work, "pkg0", "mod0.py")
        text = open(target).read()
        blocking = text.replace("    y = json.dumps({'x': x})", "    import time\n    time.sleep(1)\n    y = json.dumps({'x': x})", 1)
        uri = "file://" + target
        p = subprocess.Popen(["java", "-jar", jar, "lsp"], cwd=work, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=open(os.environ.get("LG_LSP_LOG", os.devnull), "w"))
        send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "rootUri": "file://" + work, "capabilities": {}}})
        while receive(p).get("id") != 1:
            pass
        send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        t0 = time.perf_counter()
        send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}}})
        await_diagnostics(p, uri)
        cold = time.perf_counter() - t0
        times = []
        for v in range(edits):
            t = blocking if v % 2 == 0 else text
            t0 = time.perf_counter()
            send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": v + 2}, "contentChanges": [{"text": t}]}})
            ds = await_diagnostics(p, uri)
            times.append(time.perf_counter() - t0)
            want = (v % 2 == 0)
            if bool(ds) != want:
                raise SystemExit("lsp_edit.py: edit %d: expected %s diagnostics, got %s" % (v, "some" if want else "no", ds))
        send(p, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        while receive(p).get("id") != 2:
            pass
        send(p, {"jsonrpc": "2.0", "method": "exit"})
        p.wait(timeout=30)
        warm = sorted(times[2:]) or sorted(times)
        print("files=%d cold_open_ms=%.0f warm_edit_ms median=%.0f p90=%.0f max=%.0f (edits=%d, first two left out)" % (
            files, cold * 1000, statistics.median(warm) * 1000, warm[int(0.9 * (len(warm) - 1))] * 1000,
            warm[-1] * 1000, len(warm)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
