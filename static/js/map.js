/*
 * The public map: vector tiles of every asset kind, filters, search, popups, basemaps.
 *
 * Configuration comes from the page (<script type="application/json" id="map-config">, built by
 * registry/public/map.py): no inline script, no string from the server is ever parsed as HTML.
 * Names, addresses and adopters are user data and only ever reach the page as textContent.
 *
 * The view and filters live in the query string, kept current with history.replaceState, so a
 * view can be shared and reloaded:
 *   ?z=16&lat=23.12500&lon=113.24000   zoom and centre (WGS-84)
 *   &street=W&community=W1             street / community codes
 *   &status=in_use,planned             statuses shown (absent: all; present and empty: none)
 *   &layers=garden,mural               kinds shown (absent: all; present and empty: none)
 *   &looking=1                         only assets looking for an adopter
 *   &base=gaode                        basemap (absent: the first, OpenStreetMap; "none": none)
 *
 * Needs Leaflet 1.9, Leaflet.VectorGrid 1.3.0 + vectorgrid-compat.js, gcj02.js.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var S = config.strings;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var narrowScreen = window.matchMedia("(max-width: 47.99em)");

  // ---------------------------------------------------------------- small helpers

  /** "%(name)s"-style placeholders; values are inserted once, never re-scanned. */
  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function byId(id) { return document.getElementById(id); }

  function indexBy(list, key) {
    var index = {};
    list.forEach(function (item) { index[item[key]] = item; });
    return index;
  }

  /** Only same-origin http(s) URLs (the server sends "/assets/1/") become links, images or tile URLs. */
  function localUrl(url) {
    if (typeof url !== "string" || !url) { return false; }
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.origin === window.location.origin && /^https?:$/.test(parsed.protocol);
    } catch (error) {
      return false;
    }
  }

  var kinds = indexBy(config.kinds, "id");
  var allKinds = config.kinds.map(function (kind) { return kind.id; });
  var allStatuses = config.statuses.map(function (status) { return status.id; });
  var basemaps = indexBy(config.basemaps, "id");
  var defaultBase = config.basemaps.length ? config.basemaps[0].id : "none";
  var streets = indexBy(config.streets, "code");
  var communities = {};
  config.streets.forEach(function (street) {
    street.communities.forEach(function (community) {
      communities[community.code] = L.extend({ street: street.code }, community);
    });
  });

  var announcer = byId("map-announcer");
  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // ---------------------------------------------------------------- state and the URL

  var state = {
    layers: allKinds.slice(), statuses: allStatuses.slice(), street: "", community: "", looking: false,
    base: defaultBase
  };

  function listParam(params, name, known) {
    if (!params.has(name)) { return null; }
    return params.get(name).split(",").filter(function (value) { return known.indexOf(value) >= 0; });
  }

  /** The state in the page's query string; unknown or malformed values are ignored. */
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var layers = listParam(params, "layers", allKinds);
    var statuses = listParam(params, "status", allStatuses);
    if (layers) { state.layers = layers; }
    if (statuses) { state.statuses = statuses; }
    var community = communities[params.get("community")];
    var street = streets[params.get("street")];
    if (community) {
      state.community = community.code;
      state.street = community.street;
    } else if (street) {
      state.street = street.code;
    }
    state.looking = params.get("looking") === "1";
    var base = params.get("base");
    if (base && (basemaps[base] || base === "none")) { state.base = base; }
    var z = parseFloat(params.get("z")), lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon"));
    if (isFinite(z) && isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
      return { center: L.latLng(lat, lon), zoom: Math.max(config.view.minZoom, Math.min(config.view.maxZoom, z)) };
    }
    return null;
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (value) { return b.indexOf(value) >= 0; });
  }

  /** The filters as query parameters, for the page's URL ("layers=…") and the tiles' ("kind=…"). */
  function filterParams(kindParam) {
    var params = [];
    if (state.street) { params.push("street=" + encodeURIComponent(state.street)); }
    if (state.community) { params.push("community=" + encodeURIComponent(state.community)); }
    if (!sameSet(state.statuses, allStatuses)) { params.push("status=" + state.statuses.join(",")); }
    if (!sameSet(state.layers, allKinds)) { params.push(kindParam + "=" + state.layers.join(",")); }
    if (state.looking) { params.push("looking=1"); }
    return params;
  }

  function stateQuery() {
    var center = map.getCenter();
    var params = ["z=" + map.getZoom(), "lat=" + center.lat.toFixed(5), "lon=" + center.lng.toFixed(5)]
      .concat(filterParams("layers"));
    if (state.base !== defaultBase) { params.push("base=" + encodeURIComponent(state.base)); }
    return params.join("&");
  }

  function writeUrl() {
    var query = stateQuery();
    var url = window.location.pathname + (query ? "?" + query : "");
    window.history.replaceState(null, "", url + window.location.hash);
    // Switching language keeps the view: the language form returns to this URL.
    var next = document.querySelector('.language-switch input[name="next"]');
    if (next) { next.value = url; }
  }

  // ---------------------------------------------------------------- the map

  var initialView = readUrl();
  var map = L.map("map", {
    zoomControl: false,
    minZoom: config.view.minZoom,
    maxZoom: config.view.maxZoom,
    zoomAnimation: !reduceMotion,
    fadeAnimation: !reduceMotion,
    markerZoomAnimation: !reduceMotion
  });
  L.control.zoom({ position: "topright", zoomInTitle: S.zoomIn, zoomOutTitle: S.zoomOut }).addTo(map);

  function bounds(bbox) { return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]); }

  /** Pixels to keep clear at the bottom of the map: on a phone the bottom sheet covers it. */
  function bottomPadding() {
    return narrowScreen.matches ? byId("map-panel").offsetHeight + 16 : 16;
  }

  function fitOptions() {
    return { paddingTopLeft: [16, 16], paddingBottomRight: [56, bottomPadding()], animate: !reduceMotion };
  }

  function fitArea() {
    var area = communities[state.community] || streets[state.street];
    if (area && area.bbox) {
      map.fitBounds(bounds(area.bbox), fitOptions());
    } else if (config.view.extent) {
      map.fitBounds(bounds(config.view.extent), fitOptions());
    } else {
      map.setView(config.view.center, config.view.zoom, { animate: !reduceMotion });
    }
  }

  map.createPane("assets").style.zIndex = 450;  // above basemaps (200), below popups (700)

  // ---------------------------------------------------------------- basemaps

  /*
   * Gaode/AMap tiles are drawn in GCJ-02: a place at WGS-84 position W appears in them at
   * G = gcj02(W), a few hundred metres away. Our data stays WGS-84, so the whole Gaode layer is
   * moved by s = pixel(W) − pixel(G), the offset at the map centre in screen pixels at the tile
   * zoom: a tile is placed s further than usual, and the tiles fetched are those covering the
   * view moved by −s. The offset changes by about 2.6 m per km in Liwan (see gcj02.js), so it
   * is recomputed (and tiles are moved) when the map stops moving.
   */
  var GCJ02TileLayer = L.TileLayer.extend({
    onAdd: function (map) {
      this._shifts = {};
      L.TileLayer.prototype.onAdd.call(this, map);
    },

    /** Pixels to add to a tile's usual position at ``zoom``; cached until the map moves. */
    _shiftAt: function (zoom) {
      if (!this._shifts[zoom]) {
        var center = this._map.getCenter();
        var gcj = window.gcj02.wgs84ToGcj02(center.lat, center.lng);
        var crs = this._map.options.crs;
        this._shifts[zoom] = crs.latLngToPoint(center, zoom)
          .subtract(crs.latLngToPoint(L.latLng(gcj.lat, gcj.lon), zoom)).round();
      }
      return this._shifts[zoom];
    },

    _onMoveEnd: function () {
      if (this._map && !this._map._animatingZoom && this._tileZoom !== undefined) {
        var zoom = this._tileZoom, before = this._shifts[zoom];
        this._shifts = {};
        var after = this._shiftAt(zoom);
        if (before && !before.equals(after)) {
          for (var key in this._tiles) {
            var tile = this._tiles[key];
            if (tile.coords.z === zoom) { L.DomUtil.setPosition(tile.el, this._getTilePos(tile.coords)); }
          }
        }
      }
      L.TileLayer.prototype._onMoveEnd.call(this);
    },

    _getTilePos: function (coords) {
      return L.TileLayer.prototype._getTilePos.call(this, coords).add(this._shiftAt(coords.z));
    },

    _getTiledPixelBounds: function (center) {
      var pixels = L.TileLayer.prototype._getTiledPixelBounds.call(this, center);
      var shift = this._shiftAt(this._tileZoom);
      return L.bounds(pixels.min.subtract(shift), pixels.max.subtract(shift));
    }
  });

  function makeBasemap(definition) {
    var options = {
      maxZoom: config.view.maxZoom, maxNativeZoom: definition.max_zoom,
      subdomains: definition.subdomains, attribution: definition.attribution
    };
    if (definition.datum === "gcj02") { return new GCJ02TileLayer(definition.url, options); }
    var tiles = L.tileLayer(definition.url, options);
    if (!definition.labels_url) { return tiles; }
    return L.layerGroup([tiles, L.tileLayer(definition.labels_url, L.extend({}, options, { attribution: "" }))]);
  }

  var basemapLayer = null;
  function setBasemap(id) {
    if (basemapLayer) { map.removeLayer(basemapLayer); basemapLayer = null; }
    if (basemaps[id]) { basemapLayer = makeBasemap(basemaps[id]).addTo(map); }
  }

  // ---------------------------------------------------------------- the assets' vector tiles

  var version = config.tiles.version;
  var tileTemplate = config.tiles.url;

  function tileUrl() {
    return tileTemplate + "?" + ["v=" + encodeURIComponent(version)].concat(filterParams("kind")).join("&");
  }

  function isLight(hex) {
    var n = parseInt(hex.slice(1), 16);
    return 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255) > 160;
  }

  /*
   * A cluster is a point with a count. VectorGrid's canvas can draw an icon but no text, so the
   * icon is a small canvas of its own (drawImage takes a canvas as well as an image), cached per
   * kind and count. VectorGrid caches icons by iconUrl, hence the made-up key there.
   */
  var fontFamily = window.getComputedStyle(document.body).fontFamily;
  var CountIcon = L.Icon.extend({
    createIcon: function () {
      var options = this.options, size = options.iconSize[0], ratio = window.devicePixelRatio || 1;
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = Math.round(size * ratio);
      var ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.beginPath();
      ctx.arc(size / 2, size / 2, size / 2 - 1.5, 0, 2 * Math.PI);
      ctx.fillStyle = options.colour;
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.fillStyle = isLight(options.colour) ? "#1f2a24" : "#ffffff";
      ctx.font = "bold " + (size > 36 ? 13 : 14) + "px " + fontFamily;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(options.label, size / 2, size / 2 + 0.5);
      canvas.complete = true;  // VectorGrid draws an icon at once when it is "complete"
      return canvas;
    }
  });
  var countIcons = {};
  function countIcon(kind, count) {
    var key = kind.id + ":" + count;
    if (!countIcons[key]) {
      var size = count < 10 ? 30 : count < 100 ? 36 : 42;
      countIcons[key] = new CountIcon({
        iconUrl: "registry-cluster:" + key, iconSize: [size, size], colour: kind.colour,
        label: count > 999 ? "999+" : String(count)
      });
    }
    return countIcons[key];
  }

  /*
   * Styles per kind. VectorGrid hands a style function the feature's properties and the zoom, not
   * its geometry type, so one style must suit every shape a kind's layer may hold:
   * - points and lines get two passes (VectorGrid draws each style of an array in turn): a white
   *   casing, then the kind's colour — a ringed dot for a point, a cased line for a mural drawn as
   *   a wall line — legible on any basemap;
   * - polygons (detail zooms) are filled; while they are still small on screen (below zoom 17)
   *   their fill is denser and their outline thicker so that a 20 m garden still shows.
   * Clusters (count > 1) are a disc with the count; a "cluster" of one is drawn as its asset.
   */
  function styleFor(kind) {
    var casing = { radius: 8, weight: 7, color: "#ffffff", opacity: 0.95, fill: false };
    var body = { radius: 8, weight: 3, color: kind.colour, opacity: 1, fill: true, fillColor: kind.colour,
                 fillOpacity: 1 };
    var marker = [casing, body];
    // (radius: a crowded detail tile may still send a polygon kind's asset as a point)
    var small = { radius: 8, weight: 3, color: kind.stroke, opacity: 1, fill: true, fillColor: kind.colour,
                  fillOpacity: 0.8 };
    var large = { radius: 8, weight: 2, color: kind.stroke, opacity: 1, fill: true, fillColor: kind.colour,
                  fillOpacity: 0.55, dashArray: kind.dashed ? "6 4" : null };
    return function (properties, zoom) {
      if (state.layers.indexOf(kind.id) < 0) { return []; }
      if (properties.count > 1) { return { icon: countIcon(kind, properties.count) }; }
      if (kind.geometry !== "polygon" || zoom < config.tiles.detailMinZoom) { return marker; }
      return zoom >= 17 ? large : small;
    };
  }
  var layerStyles = {};
  config.kinds.forEach(function (kind) { layerStyles[kind.id] = styleFor(kind); });

  var mapElement = byId("map");
  var assetLayer = null;
  var retiredLayers = [];

  function setTilesState(value) { mapElement.setAttribute("data-tiles", value); }

  function createAssetLayer() {
    var layer = L.vectorGrid.protobuf(tileUrl(), {
      pane: "assets",
      rendererFactory: L.canvas.tile,
      interactive: true,
      getFeatureId: function (feature) { return feature.properties.id; },
      vectorTileLayerStyles: layerStyles,
      maxNativeZoom: config.tiles.maxNativeZoom,
      maxZoom: config.view.maxZoom,
      tolerance: L.Browser.mobile ? 10 : 3,  // extra pixels a tap or click may miss a feature by
      fetchOptions: { credentials: "same-origin" }
    });
    layer.on("loading", function () { if (layer === assetLayer) { setTilesState("loading"); } });
    layer.on("load", function () {
      if (layer !== assetLayer) { return; }
      // The new tiles are drawn: now the layers they replace can go without a blank moment.
      retiredLayers.forEach(function (old) { map.removeLayer(old); });
      retiredLayers = [];
      setTilesState("loaded");
    });
    layer.on("click", onFeatureClick);
    return layer;
  }

  /** (Re)load the assets with the current filters and data version. */
  function reloadAssets() {
    if (assetLayer) { retiredLayers.push(assetLayer); }
    assetLayer = null;
    if (!state.layers.length || !state.statuses.length) {  // nothing can match: draw nothing
      retiredLayers.forEach(function (old) { map.removeLayer(old); });
      retiredLayers = [];
      setTilesState("loaded");
      return;
    }
    setTilesState("loading");
    assetLayer = createAssetLayer();
    assetLayer.addTo(map);
  }

  function onFeatureClick(event) {
    var properties = event.layer && event.layer.properties;
    if (!properties) { return; }
    if (properties.count > 1) {
      map.setView(event.latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()), { animate: !reduceMotion });
      return;
    }
    if (properties.id) { openAssetPopup(properties.id, event.latlng, null); }
  }

  // ---------------------------------------------------------------- popups

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
      paintSwatch(swatch, kind);
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

  function openAssetPopup(id, latlng, opener) {
    replacingPopup = true;  // opening closes the previous popup: that is no time to move focus
    var popup = L.popup({
      maxWidth: 280, minWidth: 200, className: "asset-popup-wrap",
      autoPanPaddingTopLeft: L.point(16, 56), autoPanPaddingBottomRight: L.point(16, bottomPadding())
    }).setLatLng(latlng).setContent(el("p", "asset-popup-loading", S.loading)).openOn(map);
    replacingPopup = false;
    popupOpener = opener;
    fetch(config.popupUrl.replace("{id}", encodeURIComponent(id)), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      if (!map.hasLayer(popup)) { return; }  // closed or replaced meanwhile
      popup.setContent(buildPopup(data));
      if (opener) { popup.getElement().querySelector(".asset-popup-name").focus({ preventScroll: true }); }
    }).catch(function () {
      if (!map.hasLayer(popup)) { return; }
      popup.setContent(el("p", "asset-popup-error", S.popupError));
    });
  }

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

  // ---------------------------------------------------------------- filters and legend

  var filters = byId("map-filters");
  var streetSelect = byId("map-street");
  var communitySelect = byId("map-community");

  function paintSwatch(swatch, kind) {
    swatch.style.setProperty("--swatch-fill", kind.colour);
    swatch.style.setProperty("--swatch-stroke", kind.geometry === "polygon" ? kind.stroke : kind.colour);
    if (kind.dashed) { swatch.classList.add("swatch-dashed"); }
  }
  Array.prototype.forEach.call(document.querySelectorAll(".map-legend .swatch[data-kind]"), function (swatch) {
    paintSwatch(swatch, kinds[swatch.getAttribute("data-kind")]);
  });

  /** Community options follow the street: its communities, or all of them grouped by street. */
  function fillCommunities() {
    while (communitySelect.options.length > 1) { communitySelect.remove(1); }
    Array.prototype.slice.call(communitySelect.querySelectorAll("optgroup")).forEach(function (group) {
      group.remove();
    });
    config.streets.forEach(function (street) {
      if (state.street && street.code !== state.street) { return; }
      var parent = communitySelect;
      if (!state.street) {
        parent = el("optgroup");
        parent.label = street.name;
        communitySelect.appendChild(parent);
      }
      street.communities.forEach(function (community) {
        var option = el("option", null, community.name);
        option.value = community.code;
        parent.appendChild(option);
      });
    });
    communitySelect.value = state.community;
  }

  function checkedValues(name) {
    return Array.prototype.filter.call(filters.elements[name], function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }

  /** Put the state into the form (after reading the URL). */
  function showState() {
    Array.prototype.forEach.call(filters.elements.layers, function (input) {
      input.checked = state.layers.indexOf(input.value) >= 0;
    });
    Array.prototype.forEach.call(filters.elements.status, function (input) {
      input.checked = state.statuses.indexOf(input.value) >= 0;
    });
    filters.elements.looking.checked = state.looking;
    Array.prototype.forEach.call(filters.querySelectorAll('input[name="base"]'), function (input) {
      input.checked = input.value === state.base;
    });
    streetSelect.value = state.street;
    fillCommunities();
    showActiveCount();
  }

  var toggle = byId("map-panel-toggle");
  var toggleLabel = toggle.textContent;
  function showActiveCount() {
    var active = (state.street ? 1 : 0) + (state.community ? 1 : 0) + (state.looking ? 1 : 0) +
      (sameSet(state.statuses, allStatuses) ? 0 : 1) + (sameSet(state.layers, allKinds) ? 0 : 1);
    toggle.textContent = active ? toggleLabel + " (" + active + ")" : toggleLabel;
  }

  filters.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "base") {
      state.base = event.target.value;
      setBasemap(state.base);
      writeUrl();
      return;
    }
    if (name === "street") {
      state.street = streetSelect.value;
      state.community = "";
      fillCommunities();
      fitArea();
    } else if (name === "community") {
      state.community = communitySelect.value;
      if (state.community) {
        state.street = communities[state.community].street;
        streetSelect.value = state.street;
        fillCommunities();
      }
      fitArea();
    } else if (name === "layers") {
      state.layers = checkedValues("layers");
    } else if (name === "status") {
      state.statuses = checkedValues("status");
    } else if (name === "looking") {
      state.looking = event.target.checked;
    }
    showActiveCount();
    reloadAssets();
    writeUrl();
  });

  filters.addEventListener("reset", function () {
    window.setTimeout(function () {  // after the browser has reset the controls
      var hadArea = state.street || state.community;
      state.layers = allKinds.slice();
      state.statuses = allStatuses.slice();
      state.street = state.community = "";
      state.looking = false;
      state.base = defaultBase;
      showState();
      setBasemap(state.base);
      if (hadArea) { fitArea(); }
      reloadAssets();
      writeUrl();
    }, 0);
  });

  // ---------------------------------------------------------------- the panel (bottom sheet on phones)

  var panel = byId("map-panel");
  function setExpanded(open) {
    panel.classList.toggle("is-collapsed", !open);
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", function () {
    setExpanded(toggle.getAttribute("aria-expanded") !== "true");
  });
  function onScreenChange() {
    setExpanded(!narrowScreen.matches);
    map.invalidateSize();
  }
  if (narrowScreen.addEventListener) { narrowScreen.addEventListener("change", onScreenChange); }

  // ---------------------------------------------------------------- search

  var searchForm = byId("map-search");
  var searchInput = byId("map-search-q");
  var resultsBox = byId("map-search-results");
  var resultsList = byId("map-search-list");
  var searchStatus = byId("map-search-status");
  var searchController = null;
  var searchTimer = null;
  var lastQuery = "";

  function showResults(show) {
    resultsBox.hidden = !show;
  }

  function runSearch(query) {
    query = query.trim();
    if (query === lastQuery && !resultsBox.hidden) { return; }
    lastQuery = query;
    if (searchController) { searchController.abort(); }
    if (!query) {
      resultsList.textContent = "";
      searchStatus.textContent = "";
      showResults(false);
      return;
    }
    searchController = window.AbortController ? new AbortController() : null;
    searchStatus.textContent = S.searching;
    showResults(true);
    fetch(config.searchUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" }, credentials: "same-origin",
      signal: searchController ? searchController.signal : undefined
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var failure = new Error(response.status);
          failure.shown = data.error;  // the server's own message, in the visitor's language
          throw failure;
        }
        return data;
      });
    }).then(function (data) {
      renderResults(data.results || [], query);
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      resultsList.textContent = "";
      searchStatus.textContent = (error && typeof error.shown === "string" && error.shown) || S.searchError;
    });
  }

  function renderResults(results, query) {
    resultsList.textContent = "";
    results.forEach(function (result) {
      var item = el("li");
      var button = el("button", "search-result");
      button.type = "button";
      var kind = kinds[result.kind];
      var name = el("span", "search-result-name", result.name);
      if (kind) {
        var swatch = el("span", "swatch swatch-" + kind.geometry);
        swatch.setAttribute("aria-hidden", "true");
        paintSwatch(swatch, kind);
        name.insertBefore(swatch, name.firstChild);
      }
      button.appendChild(name);
      button.appendChild(el("span", "search-result-meta",
        [result.kind_label, result.address].filter(Boolean).join(" · ")));
      button.addEventListener("click", function () { chooseResult(result, button); });
      item.appendChild(button);
      resultsList.appendChild(item);
    });
    searchStatus.textContent = results.length ? fmt(S.searchResults, { count: results.length })
      : fmt(S.searchNone, { query: query });
  }

  function chooseResult(result, button) {
    var latlng = L.latLng(result.lat, result.lon);
    var zoom = Math.max(map.getZoom(), 17);
    if (narrowScreen.matches) {  // make room for the map and its popup on a phone
      setExpanded(false);
      showResults(false);
    }
    var open = function () { openAssetPopup(result.id, latlng, narrowScreen.matches ? searchInput : button); };
    if (map.getZoom() === zoom && map.getCenter().distanceTo(latlng) < 1) {
      open();
    } else {
      map.once("moveend", open);
      if (reduceMotion) {
        map.setView(latlng, zoom, { animate: false });
      } else {
        map.flyTo(latlng, zoom, { duration: 0.8 });
      }
    }
  }

  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(searchTimer);
    lastQuery = null;
    runSearch(searchInput.value);
  });
  // Search as one types, but not on the Latin letters of a Chinese input method's composition.
  function searchSoon() {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(function () { runSearch(searchInput.value); }, 300);
  }
  searchInput.addEventListener("input", function (event) { if (!event.isComposing) { searchSoon(); } });
  searchInput.addEventListener("compositionend", searchSoon);
  searchInput.addEventListener("focus", function () {
    if (resultsList.children.length) { showResults(true); }
  });

  // Arrow keys move through the results; the input's ArrowDown enters them.
  function resultButtons() { return Array.prototype.slice.call(resultsList.querySelectorAll("button")); }
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && !resultsBox.hidden && resultButtons().length) {
      event.preventDefault();
      resultButtons()[0].focus();
    }
  });
  resultsList.addEventListener("keydown", function (event) {
    var buttons = resultButtons(), index = buttons.indexOf(document.activeElement);
    if (index < 0) { return; }
    if (event.key === "ArrowDown" && index < buttons.length - 1) { event.preventDefault(); buttons[index + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (index ? buttons[index - 1] : searchInput).focus(); }
  });

  // Esc: closes the popup first, then the search results, then (on a phone) the panel.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    if (map._popup && map.hasLayer(map._popup)) {
      event.preventDefault();
      map.closePopup();
    } else if (!resultsBox.hidden && panel.contains(document.activeElement)) {
      event.preventDefault();
      showResults(false);
      searchInput.focus();
    } else if (narrowScreen.matches && toggle.getAttribute("aria-expanded") === "true" &&
               panel.contains(document.activeElement)) {
      event.preventDefault();
      setExpanded(false);
      toggle.focus();
    }
  }, true);

  // ---------------------------------------------------------------- data version

  var lastVersionCheck = 0;
  function checkVersion() {
    var now = Date.now();
    if (document.hidden || now - lastVersionCheck < 10000) { return; }
    lastVersionCheck = now;
    fetch(config.tiles.versionUrl, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || !data.version || data.version === version) { return; }
      version = data.version;
      if (typeof data.url === "string" && localUrl(data.url)) { tileTemplate = data.url.split("?")[0]; }
      reloadAssets();
      announce(S.mapUpdated);
    }).catch(function () { /* offline: try again later */ });
  }
  window.setInterval(checkVersion, 60000);
  window.addEventListener("focus", checkVersion);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { checkVersion(); } });

  // ---------------------------------------------------------------- start

  showState();
  setExpanded(!narrowScreen.matches);
  if (initialView) { map.setView(initialView.center, initialView.zoom, { animate: false }); } else { fitArea(); }
  setBasemap(state.base);
  reloadAssets();
  map.on("moveend", writeUrl);
  writeUrl();

  var moving = false;
  map.on("movestart zoomstart", function () { moving = true; });
  map.on("moveend", function () { moving = false; });

  // For people and tests at the console: the map and whether it has settled.
  window.registryMap = {
    map: map,
    latLngToContainerPoint: function (lat, lon) {
      var point = map.latLngToContainerPoint([lat, lon]);
      return { x: point.x, y: point.y };
    },
    isIdle: function () {
      return !moving && mapElement.getAttribute("data-tiles") === "loaded" && (!assetLayer || !assetLayer.isLoading());
    },
    version: function () { return version; }
  };
})();
