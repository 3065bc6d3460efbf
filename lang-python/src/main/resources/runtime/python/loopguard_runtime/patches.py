"""Wrappers around blocking primitives and event loops.

A wrapper costs a dictionary lookup on threads that run no event loop. On a thread that runs one
it times the call and records it (with its stack) through the detector; calls made inside a
recorded call (os.walk's scandir, an import's file reads) are not recorded again.
"""
import builtins
import functools
import io
import os
import sys
import time
from _thread import allocate_lock, get_ident

_perf = time.perf_counter
_D = [None]  # the detector

# Modules patched when they are first imported (or at once when they already are).
_AFTER_IMPORT = {}


def install(detector):
    _D[0] = detector
    _patch_builtins()
    _patch_os()
    _patch_time()
    _patch_imports()
    for name, patch in (("socket", _patch_socket), ("ssl", _patch_ssl),
                        ("subprocess", _patch_subprocess), ("threading", _patch_threading),
                        ("concurrent.futures._base", _patch_futures), ("pathlib", _patch_pathlib),
                        ("shutil", _patch_shutil),
                        ("asyncio.base_events", _patch_asyncio), ("asyncio.events", _patch_handles),
                        ("uvloop", _patch_uvloop), ("trio", _patch_trio)):
        _after_import(name, patch)
    sys.meta_path.insert(0, _PostImportFinder())
    if hasattr(sys, "addaudithook"):
        sys.addaudithook(_audit)


# -- generic wrapper --------------------------------------------------------------------------


def _timed(orig, api, when=None, describe=None):
    """A wrapper of `orig` that records calls made on a loop thread (when `when(args)` holds)."""
    d = _D[0]
    loops = d.loop_threads
    busy = d.busy

    def wrapper(*args, **kwargs):
        tid = get_ident()
        if tid not in loops or tid in busy:
            return orig(*args, **kwargs)
        try:
            wanted = when is None or when(args, kwargs)
        except Exception:
            wanted = False
        if not wanted:
            return orig(*args, **kwargs)
        busy.add(tid)
        t0 = _perf()
        try:
            return orig(*args, **kwargs)
        finally:
            seconds = _perf() - t0
            busy.discard(tid)
            detail = None
            if describe is not None:
                try:
                    detail = describe(args, kwargs)
                except Exception:
                    detail = None
            d.blocking(api, seconds, detail=detail)

    try:
        functools.update_wrapper(wrapper, orig)
    except (AttributeError, TypeError):
        pass
    wrapper.__loopguard__ = True
    return wrapper


def _wrap(owner, name, api, when=None, describe=None):
    orig = getattr(owner, name, None)
    if orig is None or getattr(orig, "__loopguard__", False):
        return
    try:
        setattr(owner, name, _timed(orig, api, when, describe))
    except (AttributeError, TypeError):
        pass


def _first_arg(args, kwargs):
    return repr(args[0])[:200] if args else None


def _self_arg(args, kwargs):
    return repr(args[1])[:200] if len(args) > 1 else None


# -- files, os, time, imports -----------------------------------------------------------------


class _LoopFile(object):
    """A file opened on a loop thread: its reads and writes there are recorded too."""

    __slots__ = ("_f", "__weakref__")

    def __init__(self, f):
        object.__setattr__(self, "_f", f)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __setattr__(self, name, value):
        setattr(self._f, name, value)

    def __enter__(self):
        self._f.__enter__()
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)

    def __iter__(self):
        return _timed_lines(self._f)

    def __repr__(self):
        return repr(self._f)

    def _op(self, name, api_name=None):
        method = getattr(self._f, name)
        kind = type(self._f)
        api = "io.%s.%s" % (kind.__name__, api_name or name)
        return _timed(method, api)

    def read(self, *a):
        return self._op("read")(*a)

    def readline(self, *a):
        return self._op("readline")(*a)

    def readlines(self, *a):
        return self._op("readlines")(*a)

    def readinto(self, *a):
        return self._op("readinto")(*a)

    def write(self, *a):
        return self._op("write")(*a)

    def writelines(self, *a):
        return self._op("writelines")(*a)

    def flush(self):
        return self._op("flush")()

    def __next__(self):
        line = self._op("readline", "__next__")()
        if not line:
            raise StopIteration
        return line


