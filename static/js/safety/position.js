/* The phone's position for a safety form: fills the lat/lon fields of the risk form (and of each
 * failed item's one-tap "raise a risk" form) once, when the browser allows it. Without it the
 * fields stay as they are: a risk form asks for the place, a failed item falls back to the
 * round's area. */
const OPTIONS = { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 };

function say(status, key) {
  if (status) status.textContent = status.dataset[key] || "";
}

function fill(position) {
  const lat = position.coords.latitude.toFixed(7);
  const lon = position.coords.longitude.toFixed(7);
  document.querySelectorAll("input[name=lat]").forEach((input) => { if (!input.value) input.value = lat; });
  document.querySelectorAll("input[name=lon]").forEach((input) => { if (!input.value) input.value = lon; });
}

const status = document.querySelector("[data-safety-position]");
const wanted = document.querySelector("input[name=lat]");
if (wanted && !wanted.value && "geolocation" in navigator) {
  say(status, "locating");
  navigator.geolocation.getCurrentPosition((position) => { fill(position); say(status, "recorded"); },
    () => say(status, "denied"), OPTIONS);
} else if (wanted && !wanted.value) {
  say(status, "denied");
}
