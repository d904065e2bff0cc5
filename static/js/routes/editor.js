/* The staff route editor (templates/routes/staff_form.html): pick the stops on a map of one's own
 * assets and draw the walking line by tapping. The form's two text fields stay the truth that is
 * sent — the stops as "id note" lines, the line as GeoJSON — so the page works without this script
 * and the server checks everything again (routes.operations.save_route).
 * Leaflet and the basemap helper are classic deferred scripts that run before this module. */

const STOP_STYLE = { radius: 9, color: "#1d6b43", weight: 2, fillColor: "#ffffff", fillOpacity: 0.9,
  className: "route-candidate" };
const SPOT_STYLE = { ...STOP_STYLE, fillColor: "#f3c623" };
const LINE_STYLE = { color: "#b5452b", weight: 4, opacity: 0.85, interactive: false };
const STRAIGHT_STYLE = { color: "#b5452b", weight: 2, opacity: 0.6, dashArray: "6 6", interactive: false };
const CANDIDATE_MIN_ZOOM = 14;

function readJSON(id) {
  const source = document.getElementById(id);
  try { return source ? JSON.parse(source.textContent) : null; } catch (error) { return null; }
}

function parseStops(text) {
  return text.split("\n").map((raw) => raw.trim()).filter(Boolean).map((raw) => {
    const [head, ...rest] = raw.split(" ");
    return /^\d+$/.test(head) ? { id: head, note: rest.join(" ").trim() } : null;
  }).filter(Boolean);
}

function parseLine(text) {
  try {
    const line = JSON.parse(text);
    return line && line.type === "LineString" ? line.coordinates.map(([lon, lat]) => [lat, lon]) : [];
  } catch (error) { return []; }
}

