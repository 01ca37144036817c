"""The static site: what its pages and CSV files hold (no browser), and how it behaves opened from disk
in real headless Chromium (skipped without one, as the HTML view's tests are)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from peelgraph.errors import InputError
from peelgraph.gazetteer import load
from peelgraph.pipeline.compose import ingest
from peelgraph.store import EmbeddedStore
from peelgraph.store.querying import run
from peelgraph.views import style
from peelgraph.views.site import write_site
from peelgraph.views.site.pages import Cell, Row, Table
from peelgraph.views.site.svg import inlined
from peelgraph.views.site.write import csv_text, ink
from tests.conftest import ROOT

HOSTILE = "Kent <b>graded</b> </script><img src=x onerror=alert(1)>"
GOOD = """---
title: "{title}"
outlet: "Kentish Courier"
published: 2016-11-03
url: https://example.org/kent-good
---
PEEL 2016: Kent Police was rated good at investigating crime.
"""
BAD = """---
title: "Kent Police inadequate, says inspectorate"
outlet: "Medway Messenger"
published: 2016-11-04
---
In PEEL 2016, Kent Police was rated inadequate at investigating crime.
"""


class Tables(HTMLParser):
    """The tables of a page, as text: by the id of their section, each with its CSV link, headers
    and rows (a group's label, which spans its rows on the page, first in each of them)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, dict] = {}
        self.section = self.row = self.cell = self.group = None
        self.head = self.spanning = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "block" in (attrs.get("class") or "").split():
            self.section = self.found.setdefault(attrs["id"], {"csv": None, "headers": [], "rows": []})
        elif self.section is None:
            return
        elif tag == "a" and self.row is None and (attrs.get("href") or "").endswith(".csv"):
            self.section["csv"] = attrs["href"]
        elif tag in ("thead", "tbody"):
            self.head, self.group = tag == "thead", None
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self.cell, self.spanning = [], attrs.get("scope") == "rowgroup"

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            if self.spanning:
                self.group = text
            else:
                self.row.append(text)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.head:
                self.section["headers"] = self.row
            else:
                self.section["rows"].append(([self.group] if self.group is not None else []) + self.row)
            self.row = None
        elif tag == "section":
            self.section = None


def tables(path: Path) -> dict[str, dict]:
    return Tables(path.read_text(encoding="utf-8")).found


def read_csv_text(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def read_csv(path: Path) -> list[list[str]]:
    return read_csv_text(path.read_text(encoding="utf-8"))


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def force_page(folder: Path, name: str) -> Path:
    slug = next(f.slug for f in load().forces.values() if f.name == name)
    return folder / "forces" / f"{slug}.html"


@pytest.fixture(scope="module")
def sample_site(sample_store, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "atlas"
    summary = write_site(sample_store, folder)
    assert summary.index == folder / "index.html" and summary.notes == ()
    return folder


@pytest.fixture(scope="module")
def conflict_site(tmp_path_factory) -> Path:
    """A site of two articles giving Kent Police two grades for the same round and area."""
    articles = tmp_path_factory.mktemp("articles")
    (articles / "good.md").write_text(GOOD.format(title=HOSTILE.replace('"', "'")), encoding="utf-8")
    (articles / "bad.md").write_text(BAD, encoding="utf-8")
    folder = tmp_path_factory.mktemp("site") / "atlas"
    with EmbeddedStore() as store:
        assert not ingest(store, [articles]).failed
        assert len(run(store, "conflicts").rows) == 1
        write_site(store, folder)
    return folder


# ---- content, no browser ---------------------------------------------------------------------


def test_site_of_the_samples(sample_store, sample_site):
    forces = sorted({row["force"] for row in run(sample_store, "judgements").records()})
    assert sorted(p.name for p in (sample_site / "forces").glob("*.html")) == sorted(
        force_page(sample_site, name).name for name in forces
    )
    assert len(list((sample_site / "rounds").glob("*.html"))) == len(load().rounds)
    index = tables(sample_site / "index.html")
    assert index["latest"]["headers"][:2] == ["Region", "Force"]
    assert {row[1] for row in index["latest"]["rows"]} == set(forces)
    assert {"round-2016", "round-2021-22", "round-2023-25", "disagreements", "rounds", "forces"} <= set(index)
    assert index["disagreements"]["rows"] == []  # the samples agree with each other


def test_every_judgement_is_on_its_force_page_with_its_sentence(sample_store, sample_site):
    rows = run(sample_store, "judgements").records()
    assert len(rows) > 40
    pages = {}
    for row in rows:
        path = force_page(sample_site, row["force"])
        pages.setdefault(path, tables(path)["judgements"])
        table = pages[path]
        column = {header: i for i, header in enumerate(table["headers"])}
        sentence = " ".join(row["evidence"].split())
        found = [
            shown
            for shown in table["rows"]
            if (shown[column["Round"]], shown[column["Area"]], shown[column["Sentence"]])
            == (row["round"], row["area"], sentence)
            and shown[column["Grade"]].split(" ⚠")[0] == row["grade"]
            and shown[column["Reported as"]] == ("current" if row["current"] == "true" else "past")
        ]
        assert found, f"{row} is not on {path.name}"
        assert all(re.fullmatch(r"\d\.\d\d", shown[column["Confidence"]]) for shown in found)
        assert all(shown[column["Rule"]].startswith("judgement.") for shown in found)


def test_articles_are_named_with_outlet_date_and_link(sample_site):
    page = force_page(sample_site, "Greater Manchester Police")
    judgements = tables(page)["judgements"]
    column = {header: i for i, header in enumerate(judgements["headers"])}
    assert {(r[column["Outlet"]], r[column["Published"]]) for r in judgements["rows"]} == {
        ("Irwell and Mersey Evening Courier", "2022-03-03")
    }
    text = page.read_text(encoding="utf-8")
    assert 'href="https://example.org/news/2022/03/03/greater-manchester-police-peel-still-falling-short"' in text
    people = tables(page)["people"]
    assert ["Stephen Watson", "Chief Constable"] in [row[:2] for row in people["rows"]]


def test_every_table_has_a_csv_with_its_columns_and_rows(sample_site, conflict_site):
    checked = 0
    for folder in (sample_site, conflict_site):
        for page in sorted(folder.rglob("*.html")):
            for name, table in tables(page).items():
                if not table["rows"]:
                    assert table["csv"] is None, f"{page.name}#{name}: an empty table has no CSV link"
                    continue
                assert table["csv"], f"{page.name}#{name} has no CSV link"
                header, *rows = read_csv(page.parent / table["csv"])
                assert header == table["headers"], f"{table['csv']}: columns differ from the page's"
                shown = [[" ".join(cell.split()) for cell in row] for row in rows]
                assert shown == table["rows"], f"{table['csv']}: rows differ from the page's"
                checked += 1
    assert checked > 50


def test_a_conflict_is_on_the_index_and_the_force_page(conflict_site):
    index = tables(conflict_site / "index.html")
    (row,) = index["disagreements"]["rows"]
    assert row[:4] == [
        "Kent Police",
        "2016",
        "investigating crime and reducing re-offending",
        "inadequate | good ⚠ sources disagree",
    ]
    assert "“Kent Police inadequate, says inspectorate” (Medway Messenger, 2016-11-04) says inadequate" in row[4]
    assert "(Kentish Courier, 2016-11-03) says good" in row[4]
    for view in ("latest", "round-2016"):
        cells = index[view]["rows"][0]
        assert cells[:2] == ["South East", "Kent Police"]
        assert cells[2].startswith("inadequate | good") and cells[2].endswith("⚠ sources disagree"), cells
    html = (conflict_site / "index.html").read_text(encoding="utf-8")
    assert 'class="grades"' in html and '<span class="chip grade-inadequate">inadequate</span>' in html
    page = force_page(conflict_site, "Kent Police")
    (conflict,) = tables(page)["conflicts"]["rows"]
    assert conflict[:3] == ["2016", "investigating crime and reducing re-offending", "inadequate | good"]
    assert conflict[3] == row[4]


def test_text_from_articles_cannot_become_markup(conflict_site):
    page = force_page(conflict_site, "Kent Police")
    text = page.read_text(encoding="utf-8")
    assert "<b>" not in text and "<img" not in text
    assert "Kent &lt;b&gt;graded&lt;/b&gt; &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert text.lower().count("</script") == 2  # the search data and the script
    articles = tables(page)["articles"]
    assert HOSTILE in [row[0] for row in articles["rows"]]


def test_pages_load_nothing_and_allow_only_their_own_style_and_script(sample_site):
    for page in sorted(sample_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text).group(1)
        policy = policy.replace("&#39;", "'")
        (css,) = re.findall(r"<style>(.*?)</style>", text, re.DOTALL)
        (script,) = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)

        def source(code: str) -> str:
            return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"

        assert policy == (
            f"default-src 'none'; script-src {source(script)}; style-src {source(css)}; "
            "base-uri 'none'; form-action 'none'"
        )
        assert not re.search(r"<(link|img|iframe|object|embed)\b", text, re.IGNORECASE)
        assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.IGNORECASE)
        assert ' style="' not in text and "<style " not in text, "inline CSS the policy would block"
        outside_links = re.sub(r'<a href="[^"]*">[^<]*</a>', "", text)
        assert not re.search(r"https?://(?!www\.w3\.org/)", outside_links), page.name
        assert "url(" not in css


def test_grades_are_coloured_as_the_timeline_colours_them(sample_site):
    text = (sample_site / "index.html").read_text(encoding="utf-8")
    for grade, colour in style.GRADES.items():
        slug = grade.replace(" ", "-")
        assert f".grade-{slug} {{ background: {colour}; color: {ink(colour)}; }}" in text
    assert ink(style.GRADES["inadequate"]) == "#ffffff" and ink(style.GRADES["adequate"]) == "#000000"


def test_force_page_has_the_timeline_inline(sample_site):
    text = force_page(sample_site, "Greater Manchester Police").read_text(encoding="utf-8")
    (chart,) = re.findall(r"<svg .*?</svg>", text, re.DOTALL)
    assert 'role="img"' in chart and '<title id="chart-title">Greater Manchester Police: PEEL grades' in chart
    assert "<metadata" not in chart and "<style" not in chart
    assert style.GRADES["inadequate"] in chart


def test_same_store_same_files(sample_store, sample_site, tmp_path):
    again = tmp_path / "again"
    write_site(sample_store, again)
    first, second = tree(sample_site), tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_an_earlier_site_is_replaced_and_other_folders_refused(sample_store, tmp_path):
    folder = tmp_path / "atlas"
    write_site(sample_store, folder)
    (folder / "forces" / "stale.html").write_text("an earlier build's page")
    write_site(sample_store, folder)
    assert not (folder / "forces" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas"]

    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a site peelgraph wrote"):
        write_site(sample_store, precious)
    assert (precious / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a directory"):
        write_site(sample_store, tmp_path / "file")


def test_empty_store_gives_a_site_without_forces(tmp_path):
    with EmbeddedStore() as store:
        summary = write_site(store, tmp_path / "atlas")
    assert (summary.force_pages, summary.round_pages) == (0, len(load().rounds))
    assert tables(summary.index)["latest"]["rows"] == []


def test_site_command(tmp_path):
    (tmp_path / "a.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["--store", store, "ingest", str(tmp_path / "a.txt"), "-q"]).exit_code == 0
    result = runner.invoke(main, ["--store", store, "site", "--out", str(tmp_path / "atlas")])
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == f"Wrote {tmp_path / 'atlas' / 'index.html'} (1 force pages, {len(load().rounds)} round pages)\n"
    )
    refused = runner.invoke(main, ["--store", store, "site", "--out", str(tmp_path)])
    assert refused.exit_code == 2 and "not a site peelgraph wrote" in refused.output


def test_csv_cells_are_not_run_as_formulas():
    cells = ('=HYPERLINK("http://x")', "-5", "+1.5%", "@here", "good")
    table = Table("t", "caption", ("a", "b", "c", "d", "e"), (("", (Row(tuple(map(Cell, cells))),)),))
    text = csv_text(table)
    assert text.startswith("\ufeff")  # spreadsheets read it as UTF-8
    assert read_csv_text(text)[1] == ['\'=HYPERLINK("http://x")', "-5", "+1.5%", "'@here", "good"]


def test_svg_styles_become_attributes_and_ids_are_numbered():
    drawn = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt">'
        "<metadata>drawn 2026-01-01T10:00</metadata>"
        '<defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
        '<pattern id="h1a2b"><path d="M0 0" style="stroke: #fc8d59; stroke-width: 1.0"/></pattern>'
        '<path id="glyph-a" d="M1 1"/></defs>'
        '<g id="cell"><path d="M0 0" style="fill: url(#h1a2b); stroke: #fc8d59"/>'
        '<use xlink:href="#glyph-a"/></g></svg>'
    )
    made = inlined(drawn, "A & B")
    assert "style" not in made and "metadata" not in made and "2026" not in made
    assert made.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'stroke-linejoin="round" stroke-linecap="butt"' in made
    assert '<title id="chart-title">A &amp; B</title>' in made
    assert '<pattern id="chart-1"><path d="M0 0" stroke="#fc8d59" stroke-width="1.0" />' in made
    assert '<g id="chart-3"><path d="M0 0" fill="url(#chart-1)" stroke="#fc8d59" />' in made
    assert '<use xlink:href="#chart-2" />' in made


# ---- real headless Chromium -----------------------------------------------------------------


class Visit:
    """A page of the site opened from disk, with every request, console message and page error it
    caused, across the pages it goes on to."""

    def __init__(self, browser, path: Path, width: int = 1280):
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.resolve().as_uri())

    def check_clean(self, folder: Path):
        inside = folder.resolve().as_uri() + "/"
        outside = [url for url in self.requests if not url.startswith(inside)]
        assert not outside, f"requests outside the site: {outside}"
        assert not [text for kind, text in self.console if kind in ("error", "warning")], self.console
        assert not self.errors, f"page errors: {self.errors}"

    def shown_views(self) -> list[str]:
        return self.page.eval_on_selector_all("[data-view]", "views => views.filter(v => !v.hidden).map(v => v.id)")

    def screenshot(self, name: str):
        """For the README, only when asked (PEEL_SCREENSHOTS=1), so that test runs change no file."""
        if os.environ.get("PEELGRAPH_SCREENSHOTS") == "1":
            self.page.screenshot(path=str(ROOT / "docs" / "img" / name))


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(path: Path, width: int = 1280) -> Visit:
        visits.append(Visit(browser, path, width))
        return visits[-1]

    yield open_page
    for v in visits:
        v.page.close()


def test_index_round_choice_and_a_cell_to_its_sentence(visit, sample_site, sample_store):
    v = visit(sample_site / "index.html")
    page = v.page
    assert page.is_visible("#view")
    assert v.shown_views() == ["round-2023-25"]  # the latest round with grades
    page.select_option("#view", "round-2021-22")
    assert v.shown_views() == ["round-2021-22"]
    assert page.is_hidden("#round-2023-25")
    page.select_option("#view", "latest")
    assert v.shown_views() == ["latest"]
    v.screenshot("site-index.png")

    page.select_option("#view", "round-2021-22")
    cell = page.locator("#round-2021-22 td.grade a").first
    grade = cell.inner_text()
    cell.click()
    page.wait_for_url(re.compile(r"/forces/[a-z-]+\.html#j-2021-22-"))
    assert page.locator("svg.chart").is_visible()
    row = page.locator("tr:target")
    assert row.locator("td.grade").inner_text().startswith(grade)
    force = page.locator("h1").inner_text()
    sentences = {
        " ".join(r["evidence"].split())
        for r in run(sample_store, "judgements").records()
        if r["force"] == force and r["round"] == "2021/22"
    }
    assert row.locator("td.wide").inner_text() in sentences
    page.goto(force_page(sample_site, "Greater Manchester Police").resolve().as_uri())
    v.screenshot("site-force.png")
    v.check_clean(sample_site)


def test_a_link_to_a_round_opens_its_view(visit, sample_site):
    v = visit(sample_site / "rounds" / "2016.html")
    v.page.click("text=Each force's grades in this round")
    v.page.wait_for_url(re.compile(r"index\.html#round-2016$"))
    assert v.shown_views() == ["round-2016"]
    v.check_clean(sample_site)


def test_search(visit, sample_site):
    v = visit(sample_site / "forces" / "kent-police.html")
    page = v.page
    page.fill("#search", "gmp")
    first = page.locator("#search-results li").first
    assert first.locator("a").inner_text() == "Greater Manchester Police"
    page.fill("#search", "WATSON")
    assert page.inner_text("#search-status") == "1 found"
    assert page.locator("#search-results li").inner_text() == (
        "Stephen Watson\nperson · Chief Constable, Greater Manchester Police"
    )
    page.click("#search-results a")
    page.wait_for_url(re.compile(r"/forces/greater-manchester-police\.html#people$"))
    page.fill("#search", "investigating crime")
    areas = page.locator("#search-results li").all_inner_texts()
    assert "investigating crime\narea · PEEL 2021/22" in areas
    page.press("#search", "Enter")  # goes to the first
    page.wait_for_url(re.compile(r"/rounds/[0-9-]+\.html$"))
    page.fill("#search", "no such thing")
    assert page.inner_text("#search-status") == "Nothing found"
    page.press("#search", "Escape")
    assert page.input_value("#search") == "" and page.locator("#search-results li").count() == 0
    v.check_clean(sample_site)


def test_phone_width(visit, sample_site):
    v = visit(sample_site / "index.html", width=390)
    page = v.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page itself must not scroll sideways"
    widths = page.eval_on_selector("#round-2023-25 .scroll", "box => [box.scrollWidth, box.clientWidth]")
    assert widths[0] > widths[1], "the matrix scrolls sideways inside its box"
    v.page.goto(force_page(sample_site, "Greater Manchester Police").resolve().as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.eval_on_selector("svg.chart", "svg => svg.getBoundingClientRect().width") <= 390
    v.check_clean(sample_site)
