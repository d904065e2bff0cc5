/* The asset page's location map and the plaque's print button. No inline scripts: CSP-friendly.
 *
 * The map reads its data from the page: data-lat/data-lon on [data-asset-map], the geometry as
 * GeoJSON in the <script type="application/json"> named by data-geometry, and the basemap from
 * data-tile-*. The shape is drawn whether or not the basemap tiles load. */
(function () {
  "use strict";

  var STYLE = { color: "#1d6b43", weight: 3, opacity: 0.9, fillColor: "#1d6b43", fillOpacity: 0.25 };

  function readGeometry(container) {
    var source = document.getElementById(container.dataset.geometry || "");
    if (!source) return null;
    try { return JSON.parse(source.textContent); } catch (error) { return null; }
  }

  function drawMap(container) {
    if (typeof L === "undefined") return; // Leaflet did not load: the coordinates stay as text.
    var lat = parseFloat(container.dataset.lat), lon = parseFloat(container.dataset.lon);
    var geometry = readGeometry(container);
    container.textContent = "";
    var map = L.map(container, { scrollWheelZoom: false });
    window.registryBasemap(map, container);
    var shape = geometry && L.geoJSON(geometry, {
      style: STYLE,
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, Object.assign({ radius: 9 }, STYLE)); }
    }).addTo(map);
    var bounds = shape && shape.getBounds();
    if (bounds && bounds.isValid() && !bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.fitBounds(bounds, { maxZoom: 18, padding: [24, 24] });
    } else if (!isNaN(lat) && !isNaN(lon)) {
      map.setView([lat, lon], 17);
    }
  }

  function enablePrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  document.querySelectorAll("[data-asset-map]").forEach(drawMap);
  document.querySelectorAll("[data-print]").forEach(enablePrint);
})();
