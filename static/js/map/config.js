/*
 * The page's configuration (<script type="application/json" id="map-config">, built by
 * public/map.py) and the lookups the other modules make in it. No string from the
 * server is ever parsed as HTML.
 */

export const config = JSON.parse(document.getElementById("map-config").textContent);
/** The words the map shows or announces, in the visitor's language. */
export const S = config.strings;
export const reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
export const narrowScreen = window.matchMedia("(max-width: 47.99em)");

function indexBy(list, key) {
  var index = {};
  list.forEach(function (item) { index[item[key]] = item; });
  return index;
}

export const kinds = indexBy(config.kinds, "id");
export const allKinds = config.kinds.map(function (kind) { return kind.id; });
export const allStatuses = config.statuses.map(function (status) { return status.id; });
export const basemaps = indexBy(config.basemaps, "id");
export const defaultBase = config.basemaps.length ? config.basemaps[0].id : "none";
export const streets = indexBy(config.streets, "code");
export const communities = {};
config.streets.forEach(function (street) {
  street.communities.forEach(function (community) {
    communities[community.code] = L.extend({ street: street.code }, community);
  });
});
