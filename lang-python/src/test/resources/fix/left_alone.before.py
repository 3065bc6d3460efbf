# Nothing here may be rewritten: there is no after file, the file must come out as it went in.
import sqlite3
import threading
import time

lock = threading.Lock()


def backoff():
    time.sleep(1)


async def handler(db: sqlite3.Connection):
    backoff()                                  # through a helper: medium confidence
    callback = lambda: time.sleep(1)           # a lambda is not async
    [time.sleep(0) for _ in range(3)]          # an await would change the comprehension
    print(time.sleep(0))                       # part of a larger expression
    db.execute("select 1")                     # a connection is bound to its thread
    lock.acquire()                             # a lock belongs to the thread that takes it

    def inner():
        time.sleep(2)                          # a sync def

    class Local:
        time.sleep(3)                          # a class body
    return callback, inner, Local
