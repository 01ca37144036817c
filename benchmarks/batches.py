"""What a bulk load costs the store's writer, by batch size, when the store is already large.

Copies a store (say the 10,000-article one that `run.py --keep-work` leaves in
benchmarks/.work/n10000/store-j1), then loads ARTICLES more article graphs into the copy, BATCH at a
time, as ingest's writer does (Store.add_graphs), and reports for each batch size the process's CPU
time an article (RocksDB's background compaction included) and the seconds the store took to close,
which is compaction still running. The graphs are the copy's own kept N-Quads under new names.

    python benchmarks/batches.py benchmarks/.work/n10000/store-j1 --articles 3000 --batches 50 250 500 1000
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ARTICLE_GRAPH = re.compile(rb"<https://w3id.org/peelgraph/id/article/([^>]+)>")


def article_nquads(store: Path, count: int) -> list[bytes]:
    """`count` article graphs as N-Quads, each under a name no graph in the store has."""
    kept = sorted((store / "peelgraph-kept" / "nquads").iterdir())
    if not kept:
        raise SystemExit(f"{store}: no kept N-Quads; give a store that peelgraph ingest wrote")
    sources = [path.read_bytes() for path in kept[:count]]
    return [
        ARTICLE_GRAPH.sub(
            lambda m, i=i: b"<https://w3id.org/peelgraph/id/article/load" + str(i).encode() + b"-" + m.group(1) + b">",
            sources[i % len(sources)],
        )
        for i in range(count)
    ]


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def load(store: Path, graphs: list[bytes], batch: int, work: Path) -> dict:
    copy = work / "store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("peelgraph-kept"))
    opened = ox.Store(str(copy))
    cpu, start = cpu_seconds(), time.perf_counter()
    for first in range(0, len(graphs), batch):
        opened.bulk_load(b"".join(graphs[first : first + batch]), ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter()
    opened.flush()
    del opened
    gc.collect()  # the store closes once compaction under way is done
    closed = time.perf_counter()
    return {
        "cpu_ms_per_article": 1000 * (cpu_seconds() - cpu) / len(graphs),
        "wall_ms_per_article": 1000 * (loaded - start) / len(graphs),
        "close_s": closed - loaded,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--batches", type=int, nargs="+", default=[50, 250, 500, 1000])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    graphs = article_nquads(args.store, args.articles)
    with tempfile.TemporaryDirectory(dir=args.store.parent) as work:
        print(f"{args.articles} articles into a copy of {args.store}; medians of {args.repeats} run(s)")
        print("| batch | CPU ms an article | wall ms an article | closing (compaction left) |")
        print("|---|---|---|---|")
        for batch in args.batches:
            runs = [load(args.store, graphs, batch, Path(work)) for _ in range(args.repeats)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            print(
                f"| {batch} | {median['cpu_ms_per_article']:.1f} | {median['wall_ms_per_article']:.1f} | "
                f"{median['close_s']:.1f} s |",
                flush=True,
            )


if __name__ == "__main__":
    main()
