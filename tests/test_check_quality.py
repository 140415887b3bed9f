"""Can a test-wise guesser pass the shipped knowledge checks without knowing the subject?

Each strategy below picks a choice from surface features alone. Choices are shuffled at display,
so position carries no hint; what is left is length, hedging and echoing the prompt. Every strategy
must stay at or under 30% (chance is 25% with four choices), and the right answer's length rank
must be spread over the ranks: each rank (longest ... shortest) holds 15-35% of the items.

Run `python tests/test_check_quality.py [skills.yaml]` to print the figures.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from mlcareer import kb
from mlcareer.models import Check

Strategy = Callable[[Check], str]

_WORD = re.compile(r"[a-z0-9]+")
_HEDGES = re.compile(r"\b(or|e\.g\.|eg|such as)\b|\(", re.IGNORECASE)
# Words a guesser would not count as echoing the prompt.
_STOP = frozenset(
    "a an the of to in on for and or is are be it its this that with by as at from what which "
    "you your can do does not no".split()
)


def _by_length(check: Check) -> list[str]:
    """Choices from longest to shortest; ties keep the file's order."""
    return sorted(check.choices, key=lambda c: -len(c))


def longest(check: Check) -> str:
    return _by_length(check)[0]


def second_longest(check: Check) -> str:
    return _by_length(check)[1]


def shortest(check: Check) -> str:
    return _by_length(check)[-1]


def only_hedged_else_longest(check: Check) -> str:
    hedged = [c for c in check.choices if _HEDGES.search(c)]
    return hedged[0] if len(hedged) == 1 else longest(check)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())) - _STOP


def echoes_prompt(check: Check) -> str:
    prompt = _words(check.prompt)
    return max(check.choices, key=lambda c: len(_words(c) & prompt))  # max keeps the first tie


STRATEGIES: dict[str, Strategy] = {
    "longest": longest,
    "second longest": second_longest,
    "shortest": shortest,
    "only hedged, else longest": only_hedged_else_longest,
    "most words shared with the prompt": echoes_prompt,
}


def scores(checks: Sequence[Check]) -> dict[str, float]:
    """Share of checks each strategy answers right, 0-1."""
    return {
        name: sum(pick(c) == c.answer for c in checks) / len(checks)
        for name, pick in STRATEGIES.items()
    }


def length_ranks(checks: Sequence[Check]) -> list[float]:
    """Share of checks whose right answer is the 1st, 2nd, 3rd, 4th longest choice."""
    counts = [0, 0, 0, 0]
    for c in checks:
        counts[min(3, _by_length(c).index(c.answer))] += 1
    return [n / len(checks) for n in counts]


def shipped_checks() -> list[Check]:
    return [check for skill in kb.load().skills for check in skill.checks]


@pytest.fixture(scope="module")
def checks() -> list[Check]:
    return shipped_checks()


def test_every_check_has_four_choices(checks: list[Check]) -> None:
    assert [c.prompt for c in checks if len(c.choices) != 4] == []


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_no_guessing_strategy_beats_thirty_percent(checks: list[Check], strategy: str) -> None:
    assert scores(checks)[strategy] <= 0.30


def test_right_answer_length_rank_is_spread(checks: list[Check]) -> None:
    for share in length_ranks(checks):
        assert 0.15 <= share <= 0.35


def test_the_strategies_catch_a_biased_bank() -> None:
    """The measure can fail: a bank whose answer is always the longest scores 100%."""
    biased = [
        Check(
            prompt="Q?",
            choices=("a", "bb", "ccc", "the long answer"),
            answer="the long answer",
            explanation="x",
        )
        for _ in range(4)
    ]
    assert scores(biased)["longest"] == 1.0
    assert length_ranks(biased) == [1.0, 0.0, 0.0, 0.0]


def main(argv: list[str]) -> None:
    all_checks = shipped_checks() if not argv else _checks_in(Path(argv[0]))
    print(f"{len(all_checks)} checks")
    for name, share in scores(all_checks).items():
        print(f"  {name:36} {share:6.1%}")
    ranks = ", ".join(f"{share:.1%}" for share in length_ranks(all_checks))
    print(f"  right answer's length rank (longest..shortest): {ranks}")


def _checks_in(path: Path) -> list[Check]:
    """Checks of a skills.yaml, or of a fragment mapping skill id -> list of checks."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "skills" in data:
        items = [c for s in data["skills"] for c in s.get("checks", [])]
    else:
        items = [c for checks in data.values() for c in checks]
    return [Check.model_validate(c) for c in items]


if __name__ == "__main__":
    main(sys.argv[1:])
