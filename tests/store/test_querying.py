import csv
import io
import json

import pytest

from peelgraph.errors import QueryError
from peelgraph.store import named
from peelgraph.store.querying import parse_values, run, to_csv, to_json, to_jsonl, update, uses_service

HEADERS = {
    "judgements": "force,round,area,grade,current,article,evidence",
    "people": "person,role,organisation,article",
    "quotes": "speaker,quote,article",
    "findings": "force,kind,text,article",
    "statistics": "value,unit,measure,force,article",
    "timeline": "force,area,round,grade",
    "conflicts": "force,round,area,grades,articles",
}


@pytest.mark.parametrize("name", HEADERS)
def test_named_query_headers_are_the_contract(seed_store, name):
    assert to_csv(run(seed_store, name)).splitlines()[0] == HEADERS[name]


def test_judgements_rows_from_the_seeds(seed_store):
    rows = list(csv.DictReader(io.StringIO(to_csv(run(seed_store, "judgements")))))
    seed = {
        (r["force"], r["round"], r["area"], r["grade"], r["current"])
        for r in rows
        if r["article"] == "000_5f446c495461b7a9.txt"
    }
    assert seed == {
        ("Cambridgeshire Constabulary", "2018/19", area, "good", "true")
        for area in ("effectiveness", "efficiency", "legitimacy")
    }
    assert all(r["evidence"] for r in rows)


def test_timeline_is_ordered_by_round(seed_store):
    rows = [
        r
        for r in run(seed_store, "timeline").records()
        if r["force"] == "Cambridgeshire Constabulary" and r["area"] == "effectiveness"
    ]
    assert [(r["round"], r["grade"]) for r in rows] == [("2015", "requires improvement"), ("2018/19", "good")]


