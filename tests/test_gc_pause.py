"""gc_paused and gc_frozen: the collector is kept off the catalog, and is back as it was after."""

from __future__ import annotations

import gc

from schemadocs.gc_pause import gc_frozen, gc_paused


def test_collector_is_off_inside_and_restored_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner pause leaves the outer one in force"
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a collector the caller turned off stays off"
    finally:
        gc.enable()


def test_what_the_block_built_is_not_left_in_the_youngest_generation():
    with gc_paused():
        built = [[i] for i in range(50_000)]
        assert gc.get_count()[0] >= 40_000  # less what was freed meanwhile
    assert gc.get_count()[0] < gc.get_threshold()[0], "no collection walking all of them is due"
    assert all(gc.is_tracked(b) for b in built[:10])


def test_objects_the_program_froze_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            _ = [[i] for i in range(1_000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_frozen_block_still_collects_its_own_cycles_but_not_older_objects():
    older = [[i] for i in range(10_000)]
    with gc_frozen():
        assert gc.get_freeze_count() >= 10_000 and gc.isenabled()
        cycle: list = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1, "cyclic garbage made inside is still collected"
    assert gc.get_freeze_count() == 0 and all(gc.is_tracked(o) for o in older[:10])
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        with gc_frozen():
            pass
        # what the program froze itself stays frozen (unfrozen, the count would fall to about 0);
        # a frozen object that another thread of the test process frees meanwhile leaves the count
        assert count - 100 <= gc.get_freeze_count() <= count, "what the program froze itself stays frozen"
    finally:
        gc.unfreeze()


def test_loading_a_snapshot_runs_no_collection(demo_catalog):
    from schemadocs import snapshot

    text = snapshot.dumps(demo_catalog)
    collections: list[str] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(phase)

    gc.callbacks.append(count)
    try:
        assert snapshot.loads(text) == demo_catalog
    finally:
        gc.callbacks.remove(count)
    assert collections == []


def test_nested_frozen_blocks_and_pauses_keep_the_outer_freeze():
    older = [[i] for i in range(10_000)]
    with gc_frozen():
        frozen = gc.get_freeze_count()
        assert frozen >= 10_000
        with gc_paused():
            newer = [[i] for i in range(5_000)]
        assert frozen - 100 <= gc.get_freeze_count() <= frozen, "a pause inside unfreezes nothing, freezes nothing"
        with gc_frozen():
            assert gc.get_freeze_count() >= frozen + 4_900, "an inner block freezes what was made since"
        assert gc.get_freeze_count() >= frozen + 4_900, "... until the outer block ends"
    assert gc.get_freeze_count() == 0
    assert all(gc.is_tracked(o) for o in older[:10] + newer[:10])
