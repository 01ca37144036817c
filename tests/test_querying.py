import csv
import io
import json

import pytest

from peelgraph.errors import QueryError
from peelgraph.querying import run, to_csv, to_json

HEADERS = {
    "judgements": "force,round,area,grade,current,article,evidence",
    "people": "person,role,organisation,article",
    "quotes": "speaker,quote,article",
    "findings": "force,kind,text,article",
    "statistics": "value,unit,measure,article",
    "timeline": "force,area,round,grade",
    "conflicts": "force,round,area,grades,articles",
}


@pytest.mark.parametrize("name", HEADERS)
def test_named_query_headers_are_the_contract(seed_store, name):
    assert to_csv(run(seed_store, name)).splitlines()[0] == HEADERS[name]


def test_judgements_rows_from_the_seeds(seed_store):
    rows = list(csv.DictReader(io.StringIO(to_csv(run(seed_store, "judgements")))))
    seed = {(r["force"], r["round"], r["area"], r["grade"], r["current"]) for r in rows if r["article"] == "000_5f446c495461b7a9.txt"}
    assert seed == {
        ("Cambridgeshire Constabulary", "2018/19", area, "good", "true") for area in ("effectiveness", "efficiency", "legitimacy")
    }
    assert all(r["evidence"] for r in rows)


def test_timeline_is_ordered_by_round(seed_store):
    rows = [r for r in run(seed_store, "timeline").records() if r["force"] == "Cambridgeshire Constabulary" and r["area"] == "effectiveness"]
    assert [(r["round"], r["grade"]) for r in rows] == [("2015", "requires improvement"), ("2018/19", "good")]


def test_conflicting_articles_are_reported(tmp_path):
    from peelgraph.pipeline import ingest
    from peelgraph.store import Store

    (tmp_path / "a.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    (tmp_path / "b.txt").write_text("In PEEL 2016, Kent Police was rated inadequate at investigating crime.")
    with Store() as store:
        ingest(store, [tmp_path])
        rows = run(store, "conflicts").records()
    assert len(rows) == 1
    row = rows[0]
    assert (row["force"], row["round"], row["area"]) == ("Kent Police", "2016", "investigating crime")
    assert sorted(row["grades"].split(" | ")) == ["good", "inadequate"]
    assert sorted(row["articles"].split(" | ")) == ["a.txt", "b.txt"]


def test_json_results_format(seed_store):
    data = json.loads(to_json(run(seed_store, "people")))
    assert data["head"]["vars"] == ["person", "role", "organisation", "article"]
    assert {"type": "literal", "value": "Nick Dean"} in [b["person"] for b in data["results"]["bindings"]]


def test_syntax_error_says_where(seed_store):
    with pytest.raises(QueryError, match=r"1:\d+"):
        run(seed_store, "SELECT ?x WHERE { ?x ?y }")


def test_unknown_name_lists_the_named_queries(seed_store):
    with pytest.raises(QueryError, match="judgements"):
        run(seed_store, "judgement")
