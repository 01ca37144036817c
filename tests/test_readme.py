"""Every command line in the README's `sh` blocks runs, in order, as a newcomer would type it.

The blocks run in one scratch directory that sees the checkout's data/, so a later block uses the
store an earlier one built. Installing (venv, pip) is left to CI, and the test command is this
suite itself; what remains of the quickstart is the build. A block that starts a server in the
background (`... &`) gets it on a free port, is waited for, and the server is stopped at the end.
"""

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, unavailable

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [
    "\n".join(line.removeprefix(indent) for line in block.splitlines())
    for indent, block in re.findall(r"^( *)```sh\n(.*?)^ *```", README, flags=re.M | re.S)
]
SETUP = re.compile(r"^(python3? -m venv |\. \.venv/bin/activate|pip install |python -m pytest)")
PORT = re.compile(r"(?<=127\.0\.0\.1:)\d+|(?<=--port )\d+")


def commands(block: str) -> list[str]:
    """The block's lines, each without its install and test steps."""
    found = []
    for line in block.splitlines():
        kept = [part for part in line.split(" && ") if part.strip() and not SETUP.match(part.strip())]
        if kept:
            found.append(" && ".join(kept))
    return found


RUNNABLE = [(index, commands(block)) for index, block in enumerate(BLOCKS) if commands(block)]


def test_the_readme_has_the_blocks_this_test_runs():
    assert len(BLOCKS) >= 5
    assert any("peelgraph build data/samples --out out" in line for _, lines in RUNNABLE for line in lines)
    assert [line for line in BLOCKS[1].splitlines() if "pytest" in line], "the second block is the test command"


def _script(lines: list[str]) -> str:
    """A bash script of the lines: servers moved to free ports, waited for, and stopped at the end."""
    ports = {port: str(free_port()) for line in lines for port in PORT.findall(line)}
    script = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for line in lines:
        line = PORT.sub(lambda match: ports[match.group(0)], line)
        script.append(line)
        if line.rstrip().endswith("&"):
            port = PORT.search(line).group(0)
            script.append(f"{sys.executable} -c 'import tests.test_readme as t; t.wait_for({port})'")
    return "\n".join(script) + "\n"


def wait_for(port: int, seconds: float = 30) -> None:
    """Return once something listens on 127.0.0.1:port (a server started in the background)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port} after {seconds} s")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("readme")
    (directory / "data").symlink_to(ROOT / "data")
    return directory


@pytest.mark.parametrize("index, lines", RUNNABLE, ids=[lines[0][:60] for _, lines in RUNNABLE])
def test_readme_block_runs(scratch, index, lines):
    for program in sorted({line.split()[0] for line in lines} - {"peelgraph", "eval", "oxigraph"}):
        if not shutil.which(program):
            unavailable(f"README block {index} needs {program}, which is not installed here")
    environment = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(scratch),
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        ["bash", "-c", _script(lines)], cwd=scratch, env=environment, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"README block {index} failed:\n{done.stdout}\n{done.stderr}"
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
