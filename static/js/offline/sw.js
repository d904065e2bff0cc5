/* The staff workbench's service worker, served from /staff/sw.js (scope /staff/) by staff/offline.py,
 * which writes self.WORKBENCH in front of this file: the app shell's URLs, the offline page, the
 * outbox's endpoints and a version (a new deploy is a new cache). Registered as a module worker.
 *
 * - install: keep the app shell (the offline page and every file it loads);
 * - pages under /staff/: the network first, the kept copy with no signal (the offline page for a
 *   page never kept); the shell's static files: the kept copy first;
 * - Background Sync "outbox": send the outbox (outbox.js), then tell the open pages. */

import { sendAll } from "./outbox.js";

const config = self.WORKBENCH;
const CACHE = `staff-workbench-${config.version}`;
const SHELL = new Set(config.shell.map((path) => new URL(path, self.location.origin).href));

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(config.shell)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("staff-workbench-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request, fallback) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && SHELL.has(request.url)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    const page = fallback ? await cache.match(fallback, { ignoreVary: true }) : null;
    if (page) return page;
    throw error;
  }
}

async function keptFirst(request) {
  const kept = await caches.match(request, { ignoreVary: true });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, config.offline));
  } else if (SHELL.has(request.url)) {
    event.respondWith(keptFirst(request));
  }
});

async function tellPages(result) {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ outbox: result });
}

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(sendAll(config).then(tellPages));
});