def _timed_lines(f):
    """The lines of f; the time spent reading them is recorded once, when the iteration ends."""
    d = _D[0]
    it = iter(f)
    total = 0.0
    try:
        while True:
            t0 = _perf()
            try:
                line = next(it)
            except StopIteration:
                total += _perf() - t0
                return
            total += _perf() - t0
            yield line
    finally:
        if d.on_loop():
            d.blocking("io.%s.__iter__" % type(f).__name__, total)


def _patch_builtins():
    d = _D[0]
    orig_open = builtins.open
    timed_open = _timed(orig_open, "builtins.open", describe=_first_arg)
    loops = d.loop_threads
    busy = d.busy

    def open(*args, **kwargs):  # noqa: A001  the builtin's name, for tracebacks
        tid = get_ident()
        if tid not in loops or tid in busy:
            return orig_open(*args, **kwargs)
        return _LoopFile(timed_open(*args, **kwargs))

    functools.update_wrapper(open, orig_open)
    open.__loopguard__ = True
    builtins.open = open
    if io.open is orig_open:
        io.open = open


def _patch_os():
    for name in ("stat", "lstat", "listdir", "scandir", "walk", "open", "remove", "unlink",
                 "rename", "replace", "mkdir", "makedirs", "rmdir", "system", "popen"):
        _wrap(os, name, "os." + name, describe=_first_arg)


def _patch_time():
    _wrap(time, "sleep", "time.sleep", describe=_first_arg)


def _patch_imports():
    bootstrap = sys.modules.get("_frozen_importlib")
    if bootstrap is None:
        return
    orig = bootstrap._find_and_load
    if getattr(orig, "__loopguard__", False):
        return
    # Called only for modules not in sys.modules yet: an import that reads and runs files.
    bootstrap._find_and_load = _timed(orig, "import", describe=_first_arg)


# -- sockets, TLS, processes, threads, futures, paths -----------------------------------------


def _blocking_socket(args, kwargs):
    return args[0].gettimeout() != 0.0


def _patch_socket(mod):
    cls = mod.socket
    for name in ("connect", "connect_ex", "accept", "send", "sendall", "sendto", "sendfile",
                 "recv", "recv_into", "recvfrom", "recvfrom_into"):
        _wrap(cls, name, "socket.socket." + name, when=_blocking_socket)
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                 "create_connection"):
        _wrap(mod, name, "socket." + name, describe=_first_arg)


def _patch_ssl(mod):
    _wrap(mod.SSLSocket, "do_handshake", "ssl.SSLSocket.do_handshake", when=_blocking_socket)
    for name in ("load_verify_locations", "load_cert_chain", "load_default_certs",
                 "set_default_verify_paths"):
        _wrap(mod.SSLContext, name, "ssl.SSLContext." + name)


def _patch_subprocess(mod):
    for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput"):
        _wrap(mod, name, "subprocess." + name, describe=_first_arg)
    _wrap(mod.Popen, "__init__", "subprocess.Popen", describe=_self_arg)
    _wrap(mod.Popen, "wait", "subprocess.Popen.wait")
    _wrap(mod.Popen, "communicate", "subprocess.Popen.communicate")


def _alive(args, kwargs):
    return args[0].is_alive()


def _patch_threading(mod):
    _wrap(mod.Thread, "join", "threading.Thread.join", when=_alive)
    if not getattr(mod.Lock, "__loopguard__", False):
        d = _D[0]

        class Lock(object):
            """threading.Lock, timed when an acquisition on a loop thread has to wait."""

            __slots__ = ("_lock", "__weakref__")
            __loopguard__ = True

            def __init__(self):
                self._lock = allocate_lock()

            def acquire(self, blocking=True, timeout=-1):
                lock = self._lock
                if lock.acquire(False):
                    return True
                if not blocking:
                    return False
                tid = get_ident()
                if tid not in d.loop_threads or tid in d.busy:
                    return lock.acquire(blocking, timeout)
                d.busy.add(tid)
                t0 = _perf()
                try:
                    return lock.acquire(blocking, timeout)
                finally:
                    d.busy.discard(tid)
                    d.blocking("threading.Lock.acquire", _perf() - t0)

            def release(self):
                self._lock.release()

            def locked(self):
                return self._lock.locked()

            def __enter__(self):
                return self.acquire()

            def __exit__(self, *exc):
                self._lock.release()

            def _at_fork_reinit(self):
                self._lock = allocate_lock()

            def __repr__(self):
                return "<%s loopguard-timed lock>" % ("locked" if self.locked() else "unlocked")

        mod.Lock = Lock


