"""The figures of a benchmark, each printed with its goal, and the gate CI applies.

Every benchmark reports through ``Figures`` so that each figure reads the same::

    FIGURE order flow | query ratio with/without bo_orders | 1.062 | goal <= 1.15 | met

and ``tests/bench/run`` can gather them into one table. What CI gates on:

- deterministic figures (query counts and ratios, memory growth, gaps and
  duplicates): the goal itself;
- a figure whose goal is a target not reached yet: the ``gate`` it is given
  (today's level), so that it may not get worse while it is printed as "NOT
  met" against the target;
- time ratios: only ``TIME_GATE_FACTOR`` times their goal. Two runs of the
  same request vary by a fifth on the shared two-core machines this runs on,
  so a time ratio a little past its goal is noise and is printed as "not
  met" without failing the run; one far beyond it is a real regression.

Run as a script, it prints the table of every figure found in the given
files (benchmark or pytest output)::

    python tests/bench/figures.py pytest.log
"""

import re
import sys

TIME_GATE_FACTOR = 1.5
PREFIX = "FIGURE "


class Figures:
    def __init__(self, benchmark):
        self.benchmark = benchmark
        self.failed = []

    def add(self, name, value, goal, *, timed=False, at_least=False, gate=None, digits=2):
        """Print one figure; remember it as failed when past its gate.

        ``goal`` is a maximum, or a minimum with ``at_least``; ``timed`` marks a
        ratio of times, gated only at ``TIME_GATE_FACTOR`` times its goal;
        ``gate`` gates a deterministic figure whose goal is still a target.
        """
        if at_least:
            met = value >= goal
            if gate is None:
                gate = goal / TIME_GATE_FACTOR if timed else goal
            passed = value >= gate
            goal_text = f">= {goal:.{digits}f}"
        else:
            met = value <= goal
            if gate is None:
                gate = goal * TIME_GATE_FACTOR if timed else goal
            passed = value <= gate
            goal_text = f"<= {goal:.{digits}f}"
        verdict = "met" if met else "NOT met"
        if (timed or gate != goal) and not met:
            verdict += f" (CI gate {gate:.{digits}f}: {'passed' if passed else 'FAILED'})"
        elif not passed:
            verdict += " (CI gate: FAILED)"
        print(
            f"{PREFIX}{self.benchmark} | {name} | {value:.{digits}f} | goal {goal_text} | {verdict}"
        )
        if not passed:
            self.failed.append(name)

    def exit_status(self):
        """0 when every figure passed its gate, 1 otherwise (with the reason)."""
        if self.failed:
            print(f"FAILED: {', '.join(self.failed)} past the gate")
            return 1
        return 0


def table(paths):
    """The figures printed in ``paths``, as a Markdown table."""
    rows = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                match = re.search(rf"{PREFIX}(.*)$", line)
                if match:
                    rows.append([cell.strip() for cell in match.group(1).split("|")])
    out = ["| benchmark | figure | measured | goal | |", "| --- | --- | ---: | --- | --- |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out), rows


if __name__ == "__main__":
    text, found = table(sys.argv[1:])
    print(text)
    sys.exit(0 if found else 1)
