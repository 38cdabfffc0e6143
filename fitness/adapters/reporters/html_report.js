/* The HTML report's page script: sortable tables, the dependency structure matrix
   (expands and collapses by package), and the graphs (Cytoscape.js with dagre).
   Reads its data from the JSON element #fitness-data; fetches nothing. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("fitness-data").textContent);
  var report = (window.fitnessReport = { data: data });

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Sortable tables ------------------------------------------------------------------------
  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.getAttribute("data-sort") || cell.textContent : "";
    var number = parseFloat(text);
    return isNaN(number) ? text.toLowerCase() : number;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th.sortable").forEach(function (th, index) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var ascending = th.getAttribute("data-order") !== "asc";
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          if (x === y) { return 0; }
          return (x < y ? -1 : 1) * (ascending ? 1 : -1);
        });
        th.setAttribute("data-order", ascending ? "asc" : "desc");
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // The package tree -------------------------------------------------------------------------
  // Modules come in display order (top layer first), so a package's first module
  // decides its place among its siblings.
  var names = data.modules;
  var roots = [];
  var byName = {};
  function node(name, label, level) {
    return { name: name, label: label, level: level, kids: [], self: -1 };
  }
  for (var i = 0; i < data.internal; i++) {
    var parts = names[i].split(".");
    var siblings = roots, prefix = "";
    for (var p = 0; p < parts.length; p++) {
      prefix = p ? prefix + "." + parts[p] : parts[p];
      var found = byName[prefix];
      if (!found) {
        found = byName[prefix] = node(prefix, parts[p], p + 1);
        siblings.push(found);
      }
      siblings = found.kids;
      if (p === parts.length - 1) { found.self = i; }
    }
  }
  var depth = data.depth === null ? 1000 : data.depth;
  var expanded = {};
  function resetExpansion() {
    // The report's depth, or less if that would make more rows than the matrix shows.
    for (var level = depth; level >= 1; level--) {
      expanded = {};
      Object.keys(byName).forEach(function (name) {
        if (byName[name].level < level && byName[name].kids.length) { expanded[name] = true; }
      });
      if (entries().length <= MAX_ROWS) { return; }
    }
  }

  function entries() {
    var list = [];
    function walk(n) {
      if (expanded[n.name] && n.kids.length) {
        list.push({ node: n, self: true });  // the package's own row (its __init__)
        n.kids.forEach(walk);
      } else {
        list.push({ node: n, self: false });
      }
    }
    roots.forEach(walk);
    return list;
  }

  function mark(n, entry, owner) {
    if (n.self >= 0) { owner[n.self] = entry; }
    n.kids.forEach(function (k) { mark(k, entry, owner); });
  }

  // Strongly connected components (Tarjan, iterative) of the visible matrix.
  function components(count, adjacency) {
    var index = new Int32Array(count).fill(-1), low = new Int32Array(count);
    var onStack = new Uint8Array(count), comp = new Int32Array(count).fill(-1);
    var stack = [], next = 0, ncomp = 0;
    for (var start = 0; start < count; start++) {
      if (index[start] >= 0) { continue; }
      var work = [[start, 0]];
      index[start] = low[start] = next++; stack.push(start); onStack[start] = 1;
      while (work.length) {
        var top = work[work.length - 1], v = top[0], out = adjacency[v];
        if (top[1] < out.length) {
          var w = out[top[1]++];
          if (index[w] < 0) {
            index[w] = low[w] = next++; stack.push(w); onStack[w] = 1; work.push([w, 0]);
          } else if (onStack[w]) { low[v] = Math.min(low[v], index[w]); }
        } else {
          work.pop();
          if (work.length) { var u = work[work.length - 1][0]; low[u] = Math.min(low[u], low[v]); }
          if (low[v] === index[v]) {
            var x;
            do { x = stack.pop(); onStack[x] = 0; comp[x] = ncomp; } while (x !== v);
            ncomp++;
          }
        }
      }
    }
    return comp;
  }

  var flagOf = {};
  for (var f = 0; f < data.flags.length; f += 2) { flagOf[data.flags[f]] = data.flags[f + 1]; }

  // The layer row of each package of the report's depth that a layer frames (the rows
  // of the package graph: the declared layers of every `layers` rule, in order), to draw
  // a line in the matrix where one ends and the next begins.
  var layerLabel = {}, layerOf = {}, frameLabel = {};
  data.views[0].parents.forEach(function (p) { frameLabel[p[0]] = p[1]; });
  var spanLayer = {};  // a package above the depth: the one layer all of it is in, or "*"
  data.views[0].nodes.forEach(function (n) {
    var parts = n[0].split("."), layer = n[1] ? "row" + n[3] : "*";
    if (n[1]) {
      layerOf[n[0]] = layer;
      layerLabel[layer] = (layerLabel[layer] ? layerLabel[layer] + " | " : "") + frameLabel[n[1]];
    }
    for (var k = 1; k < parts.length; k++) {
      var above = parts.slice(0, k).join(".");
      var seen = spanLayer[above];
      spanLayer[above] = seen === undefined || seen === layer ? layer : "*";
    }
  });
  function layerOfEntry(name) {
    var parts = name.split(".");
    if (layerOf[name]) { return layerOf[name]; }
    if (parts.length >= depth) { return layerOf[parts.slice(0, depth).join(".")] || null; }
    return spanLayer[name] && spanLayer[name] !== "*" ? spanLayer[name] : null;
  }

  var dsmView = document.getElementById("dsm-view");
  var dsmStatus = document.getElementById("dsm-status");
  function renderMatrix(highlight) {
    var list = entries(), count = list.length;
    var owner = new Int32Array(data.internal).fill(-1);
    list.forEach(function (entry, k) {
      if (entry.self) {
        if (entry.node.self >= 0) { owner[entry.node.self] = k; }
      } else { mark(entry.node, k, owner); }
    });
    var cells = {}, adjacency = [];
    for (var a = 0; a < count; a++) { adjacency.push([]); }
    for (var edge = 0; 2 * edge < data.edges.length; edge++) {
      var s = data.edges[2 * edge], t = data.edges[2 * edge + 1];
      if (s >= data.internal || t >= data.internal) { continue; }
      var r = owner[s], c = owner[t];
      if (r < 0 || c < 0 || r === c) { continue; }
      var key = r * count + c, cell = cells[key];
      if (!cell) { cell = cells[key] = { n: 0, flag: 0 }; adjacency[r].push(c); }
      cell.n++;
      var flag = flagOf[edge] || 0;
      if (flag === 1 || (flag === 2 && cell.flag === 0)) { cell.flag = flag; }
    }
    var comp = components(count, adjacency);
    var cyclic = 0, sizes = {};
    for (var k = 0; k < count; k++) { sizes[comp[k]] = (sizes[comp[k]] || 0) + 1; }
    Object.keys(sizes).forEach(function (key) { if (sizes[key] > 1) { cyclic++; } });
    var html = ['<table class="dsm"><thead><tr><th class="row">package or module</th>'];
    list.forEach(function (entry, k) {
      html.push('<th class="col" data-header="' + k + '" title="' + esc(entry.node.name) +
        (entry.self ? " (__init__)" : "") + '">' + (k + 1) + "</th>");
    });
    html.push("</tr></thead><tbody>");
    var previousLayer = null;
    list.forEach(function (entry, row) {
      var n = entry.node, toggle = '<span class="pad"></span>';
      if (n.kids.length) {
        toggle = '<button type="button" class="toggle" data-name="' + esc(n.name) +
          '" aria-label="' + (entry.self ? "collapse " : "expand ") + esc(n.name) + '">' +
          (entry.self ? "&#9662;" : "&#9656;") + "</button>";
      }
      var label = esc(n.name) +
        (entry.self && n.self >= 0 ? ' <span class="muted">(__init__)</span>' : "");
      var indent = (n.level - 1) * 14;
      var layer = layerOfEntry(n.name);
      var classes = (highlight === n.name ? "found " : "") +
        (layer && previousLayer && layer !== previousLayer ? "layer-start" : "");
      previousLayer = layer || previousLayer;
      html.push('<tr data-package="' + esc(n.name) + '"' +
        (entry.self ? ' data-init="true"' : "") +
        (layer ? ' data-layer="' + esc(layerLabel[layer]) + '"' : "") +
        (classes.trim() ? ' class="' + classes.trim() + '"' : "") + ">" +
        '<th class="row" data-header="' + row + '" style="padding-left:' + (indent + 4) +
        'px" title="' + esc(n.name + (layer ? ", in the layer " + layerLabel[layer] : "")) +
        '">' + toggle +
        '<span class="n">' + (row + 1) + ".</span>" + label + "</th>");
      for (var col = 0; col < count; col++) {
        var position = ' data-row="' + row + '" data-col="' + col + '"';
        if (row === col) { html.push('<td class="diag"' + position + "></td>"); continue; }
        var cell = cells[row * count + col];
        if (!cell) { html.push("<td" + position + "></td>"); continue; }
        var kind = cell.flag === 1 ? "bad" : cell.flag === 2 ? "known" : "dep";
        // Below the diagonal, an import against the order; in one component, it closes
        // a cycle (every cycle has one, whatever the order).
        if (row > col && comp[row] === comp[col]) { kind += " cycle"; }
        html.push('<td class="' + kind + '"' + position + ' title="' +
          esc(n.name + " imports " + list[col].node.name + " (" + cell.n + ")") + '">' +
          cell.n + "</td>");
      }
      html.push("</tr>");
    });
    html.push("</tbody></table>");
    dsmView.innerHTML = html.join("");
    dsmStatus.textContent = count + " rows; " + cyclic + " cycle group(s)";
    report.matrix = { rows: count, cycleGroups: cyclic };
  }

  // A matrix of more rows than this would take the browser seconds to draw and no one
  // could read it: expand packages one at a time, or find a module.
  var MAX_ROWS = 400;
  function fits() {
    var count = entries().length;
    if (count <= MAX_ROWS) { return true; }
    dsmStatus.textContent = "that would show " + count + " rows (at most " + MAX_ROWS +
      "): expand fewer packages, or find a module";
    return false;
  }

  if (dsmView) {
    resetExpansion();
    renderMatrix();
    dsmView.addEventListener("click", function (event) {
      var button = event.target.closest("button.toggle");
      if (!button) { return; }
      var name = button.getAttribute("data-name");
      if (expanded[name]) {
        Object.keys(expanded).forEach(function (other) {
          if (other === name || other.indexOf(name + ".") === 0) { delete expanded[other]; }
        });
      } else {
        expanded[name] = true;
        if (!fits()) { delete expanded[name]; return; }
      }
      renderMatrix(name);
    });
    dsmView.addEventListener("mouseover", function (event) {
      dsmView.querySelectorAll(".hl").forEach(function (c) { c.classList.remove("hl"); });
      var cell = event.target.closest("td");
      if (!cell) { return; }
      var row = cell.getAttribute("data-row"), col = cell.getAttribute("data-col");
      dsmView.querySelectorAll('[data-header="' + row + '"], [data-header="' + col + '"]')
        .forEach(function (c) { c.classList.add("hl"); });
    });
    document.getElementById("dsm-expand").addEventListener("click", function () {
      var opened = [];
      entries().forEach(function (entry) {
        if (!entry.self && entry.node.kids.length && !expanded[entry.node.name]) {
          expanded[entry.node.name] = true;
          opened.push(entry.node.name);
        }
      });
      if (!fits()) { opened.forEach(function (name) { delete expanded[name]; }); return; }
      renderMatrix();
    });
    document.getElementById("dsm-collapse").addEventListener("click", function () {
      resetExpansion();
      renderMatrix();
    });
    document.getElementById("dsm-search").addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      var query = event.target.value.trim().toLowerCase();
      if (!query) { return; }
      var target = null;
      for (var m = 0; m < data.internal && !target; m++) {
        if (names[m].toLowerCase() === query) { target = names[m]; }
      }
      for (var m2 = 0; m2 < data.internal && !target; m2++) {
        if (names[m2].toLowerCase().indexOf(query) >= 0) { target = names[m2]; }
      }
      if (!target) { dsmStatus.textContent = "no module matches " + query; return; }
      var parts = target.split(".");
      for (var q = 1; q < parts.length; q++) { expanded[parts.slice(0, q).join(".")] = true; }
      renderMatrix(target);
      var row = dsmView.querySelector("tr.found");
      if (row) { row.scrollIntoView({ block: "center" }); }
    });
  }

  // The graphs ----------------------------------------------------------------------------------
  var views = data.views;
  var select = document.getElementById("graph-view");
  var container = document.getElementById("cy");
  var tip = document.getElementById("tip");
  var status = document.getElementById("graph-status");
  var cy = null;
  var STYLE = [
    { selector: "node", style: {
      shape: "round-rectangle", height: 26, label: "data(label)",
      "font-size": 12, "text-valign": "center", "text-halign": "center",
      "background-color": "#f6f8fa", "border-width": 1, "border-color": "#57606a",
      "min-zoomed-font-size": 7 } },
    { selector: "node[w]", style: { width: "data(w)" } },
    { selector: "node[?ext]", style: { "background-color": "#ffffff", "border-style": "dashed" } },
    { selector: ":parent", style: {
      "background-color": "#eef4fb", "background-opacity": 0.6, "border-color": "#c8d8ea",
      shape: "round-rectangle", "text-valign": "top", "text-halign": "center",
      "font-size": 11, color: "#57606a", padding: 10 } },
    { selector: "edge", style: {
      width: 1, "line-color": "#8c959f", "target-arrow-color": "#8c959f",
      "target-arrow-shape": "triangle", "arrow-scale": 0.8, "curve-style": "bezier",
      opacity: 0.45 } },
    { selector: "edge[flag = 2]", style: {
      width: 2, "line-color": "#e8a317", "target-arrow-color": "#e8a317", opacity: 0.9,
      "line-style": "dashed", "z-index": 8 } },
    { selector: "edge[flag = 1]", style: {
      width: 2.5, "line-color": "#d62728", "target-arrow-color": "#d62728", opacity: 0.95,
      "z-index": 9 } },
    { selector: ".dim", style: { opacity: 0.12 } },
    { selector: "node.match", style: {
      "border-width": 3, "border-color": "#0969da", "background-color": "#ddf4ff" } },
    { selector: "node.picked", style: { "border-width": 3, "border-color": "#24292f" } },
    { selector: "edge.picked", style: { opacity: 1, width: 2, "z-index": 10 } }
  ];

  var MIN_START_ZOOM = 0.6;
  var CROWDED_ROW = 16;
  var MAX_BOXES = 800;

  function width(label) { return Math.max(40, label.length * 7.4 + 18); }

  function elementsOf(view) {
    var elements = [];
    view.parents.forEach(function (p) {
      elements.push({ data: { id: "p:" + p[0], label: p[1], rule: p[2], kind: "parent" } });
    });
    view.nodes.forEach(function (n) {
      var item = { id: n[0], label: n[0], w: width(n[0]), ext: n[2] === 1, kind: "node",
                   row: n.length > 3 ? n[3] : 0 };
      if (n[1]) { item.parent = "p:" + n[1]; }
      elements.push({ data: item });
    });
    view.edges.forEach(function (e, k) {
      elements.push({ data: { id: "e" + k, source: e[0], target: e[1], count: e[2], flag: e[3] } });
    });
    return elements;
  }

  function showView(id) {
    var view = null;
    views.forEach(function (v) { if (v.id === id) { view = v; } });
    if (!view || !container || typeof cytoscape === "undefined") { return; }
    select.value = id;
    if (view.nodes.length > MAX_BOXES) {
      // Laying out thousands of boxes would hang the page, and no one could read them.
      if (cy) { cy.destroy(); cy = null; }
      report.cy = null;
      status.textContent = view.nodes.length + " boxes: too many to draw (at most " +
        MAX_BOXES + "); pick a rule's view, or write the report with a smaller --depth";
      document.body.setAttribute("data-graph", id);
      return;
    }
    document.body.setAttribute("data-graph", "");
    if (cy) { cy.destroy(); }
    cy = cytoscape({
      container: container, elements: elementsOf(view), style: STYLE,
      minZoom: 0.02, maxZoom: 4, boxSelectionEnabled: false
    });
    // The package view keeps the layers' order: dagre ranks the boxes by the imports
    // that go down the rows (declared layers, then dependency order); those within a
    // crowded row (a large cycle) spread it; the others (upward, within a small row)
    // are drawn but do not pull the layout out of shape.
    var crowd = {};
    cy.nodes("[kind = 'node']").forEach(function (n) {
      crowd[n.data("row")] = (crowd[n.data("row")] || 0) + 1;
    });
    var laid = id === "packages"
      ? cy.nodes().union(cy.edges().filter(function (e) {
          var from = e.source().data("row"), to = e.target().data("row");
          return from < to || (from === to && crowd[from] > CROWDED_ROW);
        }))
      : cy.elements();
    laid.layout({ name: "dagre", rankDir: id === "packages" ? "TB" : "LR", nodeSep: 12,
                  rankSep: id === "packages" ? 60 : 70, edgeSep: 6, fit: false,
                  animate: false }).run();
    cy.fit(undefined, 20);
    report.cy = cy;
    var text = view.nodes.length + " boxes, " + view.edges.length + " imports";
    if (cy.zoom() < MIN_START_ZOOM) {
      // Too large to read whole: start readable, at the top (Fit shows it all).
      var box = cy.elements().boundingBox();
      var middle = (box.x1 + box.x2) / 2;
      cy.zoom(MIN_START_ZOOM);
      cy.pan({ x: cy.width() / 2 - middle * MIN_START_ZOOM, y: 20 - box.y1 * MIN_START_ZOOM });
      text += "; zoomed in to be readable: scroll or Fit to see it all";
    }
    if (view.chains !== undefined && view.shown < view.chains) {
      text += " (the first " + view.shown + " of " + view.chains + " chains)";
    }
    status.textContent = text;
    cy.on("mouseover", "node, edge", function (event) { showTip(event.target, event); });
    cy.on("mouseout", "node, edge", function () { tip.hidden = true; });
    cy.on("tap", "node[kind = 'node']", function (event) { pick(event.target); });
    cy.on("tap", function (event) { if (event.target === cy) { pick(null); } });
    var search = document.getElementById("graph-search");
    if (search.value) { find(search.value); }
    document.body.setAttribute("data-graph", id);
  }

  function showTip(element, event) {
    var text;
    if (element.isEdge()) {
      text = element.data("source") + " imports " + element.data("target") +
        " (" + element.data("count") + " module import(s))" +
        (element.data("flag") === 1 ? ": in a violation" :
         element.data("flag") === 2 ? ": in a baselined violation" : "");
    } else if (element.data("kind") === "parent") {
      text = element.data("rule") ? "layer " + element.data("label") + " of " +
        element.data("rule") : "package " + element.data("label");
    } else {
      text = element.id() + ": imports " + element.outgoers("node").length +
        ", imported by " + element.incomers("node").length + " (in this view)";
    }
    tip.textContent = text;
    tip.hidden = false;
    var origin = event.originalEvent;
    if (origin) {
      tip.style.left = origin.clientX + 14 + "px";
      tip.style.top = origin.clientY + 14 + "px";
    }
  }

  function pick(target) {
    cy.elements().removeClass("picked dim");
    if (!target) { return; }
    var hood = target.closedNeighborhood();
    cy.elements().not(hood).not(hood.ancestors()).addClass("dim");
    hood.addClass("picked");
  }

  function find(query) {
    query = query.trim().toLowerCase();
    cy.elements().removeClass("match dim picked");
    if (!query) { status.textContent = ""; return cy.collection(); }
    var boxes = cy.nodes("[kind = 'node']");
    var matches = boxes.filter(function (n) { return n.id().toLowerCase().indexOf(query) >= 0; });
    if (!matches.length) {
      // A module inside a package that the view shows whole: the package (the deepest).
      var holder = null;
      boxes.forEach(function (n) {
        var name = n.id().toLowerCase();
        if (query.indexOf(name + ".") === 0 && (!holder || name.length > holder.id().length)) {
          holder = n;
        }
      });
      if (holder) { matches = holder.collection(); }
    }
    status.textContent = matches.length + " match(es) for " + query;
    if (matches.length) {
      cy.elements().not(matches).not(matches.ancestors()).addClass("dim");
      matches.addClass("match");
      cy.fit(matches, 80);
    }
    return matches;
  }

  if (select && container) {
    views.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v.id;
      option.textContent = v.id === "packages" ? v.title : "Rule: " + v.title;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { showView(select.value); });
    document.getElementById("graph-search").addEventListener("input", function (event) {
      if (cy) { find(event.target.value); }
    });
    document.getElementById("graph-fit").addEventListener("click", function () {
      if (cy) { cy.fit(undefined, 20); }
    });
    document.querySelectorAll("button.show-view").forEach(function (button) {
      button.addEventListener("click", function () {
        var details = document.querySelector("#graph > details");
        if (details) { details.open = true; }
        showView(button.getAttribute("data-view"));
        container.scrollIntoView({ block: "start" });
      });
    });
    showView("packages");
  }
  report.showView = showView;
  report.find = function (query) { return cy ? find(query).map(function (n) { return n.id(); }) : []; };
  document.body.setAttribute("data-ready", "true");
})();
