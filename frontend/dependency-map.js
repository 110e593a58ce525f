// Draws a dependency map with cytoscape.js, laid out by ELK's layered algorithm, from the JSON the page
// embeds (json_script). Progressive enhancement: without JavaScript (or if anything here fails) the
// page's tables say the same; the drawing only adds to them. Loaded, deferred, after cytoscape.min.js,
// elk.bundled.js and cytoscape-elk.js, which are copied from npm into static/dist by the build.
(function () {
  "use strict";

  // ArchiMate's customary colours by layer.
  var FILL = {
    strategy: "#f5deaa",
    business: "#ffffb5",
    application: "#b5ffff",
    technology: "#c9e7b7",
    physical: "#c9e7b7",
    motivation: "#ccccff",
    implementation_migration: "#ffe0e0",
    other: "#ffffff",
  };

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-map"));
    if (!source || typeof window.cytoscape !== "function") return;
    var data = JSON.parse(source.textContent);
    if (window.cytoscapeElk && !window.cytoscape.prototype.hasElk) {
      window.cytoscape.use(window.cytoscapeElk);
      window.cytoscape.prototype.hasElk = true;
    }
    container.hidden = false;
    container.setAttribute("role", "img");
    container.setAttribute(
      "aria-label",
      "Dependency map: " + data.nodes.length + " elements and " + data.edges.length +
        " relationships, as listed in the tables below."
    );
    var cy = window.cytoscape({
      container: container,
      elements: { nodes: data.nodes, edges: data.edges },
      wheelSensitivity: 0.2,
      style: [
        {
          selector: "node",
          style: {
            shape: "round-rectangle",
            label: "data(label)",
            "text-wrap": "wrap",
            "text-max-width": "110px",
            "text-valign": "center",
            "font-size": "11px",
            "font-family": "system-ui, Arial, sans-serif",
            color: "#0b0c0c",
            width: "120px",
            height: "48px",
            "background-color": function (node) {
              return FILL[node.data("layer")] || "#ffffff";
            },
            "border-width": 1,
            "border-color": "#505a5f",
          },
        },
        {
          selector: "node[id = '" + data.centre + "']",
          style: { "border-width": 4, "border-color": "#0b0c0c" },
        },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "curve-style": "bezier",
            "line-color": "#505a5f",
            "target-arrow-color": "#505a5f",
            "target-arrow-shape": "triangle",
            label: "data(type)",
            "font-size": "9px",
            "text-rotation": "autorotate",
            "text-background-color": "#ffffff",
            "text-background-opacity": 1,
          },
        },
      ],
      layout: window.cytoscapeElk
        ? {
            name: "elk",
            nodeDimensionsIncludeLabels: true,
            elk: { algorithm: "layered", "elk.direction": "DOWN", "spacing.nodeNode": 30 },
          }
        : { name: "breadthfirst", directed: true },
    });
    // A node opens its element's map: the same as the link in the table.
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url && event.target.id() !== data.centre) window.location.assign(url + "/map" + window.location.search);
    });
    container.orchestratorMap = cy;
    window.orchestratorMap = cy;
  }

  function start() {
    var maps = document.querySelectorAll(".orch-dependency-map[data-map]");
    for (var i = 0; i < maps.length; i++) {
      try {
        draw(maps[i]);
      } catch (error) {
        // The tables remain; say why there is no drawing, for whoever looks.
        maps[i].hidden = true;
        if (window.console) window.console.warn("The dependency map could not be drawn:", error);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
