/* The worker's own assets (name, kind, position, last upkeep), fetched when there is a signal and
 * kept in IndexedDB for when there is none. The list and the form's asset menu are built from it. */

import { get, put } from "./db.js";

const KEY = "assets";

/** The fresh list from the server (and kept), or the phone's copy; null if neither. */
export async function loadAssets(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.ok && (response.headers.get("Content-Type") || "").includes("json")) {
      const data = await response.json();
      await put("cache", { name: KEY, data });
      return data;
    }
  } catch (error) {
    // no signal: the copy below
  }
  const kept = await get("cache", KEY);
  return kept ? kept.data : null;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || undefined,
    { dateStyle: "short", timeStyle: "short" }) : "";
}

export function renderAssets(data, list, select, status, texts) {
  list.textContent = "";
  if (!data) { status.textContent = texts.assets_missing; return; }
  status.textContent = texts.assets_cached.replace("%(time)s", when(data.generated_at));
  const chosen = select.value || new URLSearchParams(window.location.search).get("asset") || "";
  select.length = 1;
  for (const asset of data.assets) {
    const option = document.createElement("option");
    option.value = String(asset.id);
    option.textContent = `${asset.name} · ${asset.kind_label}`;
    select.append(option);
    const item = document.createElement("li");
    item.className = "asset-card";
    item.dataset.assetId = String(asset.id);
    const name = document.createElement("strong");
    name.textContent = asset.name;  // text, never HTML: names come from people
    const meta = document.createElement("span");
    const last = asset.last_upkeep ? `${asset.last_action} ${when(asset.last_upkeep)}` : texts.never;
    const where = asset.lat === null ? "" : ` · ${asset.lat.toFixed(5)}, ${asset.lon.toFixed(5)}`;
    meta.textContent = `${asset.kind_label} · ${last}${where}`;
    item.append(name, meta);
    list.append(item);
  }
  select.value = chosen;
}
