import time


def backoff(attempt):
    time.sleep(2 ** attempt)


def load_report(name):
    with open(name) as fh:
        return fh.read()
