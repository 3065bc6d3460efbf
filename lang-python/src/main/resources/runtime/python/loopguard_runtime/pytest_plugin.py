"""pytest plugin of `loopguard runtime`: a test whose event loop blocked fails.

Activated through PYTEST_PLUGINS by `loopguard runtime -- pytest ...`. Every blocking operation
recorded on an event loop while a test's setup, call or teardown runs (taking at least the
threshold) fails that phase, naming the call, its duration and the line.
"""
import os

import pytest

from loopguard_runtime import detector as _detector


class _Collector(object):
    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)

    def take(self):
        out, self.events = self.events, []
        return out


_COLLECTOR = _Collector()


def pytest_configure(config):
    d = _detector.CURRENT[0]
    if d is not None and _COLLECTOR not in d.listeners:
        d.listeners.append(_COLLECTOR)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _COLLECTOR.take()
    yield
    _COLLECTOR.take()


def _where(frame, root):
    path = frame.get("file") or "?"
    try:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            path = rel
    except ValueError:
        pass
    return "%s:%s in %s" % (path, frame.get("line"), frame.get("function"))


def describe(event, root):
    """One sentence: what blocked the loop, for how long, and where."""
    stack = event.get("stack") or []
    seconds = event.get("duration")
    took = "for %.3f s" % seconds if seconds is not None else "(duration unknown)"
    if event.get("kind") == "slow-callback":
        what = "a callback ran %s without yielding" % took
    else:
        what = "%s blocked the %s event loop %s" % (event.get("api"), event.get("loop") or "", took)
        what = what.replace("the  event", "the event")
    if not stack:
        return what + "."
    text = what + " at " + _where(stack[-1], root)
    if len(stack) > 1:
        text += ", called from " + ", from ".join(_where(f, root) for f in reversed(stack[:-1]))
    return text + "."


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    events = _COLLECTOR.take()
    blocking = [e for e in events if e.get("kind") == "blocking"]
    chosen = blocking or events
    if not chosen or getattr(report, "wasxfail", None) is not None:
        return
    root = str(item.config.rootpath) if hasattr(item.config, "rootpath") else str(item.config.rootdir)
    lines = ["loopguard: the event loop blocked during %s:" % report.when]
    lines += ["  " + describe(e, root) for e in chosen[:20]]
    if len(chosen) > 20:
        lines.append("  ... and %d more" % (len(chosen) - 20))
    text = "\n".join(lines)
    if report.outcome == "failed":
        report.sections.append(("loopguard", text))
    else:
        report.outcome = "failed"
        report.longrepr = text
