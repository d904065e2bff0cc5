/*
 * Search by name or address: results as one types (search.json), listed under the search box;
 * choosing one flies the map there and opens its popup.
 */
import { S, config, kinds, narrowScreen, reduceMotion } from "./config.js";
import { byId, el, fmt, paintSwatch } from "./dom.js";
import { setExpanded } from "./panel.js";
import { openAssetPopup, prefetchPopup } from "./popups.js";
import { map } from "./view.js";

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

export function resultsShown() { return !resultsBox.hidden; }

/** Close the results and go back to the search box. */
export function leaveResults() {
  showResults(false);
  searchInput.focus();
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
      paintSwatch(swatch, kind, 14);
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
  prefetchPopup(result.id);  // before the move's tiles queue up ahead of it
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

function resultButtons() { return Array.prototype.slice.call(resultsList.querySelectorAll("button")); }

export function setUpSearch() {
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
}
