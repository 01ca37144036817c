/* The graph page's script (see html_view.py). cytoscape.js draws the graph and does the layout, pan, zoom and
 * node dragging; this script gives it the look of the style table and adds the legend, search, side panel and
 * buttons. Text from the graph is only ever put on the page as text, never as markup. */
(function () {
  "use strict";

  // Labels by zoom: cytoscape draws one when its font size times the zoom, rounded up to a power of two, reaches
  // its min-zoomed-font-size. Every label is drawn from zoom 2 up (ALL), and the labelled kinds' from zoom 1/4 up
  // (SOME); the selected node's, its neighbours' and the search matches' always.
  const ALL = 4;
  const SOME = 0.5;
  const NODE_FONT = 11;
  const EDGE_FONT = 9;
  const FIT_PADDING = 40;
  const MAX_FIT_ZOOM = 1.6;
  const CIRCLE_UP_TO = 40; // nodes laid out on a circle, when the data has no layout; more go on a grid

  const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
  const table = readJson("style-table");
  const data = readJson("graph-data");
  const container = document.getElementById("graph");
  const panel = document.getElementById("panel");
  const search = document.getElementById("search");
  const searchResult = document.getElementById("search-result");

  // An HTML element holding text, never markup.
  function h(name, text, parent, className) {
    const element = document.createElement(name);
    if (text !== null && text !== undefined) element.textContent = text;
    if (className) element.className = className;
    if (parent) parent.appendChild(element);
    return element;
  }

  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

  // ---- the graph -------------------------------------------------------------------------------

  // The data's layout (any unit, y up) scaled to the page (y down), or null when some node has none.
  function givenPositions() {
    const nodes = data.nodes;
    if (!nodes.length || !nodes.every((n) => typeof n.x === "number" && typeof n.y === "number")) return null;
    const xs = nodes.map((n) => n.x);
    const ys = nodes.map((n) => n.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const span = Math.max(maxX - minX, maxY - minY);
    if (!span) return null;
    const scale = Math.max(500, 70 * Math.sqrt(nodes.length)) / span;
    const position = (n) => ({ x: (n.x - (minX + maxX) / 2) * scale, y: -(n.y - (minY + maxY) / 2) * scale });
    return new Map(nodes.map((n) => [n.id, position(n)]));
  }

  function elements(positions) {
    const nodes = data.nodes.map((n) => ({
      group: "nodes",
      data: {
        id: n.id,
        label: n.label,
        caption: n.caption || n.label,
        kind: table.kinds[n.kind] ? n.kind : "other",
        grade: n.properties.grade || "",
        properties: n.properties,
        evidence: n.evidence,
      },
      position: positions ? positions.get(n.id) : undefined,
    }));
    const ids = new Set(data.nodes.map((n) => n.id));
    const edges = data.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ group: "edges", data: { source: e.source, target: e.target, label: e.label } }));
    return nodes.concat(edges);
  }

  function layout(positions) {
    if (positions) return { name: "preset" };
    if (data.nodes.length <= CIRCLE_UP_TO) return { name: "circle", avoidOverlap: true };
    const order = Object.keys(table.kinds);
    const byKind = (a, b) =>
      order.indexOf(a.data("kind")) - order.indexOf(b.data("kind")) ||
      compare(a.data("label"), b.data("label")) ||
      compare(a.id(), b.id());
    return { name: "grid", avoidOverlap: true, sort: byKind };
  }

  // The style table as a cytoscape stylesheet, then the looks of selection, search and hidden kinds.
  function stylesheet() {
    const sheet = [
      {
        selector: "node",
        style: {
          "border-width": 1.5,
          "border-color": "#ffffff",
          label: "data(caption)",
          "font-size": NODE_FONT,
          color: "#1d1d1f",
          "text-valign": "center",
          "text-halign": "right",
          "text-margin-x": 4,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          "text-wrap": "ellipsis",
          "text-max-width": "280px",
          "min-zoomed-font-size": NODE_FONT * ALL,
        },
      },
      {
        selector: "edge",
        style: {
          width: 1.2,
          "curve-style": "bezier",
          "line-color": "#9a9aa6",
          "target-arrow-color": "#9a9aa6",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          label: "data(label)",
          "font-size": EDGE_FONT,
          color: "#4a4a55",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          "text-wrap": "ellipsis",
          "text-max-width": "200px",
          "min-zoomed-font-size": EDGE_FONT * ALL,
        },
      },
    ];
    for (const [kind, look] of Object.entries(table.kinds)) {
      const shape = table.shapes[look.shape];
      const style = { "background-color": look.colour, height: look.size, width: look.size * (shape.aspect || 1) };
      if (shape.points) {
        style.shape = "polygon";
        style["shape-polygon-points"] = shape.points.join(" ");
      } else {
        style.shape = shape.aspect ? "round-rectangle" : "ellipse";
      }
      if (shape.border) Object.assign(style, { "border-style": shape.border, "border-color": "#6b6b6b" });
      if (look.labelled) style["min-zoomed-font-size"] = NODE_FONT * SOME;
      sheet.push({ selector: `node[kind = "${kind}"]`, style });
    }
    for (const [grade, colour] of Object.entries(table.grades)) {
      sheet.push({ selector: `node[grade = "${grade}"]`, style: { "background-color": colour } });
    }
    sheet.push(
      { selector: "node.neighbour", style: { "min-zoomed-font-size": NODE_FONT * SOME } },
      {
        selector: "node.match",
        style: { "border-color": "#facc15", "border-width": 5, "min-zoomed-font-size": 0, "z-index": 10 },
      },
      {
        selector: "node.selected",
        style: { "border-color": "#111111", "border-width": 3.5, "min-zoomed-font-size": 0, "z-index": 11 },
      },
      {
        selector: "edge.hot",
        style: { width: 2.2, "line-color": "#c2410c", "target-arrow-color": "#c2410c", "min-zoomed-font-size": 0 },
      },
      { selector: ".faded", style: { opacity: 0.35 } },
      { selector: ".hidden", style: { display: "none" } },
    );
    return sheet;
  }

  const positions = givenPositions();
  const cy = cytoscape({
    container,
    elements: elements(positions),
    style: stylesheet(),
    layout: layout(positions),
    minZoom: 0.03,
    maxZoom: 12,
    boxSelectionEnabled: false,
    autounselectify: true, // selection is this script's, with the side panel
  });
  window.cy = cy; // for the browser's console and the tests

  // ---- view ------------------------------------------------------------------------------------

  function fit() {
    const shown = cy.nodes(":visible");
    if (shown.empty()) return;
    cy.fit(shown, FIT_PADDING);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center(shown);
    }
  }

  function zoomBy(factor) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  function centreOn(node) {
    if (cy.zoom() < 1) cy.zoom(1);
    cy.center(node);
  }

  function relax() {
    const spread = cy.elements(":visible").layout({ name: "cose", randomize: false, animate: false, fit: false });
    spread.one("layoutstop", fit);
    spread.run();
  }

  // ---- selection and side panel ----------------------------------------------------------------

  let selected = null;

  function mark(node, on) {
    node.toggleClass("selected", on);
    node.connectedEdges().toggleClass("hot", on);
    node.neighborhood("node").not(node).toggleClass("neighbour", on);
  }

  function select(node) {
    if (selected) mark(selected, false);
    selected = node || null;
    if (selected) {
      mark(selected, true);
      fillPanel(selected);
    }
    panel.hidden = !selected;
    cy.resize(); // the panel takes its room from the drawing
  }

  function fillPanel(node) {
    const d = node.data();
    document.getElementById("panel-label").textContent = d.label;
    document.getElementById("panel-kind").textContent = d.kind;
    document.getElementById("panel-id").textContent = d.id;

    const properties = document.getElementById("panel-properties");
    properties.replaceChildren();
    const keys = Object.keys(d.properties).sort();
    for (const key of keys) {
      h("dt", key, properties);
      h("dd", d.properties[key], properties);
    }
    if (!keys.length) h("dd", "none", properties, "none");

    const links = document.getElementById("panel-links");
    links.replaceChildren();
    const link = (arrow, edge, other) => {
      const item = h("li", null, links);
      h("span", `${arrow} ${edge.data("label") || "link"} `, item, "meta");
      const button = h("button", other.data("label"), item, "link");
      button.type = "button";
      button.addEventListener("click", () => {
        select(other);
        centreOn(other);
      });
    };
    node.outgoers("edge").forEach((edge) => link("\u2192", edge, edge.target()));
    node.incomers("edge").forEach((edge) => link("\u2190", edge, edge.source()));
    if (node.connectedEdges().empty()) h("li", "none", links, "none");

    const evidence = document.getElementById("panel-evidence");
    evidence.replaceChildren();
    for (const item of d.evidence) {
      const entry = h("li", null, evidence);
      h("blockquote", item.sentence, entry, "sentence");
      const meta = h("div", null, entry, "meta");
      h("span", "article: ", meta);
      h("span", item.article, meta, "article");
      h("br", null, meta);
      h("span", "rule: ", meta);
      h("span", item.rule, meta, "rule");
    }
    if (!d.evidence.length) h("li", "none", evidence, "none");
  }

  // ---- search: matches are highlighted and the first centred; Enter shows the next one's details ----

  let matches = cy.collection();
  let current = -1;

  function runSearch() {
    cy.nodes().removeClass("match faded");
    const query = search.value.trim().toLowerCase();
    const text = (node) => `${node.data("label")}\n${node.data("caption")}`.toLowerCase();
    matches = query ? cy.nodes().filter((node) => text(node).includes(query)) : cy.collection();
    current = -1;
    if (matches.nonempty()) {
      matches.addClass("match");
      cy.nodes().not(matches).addClass("faded");
      centreOn(matches[0]);
    }
    searchResult.textContent = !query ? "" : matches.empty() ? "no match" : plural(matches.length, "match", "matches");
  }

  function nextMatch(event) {
    if (event.key !== "Enter" || matches.empty()) return;
    event.preventDefault();
    const count = matches.length;
    current = current < 0 ? 0 : (current + (event.shiftKey ? count - 1 : 1)) % count;
    select(matches[current]);
    centreOn(matches[current]);
    searchResult.textContent = `${current + 1} of ${count}`;
  }

  // ---- legend and counts -----------------------------------------------------------------------

  // A kind's or a grade's icon, drawn with the style table's colour and outline.
  function icon(colour, shapeName) {
    const shape = table.shapes[shapeName];
    const span = h("span", null, null, "icon");
    span.style.backgroundColor = colour;
    if (shape.points) {
      const corners = [];
      for (let i = 0; i < shape.points.length; i += 2) {
        corners.push(`${50 + 50 * shape.points[i]}% ${50 + 50 * shape.points[i + 1]}%`);
      }
      span.style.clipPath = `polygon(${corners.join(", ")})`;
    } else {
      span.style.borderRadius = "7px";
    }
    if (shape.aspect) span.style.width = `${14 * shape.aspect}px`;
    if (shape.border) span.style.border = `1.5px ${shape.border} #6b6b6b`;
    return span;
  }

  function legend() {
    const kinds = document.getElementById("legend-items");
    for (const [kind, look] of Object.entries(table.kinds)) {
      const nodes = cy.nodes(`[kind = "${kind}"]`);
      if (nodes.empty()) continue;
      const item = h("li", null, kinds);
      item.dataset.kind = kind;
      item.setAttribute("role", "button");
      item.tabIndex = 0;
      item.appendChild(icon(look.colour, look.shape));
      h("span", `${kind} (${nodes.length})`, item);
      const toggle = () => nodes.toggleClass("hidden", item.classList.toggle("off"));
      item.addEventListener("click", toggle);
      item.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        toggle();
      });
    }
    const grades = document.getElementById("legend-grades");
    for (const [grade, colour] of Object.entries(table.grades)) {
      const count = cy.nodes(`[grade = "${grade}"]`).length;
      if (!count) continue;
      const item = h("li", null, grades);
      item.appendChild(icon(colour, table.kinds.judgement.shape));
      h("span", `${grade} (${count})`, item);
      document.getElementById("grades-heading").hidden = false;
    }
    document.getElementById("counts").textContent =
      `${plural(cy.nodes().length, "node")}, ${plural(cy.edges().length, "edge")}`;
  }

  // ---- wiring ----------------------------------------------------------------------------------

  cy.on("tap", "node", (event) => select(event.target));
  cy.on("tap", (event) => {
    if (event.target === cy) select(null);
  });
  cy.on("mouseover", "node", (event) => {
    container.title = `${event.target.data("label")} (${event.target.data("kind")})`;
  });
  cy.on("mouseout", "node", () => {
    container.title = "";
  });
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", nextMatch);
  document.getElementById("zoom-in").addEventListener("click", () => zoomBy(1.25));
  document.getElementById("zoom-out").addEventListener("click", () => zoomBy(0.8));
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.getElementById("relax").addEventListener("click", relax);
  document.getElementById("panel-close").addEventListener("click", () => select(null));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (document.activeElement === search && search.value) {
      search.value = "";
      runSearch();
    } else {
      select(null);
    }
  });

  legend();
  fit();
  document.getElementById("empty").hidden = cy.nodes().nonempty();
  container.dataset.ready = "true";
})();
