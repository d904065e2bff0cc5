/*
 * An asset's popup: opened from the map or from a search result, filled from its popup.json.
 * Keyboard focus goes into it when it was opened from the keyboard, and back when it closes.
 */
import { S, config, kinds } from "./config.js";
import { el, fmt, localUrl, paintSwatch } from "./dom.js";
import { bottomPadding, map, mapElement } from "./view.js";

var popupOpener = null;  // the element to return focus to when the popup closes
var replacingPopup = false;

function buildPopup(data) {
  var root = el("div", "asset-popup");
  if (data.thumbnail_url && localUrl(data.thumbnail_url)) {
    var img = el("img", "asset-popup-photo");
    img.alt = data.thumbnail_alt || data.name || "";
    // Its box is sized before it loads (width/height + CSS aspect-ratio), so the popup never has
    // to re-render (popup.update() would re-insert the content and drop the keyboard focus).
    img.width = 240;
    img.height = 160;
    img.decoding = "async";
    img.src = data.thumbnail_url;
    root.appendChild(img);
  }
  var title = el("h2", "asset-popup-name", data.name);
  title.tabIndex = -1;
  root.appendChild(title);

  var kindLine = el("p", "asset-popup-kind");
  var kind = kinds[data.kind];
  if (kind) {
    var swatch = el("span", "swatch swatch-" + kind.geometry);
    swatch.setAttribute("aria-hidden", "true");
    paintSwatch(swatch, kind, 14);
    kindLine.appendChild(swatch);
  }
  kindLine.appendChild(document.createTextNode(
    [data.kind_label, data.status_label].filter(Boolean).join(" · ")));
  root.appendChild(kindLine);

  if (data.adopter_name) {
    var adopted = data.adopter_kind_label
      ? fmt(S.adoptedByKind, { name: data.adopter_name, kind: data.adopter_kind_label })
      : fmt(S.adoptedBy, { name: data.adopter_name });
    root.appendChild(el("p", "asset-popup-adopter", adopted));
  } else if (data.looking_for_adopter) {
    root.appendChild(el("p", "asset-popup-adopter asset-popup-looking", S.lookingForAdopter));
  }
  if (data.pending) { root.appendChild(el("p", "asset-popup-pending", S.pending)); }
  if (data.open_problems_label) { root.appendChild(el("p", "asset-popup-problems", data.open_problems_label)); }

  if (localUrl(data.url)) {
    var link = el("a", "button asset-popup-link", S.openPage);
    link.href = data.url;
    root.appendChild(link);
  }
  return root;
}

function fetchPopup(id) {
  return fetch(config.popupUrl.replace("{id}", encodeURIComponent(id)), {
    headers: { Accept: "application/json" }, credentials: "same-origin"
  }).then(function (response) {
    if (!response.ok) { throw new Error(response.status); }
    return response.json();
  });
}

var prefetched = {};
/**
 * Ask for asset ``id``'s popup now, before the map moves to it: once the move starts, the new
 * view's tiles take the browser's connections and the popup's request would wait behind them.
 */
export function prefetchPopup(id) { prefetched[id] = fetchPopup(id); }

/** Open asset ``id``'s popup at ``latlng``; ``opener`` (or null) gets the focus back when it closes. */
export function openAssetPopup(id, latlng, opener) {
  replacingPopup = true;  // opening closes the previous popup: that is no time to move focus
  // Kept clear: the header's edge, the zoom buttons down the right side, the phone's bottom sheet.
  var popup = L.popup({
    maxWidth: 280, minWidth: 200, className: "asset-popup-wrap",
    autoPanPaddingTopLeft: L.point(16, 16), autoPanPaddingBottomRight: L.point(64, bottomPadding())
  }).setLatLng(latlng).setContent(el("p", "asset-popup-loading", S.loading)).openOn(map);
  replacingPopup = false;
  popupOpener = opener;
  var request = prefetched[id] || fetchPopup(id);
  delete prefetched[id];
  request.then(function (data) {
    if (!map.hasLayer(popup)) { return; }  // closed or replaced meanwhile
    // Leaflet 1.9 skips the pan after one it made itself (its guard against keepInView loops), so a
    // popup that panned into view while "Loading…" would not pan again for its real, larger content
    // and could end half off-screen: clear that guard before the content changes.
    popup._autopanning = false;
    popup.setContent(buildPopup(data));
    if (opener) { popup.getElement().querySelector(".asset-popup-name").focus({ preventScroll: true }); }
  }).catch(function () {
    if (!map.hasLayer(popup)) { return; }
    popup.setContent(el("p", "asset-popup-error", S.popupError));
  });
}

/** Every popup's close button gets a translated name; closing returns the focus to the opener. */
export function setUpPopups() {
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", S.closePopup); close.title = S.closePopup; }
  });
  map.on("popupclose", function () {
    if (replacingPopup) { return; }
    var opener = popupOpener;
    popupOpener = null;
    var active = document.activeElement;
    if (opener && document.body.contains(opener) && (!active || active === document.body ||
        mapElement.contains(active))) {
      opener.focus({ preventScroll: true });
    }
  });
}
