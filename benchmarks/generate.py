"""Write a synthetic but valid knowledge base of N skills, N/2 steps and four roles, with answers.

    python benchmarks/generate.py 10000 /tmp/kb-10k

The roadmap graph is realistic: each step requires one to three of the fifty steps before it, so
there are long paths, wide fans and shared prerequisites, as in a real curriculum.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CATEGORIES = 20
ROLES = ("junior", "mid", "senior", "specialist")


def _skill(i: int, rng: random.Random) -> str:
    kind = "soft" if i % 5 == 0 else "hard"
    lines = [
        f"  - id: s{i:05d}",
        f"    name: Skill number {i}",
        f"    kind: {kind}",
        f"    category: c{i % CATEGORIES:02d}",
        f"    weight: {rng.choice([0.5, 1, 1.5, 2])}",
        f"    description: What skill {i} is about and why an engineer needs it at work.",
        "    levels:",
        *(
            f"      {n}: Observable behaviour at level {n} for skill {i}, with a tool."
            for n in range(1, 5)
        ),
        "    tips:",
        *(f"      {a}-{a + 1}: Practise this to climb from {a} to {a + 1}." for a in range(1, 4)),
        "    sources: [seed]",
        "    resources:",
        f"      - {{title: Documentation {i}, url: 'https://docs.example.org/{i}'}}",
    ]
    if kind == "hard":
        lines.append("    checks:")
        for q in range(2):
            lines += [
                f"      - prompt: Which statement about skill {i} is right ({q})?",
                "        choices: [First option, Second option, Third option, Fourth option]",
                f"        answer: {['First option', 'Third option'][q]}",
                "        explanation: Because the right option is right, as a teacher would say.",
            ]
    return "\n".join(lines)


def generate(n: int, folder: Path, seed: int = 1) -> Path:
    """Write skills.yaml, roadmap.yaml and answers.yaml into `folder`; return the answers path."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    head = [
        "scale:",
        *(f"  - {{level: {n}, name: L{n}, description: Level {n}.}}" for n in range(5)),
        "sources:",
        "  - {id: seed, title: A seed document}",
        "categories:",
        *(f"  - {{id: c{c:02d}, name: Category {c}}}" for c in range(CATEGORIES)),
        "skills:",
    ]
    skills = "\n".join(head + [_skill(i, rng) for i in range(n)]) + "\n"
    (folder / "skills.yaml").write_text(skills)

    steps_count = max(1, n // 2)
    lines = ["roles:"]
    for r, role in enumerate(ROLES):
        lines += [
            f"  - id: {role}",
            f"    name: Role {role}",
            "    summary: A role.",
            "    targets:",
        ]
        lines += [f"      s{i:05d}: {min(4, 1 + r + (i % 2))}" for i in range(n) if i % 5 < 3]
    lines.append("steps:")
    for j in range(steps_count):
        earlier = list(range(max(0, j - 50), j))
        requires = rng.sample(earlier, k=min(len(earlier), rng.randint(1, 3))) if earlier else []
        developed = {j % n, (j + steps_count) % n, rng.randrange(n)}
        lines += [
            f"  - id: t{j:05d}",
            f"    title: Step {j}",
            f"    description: Learn and practise the content of step {j}.",
            f"    outcome: A project that shows step {j} was learned.",
            f"    requires: [{', '.join(f't{k:05d}' for k in sorted(requires))}]",
            f"    skills: [{', '.join(f's{k:05d}' for k in sorted(developed))}]",
            f"    effort_hours: {rng.randint(5, 80)}",
        ]
    (folder / "roadmap.yaml").write_text("\n".join(lines) + "\n")

    answers = ["role: mid", "answers:"]
    answers += [f"  s{i:05d}: {rng.choice([0, 1, 2, 3, 4, 'null'])}" for i in range(n)]
    path = folder / "answers.yaml"
    path.write_text("\n".join(answers) + "\n")
    return path


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
