"""State of the detector: which threads run an event loop, the events, the lag histogram."""
import atexit
import json
import os
import sys
import threading
import time
from _thread import get_ident

_perf = time.perf_counter
_HERE = os.path.dirname(os.path.abspath(__file__))
# The one detector of this process (a list so that install() can set it without `global`).
CURRENT = [None]

# Files whose frames are the event loop's own machinery: a stack stops at the first of them.
_LOOP_FILES = tuple(os.path.join(*p) for p in (
    ("asyncio", "events.py"), ("asyncio", "base_events.py"), ("asyncio", "runners.py"),
    ("trio", "_core", "_run.py"), ("uvloop", "__init__.py")))

LAG_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_PROBE_INTERVAL = 0.1
METRICS_EVERY = 2.0


class Histogram(object):
    """A Prometheus histogram with fixed buckets."""

    def __init__(self):
        self.counts = [0] * (len(LAG_BUCKETS) + 1)
        self.total = 0.0
        self.n = 0

    def observe(self, value):
        i = 0
        for bound in LAG_BUCKETS:
            if value <= bound:
                break
            i += 1
        self.counts[i] += 1
        self.total += value
        self.n += 1


class Detector(object):
    def __init__(self, events, metrics, threshold_ms, parent_pid):
        self.events_path = events
        self.metrics_path = metrics
        self.threshold = max(0.0, threshold_ms) / 1000.0
        # A callback counts as slow from the threshold on, or from asyncio's own default.
        self.slow_callback = self.threshold if self.threshold > 0 else 0.1
        self.parent_pid = parent_pid
        self.loop_threads = {}  # thread id -> [loop kind, depth]
        self.busy = set()  # thread ids inside a recorded operation (nested ones are not recorded)
        self.lag = {}  # loop kind -> Histogram
        self.calls = {}  # api -> [count, seconds]
        self.listeners = []
        self.stop_codes = set()
        self.pid = os.getpid()
        self._fd = None
        self._fd_pid = None
        self._metrics_thread = None
        self._metrics_version = 0
        self._metrics_written = -1

    # -- loops ------------------------------------------------------------------------------

    def enter_loop(self, kind):
        tid = get_ident()
        state = self.loop_threads.get(tid)
        if state is None:
            self.loop_threads[tid] = [kind, 1]
        else:
            state[1] += 1
        self._start_metrics_thread()

    def exit_loop(self):
        tid = get_ident()
        state = self.loop_threads.get(tid)
        if state is not None:
            state[1] -= 1
            if state[1] <= 0:
                del self.loop_threads[tid]

    def on_loop(self):
        """Whether the calling thread is running an event loop and not inside a recorded call."""
        tid = get_ident()
        return tid in self.loop_threads and tid not in self.busy

    def observe_lag(self, kind, seconds):
        h = self.lag.get(kind)
        if h is None:
            h = self.lag[kind] = Histogram()
        h.observe(seconds if seconds > 0 else 0.0)
        self._metrics_version += 1

    # -- events -----------------------------------------------------------------------------

    def stack(self):
        """Frames from the loop's callback to the caller of the primitive, outermost first."""
        frames = []
        f = sys._getframe(1)
        stop = self.stop_codes
        while f is not None:
            code = f.f_code
            if code in stop:
                break
            name = code.co_filename
            if name.endswith(_LOOP_FILES):
                break
            if not name.startswith(_HERE):
                frames.append({"file": name, "line": f.f_lineno,
                               "function": getattr(code, "co_qualname", code.co_name)})
            f = f.f_back
        frames.reverse()
        return frames

    def blocking(self, api, seconds, via=None, detail=None):
        """Records a blocking operation that took `seconds` (None: unknown) on this loop thread."""
        if seconds is not None and seconds < self.threshold:
            return
        try:
            self._blocking(api, seconds, via, detail)
        except Exception as e:  # never break the program: say so once
            self._failed(e)

    def _failed(self, error):
        if not getattr(self, "_said_failed", False):
            self._said_failed = True
            try:
                os.write(2, ("loopguard: cannot record an event: %r\n" % (error,)).encode())
            except OSError:
                pass

    def _blocking(self, api, seconds, via, detail):
        c = self.calls.get(api)
        if c is None:
            c = self.calls[api] = [0, 0.0]
        c[0] += 1
        c[1] += seconds or 0.0
        self._metrics_version += 1
        event = {"kind": "blocking", "api": api,
                 "duration": None if seconds is None else round(seconds, 6)}
        if via:
            event["via"] = via
        if detail:
            event["detail"] = detail
        self.emit(event, self.stack())

    def slow_callback_seen(self, description, seconds, frames):
        try:
            self.emit({"kind": "slow-callback", "callback": description,
                       "duration": round(seconds, 6)}, frames)
        except Exception as e:
            self._failed(e)

    def forked(self):
        """In a child made by fork(): no thread of it runs a loop yet; its events are its own."""
        self.loop_threads.clear()
        self.busy.clear()
        self.lag.clear()
        self.calls.clear()
        self._metrics_thread = None

    def emit(self, event, frames):
        tid = get_ident()
        state = self.loop_threads.get(tid)
        event["loop"] = state[0] if state else None
        event["thread"] = threading.current_thread().name
        event["pid"] = os.getpid()
        event["time"] = round(time.time(), 6)
        event["stack"] = frames
        for listener in list(self.listeners):
            try:
                listener(event)
            except Exception:
                pass
        self._write(json.dumps(event, separators=(",", ":"), default=str) + "\n")

    def _write(self, line):
        # One write() of one line on a file opened for appending: lines of several processes
        # never interleave. Nothing goes to the program's own streams.
        pid = os.getpid()
        if self._fd is None or self._fd_pid != pid:
            self._fd = os.open(self.events_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._fd_pid = pid
        os.write(self._fd, line.encode("utf-8", "replace"))

    def process_started(self):
        self._write(json.dumps({
            "kind": "process", "pid": os.getpid(), "ppid": os.getppid(),
            "python": "%d.%d.%d" % sys.version_info[:3], "argv": list(sys.argv),
            "threshold": self.threshold, "time": round(time.time(), 6)}) + "\n")

    # -- metrics ----------------------------------------------------------------------------

    def metrics_file(self):
        if not self.metrics_path:
            return None
        if self.parent_pid and str(os.getppid()) != self.parent_pid:
            return "%s.%d" % (self.metrics_path, os.getpid())
        return self.metrics_path

    def metrics_text(self):
        out = ["# HELP event_loop_lag_seconds How late a probe callback ran behind its schedule "
               "on each event loop.", "# TYPE event_loop_lag_seconds histogram"]
        for kind in sorted(self.lag):
            h = self.lag[kind]
            running = 0
            for bound, count in zip(LAG_BUCKETS + (None,), h.counts):
                running += count
                le = "+Inf" if bound is None else repr(bound)
                out.append('event_loop_lag_seconds_bucket{loop="%s",le="%s"} %d' % (kind, le, running))
            out.append('event_loop_lag_seconds_sum{loop="%s"} %.6f' % (kind, h.total))
            out.append('event_loop_lag_seconds_count{loop="%s"} %d' % (kind, h.n))
        out.append("# HELP loopguard_blocking_calls_total Blocking operations recorded on event-loop threads.")
        out.append("# TYPE loopguard_blocking_calls_total counter")
        for api in sorted(self.calls):
            out.append('loopguard_blocking_calls_total{api="%s"} %d' % (_label(api), self.calls[api][0]))
        out.append("# HELP loopguard_blocking_seconds_total Time spent in blocking operations on event-loop threads.")
        out.append("# TYPE loopguard_blocking_seconds_total counter")
        for api in sorted(self.calls):
            out.append('loopguard_blocking_seconds_total{api="%s"} %.6f' % (_label(api), self.calls[api][1]))
        return "\n".join(out) + "\n"

    def write_metrics(self, force=False):
        path = self.metrics_file()
        if path is None:
            return
        version = self._metrics_version
        if not force and version == self._metrics_written:
            return
        self._metrics_written = version
        tmp = "%s.tmp%d" % (path, os.getpid())
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, self.metrics_text().encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(tmp, path)

    def _start_metrics_thread(self):
        if not self.metrics_path or (self._metrics_thread is not None and self._metrics_thread.is_alive()):
            return
        t = threading.Thread(target=self._metrics_loop, name="loopguard-metrics", daemon=True)
        self._metrics_thread = t
        t.start()

    def _metrics_loop(self):
        while True:
            time.sleep(METRICS_EVERY)
            try:
                self.write_metrics()
            except Exception:  # a dictionary resized by a loop thread meanwhile, a full disk
                pass

    def at_exit(self):
        try:
            self.write_metrics(force=True)
        except OSError:
            pass


def _label(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def install():
    if CURRENT[0] is not None:
        return CURRENT[0]
    env = os.environ
    try:
        threshold = float(env.get("LOOPGUARD_RUNTIME_THRESHOLD_MS") or 0)
    except ValueError:
        threshold = 0.0
    d = Detector(env["LOOPGUARD_RUNTIME_EVENTS"], env.get("LOOPGUARD_RUNTIME_METRICS") or None,
                 threshold, env.get("LOOPGUARD_RUNTIME_PARENT_PID"))
    CURRENT[0] = d
    d.process_started()
    from loopguard_runtime import patches
    patches.install(d)
    atexit.register(d.at_exit)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=d.forked)
    return d
