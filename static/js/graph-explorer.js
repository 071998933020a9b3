// The graph explorer's interactive graph (templates/graph/explorer.html). Cytoscape
// (static/vendor/cytoscape/) draws the slice the server laid out: the same positions and the
// same labels, placed so that none overlap (graph/labels.py), so zooming keeps them apart.
// Pan and zoom, hover a node to light its links (their weight shown), click a node to
// re-centre on a person or open a paper, topic or institution. htmx swaps in a new slice when
// a filter changes, and it is drawn again. No build step: plain script, loaded with defer.
(function () {
  "use strict";

  // Below this width of the drawing, the phone label set (larger type, fewer labels).
  const NARROW = 600;
  const COLOURS = {
    author: "#1f4fbf",
    work: "#d97706",
    topic: "#15803d",
    institution: "#9333ea",
  };
  // Where cytoscape puts a label for each text-anchor graph/labels.py chose.
  const SIDES = {
    middle: null, // above or below: decided from the label's y
    start: { halign: "right", valign: "center" },
    end: { halign: "left", valign: "center" },
  };
  let current = null;

  function side(node, label) {
    if (label.anchor !== "middle") return SIDES[label.anchor];
    return { halign: "center", valign: label.y < node.cy ? "top" : "bottom" };
  }

  function elementsOf(data, set) {
    const elements = [];
    for (const n of data.nodes) {
      const label = n["label_" + set];
      const where = label ? side(n, label) : { halign: "center", valign: "top" };
      elements.push({
        group: "nodes",
        data: {
          id: n.key,
          full: n.label,
          url: n.url,
          kind: n.kind,
          size: 2 * n.r,
          label: label ? label.text : "",
          halign: where.halign,
          valign: where.valign,
        },
        position: { x: n.cx, y: n.cy },
        classes: n.center ? "center" : "",
      });
    }
    data.edges.forEach(function (e, i) {
      elements.push({
        group: "edges",
        data: {
          id: "e" + i,
          source: e.source,
          target: e.target,
          width: e.width,
          title: e.title,
          weight: e.kind === "co-authored" ? String(Math.round(e.weight)) : "",
        },
      });
    });
    return elements;
  }

  function style(font) {
    return [
      {
        selector: "node",
        style: {
          width: "data(size)",
          height: "data(size)",
          "background-color": function (n) {
            return COLOURS[n.data("kind")] || "#56606e";
          },
          "border-width": 1.5,
          "border-color": "#fff",
          label: "data(label)",
          "font-size": font,
          "font-family": getComputedStyle(document.body).fontFamily,
          color: "#1c2430",
          "text-halign": "data(halign)",
          "text-valign": "data(valign)",
          "text-margin-y": function (n) {
            const v = n.data("valign");
            return v === "top" ? -3 : v === "bottom" ? 3 : 0;
          },
          "text-margin-x": function (n) {
            const h = n.data("halign");
            return h === "right" ? 3 : h === "left" ? -3 : 0;
          },
          "text-outline-color": "#fff",
          "text-outline-width": 2,
          "min-zoomed-font-size": 4,
        },
      },
      { selector: "node.center", style: { "background-color": "#1c2430", "font-weight": 700 } },
      {
        selector: "edge",
        style: { width: "data(width)", "line-color": "#c5ccd6", "curve-style": "straight" },
      },
      { selector: ".faded", style: { opacity: 0.2 } },
      {
        selector: "node.highlighted",
        style: { "border-color": "#f2b01e", "border-width": 3, "z-index": 10 },
      },
      {
        // The hovered node shows its full name above everything else.
        selector: "node.hovered",
        style: {
          label: "data(full)",
          "z-index": 20,
          "text-background-color": "#fff",
          "text-background-opacity": 1,
          "text-background-padding": 2,
        },
      },
      {
        selector: "edge.highlighted",
        style: {
          "line-color": "#1f4fbf",
          "z-index": 5,
          label: "data(weight)",
          "font-size": font * 0.85,
          color: "#163b91",
          "text-background-color": "#fff",
          "text-background-opacity": 1,
          "text-background-padding": 1,
        },
      },
    ];
  }

  function draw(root) {
    const box = root && root.querySelector(".graph-interactive");
    const source = root && root.querySelector("#graph-data");
    if (!box || !source || typeof window.cytoscape !== "function") return;
    if (current) current.destroy();
    // cytoscape would add a <style> of its own unless an element with this id exists: our
    // Content-Security-Policy refuses inline styles, and bzpeer.css positions .graph-canvas.
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      const marker = document.createElement("meta");
      marker.id = "__________cytoscape_stylesheet";
      document.head.appendChild(marker);
    }
    const data = JSON.parse(source.textContent);
    const container = box.querySelector(".graph-canvas");
    const tooltip = box.querySelector(".graph-tooltip");
    container.replaceChildren(); // a copy htmx restored from its history cache
    box.hidden = false;
    root.classList.add("graph-js");
    const set = container.clientWidth < NARROW ? "narrow" : "wide";
    const cy = window.cytoscape({
      container: container,
      elements: elementsOf(data, set),
      style: style(data.fonts[set]),
      layout: { name: "preset", fit: true, padding: 12 },
      minZoom: 0.2,
      maxZoom: 6,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    current = cy;
    container.dataset.labels = set;
    container.dataset.zoom = cy.zoom().toFixed(3);
    cy.on("zoom", function () {
      container.dataset.zoom = cy.zoom().toFixed(3);
    });

    function say(text, event) {
      tooltip.textContent = text;
      tooltip.classList.toggle("shown", Boolean(text));
      if (text && event) {
        // renderedPosition is within the drawing; the tooltip is placed within its box.
        tooltip.style.left = container.offsetLeft + event.renderedPosition.x + 12 + "px";
        tooltip.style.top = container.offsetTop + event.renderedPosition.y + 12 + "px";
      }
    }

    cy.on("mouseover", "node", function (event) {
      const node = event.target;
      const near = node.closedNeighborhood();
      cy.elements().not(near).addClass("faded");
      near.addClass("highlighted");
      node.addClass("hovered");
      container.dataset.hovered = node.id();
      container.style.cursor = "pointer";
      say(node.data("full"), event);
    });
    cy.on("mouseout", "node", function () {
      cy.elements().removeClass("faded highlighted hovered");
      delete container.dataset.hovered;
      container.style.cursor = "";
      say("");
    });
    cy.on("mouseover", "edge", function (event) {
      event.target.addClass("highlighted");
      say(event.target.data("title"), event);
    });
    cy.on("mouseout", "edge", function (event) {
      event.target.removeClass("highlighted");
      say("");
    });
    cy.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });

    box.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        const middle = { x: container.clientWidth / 2, y: container.clientHeight / 2 };
        const how = button.dataset.zoom;
        if (how === "fit") cy.fit(undefined, 12);
        else cy.zoom({ level: cy.zoom() * (how === "in" ? 1.3 : 1 / 1.3), renderedPosition: middle });
      });
    });
    // For the browser tests and the console.
    window.bzpeerGraph = cy;
  }

  function drawExplorer() {
    draw(document.getElementById("graph-explorer"));
  }

  document.addEventListener("htmx:load", function (event) {
    if (event.target.id === "graph-explorer") draw(event.target);
  });
  document.addEventListener("htmx:historyRestore", drawExplorer);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawExplorer);
  else drawExplorer();
})();
