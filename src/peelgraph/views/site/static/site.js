/* The static site's one script: the index's choice of round, and the search box on every page. Text is
 * only ever put on the page as text, never as markup, and nothing is loaded. */
(function () {
  "use strict";

  const root = document.body.dataset.root || "";

  // "Zoë", "zoe" and "ZOE" alike; "&" as "and".
  function folded(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function setUpViews() {
    const select = document.getElementById("view");
    const views = Array.from(document.querySelectorAll("[data-view]"));
    if (!select || views.length === 0) {
      return;
    }
    function show(id) {
      views.forEach(function (view) {
        view.hidden = view.id !== id;
      });
      select.value = id;
    }
    const wanted = decodeURIComponent(location.hash.slice(1));
    show(views.some((view) => view.id === wanted) ? wanted : select.value);
    select.addEventListener("change", function () {
      show(select.value);
      try {
        history.replaceState(null, "", "#" + select.value);
      } catch {
        // some browsers keep pages opened from disk from changing their address: the choice still shows
      }
    });
    document.getElementById("view-control").hidden = false;
  }

  // Every name one may search for, with the pages it leads to, from the page's compact index
  // (pages.search_index): forces, rounds and posts are named there by their place in their list.
  function readEntries(index) {
    const entries = [];
    function add(name, kind, aliases, links) {
      entries.push({ name: name, kind: kind, links: links, keys: [name].concat(aliases).map(folded) });
    }
    index.forces.forEach(function ([name, page, region, aliases]) {
      add(name, "force", aliases, [[region, page]]);
    });
    index.people.forEach(function ([name, posts, quoted]) {
      const links = posts.map(function ([force, role]) {
        return [index.roles[role] + ", " + index.forces[force][0], index.forces[force][1] + "#people"];
      });
      quoted.forEach(function (force) {
        links.push(["quoted, " + index.forces[force][0], index.forces[force][1] + "#quotes"]);
      });
      add(name, "person", [], links);
    });
    index.areas.forEach(function ([name, rounds]) {
      add(name, "area", [], rounds.map((round) => index.rounds[round]));
    });
    return entries;
  }

  function setUpSearch() {
    const form = document.getElementById("search-form");
    const box = document.getElementById("search");
    const list = document.getElementById("search-results");
    const status = document.getElementById("search-status");
    const data = document.getElementById("search-data");
    if (!form || !box || !data) {
      return;
    }
    const entries = readEntries(JSON.parse(data.textContent));
    const most = 20;

    function found(query) {
      const matches = entries.filter((entry) => entry.keys.some((key) => key.includes(query)));
      const starts = (entry) => (entry.keys.some((key) => key.startsWith(query)) ? 0 : 1);
      return matches.sort((a, b) => starts(a) - starts(b) || a.name.localeCompare(b.name));
    }

    function update() {
      const query = folded(box.value);
      list.replaceChildren();
      if (!query) {
        status.textContent = "";
        return;
      }
      const matches = found(query);
      let shown = 0;
      for (const entry of matches) {
        for (const [label, href] of entry.links) {
          if (shown === most) {
            break;
          }
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = root + href;
          link.textContent = entry.name;
          const kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = entry.kind + (label ? " · " + label : "");
          item.append(link, kind);
          list.append(item);
          shown += 1;
        }
      }
      status.textContent = matches.length === 0 ? "Nothing found" : matches.length + " found";
    }

    box.addEventListener("input", update);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        box.value = "";
        update();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const first = list.querySelector("a");
      if (first) {
        location.href = first.href;
      }
    });
    form.hidden = false;
  }

  setUpViews();
  setUpSearch();
})();
