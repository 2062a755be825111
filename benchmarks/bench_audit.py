"""The exact disclosure audit at report scale: how long ``protect`` (fast choice, then exact confirmation)
and the document audit take on a synthetic document of many small tables.

Each table is a grid of counts with row and column totals (a placement type by age band, say) drawn so
that about a third of the cells are small; ``protect`` chooses its hidden cells, each table becomes a
block through ``table_block`` and the JSON round trip (hidden values dropped, as from a notebook), and
every block is audited together by ``cpkit.publish.ledger.audit_blocks``, as the runner does. Prints
the figures, the hidden counts, the solver calls and the seconds of each
step; the sample report publishes about a thousand figures (the default makes about 1,200).

    .venv/bin/python benchmarks/bench_audit.py --tables 40 --rows 5 --cols 4
"""

from __future__ import annotations

import argparse
import random
import time

from cpkit.present.disclosure import Ledger, Rule
from cpkit.present.tables import table_block
from cpkit.publish.block import Block, frame
from cpkit.publish.ledger import audit_blocks


def _table(rng: random.Random, index: int, rows: int, cols: int, rule: Rule) -> tuple[Block, float, int]:
    grid = [[rng.choice([0, 1, 2, 3, 4, 6, 9, 12, 20]) for _ in range(cols)] for _ in range(rows)]
    ledger = Ledger(rule, name=f"t{index}")
    for r in range(rows):
        for c in range(cols):
            ledger.add((r, c), grid[r][c])
        ledger.add((r, "T"), sum(grid[r]))
        ledger.total((r, "T"), [(r, c) for c in range(cols)])
    for c in range(cols):
        ledger.add(("T", c), sum(grid[r][c] for r in range(rows)))
        ledger.total(("T", c), [(r, c) for r in range(rows)])
    ledger.add(("T", "T"), sum(map(sum, grid)))
    ledger.total(("T", "T"), [("T", c) for c in range(cols)])
    began = time.perf_counter()
    ledger.resolve()
    seconds = time.perf_counter() - began
    labels = [*range(rows), "T"]
    body = [[str(r), *(ledger.text((r, c)) for c in [*range(cols), "T"])] for r in labels]
    df = frame(body, columns=["Row", *(f"c{c}" for c in range(cols)), "Total"])
    block = Block.from_json(table_block(df, f"Table {index}", ledger=ledger).to_json())
    block.id = f"section{index % 8}/{block.id}"
    return block, seconds, len(ledger.values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--rows", type=int, default=5)
    parser.add_argument("--cols", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rule = Rule()
    blocks, protect_seconds, figures = [], 0.0, 0
    for i in range(args.tables):
        block, seconds, n = _table(rng, i, args.rows, args.cols, rule)
        blocks.append(block)
        protect_seconds += seconds
        figures += n
    began = time.perf_counter()
    found = audit_blocks(blocks, rule.threshold)
    audit_seconds = time.perf_counter() - began
    print(f"{args.tables} tables, {figures:,} figures")
    print(f"protect (fast choice + exact confirmation), all tables: {protect_seconds:.2f} s")
    print(f"document audit: {audit_seconds:.2f} s, {found.result.solves:,} solver calls")
    print(found.summary())
    for problem in found.problems()[:10]:
        print("  ", problem)


if __name__ == "__main__":
    main()
