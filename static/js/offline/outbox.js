/* The outbox: upkeep logs made on the phone, waiting to be sent, and their states.
 *
 * An entry: { key (its idempotency key, made once when the log is saved), author (the account), asset, asset_name, action,
 * action_label, performed_at and recorded_at (ISO 8601 with offset), notes, lat, lon, photos:
 * [{name, type, blob}], state: "waiting" | "sending" | "sent" | "refused", reason, log_id }.
 * Sending posts each waiting entry with its Idempotency-Key header: the server records it once,
 * and answers a replay "accepted" without writing again. A refusal keeps the entry and the
 * server's reason, for the worker to fix or discard. Used by the page and the service worker. */

import { get, getAll, put, remove } from "./db.js";

export const WAITING = "waiting";
export const SENDING = "sending";
export const SENT = "sent";
export const REFUSED = "refused";

function newKey() {
  if (self.crypto && self.crypto.randomUUID) return self.crypto.randomUUID().replace(/-/g, "");
  const bytes = self.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function add(entry) {
  const saved = { ...entry, key: newKey(), state: WAITING, reason: "", created: Date.now() };
  await put("outbox", saved);
  return saved;
}

export async function entries() {
  const all = await getAll("outbox");
  return all.sort((a, b) => a.created - b.created);
}

export async function discard(key) {
  await remove("outbox", key);
}

/** Put a refused entry back in the queue after the worker fixed it (same key: still sent once). */
export async function update(key, changes) {
  const entry = await get("outbox", key);
  if (!entry) return null;
  const changed = { ...entry, ...changes, state: WAITING, reason: "" };
  await put("outbox", changed);
  return changed;
}

/** Forget the entries the server has accepted (the page's list keeps them until then). */
export async function clearSent() {
  for (const entry of await entries()) {
    if (entry.state === SENT) await remove("outbox", entry.key);
  }
}

function body(entry) {
  const form = new FormData();
  for (const name of ["author", "asset", "action", "performed_at", "recorded_at", "notes", "lat", "lon"]) {
    if (entry[name] !== undefined && entry[name] !== null && entry[name] !== "") form.append(name, entry[name]);
  }
  for (const photo of entry.photos || []) form.append("photos", photo.blob, photo.name);
  return form;
}

async function token(urls) {
  const response = await fetch(urls.csrf, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) return null;
  return (await response.json()).token;
}

let running = null;

/** Send every waiting entry once; resolves to {sent, refused, waiting, signedOut}. One run at a time. */
export function sendAll(urls) {
  if (!running) running = sendWaiting(urls).finally(() => { running = null; });
  return running;
}

async function sendWaiting(urls) {
  const result = { sent: 0, refused: 0, waiting: 0, signedOut: false };
  const waiting = (await entries()).filter((entry) => entry.state === WAITING || entry.state === SENDING);
  if (!waiting.length) return result;
  let csrf;
  try {
    csrf = await token(urls);
  } catch (error) {
    result.waiting = waiting.length;  // no network: they stay waiting
    return result;
  }
  if (!csrf) { result.signedOut = true; result.waiting = waiting.length; return result; }
  for (const entry of waiting) {
    const outcome = await sendOne(urls, entry, csrf);
    result[outcome] += 1;
  }
  return result;
}

async function sendOne(urls, entry, csrf) {
  await put("outbox", { ...entry, state: SENDING });
  let response, answer = null;
  try {
    response = await fetch(urls.send, {
      method: "POST", body: body(entry), credentials: "same-origin", redirect: "manual",
      headers: { "Idempotency-Key": entry.key, "X-CSRFToken": csrf, Accept: "application/json" },
    });
    if ((response.headers.get("Content-Type") || "").includes("json")) answer = await response.json();
  } catch (error) {
    answer = null;  // the signal went again: try later
  }
  if (answer && answer.state === "accepted") {
    await put("outbox", { ...entry, state: SENT, reason: "", log_id: answer.id });
    return "sent";
  }
  if (answer && answer.state === "refused") {
    await put("outbox", { ...entry, state: REFUSED, reason: answer.reason, code: answer.code });
    return "refused";
  }
  await put("outbox", { ...entry, state: WAITING });
  return "waiting";
}
