import { symbolCanvas } from "./symbols.js";

/*
 * Small DOM helpers. Names, addresses and adopters are user data and only ever reach the page
 * as textContent.
 */

/** "%(name)s"-style placeholders; values are inserted once, never re-scanned. */
export function fmt(template, values) {
  return template.replace(/%\((\w+)\)s/g, function (match, key) {
    return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
  });
}

export function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = text; }
  return node;
}

export function byId(id) { return document.getElementById(id); }

/** Only same-origin http(s) URLs (the server sends "/assets/1/") become links, images or tile URLs. */
export function localUrl(url) {
  if (typeof url !== "string" || !url) { return false; }
  try {
    var parsed = new URL(url, window.location.href);
    return parsed.origin === window.location.origin && /^https?:$/.test(parsed.protocol);
  } catch (error) {
    return false;
  }
}

/** A kind's swatch (legend, search results, popups): its symbol, the shape and colour the map draws. */
export function paintSwatch(swatch, kind, size) {
  size = size || Math.round(swatch.getBoundingClientRect().width) || 18;
  swatch.textContent = "";
  swatch.classList.add("swatch-symbol");
  swatch.setAttribute("data-shape", kind.shape || "circle");
  swatch.appendChild(symbolCanvas(kind, size, false));
}

var announcer = byId("map-announcer");
export function announce(text) {
  announcer.textContent = "";
  window.setTimeout(function () { announcer.textContent = text; }, 50);
}
