"""Rank hints that keep a diagram's layout legible: fan-outs wrapped over several ranks.

In: the edges of one diagram as (source, target) pairs in drawing order, and its nodes. Out:
`wrapped_fans`, extra attributes for the edges that lead to or from a leaf of a hub (a node
drawn with one edge only) and invisible edges to add, so that more than FAN leaves of a hub
are wrapped into a grid of about as many ranks as each rank holds (at most PER_RANK), instead
of one rank of them all (a hub table's neighbourhood was a 4,600 px single column);
and `chains`, the nodes with no edge at all, grouped into rows that invisible edges hold
together, so they make a block instead of one tall column. This is the idea of Graphviz's
`unflatten` (`-l` staggers leaf edges, `-c` chains disconnected nodes), applied while the DOT
is written, so the drawing needs only `dot`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

PER_RANK = 4  # at most this many leaves of one hub side by side in one rank
FAN = 4  # a fan-out up to this many leaves stays in one rank
CHAIN = 4  # nodes without edges per row


def wrapped_fans(edges: Sequence[tuple[Hashable, Hashable]], per_rank: int = PER_RANK
                 ) -> tuple[list[dict[str, str]], list[tuple[Hashable, Hashable]]]:
    """Extra DOT attributes for each edge, in order, and the invisible edges to add, that wrap
    the leaves of a hub with more than FAN on one side (its referencing leaves, or its
    referenced ones) into a grid: ranks of about √n leaves each (at most `per_rank`), dealt
    round robin. A leaf beyond the first rank is held one rank further out by an invisible
    edge to a leaf of the rank inside it, and its own edge to the hub leaves the ranking
    (`constraint=false`); so no edge runs through the ranks in between, and the ranks line up
    as rows and columns instead of interleaving."""
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
    attrs: list[dict[str, str]] = [{} for _ in edges]
    invisible: list[tuple[Hashable, Hashable]] = []
    for (_, referencing), members in sides.items():
        if len(members) <= FAN:
            continue
        ranks = math.ceil(len(members) / min(per_rank, math.ceil(math.sqrt(len(members)))))
        leaves = [edges[i][0 if referencing else 1] for i in members]
        by_rank = [leaves[r::ranks] for r in range(ranks)]  # round robin: each rank an even share
        for n, i in enumerate(members):
            rank, place = n % ranks, n // ranks
            if rank:
                attrs[i] = {"constraint": "false"}
                inner = by_rank[rank - 1][place % len(by_rank[rank - 1])]
                invisible.append((leaves[n], inner) if referencing else (inner, leaves[n]))
    return attrs, invisible


def chains(nodes: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable]], length: int = CHAIN) -> list[list[Hashable]]:
    """The nodes no edge touches, in order, in rows of `length` (only when there are more than `length`)."""
    touched = {n for edge in edges for n in edge}
    alone = [n for n in nodes if n not in touched]
    if len(alone) <= length:
        return []
    return [alone[i:i + length] for i in range(0, len(alone), length)]
