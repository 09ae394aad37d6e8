"""Rank hints that keep a diagram's layout legible: fan-outs wrapped over several ranks.

In: the edges of one diagram as (source, target) pairs in drawing order, and its nodes. Out:
`minimum_lengths`, the `minlen` of each edge that leads to or from a leaf of a hub (a node
drawn with one edge only), so that a hub's leaves fill at most PER_RANK places per rank
instead of one rank of them all (a hub table's neighbourhood was a 4,600 px single column);
and `chains`, the nodes with no edge at all, grouped into rows that invisible edges hold
together, so they make a block instead of one tall column. This is the idea of Graphviz's
`unflatten` (`-l` staggers leaf edges, `-c` chains disconnected nodes), applied while the DOT
is written, so the drawing needs only `dot`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

PER_RANK = 5  # leaves of one hub side by side in one rank
CHAIN = 4  # nodes without edges per row


def minimum_lengths(edges: Sequence[tuple[Hashable, Hashable]], per_rank: int = PER_RANK) -> list[int]:
    """`minlen` for each edge, in order: 1, except a hub's leaves beyond the first `per_rank`
    on one side (its referencing leaves, or its referenced ones), which go one rank further
    for each `per_rank` before them."""
    degree: Counter[Hashable] = Counter()
    for source, target in edges:
        if source != target:
            degree[source] += 1
            degree[target] += 1
    sides: defaultdict[tuple[Hashable, bool], list[int]] = defaultdict(list)
    for i, (source, target) in enumerate(edges):
        if source == target:
            continue
        if degree[source] == 1 and degree[target] > 1:
            sides[(target, True)].append(i)  # a leaf referencing the hub
        elif degree[target] == 1 and degree[source] > 1:
            sides[(source, False)].append(i)
    lengths = [1] * len(edges)
    for members in sides.values():
        if len(members) > per_rank:
            ranks = math.ceil(len(members) / per_rank)
            for n, i in enumerate(members):
                lengths[i] = 1 + n % ranks  # round robin: each rank gets an even share
    return lengths


def chains(nodes: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable]], length: int = CHAIN) -> list[list[Hashable]]:
    """The nodes no edge touches, in order, in rows of `length` (only when there are more than `length`)."""
    touched = {n for edge in edges for n in edge}
    alone = [n for n in nodes if n not in touched]
    if len(alone) <= length:
        return []
    return [alone[i:i + length] for i in range(0, len(alone), length)]
