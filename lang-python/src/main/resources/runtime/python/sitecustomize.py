"""loopguard runtime bootstrap: installed by `loopguard runtime`, first on PYTHONPATH.

Starts the detector of blocking calls on event loops (loopguard_runtime), then runs the
sitecustomize module that would have run without loopguard, if there is one.
"""
import os
import sys


def _loopguard_start():
    try:
        import loopguard_runtime
        loopguard_runtime.install()
    except Exception as e:  # never break the user's program
        try:
            os.write(2, ("loopguard: the runtime detector did not start: %r\n" % (e,)).encode())
        except OSError:
            pass


def _loopguard_chain():
    here = os.path.dirname(os.path.abspath(__file__))
    ours = sys.modules.pop("sitecustomize", None)
    saved = list(sys.path)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    try:
        import sitecustomize  # noqa: F401  the next one on the path, if any
    except ModuleNotFoundError as e:
        if e.name != "sitecustomize":
            raise
        if ours is not None:
            sys.modules["sitecustomize"] = ours
    finally:
        sys.path[:] = saved


if os.environ.get("LOOPGUARD_RUNTIME_EVENTS"):
    _loopguard_start()
_loopguard_chain()
