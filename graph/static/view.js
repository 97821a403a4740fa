/* stancegraph view: draws the embedded graph data with vis-network, an entity's claims with
   vis-timeline, and shows claim details; the time control loads the graph as of another day. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var centreId = data.centre.id;
  var nodeById = {};
  var linkById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.links.forEach(function (l) { linkById[l.id] = l; });
  // Every claim the page knows: the links' and the timeline's claims past the node limit.
  var claimById = {};
  data.links.forEach(function (l) { claimById[l.id] = l.claim; });
  Object.keys(data.timeline.more).forEach(function (id) { claimById[id] = data.timeline.more[id]; });

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

  // --- the colouring: by kind, or the actors by camp ---------------------------------------------
  // By camp: the two camps' actors in two colours, actors in neither grey, every other entity its
  // kind's colour faded; the links whose claims make a frustrated tie are marked.
  var colourMode = new URLSearchParams(window.location.search).get("colour") || data.colour;
  if (colourMode !== "camp") { colourMode = "kind"; }
  var campOf = {};
  data.camps.members.forEach(function (ids, index) { ids.forEach(function (id) { campOf[id] = index; }); });
  var crossing = {};
  data.camps.frustrated.forEach(function (id) { crossing[id] = true; });
  function fill(n) {
    if (colourMode === "kind") { return { color: n.color, border: n.border }; }
    if (campOf[n.id] !== undefined) { return data.camps.colors[campOf[n.id]]; }
    return n.actor ? data.camps.unaligned_color : n.faded;
  }
  function marked(l) { return colourMode === "camp" && Boolean(crossing[l.id]); }

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
  function windowText() {
    var parts = [data.window.as_of ? "as of " + data.window.as_of : "all dates"];
    if (data.window.known_by) { parts.push("as known by " + data.window.known_by); }
    return parts.join(", ");
  }
  document.getElementById("summary").textContent =
    data.nodes.length + " entities, " + data.links.length + " claims within " + data.depth +
    (data.depth === 1 ? " hop" : " hops") + ", " + windowText() +
    (data.truncated ? " (cut at the node limit)" : "");
  var legend = document.getElementById("legend");
  function drawLegend() {
    legend.replaceChildren();
    data.polarities.forEach(function (p) {
      legend.appendChild(el("span", { "class": "arrow", style: "color:" + p.color }, [
        el("span", { "class": "line", style: "background:" + p.color }), p.name]));
    });
    legend.appendChild(el("span", { "class": "arrow", style: "color:" + data.ended_color,
                                    title: "no longer held (reversed, ended or called off)" }, [
      el("span", { "class": "dashed", style: "border-color:" + data.ended_color }), "ended"]));
    if (colourMode === "camp") { drawCampLegend(); return; }
    data.kinds.forEach(function (k) {
      legend.appendChild(el("span", { "class": "kind", "data-kind": k.id }, [
        el("span", { "class": "dot", style: "background:" + k.color + ";border-color:" + k.border }),
        vocabularyLabel(k.labels, k.label)]));
    });
  }
  function dot(colours) {
    return el("span", { "class": "dot", style: "background:" + colours.color + ";border-color:" + colours.border });
  }
  function drawCampLegend() {
    var camps = data.camps;
    legend.appendChild(el("span", { "class": "arrow", "data-legend": "crossing", style: "color:" + camps.crossing_color,
                                    title: "a friendly tie across the camps or a hostile one inside a camp" }, [
      el("span", { "class": "dotted", style: "border-color:" + camps.crossing_color }), "cuts across the camps"]));
    camps.colors.forEach(function (colours, index) {
      var names = camps.members[index].map(function (id) { return nameOf(nodeById[id]); }).join(", ");
      legend.appendChild(el("span", { "class": "kind", "data-camp": String(index), title: names }, [
        dot(colours), "camp " + index + " (" + camps.sizes[index] + " actors)"]));
    });
    legend.appendChild(el("span", { "class": "kind", "data-camp": "none" }, [dot(camps.unaligned_color), "in neither"]));
    var fit = "frustration " + round(camps.frustration) + " of " + round(camps.total_weight) +
      ", balance " + camps.balance.toFixed(3) + (camps.optimal ? " (proven least)" : " (best found, not proven)");
    legend.appendChild(el("span", { "class": "fit", id: "camp-fit", text: fit,
                                    title: "the summed weight of the ties that do not fit the camps" }));
  }
  function round(x) { return Math.round(x * 10) / 10; }
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
  var colourPicker = el("select", { id: "colour", "aria-label": "Colour the entities by" });
  [["kind", "kind"], ["camp", "camp"]].forEach(function (pair) {
    var option = el("option", { value: pair[0], text: pair[1] });
    if (pair[0] === colourMode) { option.selected = true; }
    colourPicker.appendChild(option);
  });
  legend.parentNode.insertBefore(el("label", { "class": "lang" }, ["Colour by ", colourPicker]), legend);
  drawHeader();
  drawLegend();

  // --- the network ------------------------------------------------------------------------------
  function nodeColour(n) {
    var f = fill(n), centre = n.id === centreId;
    return {
      background: f.color, border: centre ? "#1f2329" : f.border,
      highlight: { background: f.color, border: "#1f2329" },
      hover: { background: f.color, border: "#1f2329" }
    };
  }
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
      color: nodeColour(n),
      font: {
        size: centre ? 22 : (n.actor ? 17 : 14), color: "#1f2329",
        strokeWidth: 4, strokeColor: "#ffffff", face: "system-ui, sans-serif",
        bold: { color: "#1f2329" }
      }
    };
  }));
  // An ended relation (its last interval closed by the page's day, or by now) is drawn dashed
  // grey whatever its polarity; an unconfirmed one keeps its colour with short dashes.
  // Coloured by camp, a link whose claims make a frustrated tie is drawn dotted, thicker, in the
  // crossing colour, whatever its polarity.
  function ended(l) { return l.claim.valid.ended; }
  function edgeStyle(l) {
    var stance = l.polarity !== 0, cuts = marked(l);
    var colour = cuts ? data.camps.crossing_color : (ended(l) ? data.ended_color : l.color);
    // Better-corroborated claims are drawn thicker: each doubling of the independent origins
    // adds half the base width.
    var width = (stance ? 2.6 : 1.1) * (1 + 0.5 * Math.log2(Math.max(1, l.claim.independent || 1)));
    return {
      id: l.id,
      width: cuts ? width * 1.6 : width,
      dashes: cuts ? [3, 4] : (ended(l) ? [10, 6] : (l.claim.certainty === "unconfirmed" ? [6, 5] : false)),
      color: { color: colour, highlight: colour, hover: colour, opacity: stance ? 1 : 0.75 },
      font: {
        size: 10, color: stance ? colour : "#7a828c", strokeWidth: 3, strokeColor: "#ffffff",
        align: "middle", face: "system-ui, sans-serif"
      }
    };
  }
  var edges = new vis.DataSet(data.links.map(function (l) {
    var stance = l.polarity !== 0;
    return Object.assign(edgeStyle(l), {
      from: l.from,
      to: l.to,
      label: stance ? vocabularyLabel(l.claim.labels, l.claim.label) : undefined,
      arrows: { to: { enabled: true, scaleFactor: stance ? 0.75 : 0.55 } },
      hoverWidth: 1.5,
      selectionWidth: 2,
      physics: l.spring,
      smooth: l.roundness ? { enabled: true, type: "curvedCW", roundness: l.roundness } : false
    });
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

  // An end of a claim by its id: its label when it is in view, else its English name.
  function endName(id, fallback) { return nodeById[id] ? nameOf(nodeById[id]) : fallback; }

  // A claim in words when the page has it ("Google agrees to the terms of Any lawful use"), else its id.
  function claimText(id) {
    var c = claimById[id];
    return c ? endName(c.subject_id, c.subject) + " " + vocabularyLabel(c.labels, c.label) + " " +
               endName(c.object_id, c.object) : id;
  }

  // When the claim held: each interval, and what ended it.
  function heldText(c) {
    if (!c.valid.held.length) { return "undated: not on the timeline"; }
    return "held " + c.valid.held.map(function (h) {
      var end = h.end ? " to " + h.end : ", still holds";
      var by = h.ended_by ? " (" + h.ended_by.reason.replace("_", " ") +
        (h.ended_by.claim !== c.id ? " by " + claimText(h.ended_by.claim) : "") + ")" : "";
      return "from " + h.start + end + by;
    }).join("; ") + (c.time && c.time.as_of === "overlap" ? " · its dates only overlap the day" : "");
  }

  function claimCard(link) {
    var c = link.claim;
    var polarity = data.polarities.filter(function (p) { return p.polarity === c.polarity; })[0];
    var card = el("div", { "class": "claim", "data-claim": c.id }, [
      el("div", { "class": "claim-title" }, [
        endName(c.subject_id, c.subject) + " ",
        el("span", { "class": "chip", style: "background:" + link.color,
                     text: vocabularyLabel(c.labels, c.label) }),
        " " + endName(c.object_id, c.object)]),
      el("p", { "class": "meta", text: [
        polarity.name, c.certainty, c.date || "undated", c.status,
        c.sources === c.independent ? c.sources + " source(s)"
          : c.sources + " sources, " + c.independent + " independent"
      ].filter(Boolean).join(" · ") }),
      el("p", { "class": "meta", "data-held": c.id, text: heldText(c) })
    ]);
    var qualifiers = Object.keys(c.qualifiers || {});
    if (qualifiers.length) {
      card.appendChild(el("p", { "class": "meta", text: qualifiers.map(function (k) {
        return k + ": " + c.qualifiers[k];
      }).join("; ") }));
    }
    if (c.note) { card.appendChild(el("p", { "class": "note", text: c.note })); }
    if (colourMode === "camp" && crossing[c.id]) {
      card.appendChild(el("p", { "class": "meta", "data-crossing": c.id,
                                 style: "color:" + data.camps.crossing_color + ";font-weight:600",
                                 text: "Cuts across the camps: " + campName(c.subject_id) + " and " +
                                       campName(c.object_id) + " (the pair's tie does not fit the split)" }));
    }
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

  function campName(id) { return campOf[id] === undefined ? "in neither camp" : "camp " + campOf[id]; }

  function entityCard(n) {
    var card = el("div", { "class": "entity", "data-entity": n.id }, [
      el("h2", { text: nameOf(n) }),
      el("p", { "class": "meta", text: [nameOf(n) !== n.name ? n.name : n.name_zh, kindLabel(n.kind),
        colourMode === "camp" && n.actor ? campName(n.id) : "",
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
      drawTimeline(clicked.id);
    } else if (e.edges.length) {
      pin(e.edges[0]);
    } else {
      pinned = null;
    }
  });
  network.on("doubleClick", function (e) {
    if (e.nodes.length && document.querySelector("form.nav")) {
      var url = new URL(window.location.href);
      url.searchParams.set("entity", e.nodes[0]);
      url.searchParams.set("depth", data.depth);
      url.searchParams.set("lang", lang);
      window.location.assign(url.toString());  // as_of and known_by stay
    }
  });

  // --- the entity list --------------------------------------------------------------------------
  var list = document.getElementById("entities");
  function drawList() {
    list.replaceChildren();
    data.nodes.slice().sort(function (a, b) { return nameOf(a).localeCompare(nameOf(b), lang); }).forEach(function (n) {
      var item = el("li", { "data-entity": n.id, title: kindLabel(n.kind) }, [
        el("span", { "class": "dot", style: "background:" + fill(n).color }), nameOf(n)]);
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
    drawTimeline(n.id);
  }
  drawList();

  // --- the time control: the graph as of a day ---------------------------------------------------
  // A day is chosen with the slider (from the earliest to the latest start of a claim in the graph,
  // then "all dates") or the date field; the page loads again with ?as_of=, so what it draws is
  // the API's answer for that day. The exported file cannot load itself again: it only says its day.
  var DAY = 86400000;
  function dayNumber(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY; }
  function isoDay(number) { return new Date(number * DAY).toISOString().slice(0, 10); }
  var timeBar = document.getElementById("time");
  function loadAsOf(day) {
    var url = new URL(window.location.href);
    if (day) { url.searchParams.set("as_of", day); } else { url.searchParams.delete("as_of"); }
    url.searchParams.set("lang", lang);
    window.location.assign(url.toString());
  }
  function drawTimeControl() {
    var shown = el("span", { "class": "shown", id: "as-of-shown", "aria-live": "polite", text: windowText() });
    if (!document.querySelector("form.nav")) {
      timeBar.appendChild(el("span", {}, ["Time: ", shown]));
      return;
    }
    var field = el("input", { type: "date", id: "as-of", "aria-label": "As of (date)" });
    if (data.window.as_of) { field.value = data.window.as_of; }
    field.addEventListener("change", function () { if (field.value) { loadAsOf(field.value); } });
    var all = el("button", { type: "button", id: "as-of-all", text: "All dates" });
    all.disabled = !data.window.as_of;
    all.addEventListener("click", function () { loadAsOf(null); });
    var parts = [el("label", { "for": "as-of", text: "As of" }), field];
    if (data.range) {
      var first = dayNumber(data.range.first), last = dayNumber(data.range.last);
      var slider = el("input", { type: "range", id: "as-of-slider", min: "0", max: String(last - first + 1),
                                 step: "1", "aria-label": "As of (days from the first claim; rightmost: all dates)" });
      var at = data.window.as_of ? dayNumber(data.window.as_of) - first : last - first + 1;
      slider.value = String(Math.max(0, Math.min(at, last - first + (data.window.as_of ? 0 : 1))));
      var chosen = function () {
        var n = +slider.value;
        return n > last - first ? null : isoDay(first + n);
      };
      // Dragging shows the day; letting go loads it.
      slider.addEventListener("input", function () {
        var day = chosen();
        shown.textContent = day ? "as of " + day : "all dates";
        field.value = day || "";
      });
      slider.addEventListener("change", function () { loadAsOf(chosen()); });
      parts.push(el("span", { "class": "bound", text: data.range.first }), slider,
                 el("span", { "class": "bound", text: data.range.last + " · all" }));
    }
    parts.push(all, shown);
    parts.forEach(function (part) { timeBar.appendChild(part); });
  }
  drawTimeControl();

  // --- the timeline of an entity's claims ---------------------------------------------------------
  // The page's entity: its claims as the store's timeline gives them (in the window). Another
  // entity, once chosen: its claims among those drawn. One item per interval a claim held: a range
  // when it ended, a point at its start when it still holds; undated claims are counted, not drawn.
  var timelineEntity = data.timeline.entity;
  var timelineItems = [];
  function timelineClaims(entityId) {
    if (entityId === data.timeline.entity) {
      return data.timeline.claims.map(function (id) { return claimById[id]; });
    }
    return data.links.filter(function (l) { return l.from === entityId || l.to === entityId; })
      .map(function (l) { return l.claim; });
  }
  function claimLink(c) {
    return linkById[c.id] || { id: c.id, from: c.subject_id, to: c.object_id,
                               color: data.polarities.filter(function (p) { return p.polarity === c.polarity; })[0].color,
                               claim: c };
  }
  function itemsOf(entityId) {
    var out = [];
    timelineClaims(entityId).forEach(function (c) {
      var predicate = vocabularyLabel(c.labels, c.label);
      var polarity = data.polarities.filter(function (p) { return p.polarity === c.polarity; })[0];
      // Titled from the entity's side: "opposes X" for its own claims, "Y supports" for others'.
      var what = c.subject_id === entityId ? predicate + " " + endName(c.object_id, c.object)
                                           : endName(c.subject_id, c.subject) + " " + predicate;
      c.valid.held.forEach(function (h, index) {
        var ranged = Boolean(h.until);
        out.push({
          id: c.id + "#" + index, claim: c.id,
          content: what,
          title: endName(c.subject_id, c.subject) + " " + vocabularyLabel(c.labels, c.label) + " " +
                 endName(c.object_id, c.object) + ": " + h.start + (h.end ? " – " + h.end : ", still holds"),
          start: h.from, end: ranged ? h.until : undefined, type: ranged ? "range" : "point",
          className: "sg-item sg-" + polarity.name
        });
      });
    });
    return out;
  }
  // Items are coloured by polarity through their class: a point's dot is an element of its own,
  // which an item's style does not reach.
  document.head.appendChild(el("style", { text: data.polarities.map(function (p) {
    var item = "#timeline .vis-item.sg-" + p.name;
    return item + " { border-color: " + p.color + "; } " + item + ".vis-range { background-color: " +
      p.color + "; } " + item + ".vis-point { color: " + p.color + "; }";
  }).join(" ") }));
  var timeline = new vis.Timeline(document.getElementById("timeline"), [], {
    height: "100%", verticalScroll: true, zoomKey: "ctrlKey", dataAttributes: ["id", "claim"],
    stack: true, selectable: true, showCurrentTime: false, zoomMin: 7 * DAY,
    margin: { item: { horizontal: 4, vertical: 4 } }, orientation: { axis: "top" },
    tooltip: { followMouse: true, overflowMethod: "cap" }
  });
  if (data.window.as_of) {
    timeline.addCustomTime(data.window.as_of, "as-of");
    timeline.setCustomTimeTitle("as of " + data.window.as_of, "as-of");
  }
  function drawTimeline(entityId) {
    timelineEntity = entityId;
    var claims = timelineClaims(entityId);
    timelineItems = itemsOf(entityId);
    var undated = claims.filter(function (c) { return !c.valid.held.length; }).length;
    var node = nodeById[entityId];
    var title = document.getElementById("timeline-title");
    title.replaceChildren("Timeline: " + (node ? nameOf(node) : entityId) + " ",
      el("span", { "class": "hint", text: "· " + claims.length + " claim(s)" +
        (entityId === data.timeline.entity ? "" : " in view") +
        (undated ? ", " + undated + " undated not drawn" : "") +
        (entityId === data.timeline.entity && data.timeline.truncated ? " (cut at the limit)" : "") +
        " · click an item for its evidence" }));
    timeline.setItems(timelineItems);
    frameTimeline();
  }
  // The timeline opens on the year up to its latest start (and the page's day), where most claims
  // of a news story are; older ones (a 2018 withdrawal) are a drag or a zoom away.
  function frameTimeline() {
    if (!timelineItems.length) { return; }
    var starts = timelineItems.map(function (i) { return dayNumber(i.start); });
    var ends = timelineItems.map(function (i) { return dayNumber(i.end || i.start); });
    if (data.window.as_of) { starts.push(dayNumber(data.window.as_of)); ends.push(dayNumber(data.window.as_of)); }
    var latest = Math.max.apply(null, starts), last = Math.max.apply(null, ends);
    var first = Math.min.apply(null, starts.filter(function (d) { return d >= latest - 365; }));
    var span = Math.max(14, last - first);
    // More room on the right: a point's caption runs to the right of its dot.
    timeline.setWindow(isoDay(first - Math.round(span * 0.05)), isoDay(last + Math.round(span * 0.3)),
                       { animation: false });
  }
  timeline.on("select", function (props) {
    var item = timelineItems.filter(function (i) { return i.id === props.items[0]; })[0];
    if (!item) { return; }
    if (linkById[item.claim]) { pin(item.claim); return; }
    pinned = item.claim;
    network.unselectAll();
    show(claimCard(claimLink(claimById[item.claim])), function () { return claimCard(claimLink(claimById[item.claim])); });
  });
  drawTimeline(timelineEntity);

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
    drawTimeline(timelineEntity);
    if (shown) { details.replaceChildren(shown()); }
    var url = new URL(window.location.href);
    url.searchParams.set("lang", tag);
    window.history.replaceState(null, "", url);
    if (done) { separateLabels(); network.fit({ animation: false }); }
  }
  if (picker) { picker.addEventListener("change", function () { relabel(picker.value); }); }
  function recolour(mode) {
    colourMode = mode === "camp" ? "camp" : "kind";
    colourPicker.value = colourMode;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: nodeColour(n) }; }));
    edges.update(data.links.map(edgeStyle));
    drawLegend();
    drawList();
    if (shown) { details.replaceChildren(shown()); }
    var url = new URL(window.location.href);
    if (colourMode === "camp") { url.searchParams.set("colour", "camp"); } else { url.searchParams.delete("colour"); }
    window.history.replaceState(null, "", url);
    var field = document.querySelector("form.nav input[name=colour]");
    if (field) { field.value = colourMode; }
  }
  colourPicker.addEventListener("change", function () { recolour(colourPicker.value); });
  var colourField = document.querySelector("form.nav input[name=colour]");
  if (colourField) { colourField.value = colourMode; }
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

  window.stancegraph = { network: network, timeline: timeline, data: data, pin: pin, relabel: relabel,
                         recolour: recolour, colourMode: function () { return colourMode; },
                         drawTimeline: drawTimeline,
                         timelineItems: function () { return timelineItems; },
                         language: function () { return lang; } };
}());
