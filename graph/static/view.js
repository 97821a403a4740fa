/* stancegraph view: draws the embedded graph data with vis-network and shows claim details. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var centreId = data.centre.id;
  var nodeById = {};
  var linkById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.links.forEach(function (l) { linkById[l.id] = l; });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "style") { node.setAttribute("style", attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
    });
    return node;
  }

  // --- the labels' language ----------------------------------------------------------------------
  // Tags to try for a wanted language, most specific first: zh-TW -> zh-TW, zh-Hant-TW, zh-Hant, zh.
  function candidates(tag) {
    var out = [];
    function add(t) { for (var parts = t.split("-"); parts.length; parts.pop()) {
      var c = parts.join("-"); if (out.indexOf(c) < 0) { out.push(c); } } }
    add(tag);
    try { add(new Intl.Locale(tag).maximize().toString()); } catch (e) { /* not a valid tag */ }
    return out;
  }
  // The best of `available` for one wanted tag: the first candidate offered, else any tag of the
  // same language (zh-Hant for zh), else none.
  function match(tag, available) {
    var found = candidates(tag).filter(function (c) { return available.indexOf(c) >= 0; })[0];
    if (found) { return found; }
    var primary = tag.split("-")[0];
    return available.filter(function (a) { return a.split("-")[0] === primary; })[0] || null;
  }
  function chooseLanguage() {
    var asked = new URLSearchParams(window.location.search).get("lang") || data.lang;
    var wanted = asked ? [asked] : (navigator.languages || [navigator.language || "en"]);
    for (var i = 0; i < wanted.length; i++) {
      var found = match(wanted[i], data.languages);
      if (found) { return found; }
    }
    return "en";
  }
  var lang = chooseLanguage();

  function nameOf(n) {
    var found = match(lang, Object.keys(n.names));
    return found ? n.names[found] : n.name;
  }
  // Vocabulary labels (kinds, predicates) come in a few languages: en, zh.
  function vocabularyLabel(labels, fallback) {
    var found = match(lang, Object.keys(labels || {}));
    return found ? labels[found] : fallback;
  }
  function languageName(tag) {
    try { return new Intl.DisplayNames([tag], { type: "language" }).of(tag) || tag; }
    catch (e) { return tag; }
  }

  // --- header: title, summary, language, legend --------------------------------------------------
  var centreNode = data.nodes.filter(function (n) { return n.id === centreId; })[0];
  function drawHeader() {
    var name = nameOf(centreNode);
    var other = name !== centreNode.name ? centreNode.name : centreNode.name_zh;
    document.getElementById("title").textContent = name + (other && other !== name ? " · " + other : "");
    document.documentElement.lang = lang;
  }
  document.getElementById("summary").textContent =
    data.nodes.length + " entities, " + data.links.length + " claims within " + data.depth +
    (data.depth === 1 ? " hop" : " hops") + (data.truncated ? " (cut at the node limit)" : "");
  var legend = document.getElementById("legend");
  function drawLegend() {
    legend.replaceChildren();
    data.polarities.forEach(function (p) {
      legend.appendChild(el("span", { "class": "arrow", style: "color:" + p.color }, [
        el("span", { "class": "line", style: "background:" + p.color }), p.name]));
    });
    data.kinds.forEach(function (k) {
      legend.appendChild(el("span", { "class": "kind", "data-kind": k.id }, [
        el("span", { "class": "dot", style: "background:" + k.color + ";border-color:" + k.border }),
        vocabularyLabel(k.labels, k.label)]));
    });
  }
  var picker = null;
  if (data.languages.length > 1) {
    picker = el("select", { id: "lang", "aria-label": "Label language" });
    data.languages.forEach(function (tag) {
      var option = el("option", { value: tag, text: languageName(tag) });
      if (tag === lang) { option.selected = true; }
      picker.appendChild(option);
    });
    legend.parentNode.insertBefore(el("label", { "class": "lang" }, ["Labels ", picker]), legend);
  }
  drawHeader();
  drawLegend();

  // --- the network ------------------------------------------------------------------------------
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var centre = n.id === centreId;
    return {
      id: n.id,
      label: nameOf(n),
      x: centre ? 0 : undefined,
      y: centre ? 0 : undefined,
      fixed: centre ? { x: true, y: true } : false,
      shape: "dot",
      size: centre ? 30 : (n.actor ? 19 : 12),
      borderWidth: centre ? 5 : 2,
      color: {
        background: n.color, border: centre ? "#1f2329" : n.border,
        highlight: { background: n.color, border: "#1f2329" },
        hover: { background: n.color, border: "#1f2329" }
      },
      font: {
        size: centre ? 22 : (n.actor ? 17 : 14), color: "#1f2329",
        strokeWidth: 4, strokeColor: "#ffffff", face: "system-ui, sans-serif",
        bold: { color: "#1f2329" }
      }
    };
  }));
  var edges = new vis.DataSet(data.links.map(function (l) {
    var stance = l.polarity !== 0;
    return {
      id: l.id,
      from: l.from,
      to: l.to,
      label: stance ? vocabularyLabel(l.claim.labels, l.claim.label) : undefined,
      arrows: { to: { enabled: true, scaleFactor: stance ? 0.75 : 0.55 } },
      // Better-corroborated claims are drawn thicker: each doubling of the independent origins
      // adds half the base width.
      width: (stance ? 2.6 : 1.1) * (1 + 0.5 * Math.log2(Math.max(1, l.claim.independent || 1))),
      hoverWidth: 1.5,
      selectionWidth: 2,
      dashes: l.claim.certainty === "unconfirmed" ? [6, 5] : false,
      color: { color: l.color, highlight: l.color, hover: l.color, opacity: stance ? 1 : 0.75 },
      font: {
        size: 10, color: stance ? l.color : "#7a828c", strokeWidth: 3, strokeColor: "#ffffff",
        align: "middle", face: "system-ui, sans-serif"
      },
      physics: l.spring,
      smooth: l.roundness ? { enabled: true, type: "curvedCW", roundness: l.roundness } : false
    };
  }));
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, {
    layout: { randomSeed: 11, improvedLayout: true },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -110, centralGravity: 0.012, springLength: 140,
                          springConstant: 0.05, avoidOverlap: 0.9 },
      stabilization: { enabled: true, iterations: 600, fit: true }
    },
    interaction: { hover: true, hoverConnectedEdges: true, tooltipDelay: 120, multiselect: false },
    edges: { chosen: true },
    nodes: { chosen: true }
  });

  // --- the details panel ------------------------------------------------------------------------
  var details = document.getElementById("details");
  var pinned = null;

  function sourceLine(src) {
    var title = src.title_en ? src.title_en + " (" + src.title + ")" : src.title;
    var parts = [src.outlet, src.published].filter(Boolean).join(", ");
    var line = el("p", { "class": "source" }, ["Source: "]);
    if (src.url) { line.appendChild(el("a", { href: src.url, target: "_blank", rel: "noopener", text: title })); }
    else { line.appendChild(el("span", { text: title })); }
    if (parts) { line.appendChild(document.createTextNode(" — " + parts)); }
    return line;
  }

  function claimCard(link) {
    var c = link.claim;
    var polarity = data.polarities.filter(function (p) { return p.polarity === c.polarity; })[0];
    var card = el("div", { "class": "claim", "data-claim": c.id }, [
      el("div", { "class": "claim-title" }, [
        nameOf(nodeById[link.from]) + " ",
        el("span", { "class": "chip", style: "background:" + link.color,
                     text: vocabularyLabel(c.labels, c.label) }),
        " " + nameOf(nodeById[link.to])]),
      el("p", { "class": "meta", text: [
        polarity.name, c.certainty, c.date || "undated", c.status,
        c.sources === c.independent ? c.sources + " source(s)"
          : c.sources + " sources, " + c.independent + " independent"
      ].filter(Boolean).join(" · ") })
    ]);
    var qualifiers = Object.keys(c.qualifiers || {});
    if (qualifiers.length) {
      card.appendChild(el("p", { "class": "meta", text: qualifiers.map(function (k) {
        return k + ": " + c.qualifiers[k];
      }).join("; ") }));
    }
    if (c.note) { card.appendChild(el("p", { "class": "note", text: c.note })); }
    c.evidence.forEach(function (ev) {
      card.appendChild(el("div", { "class": "evidence", style: "border-left-color:" + link.color }, [
        el("p", { "class": "quote", lang: "zh", text: "“" + ev.quote + "”" }),
        el("p", { "class": "translation", text: ev.translation }),
        el("p", { "class": "by", text: "Speaker: " + ev.speaker + " · " + ev.certainty }),
        sourceLine(ev.source)
      ]));
    });
    return card;
  }

  function entityCard(n) {
    var card = el("div", { "class": "entity", "data-entity": n.id }, [
      el("h2", { text: nameOf(n) }),
      el("p", { "class": "meta", text: [nameOf(n) !== n.name ? n.name : n.name_zh, kindLabel(n.kind),
        n.distance === null || n.distance === undefined ? "" : n.distance + " hop(s) from " + nameOf(centreNode)]
        .filter(Boolean).join(" · ") })
    ]);
    var list = el("ul", { "class": "claims" });
    data.links.forEach(function (l) {
      if (l.from !== n.id && l.to !== n.id) { return; }
      var item = el("li", {}, [
        el("span", { style: "color:" + l.color + ";font-weight:600", text: "■ " }),
        nameOf(nodeById[l.from]) + " " + vocabularyLabel(l.claim.labels, l.claim.label) + " " +
        nameOf(nodeById[l.to])]);
      item.addEventListener("click", function () { pin(l.id); network.selectEdges([l.id]); });
      list.appendChild(item);
    });
    card.appendChild(el("h3", { text: "Claims in view" }));
    card.appendChild(list);
    return card;
  }

  var kindById = {};
  data.kinds.forEach(function (k) { kindById[k.id] = k; });
  function kindLabel(kind) {
    var k = kindById[kind];
    return k ? vocabularyLabel(k.labels, k.label) : kind;
  }

  var shown = null;  // what the panel shows, to redraw it in another language
  function show(card, redraw) {
    shown = redraw || null;
    details.replaceChildren(card);
  }

  function pin(edgeId) {
    pinned = edgeId;
    network.selectEdges([edgeId]);
    label(edgeId, true);
    show(claimCard(linkById[edgeId]), function () { return claimCard(linkById[edgeId]); });
  }

  // Neutral claims carry no label until pointed at, so the stances stand out.
  function label(edgeId, on) {
    var link = linkById[edgeId];
    if (link && link.polarity === 0) {
      edges.update({ id: edgeId, label: on ? vocabularyLabel(link.claim.labels, link.claim.label) : " " });
    }
  }
  network.on("hoverEdge", function (e) {
    label(e.edge, true);
    if (!pinned) { show(claimCard(linkById[e.edge]), function () { return claimCard(linkById[e.edge]); }); }
  });
  network.on("blurEdge", function (e) {
    if (network.getSelectedEdges().indexOf(e.edge) < 0) { label(e.edge, false); }
  });
  network.on("selectEdge", function (e) { e.edges.forEach(function (id) { label(id, true); }); });
  network.on("deselectEdge", function (e) {
    (e.previousSelection.edges || []).forEach(function (item) { label(item.id || item, false); });
  });
  network.on("click", function (e) {
    if (e.nodes.length) {
      pinned = "node";
      var clicked = nodeById[e.nodes[0]];
      show(entityCard(clicked), function () { return entityCard(clicked); });
    } else if (e.edges.length) {
      pin(e.edges[0]);
    } else {
      pinned = null;
    }
  });
  network.on("doubleClick", function (e) {
    if (e.nodes.length && document.querySelector("form.nav")) {
      window.location.search = "?entity=" + encodeURIComponent(e.nodes[0]) + "&depth=" + data.depth +
        "&lang=" + encodeURIComponent(lang);
    }
  });

  // --- the entity list --------------------------------------------------------------------------
  var list = document.getElementById("entities");
  function drawList() {
    list.replaceChildren();
    data.nodes.slice().sort(function (a, b) { return nameOf(a).localeCompare(nameOf(b), lang); }).forEach(function (n) {
      var item = el("li", { "data-entity": n.id, title: kindLabel(n.kind) }, [
        el("span", { "class": "dot", style: "background:" + n.color }), nameOf(n)]);
      item.addEventListener("click", function () { choose(n); });
      list.appendChild(item);
    });
  }
  // Choosing an entity in the list frames it with its neighbours: all of them in view, none cut.
  function choose(n) {
    network.selectNodes([n.id]);
    network.fit({ nodes: [n.id].concat(network.getConnectedNodes(n.id)), animation: { duration: 300 } });
    pinned = "node";
    show(entityCard(n), function () { return entityCard(n); });
  }
  drawList();

  // --- labels that do not overlap ----------------------------------------------------------------
  // The physics keeps the dots apart, not their captions: once laid out (and after the captions
  // change language), nodes whose boxes - dot and caption - overlap are pushed apart along the
  // axis that overlaps least, until none do.
  var GAP = 6;  // canvas pixels between two boxes
  function separateLabels() {
    network.redraw();  // measures the captions as they are now
    var ids = nodes.getIds();
    var pos = network.getPositions(ids);
    var rel = {};
    // Each node's box, relative to its centre: the dot and the caption as last drawn (vis-network's
    // own getBoundingBox stops short of a caption's last line).
    ids.forEach(function (id) {
      var node = network.body.nodes[id], size = node.labelModule.size, r = node.shape.radius || 0;
      var x = pos[id].x, y = pos[id].y, hasCaption = size.width > 0;
      rel[id] = {
        l: Math.min(-r, hasCaption ? size.left - x : 0), r: Math.max(r, hasCaption ? size.left + size.width - x : 0),
        t: Math.min(-r, hasCaption ? size.top - y : 0), b: Math.max(r, hasCaption ? size.top + size.height - y : 0)
      };
    });
    for (var round = 0; round < 400; round++) {
      var moved = false;
      for (var i = 0; i < ids.length; i++) {
        for (var j = i + 1; j < ids.length; j++) {
          var a = ids[i], b = ids[j], pa = pos[a], pb = pos[b], ra = rel[a], rb = rel[b];
          var ox = Math.min(pa.x + ra.r, pb.x + rb.r) - Math.max(pa.x + ra.l, pb.x + rb.l) + GAP;
          var oy = Math.min(pa.y + ra.b, pb.y + rb.b) - Math.max(pa.y + ra.t, pb.y + rb.t) + GAP;
          if (ox <= 0 || oy <= 0) { continue; }
          moved = true;
          if (oy <= ox) {  // vertical overlap is usually the smaller: captions are wide and short
            var sy = (pb.y + (rb.t + rb.b) / 2) >= (pa.y + (ra.t + ra.b) / 2) ? 1 : -1;
            pa.y -= sy * oy / 2; pb.y += sy * oy / 2;
          } else {
            var sx = (pb.x + (rb.l + rb.r) / 2) >= (pa.x + (ra.l + ra.r) / 2) ? 1 : -1;
            pa.x -= sx * ox / 2; pb.x += sx * ox / 2;
          }
        }
      }
      if (!moved) { break; }
    }
    ids.forEach(function (id) { network.moveNode(id, pos[id].x, pos[id].y); });
  }

  function relabel(tag) {
    lang = tag;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, label: nameOf(n) }; }));
    edges.update(data.links.filter(function (l) { return l.polarity !== 0; }).map(function (l) {
      return { id: l.id, label: vocabularyLabel(l.claim.labels, l.claim.label) };
    }));
    drawHeader();
    drawLegend();
    drawList();
    if (shown) { details.replaceChildren(shown()); }
    var url = new URL(window.location.href);
    url.searchParams.set("lang", tag);
    window.history.replaceState(null, "", url);
    if (done) { separateLabels(); network.fit({ animation: false }); }
  }
  if (picker) { picker.addEventListener("change", function () { relabel(picker.value); }); }
  var langField = document.querySelector("form.nav input[name=lang]");
  if (langField) {
    langField.value = lang;
    if (picker) { picker.addEventListener("change", function () { langField.value = picker.value; }); }
  }

  // --- ready: stop the physics once laid out, so dragging moves one node -------------------------
  var done = false;
  function ready() {
    if (done) { return; }
    done = true;
    network.stopSimulation();
    network.setOptions({ physics: { enabled: false } });
    nodes.update({ id: centreId, fixed: false });
    separateLabels();
    network.fit({ animation: false });
    document.body.setAttribute("data-ready", "true");
  }
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  setTimeout(ready, 8000);

  // A resized window or panel frames the whole graph again, so nothing is left past the edge.
  if (window.ResizeObserver) {
    var pending = 0;
    new ResizeObserver(function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () { if (done) { network.fit({ animation: false }); } });
    }).observe(document.getElementById("graph"));
  }

  window.stancegraph = { network: network, data: data, pin: pin, relabel: relabel,
                         language: function () { return lang; } };
}());
