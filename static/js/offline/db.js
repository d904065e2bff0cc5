/* The phone's own store (IndexedDB), shared by the offline page and the service worker.
 *
 * Two object stores: "outbox" (one entry per upkeep log made on the phone, its photos as Blobs,
 * keyed by its idempotency key) and "cache" (the worker's asset list). IndexedDB survives the
 * browser being closed: nothing is lost until an entry is sent or the worker discards it. */

const NAME = "staff-workbench";
const VERSION = 1;

let opening = null;

export function open() {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "key" });
      if (!db.objectStoreNames.contains("cache")) db.createObjectStore("cache", { keyPath: "name" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode) {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function put(name, value) {
  return done((await store(name, "readwrite")).put(value));
}

export async function get(name, key) {
  return done((await store(name, "readonly")).get(key));
}

export async function getAll(name) {
  return done((await store(name, "readonly")).getAll());
}

export async function remove(name, key) {
  return done((await store(name, "readwrite")).delete(key));
}
