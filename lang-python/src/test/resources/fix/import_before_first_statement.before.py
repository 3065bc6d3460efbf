#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# The comments at the top stay there; the import goes before the first statement.
@decorate
async def tick():
    __import__("time").sleep(1)
    time.sleep(1)


import time


def decorate(f):
    return f
