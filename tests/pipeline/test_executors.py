"""Extraction on a real Dask cluster (a scheduler and two workers on 127.0.0.1) gives the same graph
as a local run, and survives a worker killed mid-run."""

import shutil
import signal
import socket
import subprocess

import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from tests.conftest import DEV, SAMPLES


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, workers: int = 2):
        dask = shutil.which("dask")
        assert dask, "the dask command (pip package 'distributed') is needed for these tests"
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
        )
        self.workers = [
            subprocess.Popen(
                [
                    dask,
                    "worker",
                    self.address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--no-dashboard",
                    "--memory-limit",
                    "0",
                ],
                **quiet,
            )
            for _ in range(workers)
        ]
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=60)

    def stop(self):
        for process in [*self.workers, self.scheduler]:
            process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def cluster():
    started = Cluster()
    yield started
    started.stop()


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


CORPUS = [SAMPLES, DEV / "dev01-gwent-2014-peel.txt", DEV / "dev13-met-enters-engage-2022.md"]


@pytest.fixture(scope="module")
def local_export(tmp_path_factory):
    store = tmp_path_factory.mktemp("local") / "store"
    assert run("--store", store, "ingest", *CORPUS, "-j", "1").exit_code == 0
    return run("--store", store, "export", "--format", "nquads").output


def test_dask_ingest_equals_local(cluster, tmp_path, local_export):
    store = tmp_path / "store"
    result = run("--store", store, "ingest", *CORPUS, "--executor", "dask", "--scheduler", cluster.address)
    assert result.exit_code == 0, result.output
    assert run("--store", store, "export", "--format", "nquads").output == local_export


def test_extract_then_load_equals_local(cluster, tmp_path, local_export):
    shards = tmp_path / "shards"
    result = run("extract", *CORPUS, "--out", shards, "--executor", "dask", "--scheduler", cluster.address)
    assert result.exit_code == 0, result.output
    assert len(list(shards.glob("*.nq"))) == 10
    store = tmp_path / "store"
    assert run("--store", store, "load", shards).exit_code == 0
    assert run("--store", store, "load", shards).exit_code == 0  # loading again replaces, never doubles
    assert run("--store", store, "export", "--format", "nquads").output == local_export


def test_a_killed_worker_loses_nothing(tmp_path):
    import sys

    corpus = [SAMPLES, DEV]
    reference = tmp_path / "reference"
    assert run("--store", reference, "ingest", *corpus, "-j", "2").exit_code == 0
    expected = run("--store", reference, "export", "--format", "nquads").output
    doomed = Cluster()
    try:
        victim = doomed.workers[0]
        ingest = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "peelgraph",
                "--store",
                str(tmp_path / "store"),
                "ingest",
                *map(str, corpus),
                "-v",
                "--executor",
                "dask",
                "--scheduler",
                doomed.address,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        stored = 0
        while stored < 3:  # the workers are busy and most articles are still to do
            line = ingest.stdout.readline()
            assert line, "ingest ended early"
            stored += "] stored" in line
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        rest = ingest.stdout.read()
        assert ingest.wait(300) == 0
        assert rest.count("] stored") == len([*SAMPLES.glob("*.md"), *DEV.glob("*.*")]) - stored
    finally:
        doomed.stop()
    assert run("--store", tmp_path / "store", "export", "--format", "nquads").output == expected


def test_unreachable_scheduler_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PEELGRAPH_DASK_TIMEOUT", "2")
    result = run(
        "--store",
        tmp_path / "store",
        "ingest",
        SAMPLES,
        "--executor",
        "dask",
        "--scheduler",
        f"tcp://127.0.0.1:{_free_port()}",
    )
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.output
