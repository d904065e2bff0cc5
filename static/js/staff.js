/* The staff workbench in the browser: "near me", the map picker, the position of a log.
 *
 * Every page works without it (search, the street menu's button, a log without a position);
 * this adds what only the browser knows: where the phone is. No inline scripts (CSP): data
 * comes from data-* attributes and <script type="application/json"> blocks. */
(function () {
  "use strict";

  var GEO_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 };
  var LIWAN = [23.125, 113.244];

  function say(element, key) {
    if (element) element.textContent = element.dataset[key] || "";
  }

  function listNear(lat, lon) {
    var params = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6) });
    window.location.assign(window.location.pathname + "?" + params.toString());
  }

  function enableNearMe(button) {
    var status = document.querySelector("[data-near-me-status]");
    if (!("geolocation" in navigator)) { say(status, "denied"); return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      say(status, "locating");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        listNear(position.coords.latitude, position.coords.longitude);
      }, function () {
        button.disabled = false;
        say(status, "denied");
      }, GEO_OPTIONS);
    });
  }

  function readJson(id) {
    var source = document.getElementById(id || "");
    if (!source) return [];
    try { return JSON.parse(source.textContent); } catch (error) { return []; }
  }

  function popupFor(marker) {
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;  // text, never HTML: names come from people
    return link;
  }

  function drawMap(container) {
    if (typeof L === "undefined") return; // no Leaflet: search and "near me" still work
    var markers = readJson(container.dataset.markers);
    var lat = parseFloat(container.dataset.lat), lon = parseFloat(container.dataset.lon);
    container.textContent = "";
    var map = L.map(container, { tap: true });
    window.registryBasemap(map, container);
    var points = markers.map(function (marker) {
      L.circleMarker([marker.lat, marker.lon], { radius: 9, color: "#1d6b43", weight: 2, fillOpacity: 0.6 })
        .bindPopup(popupFor(marker)).addTo(map);
      return [marker.lat, marker.lon];
    });
    if (!isNaN(lat) && !isNaN(lon)) {
      L.circleMarker([lat, lon], { radius: 6, color: "#1a5fb4", weight: 3, fillOpacity: 1 }).addTo(map);
      points.push([lat, lon]);
    }
    // The worker's area (their streets, communities, grids), outlined: the map shows where they
    // work before anything is searched, not an empty box.
    var areaShape = readJson(container.dataset.area);
    var area = areaShape && areaShape.type ? L.geoJSON(areaShape, {
      interactive: false, style: { color: "#1d6b43", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.05 }
    }).addTo(map) : null;
    if (area) container.setAttribute("data-area-drawn", "");
    if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 18 });
    else if (points.length) map.setView(points[0], 17);
    else if (area) map.fitBounds(area.getBounds(), { padding: [12, 12] });
    else map.setView(LIWAN, 14);
    map.on("click", function (event) { listNear(event.latlng.lat, event.latlng.lng); });
  }

  function recordPosition(form) {
    var lat = form.querySelector("input[name=lat]"), lon = form.querySelector("input[name=lon]");
    var status = form.querySelector("[data-position-status]");
    if (!lat || !lon || lat.value) return;  // already recorded (a form shown again after an error)
    if (!("geolocation" in navigator)) { say(status, "denied"); return; }
    say(status, "locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(7);
      lon.value = position.coords.longitude.toFixed(7);
      say(status, "recorded");
    }, function () { say(status, "denied"); }, GEO_OPTIONS);
  }

  document.querySelectorAll("[data-near-me]").forEach(enableNearMe);
  document.querySelectorAll("[data-staff-map]").forEach(drawMap);
  document.querySelectorAll("form[data-record-position]").forEach(recordPosition);
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
