/* The basemap under the small maps (asset page, staff adoption queue, import
 * preview): the tile layer a container names in its data attributes, or none. */
(function () {
  "use strict";
  window.registryBasemap = function (map, container) {
    if (!container.dataset.tileUrl) return null;
    return L.tileLayer(container.dataset.tileUrl, {
      attribution: container.dataset.tileAttribution || "",
      maxZoom: parseInt(container.dataset.maxZoom, 10) || 19,
      subdomains: container.dataset.subdomains || "abc"
    }).addTo(map);
  };
})();
