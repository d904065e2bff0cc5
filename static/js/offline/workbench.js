/* The offline workbench page (templates/staff/offline.html; docs/offline.md).
 *
 * Registers the service worker (the page and its files then open with no signal), shows the
 * worker's assets from the phone's copy, saves each upkeep log into the outbox (IndexedDB) with
 * its photos resized on the phone, and sends the outbox: when the network returns ("online"), by
 * Background Sync where the browser has it, on page load, and with the "send now" button. */

import { loadAssets, renderAssets } from "./assets.js";
import * as outbox from "./outbox.js";
import { preparePhotos } from "./photos.js";

const root = document.querySelector("[data-offline-workbench]");
const texts = JSON.parse(document.getElementById("offline-texts").textContent);
const urls = { send: root.dataset.sendUrl, csrf: root.dataset.csrfUrl };
const form = root.querySelector("[data-offline-form]");
const select = root.querySelector("[data-asset-select]");
const list = root.querySelector("[data-outbox-list]");
const formError = root.querySelector("[data-form-error]");
const formStatus = root.querySelector("[data-form-status]");
let position = null;
let assetNames = {};

function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => String(values[name]));
}

function showNetwork() {
  root.querySelector("[data-network-status]").textContent = navigator.onLine ? texts.online : texts.offline;
}

function entryItem(entry) {
  const item = document.createElement("li");
  item.className = "outbox-entry";
  item.dataset.state = entry.state;
  item.dataset.key = entry.key;
  const state = document.createElement("span");
  state.className = "outbox-state";
  state.textContent = texts[entry.state] || entry.state;
  const what = document.createElement("span");
  const when = new Date(entry.performed_at).toLocaleString(document.documentElement.lang || undefined,
    { dateStyle: "short", timeStyle: "short" });
  what.textContent = ` · ${entry.asset_name} · ${entry.action_label} · ${when} · ` +
    format(texts.photos, { count: (entry.photos || []).length });
  item.append(state, what);
  if (entry.state === outbox.REFUSED) {
    const reason = document.createElement("p");
    reason.className = "outbox-reason";
    reason.dataset.reason = "";
    reason.textContent = entry.reason;
    const fix = button(texts.fix, () => startFix(entry));
    const drop = button(texts.discard, async () => { await outbox.discard(entry.key); await showOutbox(); });
    item.append(reason, fix, drop);
  }
  return item;
}

function button(label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "button button-small";
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}

async function showOutbox() {
  const entries = await outbox.entries();
  const waiting = entries.filter((entry) => entry.state === outbox.WAITING || entry.state === outbox.SENDING);
  root.querySelector("[data-outbox-count]").textContent = format(texts.count, { count: waiting.length });
  root.dataset.waiting = String(waiting.length);
  list.replaceChildren(...entries.map(entryItem));
}

async function send() {
  if (!navigator.onLine) return;
  const result = await outbox.sendAll(urls);
  if (result.signedOut) formStatus.textContent = texts.sign_in;
  await showOutbox();
}

function startFix(entry) {
  form.dataset.fixing = entry.key;
  select.value = String(entry.asset);
  form.elements.action.value = entry.action;
  const local = new Date(new Date(entry.performed_at).getTime() - new Date().getTimezoneOffset() * 60000);
  form.elements.performed_at.value = local.toISOString().slice(0, 16);
  form.elements.notes.value = entry.notes || "";
  select.focus();
}

function localNow() {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function readForm() {
  const asset = select.value;
  if (!asset) throw new Error(texts.no_asset);
  const files = Array.from(form.elements.photos.files);
  const limit = Number(root.dataset.photoLimit);
  if (files.length > limit) throw new Error(format(texts.too_many_photos, { count: limit }));
  const performed = form.elements.performed_at.value ? new Date(form.elements.performed_at.value) : new Date();
  const action = form.elements.action;
  return {
    fields: {
      author: root.dataset.author, asset: Number(asset), asset_name: assetNames[asset] || asset, action: action.value,
      action_label: action.options[action.selectedIndex].text, performed_at: performed.toISOString(),
      notes: form.elements.notes.value, lat: position ? position.lat : "", lon: position ? position.lon : "",
    },
    files,
  };
}

async function save(event) {
  event.preventDefault();
  formError.textContent = "";
  let read;
  try {
    read = readForm();
  } catch (error) {
    formError.textContent = error.message;
    return;
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  try {
    const photos = await preparePhotos(read.files, Number(root.dataset.photoSide), Number(root.dataset.photoQuality));
    const kept = photos.some((photo) => !photo.resized) ? ` ${texts.photo_kept}` : "";
    const fixing = form.dataset.fixing;
    if (fixing) {
      await outbox.update(fixing, { ...read.fields, ...(photos.length ? { photos } : {}) });
      delete form.dataset.fixing;
    } else {
      await outbox.add({ ...read.fields, recorded_at: new Date().toISOString(), photos });
    }
    form.elements.notes.value = "";
    form.elements.photos.value = "";
    form.elements.performed_at.value = localNow();
    formStatus.textContent = texts.saved + kept;
    await showOutbox();
    await askForSync();
    await send();
  } finally {
    submit.disabled = false;
  }
}

async function askForSync() {
  if (!("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) await registration.sync.register("outbox");
  } catch (error) {
    // no Background Sync here: "online", page load and "send now" still send
  }
}

function watchPosition() {
  if (!("geolocation" in navigator)) return;
  navigator.geolocation.getCurrentPosition((found) => {
    position = { lat: found.coords.latitude.toFixed(7), lon: found.coords.longitude.toFixed(7) };
  }, () => { position = null; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

async function start() {
  form.elements.performed_at.value = localNow();  // the page may come from the phone's cache, days old
  showNetwork();
  window.addEventListener("online", () => { showNetwork(); send(); });
  window.addEventListener("offline", showNetwork);
  form.addEventListener("submit", save);
  root.querySelector("[data-send-now]").addEventListener("click", send);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.outbox) showOutbox();
    });
    navigator.serviceWorker.register(root.dataset.workerUrl, { scope: root.dataset.scope, type: "module" })
      .catch(() => { root.dataset.workerFailed = ""; });
    navigator.serviceWorker.ready.then(() => { root.dataset.workerReady = ""; });
  }
  watchPosition();
  const data = await loadAssets(root.dataset.assetsUrl);
  assetNames = Object.fromEntries(((data && data.assets) || []).map((asset) => [String(asset.id), asset.name]));
  renderAssets(data, root.querySelector("[data-asset-list]"), select, root.querySelector("[data-assets-status]"), texts);
  await outbox.clearSent();
  await showOutbox();
  await send();
  root.dataset.ready = "";
}

start();