def test_conflicting_articles_are_reported(tmp_path):
    from peelgraph.pipeline.compose import ingest
    from peelgraph.store import EmbeddedStore

    (tmp_path / "a.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    (tmp_path / "b.txt").write_text("In PEEL 2016, Kent Police was rated inadequate at investigating crime.")
    with EmbeddedStore() as store:
        ingest(store, [tmp_path])
        rows = run(store, "conflicts").records()
    assert len(rows) == 1
    row = rows[0]
    assert (row["force"], row["round"], row["area"]) == (
        "Kent Police",
        "2016",
        "investigating crime and reducing re-offending",
    )
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


def with_values_clause(name: str, variable: str, value: str) -> str:
    text = named.text(name)
    where = text.index("WHERE {") + len("WHERE {")
    return text[:where] + f' VALUES ?{variable} {{ "{value}" }}' + text[where:]


@pytest.mark.parametrize("name", ["timeline", "judgements", "people"])
def test_values_keep_the_rows_a_values_clause_would(seed_store, name):
    column = "organisation" if name == "people" else "force"
    every = run(seed_store, name).records()
    force = every[-1][column]
    picked = run(seed_store, name, {column: force})
    assert picked.rows == run(seed_store, with_values_clause(name, column, force)).rows
    assert [dict(zip(picked.columns, row, strict=True)) for row in picked.rows] == [
        r for r in every if r[column] == force
    ]
    assert 0 < len(picked.rows) < len(every)


def test_values_take_an_iri_in_angle_brackets(seed_store):
    query = (
        "SELECT ?force ?name WHERE { ?force a <https://w3id.org/peelgraph/ontology#PoliceForce> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    )
    iri = "https://w3id.org/peelgraph/id/force/cambridgeshire-constabulary"
    assert set(run(seed_store, query, {"force": f"<{iri}>"}).rows) == {(iri, "Cambridgeshire Constabulary")}
    assert run(seed_store, query, {"force": iri}).rows == ()  # text is not the IRI


def test_values_name_a_column_of_the_result(seed_store):
    with pytest.raises(QueryError, match="^--values: no column colour; the columns are force, area, round, grade$"):
        run(seed_store, "timeline", {"colour": "blue"})
    with pytest.raises(QueryError, match=r"does not contains variable \?colour in its SELECT projection"):
        run(seed_store, named.text("timeline"), {"colour": "blue"})  # Oxigraph's own words, from SPARQL
    with pytest.raises(QueryError, match="--values needs a SELECT query"):
        run(seed_store, "ASK { ?s ?p ?o }", {"s": "x"})


@pytest.mark.parametrize(
    "pairs, message",
    [
        (("force",), "give --values as VARIABLE=VALUE"),
        (("=Kent Police",), "give --values as VARIABLE=VALUE"),
        (("force=Kent Police", "?force=Essex Police"), "gives force twice"),
    ],
)
def test_values_are_variable_equals_value(pairs, message):
    with pytest.raises(QueryError, match=message):
        parse_values(pairs)


def test_values_keep_spaces_and_equals_signs_in_the_value():
    assert parse_values(("?force=Kent Police", "text=a=b")) == {"force": "Kent Police", "text": "a=b"}


@pytest.mark.parametrize(
    "typed, shown",
    [("kent", "Kent Police"), ("KENT POLICE", "Kent Police"), ("Devon and Cornwall", "Devon & Cornwall Police")],
)
def test_values_take_any_name_the_gazetteer_knows(sample_store, typed, shown):
    rows = run(sample_store, "judgements", {"force": typed}).records()
    assert rows and {r["force"] for r in rows} == {shown}


def test_values_take_a_round_in_either_spelling(sample_store):
    assert (
        run(sample_store, "judgements", {"round": "2021-22"}).rows
        == run(sample_store, "judgements", {"round": "2021/22"}).rows
        != ()
    )


def test_values_in_another_case_than_the_store_holds(sample_store):
    assert {r["person"] for r in run(sample_store, "people", {"person": "jon boutcher"}).records()} == {"Jon Boutcher"}


def test_a_value_nobody_knows_names_the_closest(sample_store):
    with pytest.raises(QueryError, match=r"^--values force='Kentt' matches nothing .*; closest: Kent Police"):
        run(sample_store, "judgements", {"force": "Kentt"})
    with pytest.raises(QueryError, match=r"closest: Jon Boutcher$"):
        run(sample_store, "people", {"person": "Jon Butcher"})


def test_a_known_name_without_facts_is_no_rows_and_a_note(sample_store):
    result = run(sample_store, "judgements", {"force": "the Met"})
    assert result.rows == ()
    assert result.note == "no rows for force='Metropolitan Police Service': known, but the store holds no such facts"


def test_jsonl_is_one_typed_object_per_row(sample_store):
    lines = to_jsonl(run(sample_store, "judgements")).splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == len(run(sample_store, "judgements").rows) > 0
    assert {type(r["current"]) for r in rows} == {bool}
    assert list(rows[0]) == ["force", "round", "area", "grade", "current", "article", "evidence"]
    counted = json.loads(
        to_jsonl(
            run(
                sample_store,
                "SELECT (1 AS ?n) (1.5 AS ?x) (<urn:a> AS ?iri) ?none { OPTIONAL { ?none a <urn:nothing> } }",
            )
        )
    )
    assert counted == {"n": 1, "x": 1.5, "iri": "urn:a", "none": None}


def test_values_match_typed_columns_by_their_text(sample_store):
    current = run(sample_store, "judgements", {"current": "true"}).records()
    assert current and {r["current"] for r in current} == {"true"}
    assert len(current) < len(run(sample_store, "judgements").rows)


@pytest.mark.parametrize(
    "sparql, calls_out",
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/> {} }", True),
        ("SELECT * {SERVICE<http://x/>{}}", True),
        ('SELECT ?service WHERE { ?s <urn:x#service> ?service ; <urn:says> "SERVICE" } # SERVICE', False),
        ("PREFIX service: <urn:s:> SELECT * WHERE { ?s service:p ?o }", False),
    ],
)
def test_service_is_found_only_where_it_is_a_keyword(sparql, calls_out):
    assert uses_service(sparql) is calls_out


def test_service_is_refused_unless_allowed(sample_store):
    sparql = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="uses SERVICE, .* pass --allow-service"):
        run(sample_store, sparql)
    with pytest.raises(QueryError, match="uses SERVICE"):
        update(sample_store, "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="^query failed: ") as allowed:  # let through, to a port that refuses
        run(sample_store, sparql, allow_service=True)
    assert "allow-service" not in str(allowed.value)
