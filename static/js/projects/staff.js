/* The staff project form: "use my position" fills longitude and latitude from the phone's location.
 * An ES module (no inline script: CSP). Without location the fields stay as typed. */
const button = document.querySelector("[data-project-here]");
const lon = document.querySelector("input[name=lon]");
const lat = document.querySelector("input[name=lat]");

if (button && lon && lat && "geolocation" in navigator) {
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((position) => {
      lon.value = position.coords.longitude.toFixed(6);
      lat.value = position.coords.latitude.toFixed(6);
    }, () => { button.disabled = true; }, { enableHighAccuracy: true, timeout: 10000 });
  });
} else if (button) {
  button.hidden = true;
}
