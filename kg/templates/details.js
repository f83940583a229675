// The details panel: what the reader learns by clicking a node or a link. Facts come from the
// page's `facts` records; everything is written with textContent, never as HTML.
var detailsPanel = (function () {
  "use strict";
  var panel = document.getElementById("details");
  var hint = panel.textContent;

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function label(id) { var node = nodes.get(id); return node ? node.label : id; }
  function step(id) {
    var button = el("button", "step", label(id));
    button.type = "button";
    button.setAttribute("data-id", id);
    button.title = "Show " + label(id);
    return button;
  }

  // One fact, seen from `from` (null: from the link, both ends named).
  function factItem(fact, from) {
    var li = el("li", "fact");
    var head = el("div", "fact-head");
    if (from === null) {
      head.appendChild(step(fact.s));
      head.appendChild(document.createTextNode(fact.symmetric ? " — " : " → "));
      head.appendChild(step(fact.o));
      head.appendChild(document.createTextNode(": "));
    } else {
      head.appendChild(step(fact.s === from ? fact.o : fact.s));
      head.appendChild(document.createTextNode(": "));
    }
    head.appendChild(el("span", "what", fact.labels.join(" / ")));
    li.appendChild(head);
    var meta = fact.evidence ? plural(fact.evidence, "evidence sentence") : "no evidence sentence (from the gazetteer)";
    if (fact.dates && fact.dates.length) { meta += " · dated " + fact.dates.join(", "); }
    if (fact.since) { meta += " · since " + fact.since; }
    if (fact.until) { meta += " · until " + fact.until; }
    li.appendChild(el("div", "fact-meta", meta));
    if (fact.articles.length) {
      var names = fact.articles.slice(0, 3).map(function (name) { return "“" + name + "”"; });
      if (fact.articles.length > 3) { names.push("+" + (fact.articles.length - 3) + " more"); }
      li.appendChild(el("div", "articles", (fact.articles.length === 1 ? "Article: " : "Articles: ") +
        names.join("; ")));
    }
    if (fact.sentences.length) {
      var more = el("details", "evidence");
      more.appendChild(el("summary", null, "Evidence"));
      fact.sentences.forEach(function (s) {
        var line = "“" + s.text + "” — " + (s.files.join(", ") || "unknown source");
        if (s.date) { line += " · dated " + s.date; }
        if (s.published) { line += " · published " + s.published; }
        if (s.confidence !== null) { line += " · confidence " + s.confidence; }
        more.appendChild(el("p", null, line));
      });
      li.appendChild(more);
    }
    return li;
  }

  // Facts grouped by relation and direction, seen from node `from` (null: from a link).
  function groups(list, from) {
    var order = [], byKey = {};
    list.forEach(function (fact) {
      var dir = fact.symmetric ? "—" : (from === null || fact.s === from ? "→" : "←");
      var key = fact.relation + " " + dir;
      if (!byKey[key]) { byKey[key] = []; order.push(key); }
      byKey[key].push(fact);
    });
    return order.map(function (key) {
      var section = el("section", "relation");
      var facts = byKey[key];
      var first = facts[0], name = from === null ? "" : label(from);
      var dir = key.slice(first.relation.length + 1);
      var how = from === null ? "" : dir === "→" ? ": " + name + " → …" : dir === "←" ? ": … → " + name :
        ": " + name + " — …";
      section.appendChild(el("h4", null, first.relation + how + " (" + plural(facts.length, "fact") + ")"));
      var ul = el("ul");
      facts.forEach(function (fact) { ul.appendChild(factItem(fact, from)); });
      section.appendChild(ul);
      return section;
    });
  }

  function showNode(node) {
    panel.textContent = "";
    panel.appendChild(el("h3", "name", node.label));
    var meta = [node.kind];
    if (node.wikidata) { meta.push("Wikidata " + node.wikidata.join(", ")); }
    meta.push("mentioned in " + plural(node.articles || 0, "article"));
    panel.appendChild(el("p", "meta", meta.join(" · ")));
    if (node.aliases) { panel.appendChild(el("p", "meta", "Also known as: " + node.aliases.join("; "))); }
    var mine = facts.filter(function (fact) { return fact.s === node.id || fact.o === node.id; });
    panel.appendChild(el("p", "meta", mine.length ? plural(mine.length, "fact") + ", by relation:" :
      "No fact links it to another entity."));
    groups(mine, node.id).forEach(function (section) { panel.appendChild(section); });
  }

  function showEdge(edge) {
    panel.textContent = "";
    var mine = edge.facts.map(function (i) { return facts[i]; });
    panel.appendChild(el("h3", "name", label(edge.from) + " — " + label(edge.to)));
    panel.appendChild(el("p", "meta", plural(mine.length, "fact") + ", by relation:"));
    groups(mine, null).forEach(function (section) { panel.appendChild(section); });
  }

  function show(item, isEdge) {
    if (!item) { panel.textContent = hint; }
    else if (isEdge) { showEdge(item); }
    else { showNode(item); }
  }
  return {show: show, panel: panel};
}());
