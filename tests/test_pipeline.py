"""The streaming parts of the pipeline: parsing ahead in a thread."""
from __future__ import annotations

import threading
import time

import pytest

from kg.pipeline import read_ahead


def test_read_ahead_keeps_order_and_ends():
    assert list(read_ahead(iter(range(1000)), size=4)) == list(range(1000))
    assert list(read_ahead(iter([]), size=4)) == []


def test_read_ahead_raises_the_producers_error_after_its_items():
    def items():
        yield 1
        yield 2
        raise ValueError("bad article")

    got = []
    with pytest.raises(ValueError, match="bad article"):
        for item in read_ahead(items(), size=1):
            got.append(item)
    assert got == [1, 2]


def test_closing_read_ahead_stops_the_producer():
    produced = []

    def items():
        for k in range(10_000):
            produced.append(k)
            yield k

    stream = read_ahead(items(), size=2)
    assert next(stream) == 0
    stream.close()
    time.sleep(0.5)
    count = len(produced)
    time.sleep(0.3)
    assert len(produced) == count < 100  # stopped, a few items ahead at most
    assert not [t for t in threading.enumerate() if t.name == "kg-parse" and t.is_alive()]
