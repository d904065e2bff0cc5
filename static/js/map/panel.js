/*
 * The panel beside the map (a bottom sheet on phones): the legend and filters, the basemap
 * choice, and the button that opens and closes it. A change of filters reloads the assets and
 * rewrites the URL; a street or community moves the map to it.
 */
import { allKinds, allStatuses, communities, config, defaultBase, kinds, narrowScreen, reduceMotion, streets }
  from "./config.js";
import { byId, el, paintSwatch } from "./dom.js";
import { setBasemap } from "./basemaps.js";
import { sameSet, state, writeUrl } from "./state.js";
import { reloadAssets } from "./tiles.js";
import { fitOptions, map } from "./view.js";

export const panel = byId("map-panel");
export const toggle = byId("map-panel-toggle");
var toggleLabel = toggle.textContent;
var filters = byId("map-filters");
var streetSelect = byId("map-street");
var communitySelect = byId("map-community");

function bounds(bbox) { return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]); }

/** Show the chosen community or street, else the whole district. */
export function fitArea() {
  var area = communities[state.community] || streets[state.street];
  if (area && area.bbox) {
    map.fitBounds(bounds(area.bbox), fitOptions());
  } else if (config.view.extent) {
    map.fitBounds(bounds(config.view.extent), fitOptions());
  } else {
    map.setView(config.view.center, config.view.zoom, { animate: !reduceMotion });
  }
}

// ---------------------------------------------------------------- filters and legend

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
export function showState() {
  Array.prototype.forEach.call(filters.elements.layers, function (input) {
    input.checked = state.layers.indexOf(input.value) >= 0;
  });
  Array.prototype.forEach.call(filters.elements.status, function (input) {
    input.checked = state.statuses.indexOf(input.value) >= 0;
  });
  filters.elements.looking.checked = state.looking;
  filters.elements.checkin.checked = state.checkin;
  Array.prototype.forEach.call(filters.querySelectorAll('input[name="base"]'), function (input) {
    input.checked = input.value === state.base;
  });
  streetSelect.value = state.street;
  fillCommunities();
  showActiveCount();
}

function showActiveCount() {
  var active = (state.street ? 1 : 0) + (state.community ? 1 : 0) + (state.looking ? 1 : 0) + (state.checkin ? 1 : 0) +
    (sameSet(state.statuses, allStatuses) ? 0 : 1) + (sameSet(state.layers, allKinds) ? 0 : 1);
  toggle.textContent = active ? toggleLabel + " (" + active + ")" : toggleLabel;
}

function onFilterChange(event) {
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
  } else if (name === "checkin") {
    state.checkin = event.target.checked;
  }
  showActiveCount();
  // An open popup may be of an asset the new filters leave out: it closes with the old view of them.
  map.closePopup();
  reloadAssets();
  writeUrl();
}

function onFilterReset() {
  window.setTimeout(function () {  // after the browser has reset the controls
    var hadArea = state.street || state.community;
    state.layers = allKinds.slice();
    state.statuses = allStatuses.slice();
    state.street = state.community = "";
    state.looking = false;
    state.checkin = false;
    state.base = defaultBase;
    showState();
    setBasemap(state.base);
    if (hadArea) { fitArea(); }
    reloadAssets();
    writeUrl();
  }, 0);
}

// ---------------------------------------------------------------- the panel (bottom sheet on phones)

export function setExpanded(open) {
  panel.classList.toggle("is-collapsed", !open);
  toggle.setAttribute("aria-expanded", String(open));
}

export function isExpanded() { return toggle.getAttribute("aria-expanded") === "true"; }

function onScreenChange() {
  setExpanded(!narrowScreen.matches);
  map.invalidateSize();
}

/** The legend's colours, the filters' and the toggle's events. */
export function setUpPanel() {
  Array.prototype.forEach.call(document.querySelectorAll(".map-legend .swatch[data-kind]"), function (swatch) {
    paintSwatch(swatch, kinds[swatch.getAttribute("data-kind")]);
  });
  filters.addEventListener("change", onFilterChange);
  filters.addEventListener("reset", onFilterReset);
  toggle.addEventListener("click", function () {
    setExpanded(!isExpanded());
  });
  if (narrowScreen.addEventListener) { narrowScreen.addEventListener("change", onScreenChange); }
}
