"""Stage 1: files, directories and standard input -> Articles.

Plain text (.txt), Markdown (.md, optionally with YAML front matter holding title, url, outlet and
published), HTML pages (.html: the main text and metadata extracted by trafilatura, with menus and
"Most Read" boxes left out; nothing is fetched) and JSON Lines (.jsonl: one article per line, `text`
required, `title`, `url`, `outlet`, `published` optional). A `metadata.csv` beside the files
(columns file, title, url, outlet, published) adds metadata to them. Directories are walked
recursively in a stable order.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import yaml

from peelgraph.errors import InputError
from peelgraph.model import Article

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
SIDECAR = "metadata.csv"
BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"\xd0\xcf\x11\xe0")
MAX_BYTES = 5_000_000
METADATA_KEYS = ("title", "url", "outlet", "published")


@dataclass(frozen=True)
class Metadata:
    """Metadata given on the command line; it overrides front matter."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None

    def apply(self, article: Article) -> Article:
        given = {k: getattr(self, k) for k in METADATA_KEYS if getattr(self, k) is not None}
        return replace(article, **given) if given else article


def article_files(paths: list[str | Path]) -> Iterator[Path | str | InputError]:
    """Each article file named by the paths, directories walked recursively in a stable order; "-"
    is stdin. A path that cannot be listed comes out as an InputError, so the caller can report it
    and go on. Symbolic links to files are read; links to directories are not followed, so a link
    loop cannot trap the walk."""
    for raw in paths:
        if isinstance(raw, Article) or str(raw) == "-":
            yield raw if isinstance(raw, Article) else "-"
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists() or path.is_symlink():
            yield _regular(path)
        else:
            yield InputError(f"{path}: no such file or directory")


def _walk(top: Path) -> Iterator[Path | InputError]:
    problems: list[InputError] = []

    def unreadable(error: OSError) -> None:
        problems.append(InputError(f"{error.filename}: cannot read directory: {error.strerror}"))

    found = []
    for directory, subdirectories, files in os.walk(top, onerror=unreadable, followlinks=False):
        subdirectories.sort()
        found += [Path(directory) / f for f in files if Path(f).suffix.lower() in ARTICLE_SUFFIXES]
    yield from (_regular(path) for path in sorted(found, key=lambda p: p.as_posix()))
    yield from problems


FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _regular(path: Path) -> Path | InputError:
    """The path when it is a regular file (or a link to one, or a broken link, reported on reading);
    a FIFO, socket or device is named and skipped: reading one could wait for ever."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path
    if stat.S_ISREG(mode):
        return path
    kind = FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return InputError(f"{path}: {kind}, not a regular file; skipped")


def read_path(source: Path | str, metadata: Metadata = Metadata(), max_bytes: int | None = None) -> Article:
    """Read one article file (or "-" for standard input)."""
    max_bytes = max_bytes or MAX_BYTES
    if source == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
        name = "-"
    else:
        source = Path(source)
        name = source.name
        raw = _read_regular(source, max_bytes + 1)
    if len(raw) > max_bytes:
        raise InputError(f"{source}: larger than the limit of {max_bytes} bytes")
    text, warnings = decode(raw, str(source))
    parse = PARSERS.get(Path(name).suffix.lower(), parse_article)
    article = parse(text, name, str(source))
    if source != "-":
        article = sidecar_metadata(source).apply(article)
    article = metadata.apply(article)
    return replace(article, warnings=warnings) if warnings else article


def _read_regular(path: Path, limit: int) -> bytes:
    """Up to limit bytes of a regular file; opened without blocking, so a FIFO put in its place
    after the folder was listed is refused rather than waited on."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(f"{path}: not a regular file; skipped")
        try:
            return handle.read(limit)
        except OSError as error:
            raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def parse_html(page: str, name: str, where: str | None = None) -> Article:
    """The main text and metadata of an HTML page; boilerplate is left out and nothing is fetched."""
    import trafilatura

    where = where or name
    extracted = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=False)
    found = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    text = (found.get("text") or "").strip()
    if not text:
        raise InputError(f"{where}: no article text found in the HTML page")
    title = found.get("title")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Article(
        text=text.replace("\n", "\n\n"),
        source=name,
        title=_text(title),
        url=_text(found.get("url")),
        outlet=_text(found.get("sitename")),
        published=_lenient_date(found.get("date")),
    )


def _lenient_date(value) -> date | None:
    try:
        return parse_date(value, "")
    except InputError:
        return None


