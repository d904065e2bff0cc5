/* The import page's preview map: the first rows of the uploaded file, green when they can be
 * imported, red when they have a problem (the table lists what). Data comes from the page as JSON
 * (<script type="application/json" id=data-features>); no inline scripts, CSP-friendly. The
 * shapes draw whether or not basemap tiles load. */
(function () {
  "use strict";

  var OK = { color: "#1d6b43", weight: 2, fillColor: "#1d6b43", fillOpacity: 0.3 };
  var PROBLEM = { color: "#b3261e", weight: 3, fillColor: "#b3261e", fillOpacity: 0.35 };

  function styleOf(feature) { return feature.properties.problem ? PROBLEM : OK; }

  function label(feature) {
    var p = feature.properties;
    var text = "#" + p.row + (p.layer ? " · " + p.layer : "") + (p.name ? " · " + p.name : "");
    var span = document.createElement("span");
    span.textContent = text;  // file content is text, never markup
    return span;
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.features || "");
    if (typeof L === "undefined" || !source) return;
    var features;
    try { features = JSON.parse(source.textContent); } catch (error) { return; }
    container.textContent = "";
    var map = L.map(container, { scrollWheelZoom: false });
    window.registryBasemap(map, container);
    var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: styleOf,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, Object.assign({ radius: 7 }, styleOf(feature)));
      },
      onEachFeature: function (feature, shape) { shape.bindTooltip(label(feature)); }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 18, padding: [20, 20] }); }
    else { map.setView([23.12, 113.24], 13); }
    container.dataset.drawn = String(features.length);
  }

  document.querySelectorAll("[data-import-map]").forEach(draw);
})();
