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

  // --- header: title, summary, legend ------------------------------------------------------------
  document.getElementById("title").textContent =
    data.centre.name + (data.centre.name_zh && data.centre.name_zh !== data.centre.name ? " · " + data.centre.name_zh : "");
  document.getElementById("summary").textContent =
    data.nodes.length + " entities, " + data.links.length + " claims within " + data.depth +
    (data.depth === 1 ? " hop" : " hops") + (data.truncated ? " (cut at the node limit)" : "");
  var legend = document.getElementById("legend");
  data.polarities.forEach(function (p) {
    legend.appendChild(el("span", { "class": "arrow", style: "color:" + p.color }, [
      el("span", { "class": "line", style: "background:" + p.color }), p.name]));
  });
  data.kinds.forEach(function (k) {
    legend.appendChild(el("span", { "class": "kind" }, [
      el("span", { "class": "dot", style: "background:" + k.color + ";border-color:" + k.border }), k.label]));
  });

  // --- the network ------------------------------------------------------------------------------
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var centre = n.id === centreId;
    return {
      id: n.id,
      label: n.name,
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
      label: stance ? l.claim.label : undefined,
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
        c.subject + " ", el("span", { "class": "chip", style: "background:" + link.color, text: c.label }),
        " " + c.object]),
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
      el("h2", { text: n.name }),
      el("p", { "class": "meta", text: [n.name_zh, n.kind_label,
        n.distance === null || n.distance === undefined ? "" : n.distance + " hop(s) from " + data.centre.name]
        .filter(Boolean).join(" · ") })
    ]);
    var list = el("ul", { "class": "claims" });
    data.links.forEach(function (l) {
      if (l.from !== n.id && l.to !== n.id) { return; }
      var item = el("li", {}, [
        el("span", { style: "color:" + l.color + ";font-weight:600", text: "■ " }),
        l.claim.subject + " " + l.claim.label + " " + l.claim.object]);
      item.addEventListener("click", function () { pin(l.id); network.selectEdges([l.id]); });
      list.appendChild(item);
    });
    card.appendChild(el("h3", { text: "Claims in view" }));
    card.appendChild(list);
    return card;
  }

  function show(card) {
    details.replaceChildren(card);
  }

  function pin(edgeId) {
    pinned = edgeId;
    network.selectEdges([edgeId]);
    label(edgeId, true);
    show(claimCard(linkById[edgeId]));
  }

  // Neutral claims carry no label until pointed at, so the stances stand out.
  function label(edgeId, on) {
    var link = linkById[edgeId];
    if (link && link.polarity === 0) { edges.update({ id: edgeId, label: on ? link.claim.label : " " }); }
  }
  network.on("hoverEdge", function (e) {
    label(e.edge, true);
    if (!pinned) { show(claimCard(linkById[e.edge])); }
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
      show(entityCard(nodeById[e.nodes[0]]));
    } else if (e.edges.length) {
      pin(e.edges[0]);
    } else {
      pinned = null;
    }
  });
  network.on("doubleClick", function (e) {
    if (e.nodes.length && document.querySelector("form.nav")) {
      window.location.search = "?entity=" + encodeURIComponent(e.nodes[0]) + "&depth=" + data.depth;
    }
  });

  // --- the entity list --------------------------------------------------------------------------
  var list = document.getElementById("entities");
  data.nodes.slice().sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (n) {
    var item = el("li", { "data-entity": n.id, title: n.kind_label }, [
      el("span", { "class": "dot", style: "background:" + n.color }), n.name]);
    item.addEventListener("click", function () {
      network.selectNodes([n.id]);
      network.focus(n.id, { scale: 1.1, animation: { duration: 400 } });
      pinned = "node";
      show(entityCard(n));
    });
    list.appendChild(item);
  });

  // --- ready: stop the physics once laid out, so dragging moves one node -------------------------
  var done = false;
  function ready() {
    if (done) { return; }
    done = true;
    network.setOptions({ physics: { enabled: false } });
    nodes.update({ id: centreId, fixed: false });
    network.fit({ animation: false });
    document.body.setAttribute("data-ready", "true");
  }
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  setTimeout(ready, 8000);

  window.stancegraph = { network: network, data: data, pin: pin };
}());
