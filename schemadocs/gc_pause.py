"""Keeping Python's cyclic garbage collector off the catalog while bulk work runs.

In: a block of code. Out: the same block, run with the collector off (`gc_paused`), or with
every object that exists before it set aside from collections (`gc_frozen`); the
collector's state is restored after, so both nest.
Introspection builds about a million small objects and the snapshot encoder walks them
all; none of them forms a reference cycle, so every collection triggered meanwhile would
only traverse the catalog again (at 10,000 tables a full one costs ~0.3-0.5 s).

Turning the collector back on is not enough by itself: every object the block made is
still in the youngest generation, and the next allocation would trigger a collection that
walks them all (~0.3 s at 10,000 tables). `gc.freeze()` then `gc.unfreeze()` moves every
tracked object to the oldest generation in constant time, without walking any: the
catalog is then walked only by full collections, like any long-lived data. Cyclic garbage
made meanwhile moves along and is freed by the next full collection. (Skipped when the
program has frozen objects of its own, which unfreezing would release, and inside `gc_frozen`.)

`gc_frozen` blocks nest: an inner one freezes what was made since the outer one began, and
leaves it frozen until the outer one ends (`build` freezes the catalog for the whole build, then
what the rendering left for MkDocs' run).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector disabled; restore its state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not _frozen and gc.get_freeze_count() == 0:  # unfreezing would also release what was frozen
                gc.freeze()  # what the block made goes to the oldest generation, unwalked
                gc.unfreeze()
            gc.enable()


@contextmanager
def gc_frozen() -> Iterator[None]:
    """Run the block with every object made before it out of the collector's reach.

    For work that makes cyclic garbage of its own (MkDocs), so the collector must keep
    running, while the catalog and the rendered pages, which live on, are not walked by
    each of its full collections. Skipped when the program has frozen objects of its own.
    """
    global _frozen
    if _frozen:  # inside another: what was made since is frozen too, until the outer block ends
        gc.freeze()
        yield
        return
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        gc.unfreeze()


_frozen = 0  # a `gc_frozen` block is in force: this module froze what is frozen (so the collector
# need not be asked: `gc.get_freeze_count` walks every frozen object, 0.1 s for an 80,000-table catalog)
