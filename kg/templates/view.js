// Builds the interactive view from the JSON in #kg-data (made by kg/view.py).
// Every string in that data is untrusted article text: it only ever reaches the page through
// textContent / value / vis string titles (which vis 9.1.2 sets with innerText) -- never innerHTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
  var DIM_NODE = { background: "#eeeeee", border: "#dddddd" };
  var DIM_EDGE = "#eeeeee";
  var SHAPE_CLIP = {
    triangle: "polygon(50% 0, 100% 100%, 0 100%)",
    triangleDown: "polygon(0 0, 100% 0, 50% 100%)",
    diamond: "polygon(50% 0, 100% 50%, 50% 100%, 0 50%)",
    hexagon: "polygon(25% 6%, 75% 6%, 100% 50%, 75% 94%, 25% 94%, 0 50%)",
    star: "polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%)"
  };

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // Tooltips are DOM elements filled with textContent, so markup in article text stays text.
  function tooltip(tip) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-head", tip.head));
    tip.rows.forEach(function (row) {
      var line = el("div", "kg-tip-row");
      line.appendChild(el("span", "kg-tip-key", row[0] + ":"));
      line.appendChild(document.createTextNode(row[1]));
      box.appendChild(line);
    });
    if (tip.quote) box.appendChild(el("blockquote", "kg-tip-quote", "\u201c" + tip.quote + "\u201d"));
    return box;
  }

  function nodeColor(n) {
    return {
      background: n.color, border: n.border,
      highlight: { background: n.color, border: "#111111" },
      hover: { background: n.color, border: "#111111" }
    };
  }

  function nodeFont(n) {
    return n.fact
      ? { size: n.font, color: "#555555", strokeWidth: 3, strokeColor: "#ffffff" }
      : { size: n.font, color: "#1b1b1b", strokeWidth: 4, strokeColor: "#ffffff" };
  }

  var byId = {};
  var neighbours = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; neighbours[n.id] = []; });
  data.edges.forEach(function (e) {
    neighbours[e.from].push(e.to);
    neighbours[e.to].push(e.from);
  });

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = {
      id: n.id, label: n.label, x: n.x, y: n.y, shape: n.shape, size: n.size,
      color: nodeColor(n), font: nodeFont(n), title: tooltip(n.tip)
    };
    if (n.mass) node.mass = n.mass;
    return node;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, label: e.label, title: e.title,
      color: { color: e.color, highlight: "#333333", hover: "#333333" }
    };
  }));

  var options = {
    autoResize: true,
    layout: { improvedLayout: false },  // positions come from Python
    nodes: {
      borderWidth: 1, borderWidthSelected: 3,
      font: { face: FONT },
      // Labels under labelThreshold px on screen are skipped (a zoomed-out big graph shows only
      // hub names); zoomed in, none grows past 24 px however large its canvas font.
      scaling: { label: { drawThreshold: data.labelThreshold, maxVisible: 24 } }
    },
    edges: {
      width: 1, selectionWidth: 1.5, hoverWidth: 0.5,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      // Horizontal role labels: vis 9.1.2 draws an "align: middle" label at the canvas origin
      // when its edge is exactly horizontal.
      font: { face: FONT, size: 10, color: "#7b7d7d", strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal" },
      // Curves cost a little per edge per frame; big graphs draw straight lines.
      smooth: data.physics ? { enabled: true, type: "continuous", roundness: 0.2 } : false
    },
    interaction: {
      hover: true, tooltipDelay: 120, keyboard: false, multiselect: false,
      hideEdgesOnDrag: !data.physics, hideEdgesOnZoom: !data.physics
    },
    physics: data.physics ? {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -45, springLength: 90, springConstant: 0.06, avoidOverlap: 0.5 },
      // Capped: the Python layout is already a good start, vis only tidies it.
      stabilization: { enabled: true, iterations: 200, updateInterval: 50, fit: true },
      minVelocity: 1.5
    } : { enabled: false }
  };

  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  network.once("afterDrawing", function () {
    // Read by the benchmark and the browser tests: ms from navigation start to the first frame.
    window.__kgDrawnAt = performance.now();
    document.body.setAttribute("data-drawn", "1");
  });
  if (data.physics) {
    // A still picture after stabilising: easier to read, and idle CPU.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
    });
  } else {
    network.fit({ animation: false });
  }

  // ---- neighbourhood highlight -------------------------------------------------------------
  var dimmed = {};  // node/edge id -> currently drawn dimmed; only changes are sent to vis

  // A node, its neighbours and, through each neighbouring fact, that fact's other participants:
  // clicking an entity shows what it did and with whom; clicking a fact shows who and what.
  function neighbourhood(id) {
    var keep = {};
    keep[id] = true;
    neighbours[id].forEach(function (m) {
      keep[m] = true;
      if (byId[m].fact) neighbours[m].forEach(function (k) { keep[k] = true; });
    });
    return keep;
  }

  function highlight(keep) {
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = keep !== null && !keep[n.id];
      if (!!dimmed["n" + n.id] === dim) return;
      dimmed["n" + n.id] = dim;
      nodeUpdates.push(dim
        ? { id: n.id, color: DIM_NODE, font: { color: "rgba(0,0,0,0.18)", strokeWidth: 0 } }
        : { id: n.id, color: nodeColor(n), font: nodeFont(n) });
    });
    data.edges.forEach(function (e) {
      var dim = keep !== null && !(keep[e.from] && keep[e.to]);
      if (!!dimmed["e" + e.id] === dim) return;
      dimmed["e" + e.id] = dim;
      edgeUpdates.push(dim
        ? { id: e.id, color: { color: DIM_EDGE }, font: { color: "rgba(0,0,0,0)", strokeWidth: 0 } }
        : { id: e.id, color: { color: e.color }, font: { color: "#7b7d7d", strokeWidth: 3 } });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }

  // Who wants to know what the reader picked (the explorer's panel): fn(node id or null, how).
  var selectListeners = [];
  var missListeners = [];  // fn(query) for a search that found nothing on the page
  function picked(id, how) {
    selectListeners.forEach(function (fn) { fn(id, how); });
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      highlight(neighbourhood(params.nodes[0]));
      picked(params.nodes[0], "click");
    } else if (params.edges.length) {
      var e = edges.get(params.edges[0]);
      var keep = {};
      keep[e.from] = true;
      keep[e.to] = true;
      highlight(keep);
    } else {
      highlight(null);
      picked(null, "click");
    }
  });

  // Select a node (or nothing) without telling the listeners: the explorer's own way back in.
  function select(id) {
    if (id === null) {
      network.unselectAll();
      highlight(null);
    } else {
      network.selectNodes([id]);
      highlight(neighbourhood(id));
    }
  }

  // ---- search ------------------------------------------------------------------------------
  var query = document.getElementById("kg-query");
  var status = document.getElementById("kg-status");
  var lowerNames = data.nodes.map(function (n) {
    return n.names.map(function (s) { return s.toLowerCase(); });
  });
  var last = { q: null, hits: [], at: -1 };

  // Exact name or alias first, then prefixes, then substrings; entities before facts.
  function find(q) {
    var ranks = [[], [], [], [], [], []];
    q = q.trim().toLowerCase();
    if (!q) return [];
    data.nodes.forEach(function (n, i) {
      var best = 3;
      lowerNames[i].forEach(function (s) {
        var r = s === q ? 0 : s.indexOf(q) === 0 ? 1 : s.indexOf(q) >= 0 ? 2 : 3;
        if (r < best) best = r;
      });
      if (best < 3) ranks[best + (n.fact ? 3 : 0)].push(n.id);
    });
    return [].concat.apply([], ranks);
  }

  // Centre on a node at a zoom where its label reads at about 20 px: a hub's canvas font is large
  // (it is legible on the overview), so zooming it to 1.1 would fill the screen with one label.
  function focusNode(id) {
    network.selectNodes([id]);
    highlight(neighbourhood(id));
    network.focus(id, { scale: Math.min(1.1, 20 / byId[id].font), animation: { duration: 350 } });
  }

  function search(q) {
    if (q !== last.q) last = { q: q, hits: find(q), at: -1 };
    if (!last.hits.length) {
      status.textContent = q.trim() ? "no match" : "";
      network.unselectAll();
      highlight(null);
      if (q.trim()) missListeners.forEach(function (fn) { fn(q.trim()); });
      return null;
    }
    last.at = (last.at + 1) % last.hits.length;
    status.textContent = last.hits.length > 1
      ? (last.at + 1) + " of " + last.hits.length + " (Enter: next)"
      : "1 match";
    focusNode(last.hits[last.at]);
    picked(last.hits[last.at], "search");
    return last.hits[last.at];
  }

  // Enter searches, Enter again steps to the next match. A datalist pick fires "change"; so does
  // Enter in Chrome, just before the submit, which then must not step on from the first match.
  var justChanged = false;
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();  // never navigate; the CSP forbids form targets anyway
    if (justChanged && query.value === last.q) { justChanged = false; return; }
    search(query.value);
  });
  query.addEventListener("change", function () {
    if (query.value === last.q) return;
    search(query.value);
    justChanged = true;
  });
  query.addEventListener("input", function () { justChanged = false; });
  query.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { query.value = ""; search(""); }
  });

  var datalist = document.getElementById("kg-names");
  var seen = {};
  data.nodes.forEach(function (n) {
    if (n.fact || seen[n.names[0]]) return;
    seen[n.names[0]] = true;
    var option = document.createElement("option");
    option.value = n.names[0];
    datalist.appendChild(option);
  });

  // ---- legend and counts -------------------------------------------------------------------
  var legendBox = document.getElementById("kg-legend");
  var heading = null;
  data.legend.forEach(function (entry) {
    var section = entry.fact ? "Facts by event type" : "Entities";
    if (section !== heading) {
      legendBox.appendChild(el("h2", null, section));
      heading = section;
    }
    var row = el("div", "row");
    var swatch = el("span", "swatch");
    swatch.style.background = entry.color;
    if (entry.shape === "dot") swatch.style.borderRadius = "50%";
    if (SHAPE_CLIP[entry.shape]) swatch.style.clipPath = SHAPE_CLIP[entry.shape];
    row.appendChild(swatch);
    row.appendChild(el("span", null, entry.name));
    legendBox.appendChild(row);
  });

  // For tests and the benchmark (and curious users in the console).
  window.kgView = {
    network: network, nodes: nodes, edges: edges, data: data, byId: byId,
    highlight: highlight, neighbourhood: neighbourhood, search: search, find: find,
    select: select, focus: focusNode, onSelect: function (fn) { selectListeners.push(fn); },
    onMiss: function (fn) { missListeners.push(fn); }
  };
})();
