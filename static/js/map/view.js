/* The Leaflet map itself, and the part of it the panel leaves free. */
import { S, config, narrowScreen, reduceMotion } from "./config.js";
import { byId } from "./dom.js";

export const mapElement = byId("map");
export const map = L.map("map", {
  zoomControl: false,
  minZoom: config.view.minZoom,
  maxZoom: config.view.maxZoom,
  zoomAnimation: !reduceMotion,
  fadeAnimation: !reduceMotion,
  markerZoomAnimation: !reduceMotion
});
L.control.zoom({ position: "topright", zoomInTitle: S.zoomIn, zoomOutTitle: S.zoomOut }).addTo(map);

map.createPane("assets").style.zIndex = 450;  // above basemaps (200), below popups (700)

/** Pixels to keep clear at the bottom of the map: on a phone the bottom sheet covers it. */
export function bottomPadding() {
  return narrowScreen.matches ? byId("map-panel").offsetHeight + 16 : 16;
}

export function fitOptions() {
  return { paddingTopLeft: [16, 16], paddingBottomRight: [56, bottomPadding()], animate: !reduceMotion };
}
