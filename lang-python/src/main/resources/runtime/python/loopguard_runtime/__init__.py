"""loopguard's runtime detector of blocking calls on event loops (standard library only).

`loopguard runtime -- COMMAND` puts this package first on PYTHONPATH; its sitecustomize calls
install(), which reads the LOOPGUARD_RUNTIME_* variables:

  LOOPGUARD_RUNTIME_EVENTS        JSON Lines file the events are appended to
  LOOPGUARD_RUNTIME_METRICS       Prometheus text file for the loop-lag histogram (optional)
  LOOPGUARD_RUNTIME_THRESHOLD_MS  record only operations at least this long (default 0: all)
  LOOPGUARD_RUNTIME_PARENT_PID    the loopguard process; other processes add .PID to the metrics file

Nothing is written to the program's standard output or error.
"""
from loopguard_runtime import detector as _detector

__all__ = ["install", "current"]


def install():
    """Starts the detector in this process (once) and returns it."""
    return _detector.install()


def current():
    """The detector of this process, or None when install() has not run."""
    return _detector.CURRENT[0]