def _not_done(args, kwargs):
    return not args[0].done()


def _patch_futures(mod):
    _wrap(mod.Future, "result", "concurrent.futures.Future.result", when=_not_done)
    _wrap(mod.Future, "exception", "concurrent.futures.Future.exception", when=_not_done)


def _patch_pathlib(mod):
    for name in ("read_text", "read_bytes", "write_text", "write_bytes"):
        _wrap(mod.Path, name, "pathlib.Path." + name)


def _patch_shutil(mod):
    for name in ("copyfile", "copy", "copy2", "copytree", "rmtree", "move", "make_archive",
                 "unpack_archive", "disk_usage", "which"):
        _wrap(mod, name, "shutil." + name, describe=_first_arg)


# -- event loops ------------------------------------------------------------------------------


def _loop_runner(orig, kind):
    d = _D[0]

    def run_forever(self, *args, **kwargs):
        d.enter_loop(kind)
        probe = _AsyncioLagProbe(self, kind)
        try:
            probe.start()
            return orig(self, *args, **kwargs)
        finally:
            probe.stop()
            d.exit_loop()

    functools.update_wrapper(run_forever, orig)
    run_forever.__loopguard__ = True
    d.stop_codes.add(run_forever.__code__)
    return run_forever


class _AsyncioLagProbe(object):
    """A callback that reschedules itself and measures how late it runs."""

    def __init__(self, loop, kind):
        self.loop = loop
        self.kind = kind
        self.due = None
        self.handle = None

    def start(self):
        self.due = _perf()
        self.handle = self.loop.call_soon(self.tick)

    def tick(self):
        now = _perf()
        _D[0].observe_lag(self.kind, now - self.due)
        self.due = now + _LAG_INTERVAL
        self.handle = self.loop.call_later(_LAG_INTERVAL, self.tick)

    def stop(self):
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None


from loopguard_runtime.detector import LAG_PROBE_INTERVAL as _LAG_INTERVAL  # noqa: E402


def _patch_asyncio(mod):
    cls = mod.BaseEventLoop
    if not getattr(cls.run_forever, "__loopguard__", False):
        cls.run_forever = _loop_runner(cls.run_forever, "asyncio")


def _patch_uvloop(mod):
    cls = getattr(mod, "Loop", None)
    if cls is not None and not getattr(cls.run_forever, "__loopguard__", False):
        try:
            cls.run_forever = _loop_runner(cls.run_forever, "uvloop")
        except (AttributeError, TypeError):
            pass


def _patch_handles(mod):
    d = _D[0]
    cls = mod.Handle
    orig = cls._run
    if getattr(orig, "__loopguard__", False):
        return
    d.stop_codes.add(orig.__code__)

    def _run(self):
        t0 = _perf()
        try:
            return orig(self)
        finally:
            seconds = _perf() - t0
            if seconds >= d.slow_callback:
                _slow_asyncio_callback(d, self, seconds)

    _run.__loopguard__ = True
    cls._run = _run


def _coroutine_frames(coro):
    """Where a suspended coroutine and the coroutines it awaits stand, outermost first."""
    frames = []
    seen = 0
    while coro is not None and seen < 64:
        seen += 1
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        code = frame.f_code
        frames.append({"file": code.co_filename, "line": frame.f_lineno,
                       "function": getattr(code, "co_qualname", code.co_name)})
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return frames


def _slow_asyncio_callback(d, handle, seconds):
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    frames = []
    get_coro = getattr(owner, "get_coro", None)
    if get_coro is not None:
        try:
            frames = _coroutine_frames(get_coro())
        except Exception:
            frames = []
    try:
        description = repr(handle)[:300]
    except Exception:
        description = "<callback>"
    d.slow_callback_seen(description, seconds, frames)


def _patch_trio(mod):
    orig = mod.run
    if getattr(orig, "__loopguard__", False):
        return
    d = _D[0]

    def run(async_fn, *args, **kwargs):
        async def loopguard_main(*a):
            _trio_instruments(d, mark_steps=False)
            return await async_fn(*a)

        d.enter_loop("trio")
        try:
            return orig(loopguard_main, *args, **kwargs)
        finally:
            d.exit_loop()

    functools.update_wrapper(run, orig)
    run.__loopguard__ = True
    d.stop_codes.add(run.__code__)
    mod.run = run

    lowlevel = getattr(mod, "lowlevel", None)
    orig_guest = getattr(lowlevel, "start_guest_run", None)
    if orig_guest is None or getattr(orig_guest, "__loopguard__", False):
        return

    def start_guest_run(async_fn, *args, **kwargs):
        # Guest mode: trio's steps run as callbacks of a host loop on the host's thread; that
        # thread is trio's loop only while a task step runs.
        async def loopguard_guest(*a):
            _trio_instruments(d, mark_steps=True)
            return await async_fn(*a)

        return orig_guest(loopguard_guest, *args, **kwargs)

    functools.update_wrapper(start_guest_run, orig_guest)
    start_guest_run.__loopguard__ = True
    lowlevel.start_guest_run = start_guest_run


