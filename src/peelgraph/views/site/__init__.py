"""A static site of the store's facts, to open from disk with no server and no network, and to send
as a zip: an index with the national grade matrix (forces by region, areas, a round chosen on the
page, or the latest grade per theme), a page per force (its timeline, every grade with the sentence
and article it was read from, its people, quotes, findings and statistics, and where articles
disagree) and a page per round, with a CSV beside every table and a search box over forces, people
and areas.

Stages: gather (store -> Site), pages (Site -> Pages), write (Pages -> files). The same store gives
the same files, byte for byte; the folder is replaced whole, never left half written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peelgraph.errors import InputError
from peelgraph.files import replacing_directory
from peelgraph.store.base import Store
from peelgraph.views.site import gather, pages, write

GENERATOR = '<meta name="generator" content="peelgraph site">'


@dataclass(frozen=True)
class SiteSummary:
    index: Path
    force_pages: int
    round_pages: int
    files: int
    notes: tuple[str, ...] = ()  # how the facts were found, when the user should know (a stale store)


def _replaceable(folder: Path) -> None:
    """Refuse a folder that holds anything but an earlier site: replacing it would delete it."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a directory")
    if folder.is_dir() and any(folder.iterdir()):
        index = folder / "index.html"
        if not (index.is_file() and GENERATOR in index.read_text(encoding="utf-8", errors="replace")[:2000]):
            raise InputError(
                f"{folder}: holds files that are not a site peelgraph wrote, which writing the site would delete; "
                "give a new or empty directory"
            )


def write_site(store: Store, out_dir: str | Path) -> SiteSummary:
    """Write the site of the store's facts to out_dir (made, or replaced whole if it holds an
    earlier site)."""
    folder = Path(out_dir)
    _replaceable(folder)
    site = gather.gather(store)
    made = pages.pages(site)
    with replacing_directory(folder) as partial:
        count = write.write(made, partial, pages.search_index(site))
    return SiteSummary(
        index=folder / "index.html",
        force_pages=len(site.forces),
        round_pages=len(site.rounds),
        files=count,
        notes=site.notes,
    )
