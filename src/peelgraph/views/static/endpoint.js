/* The query page's script (served by `peelgraph serve`, see store/serve.py): fills the query box from the named
 * queries the page carries, sends the query to this server's /query and shows the answer as a table. Text from
 * the store is only ever put on the page as text, never as markup. */
(function () {
  "use strict";

  const SHOWN = 1000; // rows put in the table; the count says how many there were
  const ACCEPT = "application/sparql-results+json, application/n-triples";

  const examples = JSON.parse(document.getElementById("examples").textContent);
  const example = document.getElementById("example");
  const query = document.getElementById("query");
  const run = document.getElementById("run");
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  const results = document.getElementById("results");

  // An HTML element holding text, never markup.
  function h(name, text, parent, className) {
    const element = document.createElement(name);
    if (text !== null && text !== undefined) element.textContent = text;
    if (className) element.className = className;
    if (parent) parent.appendChild(element);
    return element;
  }

  const plural = (count, one, many = `${one}s`) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

  // ---- the answer ------------------------------------------------------------------------------

  // One term of a SPARQL JSON result, as text in a table cell.
  function term(cell, value) {
    if (!value) {
      cell.className = "unbound";
      return;
    }
    const show = {
      uri: () => h("span", value.value, cell, "iri"),
      bnode: () => h("span", `_:${value.value}`, cell),
      literal: () => {
        h("span", value.value, cell);
        if (value["xml:lang"]) h("span", ` @${value["xml:lang"]}`, cell, "tag");
        if (value.datatype) cell.title = value.datatype;
      },
      triple: () => {
        h("span", "<< ", cell);
        for (const part of ["subject", "predicate", "object"]) term(h("span", null, cell), value.value[part]);
        h("span", " >>", cell);
      },
    };
    (show[value.type] || (() => h("span", JSON.stringify(value), cell)))();
  }

  function showTable(data, seconds) {
    if ("boolean" in data) {
      h("p", data.boolean ? "yes (true)" : "no (false)", results, "boolean");
      status.textContent = `answered in ${seconds}`;
      return;
    }
    const columns = data.head.vars;
    const rows = data.results.bindings;
    const table = h("table", null, results);
    const header = h("tr", null, h("thead", null, table));
    for (const column of columns) h("th", column, header);
    const body = h("tbody", null, table);
    for (const row of rows.slice(0, SHOWN)) {
      const line = h("tr", null, body);
      for (const column of columns) term(h("td", null, line), row[column]);
    }
    const shown = rows.length > SHOWN ? ` (the first ${plural(SHOWN, "row")} shown)` : "";
    status.textContent = `${plural(rows.length, "row")} in ${seconds}${shown}`;
  }

  function showTriples(text, seconds) {
    const count = text.split("\n").filter((line) => line.trim()).length;
    h("pre", text, results);
    status.textContent = `${plural(count, "triple")} in ${seconds}`;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
    status.textContent = "failed";
  }

  // ---- asking ----------------------------------------------------------------------------------

  async function ask() {
    const sparql = query.value.trim();
    if (!sparql) {
      showError("Write a query first, or choose a named query.");
      return;
    }
    run.disabled = true;
    error.hidden = true;
    results.replaceChildren();
    status.textContent = "running\u2026";
    const started = window.performance.now();
    try {
      const response = await window.fetch("query", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
        body: new window.URLSearchParams({ query: sparql }),
      });
      const text = await response.text();
      const seconds = `${((window.performance.now() - started) / 1000).toFixed(2)} s`;
      if (!response.ok) {
        showError(`${response.status} ${response.statusText}\n${text.trim()}`);
      } else if ((response.headers.get("Content-Type") || "").includes("json")) {
        showTable(JSON.parse(text), seconds);
      } else {
        showTriples(text, seconds);
      }
    } catch (failure) {
      showError(`No answer from the endpoint: ${failure.message}`);
    } finally {
      run.disabled = false;
    }
  }

  // ---- the controls ----------------------------------------------------------------------------

  for (const name of Object.keys(examples)) h("option", name, example).value = name;
  example.addEventListener("change", () => {
    if (example.value) query.value = examples[example.value];
  });
  run.addEventListener("click", ask);
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      ask();
    }
  });
  document.body.dataset.ready = "";
})();