function setUp(form) {
  const L = window.L;
  const container = form.querySelector("[data-editor-map]");
  const stopsField = form.querySelector("[data-route-stops]");
  const lineField = form.querySelector("[data-route-line]");
  const list = form.querySelector("[data-stop-list]");
  const template = document.querySelector("[data-stop-template]");
  const status = form.querySelector("[data-line-status]");
  const tools = form.querySelector("[data-editor-tools]");
  if (!L || !container || !stopsField || !lineField) return;

  const known = new Map(Object.entries(readJSON("route-stop-names") || {}));
  let stops = parseStops(stopsField.value);
  let vertices = parseLine(lineField.value);
  let mode = "stops";

  container.textContent = "";
  const map = L.map(container, { tap: true });
  window.registryBasemap(map, container);
  const candidates = L.layerGroup().addTo(map);
  const stopMarkers = L.layerGroup().addTo(map);
  const drawn = L.polyline([], LINE_STYLE).addTo(map);
  const straight = L.polyline([], STRAIGHT_STYLE).addTo(map);

  function writeBack() {
    stopsField.value = stops.map((stop) => `${stop.id} ${stop.note}`.trim()).join("\n");
    lineField.value = vertices.length >= 2
      ? JSON.stringify({ type: "LineString", coordinates: vertices.map(([lat, lon]) => [Number(lon.toFixed(6)), Number(lat.toFixed(6))]) })
      : "";
  }

  function drawStops() {
    stopMarkers.clearLayers();
    const placed = [];
    stops.forEach((stop, index) => {
      const asset = known.get(stop.id);
      if (!asset) return;
      const latlng = [asset.lat, asset.lon];
      placed.push(latlng);
      L.marker(latlng, {
        icon: L.divIcon({ className: "route-stop-marker", html: String(index + 1), iconSize: [26, 26] }),
        title: `${index + 1}. ${asset.name}`, alt: `${index + 1}. ${asset.name}`, interactive: false,
      }).addTo(stopMarkers);
    });
    drawn.setLatLngs(vertices);
    straight.setLatLngs(vertices.length >= 2 ? [] : placed);
    status.textContent = vertices.length >= 2
      ? form.dataset.lineDrawn.replace("%(points)s", vertices.length)
      : form.dataset.lineNone;
  }

  function renderList() {
    list.textContent = "";
    stops.forEach((stop, index) => {
      const item = template.content.firstElementChild.cloneNode(true);
      item.querySelector("[data-number]").textContent = String(index + 1);
      item.querySelector("[data-name]").textContent = known.has(stop.id) ? known.get(stop.id).name : `#${stop.id}`;
      const note = item.querySelector("[data-note]");
      note.value = stop.note;
      note.addEventListener("input", () => { stop.note = note.value.replace(/\s+/g, " "); writeBack(); });
      item.querySelectorAll("[data-move]").forEach((button) => {
        const target = index + Number(button.dataset.move);
        button.disabled = target < 0 || target >= stops.length;
        button.addEventListener("click", () => {
          [stops[index], stops[target]] = [stops[target], stops[index]];
          changed();
        });
      });
      item.querySelector("[data-remove]").addEventListener("click", () => { stops.splice(index, 1); changed(); });
      list.appendChild(item);
    });
  }

  function changed() { writeBack(); renderList(); drawStops(); }

  function addStop(asset) {
    const id = String(asset.id);
    known.set(id, { name: asset.name, lon: asset.lon, lat: asset.lat });
    if (stops.length && stops[stops.length - 1].id === id) return;  // the server refuses a stop twice in a row
    stops.push({ id, note: "" });
    changed();
  }

  async function loadCandidates() {
    candidates.clearLayers();
    if (map.getZoom() < CANDIDATE_MIN_ZOOM) return;
    const url = `${form.dataset.candidatesUrl}?bbox=${map.getBounds().toBBoxString()}`;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      data.assets.forEach((asset) => {
        L.circleMarker([asset.lat, asset.lon], asset.check_in_spot ? SPOT_STYLE : STOP_STYLE)
          .bindTooltip(asset.name)
          .on("click", (event) => {
            L.DomEvent.stopPropagation(event);
            if (mode === "stops") addStop(asset);
            else { vertices.push([asset.lat, asset.lon]); writeBack(); drawStops(); }  // the line passes the stop
          })
          .addTo(candidates);
      });
      container.dataset.candidates = String(data.assets.length);
    } catch (error) { /* offline: the ids can still be typed */ }
  }

  map.on("click", (event) => {
    if (mode !== "line") return;
    vertices.push([event.latlng.lat, event.latlng.lng]);
    writeBack(); drawStops();
  });
  map.on("moveend", loadCandidates);

  tools.hidden = false;
  tools.querySelectorAll("[data-mode]").forEach((button) => button.addEventListener("click", () => {
    mode = button.dataset.mode;
    tools.querySelectorAll("[data-mode]").forEach((other) => other.setAttribute("aria-pressed", String(other === button)));
    container.dataset.mode = mode;
  }));
  tools.querySelector("[data-action=undo-point]").addEventListener("click", () => { vertices.pop(); writeBack(); drawStops(); });
  tools.querySelector("[data-action=clear-line]").addEventListener("click", () => { vertices = []; writeBack(); drawStops(); });
  stopsField.addEventListener("change", () => { stops = parseStops(stopsField.value); renderList(); drawStops(); });
  lineField.addEventListener("change", () => { vertices = parseLine(lineField.value); drawStops(); });

  renderList(); drawStops();
  const placed = stops.map((stop) => known.get(stop.id)).filter(Boolean).map((asset) => [asset.lat, asset.lon]);
  const area = readJSON("route-work-area");
  const bounds = L.latLngBounds([...placed, ...vertices]);
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24] });
  else if (area) map.fitBounds(L.geoJSON(area).getBounds());
  else map.setView([23.125, 113.245], 16);
  if (map.getZoom() < CANDIDATE_MIN_ZOOM) map.setZoom(CANDIDATE_MIN_ZOOM);
  container.dataset.ready = "true";
}

document.querySelectorAll("[data-route-editor]").forEach(setUp);