def read_jsonl(
    path: Path, metadata: Metadata = Metadata(), max_bytes: int | None = None
) -> Iterator[Article | InputError]:
    """One article per line; a bad line is named (file and line number) and the others are read."""
    import json

    max_bytes = max_bytes or MAX_BYTES
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield InputError(f"{path}: cannot read: {error.strerror or error}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                if len(raw) > max_bytes:
                    raise InputError(f"{where}: larger than the limit of {max_bytes} bytes")
                record = json.loads(decode(raw, where)[0])
                for key in ("text", *METADATA_KEYS):
                    if isinstance(record, dict) and isinstance(record.get(key), str):
                        _unicode_text(record[key], where)
                if (
                    not isinstance(record, dict)
                    or not isinstance(record.get("text"), str)
                    or not record["text"].strip()
                ):
                    raise InputError(f'{where}: each line must be a JSON object with a non-empty "text"')
                article = Article(
                    text=record["text"],
                    source=f"{path.name}:{number}",
                    title=_text(record.get("title")),
                    url=_text(record.get("url")),
                    outlet=_text(record.get("outlet")),
                    published=parse_date(record.get("published"), where),
                )
                yield metadata.apply(article)
            except json.JSONDecodeError as error:
                yield InputError(f"{where}: not JSON: {error.msg} (column {error.colno})", str(path))
            except RecursionError:
                yield InputError(f"{where}: JSON nested too deeply", str(path))
            except InputError as error:
                yield InputError(str(error), str(path))


def sidecar_metadata(path: Path) -> Metadata:
    """Metadata for a file from the metadata.csv beside it, if there is one."""
    table = _sidecar_table(str(path.parent / SIDECAR))
    return table.get(path.name, Metadata())


@functools.cache
def _sidecar_table(file: str) -> dict[str, Metadata]:
    import csv

    if not os.path.isfile(file):
        return {}
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{file}: cannot read the metadata table: {error}") from error
    if rows and "file" not in rows[0]:
        raise InputError(f"{file}: the metadata table needs a 'file' column")
    return {
        row["file"]: Metadata(
            title=_text(row.get("title")),
            url=_text(row.get("url")),
            outlet=_text(row.get("outlet")),
            published=parse_date(row.get("published"), f"{file} ({row['file']})"),
        )
        for row in rows
    }


UNICODE_BOMS = {  # longest first: the UTF-32 little-endian mark starts with UTF-16's
    codecs.BOM_UTF32_LE: "utf-32",
    codecs.BOM_UTF32_BE: "utf-32",
    codecs.BOM_UTF16_LE: "utf-16",
    codecs.BOM_UTF16_BE: "utf-16",
}


def decode(raw: bytes, where: str) -> tuple[str, tuple[str, ...]]:
    """The text of a file (UTF-8, or UTF-16 or UTF-32 with a byte-order mark), with a warning when
    it had to be read as Windows-1252."""
    encoding = next((name for bom, name in UNICODE_BOMS.items() if raw.startswith(bom)), None)
    if encoding:
        try:
            return _unicode_text(raw.decode(encoding), where), ()
        except UnicodeDecodeError as error:
            raise InputError(
                f"{where}: starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()}"
            ) from error
    if b"\x00" in raw or raw.startswith(BINARY_SIGNATURES):
        raise InputError(f"{where}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError as error:
        text = raw.decode("cp1252", errors="replace")
        return text, (f"{where}: not UTF-8 (byte {error.start}); read as Windows-1252",)


def parse_article(text: str, name: str, where: str | None = None) -> Article:
    """An Article from the text of a file: optional front matter, then the body."""
    where = where or name
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fields: dict = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end < 0:
            raise InputError(f"{where}: front matter starts with --- but never ends")
        fields = front_matter(text[4:end], where)
        text = text[end + 4 :].lstrip("-").lstrip("\n")
    if not text.strip():
        raise InputError(f"{where}: empty article")
    return Article(
        text=text,
        source=name,
        title=_text(fields.get("title")),
        url=_text(fields.get("url")),
        outlet=_text(fields.get("outlet")),
        published=parse_date(fields.get("published"), where),
    )


MAX_FRONT_MATTER = 64_000  # characters
MAX_FIELD = 2_000  # characters of one metadata field


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases (a few hundred bytes of nested aliases can stand for
    gigabytes) and with dates left as text, for parse_date to check."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            raise yaml.YAMLError("anchors and aliases (&name, *name) are not allowed")
        return super().compose_node(parent, index)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def front_matter(block: str, where: str) -> dict:
    """The key: value lines between the --- lines, checked: size, YAML, shape and field lengths."""
    if len(block) > MAX_FRONT_MATTER:
        raise InputError(f"{where}: front matter longer than {MAX_FRONT_MATTER} characters")
    try:
        fields = yaml.load(block, Loader=_FrontMatterLoader) or {}  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as error:
        raise InputError(f"{where}: malformed front matter: {str(error).splitlines()[0]}") from error
    if not isinstance(fields, dict):
        raise InputError(f"{where}: front matter must be a list of key: value lines")
    for key in METADATA_KEYS:
        if len(str(fields.get(key) or "")) > MAX_FIELD:
            raise InputError(f"{where}: front matter {key} is longer than {MAX_FIELD} characters")
    return fields


def _unicode_text(text: str, where: str) -> str:
    """The text, when every character in it can be written as UTF-8 (a lone surrogate cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"{where}: holds {text[error.start]!r} at character {error.start}, which is not text"
        ) from None
    return text


def parse_date(value, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"{where}: published date {value!r} is not YYYY-MM-DD") from None


def _text(value) -> str | None:
    return None if value is None else str(value).strip() or None


PARSERS = {
    ".txt": parse_article,
    ".md": parse_article,
    ".markdown": parse_article,
    ".html": parse_html,
    ".htm": parse_html,
}
