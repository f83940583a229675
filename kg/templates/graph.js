(function () {
  "use strict";
  var body = document.body;
  var statusLine = document.getElementById("status");
  var shown = document.getElementById("shown");
  var search = document.getElementById("search");
  var searchInfo = document.getElementById("search-info");
  var showIsolated = document.getElementById("show-isolated");

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function settle() {
    if (body.getAttribute("data-layout") === "settled") { return; }
    // Laid out once; from now on nodes stay where they are (and where they are dragged).
    network.setOptions({physics: {enabled: false}});
    body.setAttribute("data-layout", "settled");
    performance.mark("newsgraph-settled");
    statusLine.textContent = "";
    legibleLabels();
    network.once("afterDrawing", function () {
      performance.mark("newsgraph-drawn");
      body.setAttribute("data-drawn", "true");
    });
    if (focusId !== null) { showDetails(nodes.get(focusId)); network.selectNodes([focusId]); }
    network.redraw();
  }
  network.on("stabilizationProgress", function (progress) {
    statusLine.textContent = "Laying out " + nodes.length + (nodes.length === 1 ? " entity: " : " entities: ") +
      Math.round(100 * progress.iterations / progress.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (nodes.length === 0) { settle(); }

  // Labels readable at the first, fitted view: about 15 px on screen for nodes, 13 px for
  // links, whatever the zoom the fit chose (within bounds, so zooming in stays sensible).
  function legibleLabels() {
    var scale = network.getScale() || 1;
    var nodeFont = Math.min(64, Math.max(14, Math.ceil(15 / scale)));
    var edgeFont = Math.min(52, Math.max(11, Math.ceil(13 / scale)));
    network.setOptions({nodes: {font: {size: nodeFont}}, edges: {font: {size: edgeFont}}});
    body.setAttribute("data-node-font", String(nodeFont));
    body.setAttribute("data-edge-font", String(edgeFont));
  }

  function showDetails(item) { detailsPanel.show(item, Boolean(item && item.from !== undefined)); }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showDetails(edges.get(params.edges[0])); }
    else { showDetails(null); }
  });
  // Step to a counterpart named in the details panel.
  detailsPanel.panel.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.classList || !target.classList.contains("step")) { return; }
    var id = target.getAttribute("data-id");
    var node = nodes.get(id);
    if (!node) { return; }
    if (node.hidden) { nodes.update({id: id, hidden: false}); }
    goTo(id);
  });

  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-kind]"));
  var familyBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-family]"));
  // The time filter (only when some fact is dated): a link is shown when one of its facts is
  // dated within the chosen months, or is undated and undated facts are shown.
  var dateFrom = document.getElementById("date-from");
  var dateTo = document.getElementById("date-to");
  var showUndated = document.getElementById("show-undated");
  function inTime(fact) {
    if (!dateFrom) { return true; }
    if (!fact.dates.length) { return showUndated.checked; }
    var from = dateFrom.value, to = dateTo.value;
    return fact.dates.some(function (date) {
      return date.length >= 7 ? from <= date.slice(0, 7) && date.slice(0, 7) <= to :
        from.slice(0, 4) <= date && date <= to.slice(0, 4);
    });
  }
  function applyFilters() {
    var kinds = {}, families = {}, hiddenNode = {}, nodeChanges = [], edgeChanges = [];
    var nodesShown = 0, edgesShown = 0;
    kindBoxes.forEach(function (box) { kinds[box.getAttribute("data-kind")] = box.checked; });
    familyBoxes.forEach(function (box) { families[box.getAttribute("data-family")] = box.checked; });
    nodes.forEach(function (node) {
      var hide = !kinds[node.kind] || (Boolean(node.isolated) && !showIsolated.checked);
      hiddenNode[node.id] = hide;
      if (!hide) { nodesShown += 1; }
      if (Boolean(node.hidden) !== hide) { nodeChanges.push({id: node.id, hidden: hide}); }
    });
    edges.forEach(function (edge) {
      var hide = !edge.families.some(function (name) { return families[name]; }) ||
        hiddenNode[edge.from] || hiddenNode[edge.to] ||
        !(edge.facts || []).some(function (i) { return inTime(facts[i]); });
      if (!hide) { edgesShown += 1; }
      if (Boolean(edge.hidden) !== hide) { edgeChanges.push({id: edge.id, hidden: hide}); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    shown.textContent = "Showing " + nodesShown + " of " + nodes.length + " entities, " +
      edgesShown + " of " + edges.length + " links.";
    if (search.value) { runSearch(); }
  }
  kindBoxes.concat(familyBoxes, [showIsolated], dateFrom ? [dateFrom, dateTo, showUndated] : []).forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });

  var matches = [], current = -1;
  function words(node) { return [node.label].concat(node.aliases || []).join("\n").toLowerCase(); }
  function runSearch() {
    var query = search.value.trim().toLowerCase();
    current = -1;
    matches = query ? nodes.getIds({filter: function (node) {
      return !node.hidden && words(node).indexOf(query) !== -1;
    }}) : [];
    network.selectNodes(matches);
    if (!query) { searchInfo.textContent = ""; return; }
    searchInfo.textContent = matches.length ? plural(matches.length, "match") + (matches.length > 1 ?
      "; Enter goes to each" : "") : "no match";
    if (matches.length === 1) { goTo(matches[0]); }
    else if (matches.length > 1 && matches.length <= 200) { network.fit({nodes: matches}); }
  }
  function goTo(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 300}});
    showDetails(nodes.get(id));
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !matches.length) { return; }
    event.preventDefault();
    current = (current + 1) % matches.length;
    goTo(matches[current]);
    searchInfo.textContent = (current + 1) + " of " + matches.length;
  });
  applyFilters();
}());