def _trio_instruments(d, mark_steps):
    import trio
    trio.lowlevel.add_instrument(_TrioSteps(d, mark_steps))
    trio.lowlevel.spawn_system_task(_trio_lag_probe, d)


async def _trio_lag_probe(d):
    import trio
    while True:
        due = _perf() + _LAG_INTERVAL
        await trio.sleep(_LAG_INTERVAL)
        d.observe_lag("trio", _perf() - due)


class _TrioSteps(object):
    """A trio instrument that times each task step (trio's unit of work between awaits)."""

    def __init__(self, d, mark_steps):
        self.d = d
        self.mark_steps = mark_steps
        self.t0 = None

    def before_task_step(self, task):
        if self.mark_steps:
            self.d.enter_loop("trio")
        self.t0 = _perf()

    def after_task_step(self, task):
        if self.t0 is None:  # the step that added this instrument
            return
        seconds = _perf() - self.t0
        self.t0 = None
        if self.mark_steps:
            self.d.exit_loop()
        if seconds >= self.d.slow_callback:
            self.d.slow_callback_seen("<trio task %s>" % getattr(task, "name", "?"), seconds,
                                      _coroutine_frames(getattr(task, "coro", None)))


# -- audit events -----------------------------------------------------------------------------

# Audit events of blocking work that no wrapper above times (C code, other modules).
_AUDITED = frozenset((
    "open", "os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.listdir", "os.scandir",
    "os.chmod", "os.chown", "os.truncate", "os.link", "os.symlink", "os.utime",
    "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.copytree", "shutil.rmtree",
    "shutil.move", "shutil.make_archive", "shutil.unpack_archive", "socket.connect",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
    "socket.sendto", "sqlite3.connect", "subprocess.Popen", "time.sleep", "glob.glob",
    "glob.glob/2", "urllib.Request", "ftplib.connect", "smtplib.connect", "poplib.connect",
    "imaplib.open", "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open"))


def _audit(event, args):
    d = _D[0]
    if event not in _AUDITED:
        return
    tid = get_ident()
    if tid not in d.loop_threads or tid in d.busy:
        return
    if event == "socket.connect" and args and getattr(args[0], "gettimeout", lambda: None)() == 0.0:
        return  # a non-blocking socket (the loop's own)
    if event == "open" and args and isinstance(args[0], int):
        return  # wrapping a descriptor, not opening a file
    d.busy.add(tid)
    try:
        d.blocking(event, None, via="audit", detail=repr(args[0])[:200] if args else None)
    finally:
        d.busy.discard(tid)


# -- patching modules as they are imported ----------------------------------------------------


def _after_import(name, patch):
    module = sys.modules.get(name)
    if module is not None:
        _apply(name, module, patch)
    else:
        _AFTER_IMPORT[name] = patch


def _apply(name, module, patch):
    try:
        patch(module)
    except Exception as e:  # a version we do not know: keep the program running
        try:
            os.write(2, ("loopguard: cannot instrument %s: %r\n" % (name, e)).encode())
        except OSError:
            pass


class _PostImportFinder(object):
    """Patches a module of _AFTER_IMPORT right after it has been executed."""

    def __init__(self):
        self._busy = set()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _AFTER_IMPORT or fullname in self._busy:
            return None
        self._busy.add(fullname)
        try:
            import importlib.util
            spec = importlib.util.find_spec(fullname)
        except (ImportError, ValueError):
            spec = None
        finally:
            self._busy.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        loader = spec.loader
        orig_exec = loader.exec_module

        def exec_module(module):
            orig_exec(module)
            patch = _AFTER_IMPORT.pop(fullname, None)
            if patch is not None:
                _apply(fullname, module, patch)

        if isinstance(loader, type):
            return None  # a shared loader class (frozen, built-in): patched on first use instead
        loader.exec_module = exec_module
        return spec
