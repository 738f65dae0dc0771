// The explorer's coordinated views over the network that view.js draws: filters, a timeline, an
// entity (or fact) panel, the page's state in the URL hash, and the facts in view as CSV.
// As in view.js, every string in the data is untrusted article text: it reaches the page only
// through textContent, value, title and (checked http(s) URLs only) href -- never innerHTML.
(function () {
  "use strict";

  var view = window.kgView;
  var data = view.data;
  var ex = data.explorer;
  var DAY = 86400000;
  var STATE_KEYS = ["entity", "fact", "family", "type", "kind", "from", "to", "article", "conf", "folded", "group"];

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }

  // ---- tables --------------------------------------------------------------------------------
  var entityByNode = {}, entityByIri = {}, factByNode = {}, factByIri = {};
  var factsOf = {};  // entity node id -> [[role, fact]]
  ex.entities.forEach(function (e) { entityByNode[e.n] = e; entityByIri[e.iri] = e; factsOf[e.n] = []; });
  ex.facts.forEach(function (f) {
    factByNode[f.n] = f;
    factByIri[f.iri] = f;
    f.from = f.begin || f.latest || f.earliest;  // where the timeline and the date filter place it
    f.until = f.end || f.latest || f.earliest;
    f.roles.forEach(function (r) { if (factsOf[r[1]]) factsOf[r[1]].push([r[0], f]); });
  });
  var colors = {};
  data.legend.forEach(function (entry) { colors[entry.name] = entry.color; });
  var typesOf = {};  // family -> sorted event types
  ex.facts.forEach(function (f) {
    var list = typesOf[f.family] = typesOf[f.family] || [];
    if (list.indexOf(f.type) < 0) list.push(f.type);
  });

  function when(f) {
    if (f.time) return f.time;
    if (f.latest) return "by " + f.latest;
    if (f.earliest) return "from " + f.earliest;
    return "no time";
  }

  // ---- state and the URL hash ----------------------------------------------------------------
  var state = readHash();

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var s = {};
    STATE_KEYS.forEach(function (k) { s[k] = params.get(k) || ""; });
    if (s.entity && !entityByIri[s.entity]) {  // a name works too: the best match
      var hit = view.find(s.entity).filter(function (id) { return entityByNode[id]; })[0];
      s.entity = hit === undefined ? "" : entityByNode[hit].iri;
    }
    if (s.fact && !factByIri[s.fact]) s.fact = "";
    return s;
  }

  function hashOf(s) {
    var params = new URLSearchParams();
    STATE_KEYS.forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    var text = params.toString();
    return text ? "#" + text : "";
  }

  // Every change goes through the hash, so the back button walks through what one looked at. It
  // is applied at once (the hashchange event it fires comes later and finds nothing new), so the
  // page is up to date when the click or key that changed it has been handled.
  function go(changes) {
    var next = {};
    STATE_KEYS.forEach(function (k) { next[k] = k in changes ? (changes[k] || "") : state[k]; });
    var hash = hashOf(next);
    if (hash === hashOf(state)) return;
    if (hash) location.hash = hash;
    else history.pushState(null, "", location.pathname + location.search);
    applyHash();
  }

  function applyHash() {
    var before = state;
    var next = readHash();
    if (hashOf(next) === hashOf(before) && rendered) return;  // (our own change, already drawn)
    state = next;
    syncControls();
    render(before);
  }
  window.addEventListener("hashchange", applyHash);
  window.addEventListener("popstate", function () { if (!location.hash) applyHash(); });

  // ---- filters -------------------------------------------------------------------------------
  function passes(f) {
    if (state.family && f.family !== state.family) return false;
    if (state.type && f.type !== state.type) return false;
    if (state.article !== "" && String(f.article) !== state.article) return false;
    if (state.conf && (f.conf === null || f.conf < parseFloat(state.conf))) return false;
    if (state.from || state.to) {
      if (!f.from) return false;
      if (state.from && f.until < state.from) return false;
      if (state.to && f.from > state.to) return false;
    }
    if (state.kind && !f.roles.some(function (r) { return entityByNode[r[1]].kind === state.kind; })) return false;
    return true;
  }

  function option(select, value, label) {
    var o = el("option", null, label);
    o.value = value;
    select.appendChild(o);
  }

  var controls = {
    family: $("kg-family"), type: $("kg-type"), kind: $("kg-kind"), from: $("kg-from"),
    to: $("kg-to"), article: $("kg-article"), conf: $("kg-conf"), group: $("kg-tl-group")
  };
  option(controls.family, "", "All families");
  ex.families.forEach(function (name) { option(controls.family, name, name); });
  option(controls.kind, "", "All entity kinds");
  ex.kinds.forEach(function (name) { option(controls.kind, name, name); });
  option(controls.article, "", "All articles");
  ex.articles.forEach(function (a, i) { option(controls.article, String(i), (a.date ? a.date + " \u00b7 " : "") + a.title); });

  function fillTypes() {
    var select = controls.type;
    while (select.firstChild) select.removeChild(select.firstChild);
    option(select, "", "All types");
    var families = state.family ? [state.family] : ex.families;
    var seen = {};
    families.forEach(function (family) {
      (typesOf[family] || []).forEach(function (t) { seen[t] = true; });
    });
    Object.keys(seen).sort().forEach(function (t) { option(select, t, t); });
  }

  function syncControls() {
    fillTypes();
    Object.keys(controls).forEach(function (k) { controls[k].value = state[k]; });
    $("kg-folded").checked = state.folded === "1";
  }

  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener("change", function () {
      var changes = {};
      changes[k] = controls[k].value;
      if (k === "family") changes.type = "";
      go(changes);
    });
  });
  $("kg-folded").addEventListener("change", function () { go({ folded: $("kg-folded").checked ? "1" : "" }); });
  $("kg-reset").addEventListener("click", function () {
    var changes = {};
    STATE_KEYS.forEach(function (k) { changes[k] = ""; });
    go(changes);
  });

  // ---- network -------------------------------------------------------------------------------
  var hiddenNow = {};

  function showNetwork(shown) {
    var updates = [];
    var entity = state.entity ? entityByIri[state.entity] : null;
    var near = {};
    if (entity) factsOf[entity.n].forEach(function (rf) { near[rf[1].n] = true; });
    var visible = {};
    shown.forEach(function (f) {
      var node = view.byId[f.n];
      if (node.fold && state.folded !== "1" && !near[f.n]) return;
      visible[f.n] = true;
      f.roles.forEach(function (r) {
        if (!view.byId[r[1]].fold || state.folded === "1" || near[f.n]) visible[r[1]] = true;
      });
    });
    // Facts that are an argument of a shown fact (the repeal a call is about) stay with it.
    data.edges.forEach(function (e) {
      if (visible[e.from] && factByNode[e.from] && factByNode[e.to]) visible[e.to] = true;
    });
    if (entity) visible[entity.n] = true;
    var filtered = ["family", "type", "kind", "from", "to", "article", "conf"].some(function (k) { return state[k]; });
    data.nodes.forEach(function (n) {
      // an entity in no fact (a graph from elsewhere, a seed of --entity) is there when nothing filters
      if (!n.fact && !factsOf[n.id].length && !filtered && (!n.fold || state.folded === "1")) visible[n.id] = true;
    });
    data.nodes.forEach(function (n) {
      var hide = !visible[n.id];
      if (!!hiddenNow[n.id] !== hide) {
        hiddenNow[n.id] = hide;
        updates.push({ id: n.id, hidden: hide });
      }
    });
    if (updates.length) view.nodes.update(updates);
  }

  function fitVisible() {
    var ids = data.nodes.filter(function (n) { return !hiddenNow[n.id]; }).map(function (n) { return n.id; });
    if (ids.length) view.network.fit({ nodes: ids, animation: false });
  }

  var clicked = null;  // a node the reader clicked on the network: it is in sight, no need to move
  view.onSelect(function (id, how) {
    clicked = how === "click" ? id : null;
    if (id === null) { go({ entity: "", fact: "" }); return; }
    if (entityByNode[id]) go({ entity: entityByNode[id].iri, fact: "" });
    else if (factByNode[id]) go({ fact: factByNode[id].iri });
  });

  // ---- timeline ------------------------------------------------------------------------------
  var timeline = $("kg-timeline");
  var lanesBox = $("kg-tl-lanes");
  var axis = $("kg-tl-axis");
  var brush = $("kg-tl-brush");
  var ROW = 11, MAX_ROWS = 6, LANE_PAD = 6;
  var tl = { v0: 0, v1: 1, items: {}, shown: [] };

  function ms(day) { return Date.parse(day + "T00:00:00Z"); }
  function dayOf(t) { return new Date(t).toISOString().slice(0, 10); }

  // The span the timeline opens on: the bulk of the facts (a history mentioned in passing, "the
  // Act of 1867", would squeeze today's news into a pixel); "Fit" shows them all.
  function domain(facts, all) {
    var starts = [], ends = [];
    facts.forEach(function (f) {
      if (!f.from) return;
      starts.push(ms(f.from));
      ends.push(ms(f.until) + DAY);
    });
    starts.sort(function (a, b) { return a - b; });
    ends.sort(function (a, b) { return a - b; });
    var cut = all || starts.length < 50 ? 0 : Math.floor(starts.length * 0.05);
    var lo = starts.length ? starts[cut] : Date.now() - 365 * DAY;
    var hi = ends.length ? ends[ends.length - 1 - cut] : Date.now();
    if (state.from) lo = ms(state.from);
    if (state.to) hi = ms(state.to) + DAY;
    var pad = Math.max((hi - lo) * 0.03, 2 * DAY);
    return [lo - pad, hi + pad];
  }

  function width() { return Math.max(lanesBox.clientWidth - 150, 50); }
  function x(t) { return 140 + (t - tl.v0) / (tl.v1 - tl.v0) * width(); }
  function t(px) { return tl.v0 + (px - 140) / width() * (tl.v1 - tl.v0); }

  function item(f) {
    var box = tl.items[f.iri];
    if (box) return box;
    box = el("div", "kg-tl-item" + (f.begin ? "" : f.latest ? " kg-tl-by" : " kg-tl-from"));
    box.setAttribute("data-kg", "timeline-item");
    box.setAttribute("data-fact", f.iri);
    box.style.setProperty("--c", colors[f.family] || "#707b7c");
    box.title = when(f) + " \u00b7 " + f.type + ": " + f.text
      + (f.begin ? "" : f.latest ? "\n(a bound: it happened by this day, the article's date)" : "\n(a bound: from this day)");
    box.addEventListener("click", function (ev) {
      ev.stopPropagation();
      go({ fact: f.iri });
    });
    tl.items[f.iri] = box;
    return box;
  }

  // Lanes by family, or by entity: a fact in the lane of its agent (else its first participant)
  // when that is one of the LANES entities in most facts shown, else in "other entities".
  var LANES = 12, OTHERS = "other entities";

  function lanesOf(shown) {
    var lanes = {}, colorOf = {};
    if (state.group !== "entity") {
      shown.forEach(function (f) { (lanes[f.family] = lanes[f.family] || []).push(f); });
      Object.keys(lanes).forEach(function (name) { colorOf[name] = colors[name]; });
      return { lanes: lanes, order: Object.keys(lanes).sort(), color: colorOf };
    }
    var lead = function (f) { return f.roles.length ? f.roles[0][1] : null; };  // agent first
    var counts = {};
    shown.forEach(function (f) { var n = lead(f); if (n !== null) counts[n] = (counts[n] || 0) + 1; });
    var top = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a - b; }).slice(0, LANES);
    var order = top.map(function (n) { return entityByNode[n].label; });
    shown.forEach(function (f) {
      var n = lead(f);
      var name = n !== null && top.indexOf(String(n)) >= 0 ? entityByNode[n].label : OTHERS;
      (lanes[name] = lanes[name] || []).push(f);
    });
    top.forEach(function (n) { colorOf[entityByNode[n].label] = view.byId[n].color; });
    if (lanes[OTHERS]) order.push(OTHERS);
    return { lanes: lanes, order: order, color: colorOf };
  }

  // In a lane, facts stack in rows so that none hides another (up to MAX_ROWS).
  function drawTimeline() {
    var shown = tl.shown;
    var grouped = lanesOf(shown);
    var byFamily = grouped.lanes;
    while (lanesBox.firstChild) lanesBox.removeChild(lanesBox.firstChild);
    var selected = state.entity ? entityByIri[state.entity] : null;
    var mine = {};
    if (selected) factsOf[selected.n].forEach(function (rf) { mine[rf[1].iri] = true; });
    grouped.order.forEach(function (family) {
      var lane = el("div", "kg-tl-lane");
      var name = el("div", "kg-tl-name", family);
      name.title = family;
      name.style.borderColor = grouped.color[family] || "#707b7c";
      lane.appendChild(name);
      var rows = [];
      byFamily[family].forEach(function (f) {
        var x0 = x(f.begin ? ms(f.begin) : ms(f.from)), x1;
        if (f.begin) x1 = Math.max(x(ms(f.end || f.begin) + DAY), x0 + 5);
        else x1 = x0 + 5;
        var left = f.begin ? x0 : f.latest ? x0 - 22 : x0;  // a bound's tail points into the unknown
        var right = f.begin ? x1 : f.latest ? x0 + 5 : x0 + 27;
        var row = 0;
        while (row < rows.length && rows[row] > left - 2) row++;
        if (row >= MAX_ROWS) row = rows.indexOf(Math.min.apply(null, rows));
        rows[row] = Math.max(rows[row] || -Infinity, right);
        var box = item(f);
        box.style.left = left + "px";
        box.style.width = (right - left) + "px";
        box.style.top = (LANE_PAD / 2 + row * ROW) + "px";
        box.classList.toggle("kg-tl-mine", !!mine[f.iri]);
        box.classList.toggle("kg-tl-chosen", f.iri === state.fact);
        box.style.display = right < 136 || left > 150 + width() ? "none" : "";
        lane.appendChild(box);
      });
      lane.style.height = (Math.min(rows.length, MAX_ROWS) * ROW + LANE_PAD) + "px";
      lanesBox.appendChild(lane);
    });
    drawAxis();
    timeline.setAttribute("data-count", String(shown.length));
    $("kg-tl-count").textContent = shown.length + " facts with a time or a bound"
      + (tl.undated ? " \u00b7 " + tl.undated + " without" : "");
  }

  var STEPS = [
    [DAY, 10], [7 * DAY, 10], [30 * DAY, 7], [91 * DAY, 7], [365 * DAY, 4], [5 * 365 * DAY, 4],
    [10 * 365 * DAY, 4], [50 * 365 * DAY, 4]
  ];

  function drawAxis() {
    Array.prototype.slice.call(axis.querySelectorAll(".kg-tl-tick")).forEach(function (tick) {
      axis.removeChild(tick);
    });
    var per = (tl.v1 - tl.v0) / width();  // ms per px
    var step = STEPS[STEPS.length - 1][0];
    for (var i = 0; i < STEPS.length; i++) if (STEPS[i][0] / per >= 70) { step = STEPS[i][0]; break; }
    var first = new Date(tl.v0), tick;
    if (step >= 365 * DAY) {
      var years = Math.round(step / (365 * DAY));
      tick = Date.UTC(Math.ceil(first.getUTCFullYear() / years) * years, 0, 1);
    } else if (step >= 30 * DAY) {
      var months = Math.round(step / (30 * DAY));
      tick = Date.UTC(first.getUTCFullYear(), Math.ceil((first.getUTCMonth() + 1) / months) * months, 1);
    } else {
      tick = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + 1);
    }
    for (var guard = 0; tick < tl.v1 && guard < 200; guard++) {
      var d = new Date(tick);
      var label = step >= 365 * DAY ? String(d.getUTCFullYear())
        : step >= 30 * DAY ? d.toISOString().slice(0, 7) : d.toISOString().slice(0, 10);
      if (x(tick) > 150) {  // not under the lane names
        var mark = el("span", "kg-tl-tick", label);
        mark.style.left = x(tick) + "px";
        axis.appendChild(mark);
      }
      if (step >= 365 * DAY) tick = Date.UTC(d.getUTCFullYear() + Math.round(step / (365 * DAY)), 0, 1);
      else if (step >= 30 * DAY) tick = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + Math.round(step / (30 * DAY)), 1);
      else tick += step;
    }
  }

  var redrawQueued = false;
  function redrawSoon() {
    if (redrawQueued) return;
    redrawQueued = true;
    requestAnimationFrame(function () { redrawQueued = false; drawTimeline(); });
  }

  // Wheel: zoom around the pointer. Drag on the lanes: pan. Drag on the axis: choose a date range,
  // which becomes the from/to filter of every view.
  lanesBox.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var at = t(ev.clientX - lanesBox.getBoundingClientRect().left);
    var k = ev.deltaY > 0 ? 1.25 : 0.8;
    var span = Math.max((tl.v1 - tl.v0) * k, 2 * DAY);
    var share = (at - tl.v0) / (tl.v1 - tl.v0);
    tl.v0 = at - share * span;
    tl.v1 = tl.v0 + span;
    redrawSoon();
  }, { passive: false });

  var drag = null;
  lanesBox.addEventListener("mousedown", function (ev) {
    drag = { mode: "pan", x: ev.clientX, v0: tl.v0, v1: tl.v1 };
  });
  axis.addEventListener("mousedown", function (ev) {
    ev.preventDefault();
    var left = axis.getBoundingClientRect().left;
    drag = { mode: "brush", x: ev.clientX, left: left };
    brush.style.left = (ev.clientX - left) + "px";
    brush.style.width = "0px";
    brush.hidden = false;
  });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    if (drag.mode === "pan") {
      var shift = (ev.clientX - drag.x) / width() * (drag.v1 - drag.v0);
      tl.v0 = drag.v0 - shift;
      tl.v1 = drag.v1 - shift;
      redrawSoon();
    } else {
      var a = Math.min(drag.x, ev.clientX) - drag.left, b = Math.max(drag.x, ev.clientX) - drag.left;
      brush.style.left = a + "px";
      brush.style.width = (b - a) + "px";
    }
  });
  window.addEventListener("mouseup", function (ev) {
    if (!drag) return;
    var d = drag;
    drag = null;
    if (d.mode !== "brush") return;
    brush.hidden = true;
    var a = Math.min(d.x, ev.clientX) - d.left, b = Math.max(d.x, ev.clientX) - d.left;
    if (b - a < 4) return;  // a click, not a range
    go({ from: dayOf(t(a)), to: dayOf(t(b)) });
  });
  $("kg-tl-fit").addEventListener("click", function () {
    var span = domain(tl.shown, true);
    tl.v0 = span[0];
    tl.v1 = span[1];
    drawTimeline();
  });

  // ---- the side panel: an entity, or a fact ---------------------------------------------------
  var side = $("kg-side");

  function entityButton(e, extra) {
    var b = el("button", "kg-link", e.label + (extra || ""));
    b.type = "button";
    b.title = e.kind;
    b.addEventListener("click", function () { go({ entity: e.iri, fact: "" }); });
    return b;
  }

  function articleLine(f) {
    var a = ex.articles[f.article];
    var line = el("div", "kg-article");
    if (a.url) {
      var link = el("a", null, a.title);
      link.href = a.url;  // an http(s) URL, checked in Python (kg.explorer.web_url)
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      line.appendChild(link);
    } else {
      line.appendChild(el("span", null, a.title));
    }
    if (a.date) line.appendChild(el("span", "kg-muted", " \u00b7 " + a.date));
    return line;
  }

  function factRow(f, role) {
    var row = el("li", "kg-fact-row" + (f.iri === state.fact ? " kg-chosen" : ""));
    row.setAttribute("data-kg", "fact-row");
    row.setAttribute("data-fact", f.iri);
    var head = el("div", "kg-fact-head");
    var swatch = el("span", "kg-swatch");
    swatch.style.background = colors[f.family] || "#707b7c";
    head.appendChild(swatch);
    head.appendChild(el("span", "kg-when", when(f)));
    head.appendChild(el("span", "kg-type", f.type));
    if (role) head.appendChild(el("span", "kg-role", role));
    row.appendChild(head);
    row.appendChild(el("div", "kg-fact-text", f.text));
    if (f.sentence) row.appendChild(el("blockquote", "kg-quote", "\u201c" + f.sentence + "\u201d"));
    row.appendChild(articleLine(f));
    row.addEventListener("click", function (ev) {
      if (ev.target.tagName === "A") return;
      go({ fact: f.iri });
    });
    return row;
  }

  function closeButton() {
    var b = el("button", "kg-close", "\u00d7");
    b.type = "button";
    b.title = "Close";
    b.addEventListener("click", function () { go({ entity: "", fact: "" }); });
    return b;
  }

  function sortFacts(list) {
    return list.slice().sort(function (a, b) {
      var x = a[1].from || "9999", y = b[1].from || "9999";
      return x < y ? -1 : x > y ? 1 : a[1].iri < b[1].iri ? -1 : 1;
    });
  }

  function showEntity(e, shownSet) {
    var box = el("div", "kg-panel");
    box.setAttribute("data-kg", "entity-panel");
    box.setAttribute("data-entity", e.iri);
    box.appendChild(closeButton());
    box.appendChild(el("h2", null, e.label));
    box.appendChild(el("div", "kg-muted", e.kind));
    if (e.names.length > 1) box.appendChild(el("div", "kg-also", "Also: " + e.names.slice(1).join("; ")));
    if (e.candidates.length) {
      box.appendChild(el("h3", null, "Possibly the same as"));
      e.candidates.forEach(function (c) {
        var other = entityByNode[c[0]];
        if (!other) return;
        var line = el("div", "kg-candidate");
        line.appendChild(entityButton(other, " (" + other.kind + ")"));
        line.appendChild(el("div", "kg-muted", c[1]));
        box.appendChild(line);
      });
    }
    if (served) {
      var more = el("button", "kg-link kg-more", "All its facts in the store \u2192");
      more.type = "button";
      more.addEventListener("click", function () { fromServer(e.iri); });
      box.appendChild(more);
    }
    var mine = factsOf[e.n];
    var partners = {};
    mine.forEach(function (rf) {
      rf[1].roles.forEach(function (r) {
        // named partners only: a theme word ("plan", "refusal") is no one to act with
        if (r[1] !== e.n && entityByNode[r[1]].kind !== "Thing") partners[r[1]] = (partners[r[1]] || 0) + 1;
      });
    });
    var ranked = Object.keys(partners).sort(function (a, b) { return partners[b] - partners[a] || a - b; });
    if (ranked.length) {
      box.appendChild(el("h3", null, "Acts with"));
      var list = el("div", "kg-partners");
      ranked.slice(0, 15).forEach(function (id) {
        list.appendChild(entityButton(entityByNode[id], " \u00b7 " + partners[id]));
      });
      box.appendChild(list);
    }
    var listed = sortFacts(mine).filter(function (rf) { return shownSet[rf[1].iri]; });
    var hidden = mine.length - listed.length;
    box.appendChild(el("h3", null, "Facts (" + listed.length + (hidden ? ", " + hidden + " hidden by the filters" : "") + ")"));
    var ul = el("ul", "kg-facts");
    listed.forEach(function (rf) { ul.appendChild(factRow(rf[1], rf[0])); });
    box.appendChild(ul);
    return box;
  }

  function showFact(f) {
    var box = el("div", "kg-panel");
    box.setAttribute("data-kg", "fact-panel");
    box.setAttribute("data-fact", f.iri);
    box.appendChild(closeButton());
    box.appendChild(el("h2", null, f.type));
    box.appendChild(el("div", "kg-muted", f.family + " \u00b7 " + when(f)
      + (f.conf === null ? "" : " \u00b7 confidence " + f.conf)));
    box.appendChild(el("div", "kg-fact-text", f.text));
    f.roles.forEach(function (r) {
      var line = el("div", "kg-role-line");
      line.appendChild(el("span", "kg-role", r[0]));
      line.appendChild(entityButton(entityByNode[r[1]]));
      box.appendChild(line);
    });
    if (f.sentence) box.appendChild(el("blockquote", "kg-quote", "\u201c" + f.sentence + "\u201d"));
    box.appendChild(articleLine(f));
    return box;
  }

  function drawSide(shownSet) {
    while (side.firstChild) side.removeChild(side.firstChild);
    var entity = state.entity ? entityByIri[state.entity] : null;
    var fact = state.fact ? factByIri[state.fact] : null;
    if (fact) side.appendChild(showFact(fact));
    if (entity) side.appendChild(showEntity(entity, shownSet));
    side.hidden = !entity && !fact;
  }

  // ---- CSV of the facts in view ---------------------------------------------------------------
  function csvCell(value) {
    var s = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // a spreadsheet must not run it as a formula
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csv(facts) {
    var head = ["event", "type", "family", "time", "begin", "end", "bound", "agent", "theme", "recipient",
                "place", "confidence", "article", "url", "sentence"];
    var lines = [head.join(",")];
    facts.forEach(function (f) {
      var roles = { agent: [], theme: [], recipient: [], place: [] };
      f.roles.forEach(function (r) { if (roles[r[0]]) roles[r[0]].push(entityByNode[r[1]].label); });
      var a = ex.articles[f.article];
      lines.push([f.iri, f.type, f.family, f.time, f.begin, f.end,
                  f.latest ? "by " + f.latest : f.earliest ? "from " + f.earliest : "",
                  roles.agent.join("; "), roles.theme.join("; "), roles.recipient.join("; "),
                  roles.place.join("; "), f.conf, a.title, a.url, f.sentence].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  $("kg-csv").addEventListener("click", function () {
    var link = el("a");
    link.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv(tl.inView));
    link.download = "facts.csv";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
  });

  // ---- kg serve: the page holds a part of the store; the server draws any other part ----------
  var served = data.served || null;

  // A new page from the server (GET, same origin): the CSP of this one allows no fetch at all.
  function fromServer(entity) {
    location.assign("/explorer?" + new URLSearchParams({ entity: entity }).toString());
  }

  if (served) {
    view.onMiss(function (q) {
      $("kg-status").textContent = "not on this page: asking the store\u2026";
      fromServer(q);
    });
    if (!state.entity && served.seeds.length && entityByIri[served.seeds[0]]) state.entity = served.seeds[0];
  }

  function servedNote() {
    if (!served) return "";
    var note = served.entity
      ? " \u00b7 the store's facts about \u201c" + served.entity + "\u201d"
      : " \u00b7 the facts of the store's best connected entities";
    if (served.missing) note = " \u00b7 the store has no entity \u201c" + served.missing + "\u201d" + note;
    return note + " (" + served.facts + " of " + served.total + "; search a name to load it)";
  }

  // ---- one render for every change of state ---------------------------------------------------
  var rendered = false;
  function render(before) {
    rendered = true;
    var shown = ex.facts.filter(passes);
    var shownSet = {};
    shown.forEach(function (f) { shownSet[f.iri] = true; });
    var filtersChanged = !before || ["family", "type", "kind", "from", "to", "article", "conf", "folded"]
      .some(function (k) { return before[k] !== state[k]; });
    showNetwork(shown);
    tl.inView = shown;
    tl.shown = shown.filter(function (f) { return f.from; });
    tl.undated = shown.length - tl.shown.length;
    if (filtersChanged) {
      var span = domain(tl.shown);
      tl.v0 = span[0];
      tl.v1 = span[1];
      fitVisible();
    }
    drawTimeline();
    drawSide(shownSet);
    var entity = state.entity ? entityByIri[state.entity] : null;
    var fact = state.fact ? factByIri[state.fact] : null;
    var chosen = fact ? fact.n : entity ? entity.n : null;
    view.select(chosen);
    if (chosen !== null && chosen !== clicked && (!before || before.entity !== state.entity || before.fact !== state.fact)) {
      view.focus(chosen);
    }
    clicked = null;
    var entities = data.nodes.filter(function (n) { return !n.fact && !hiddenNow[n.id]; }).length;
    $("kg-counts").textContent = entities + " entities \u00b7 " + (shown.length === ex.facts.length
      ? shown.length + " facts" : shown.length + " of " + ex.facts.length + " facts") + servedNote();
    document.body.setAttribute("data-state", hashOf(state));
  }

  syncControls();
  render(null);

  view.explorer = { state: function () { return state; }, go: go, csv: function () { return csv(tl.inView); } };
})();
