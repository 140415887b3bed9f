"""Pure functions over the roadmap graph."""

from __future__ import annotations

import heapq

from mlcareer.models import KnowledgeBase, Step


def ordered_steps(kb: KnowledgeBase) -> list[Step]:
    """The steps in prerequisite order, keeping the file's order wherever the graph allows."""
    position = {s.id: i for i, s in enumerate(kb.steps)}
    waiting = {s.id: len(set(s.requires)) for s in kb.steps}
    unlocks: dict[str, list[str]] = {s.id: [] for s in kb.steps}
    for s in kb.steps:
        for required in set(s.requires):
            unlocks[required].append(s.id)
    ready = [position[s] for s, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[Step] = []
    while ready:
        step = kb.steps[heapq.heappop(ready)]
        order.append(step)
        for nxt in unlocks[step.id]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, position[nxt])
    return order
