// A background job's page (templates/dataio/job.html): polls the job's status.json and updates the
// phase, the progress bar, rows done, elapsed and remaining time in place; reloads once the job has
// finished, so the server renders the row report. Cancel stays a plain form post.
const POLL_MS = 1000;

function show(section, status) {
  section.dataset.phase = status.phase;
  for (const element of section.querySelectorAll("[data-job-field]")) {
    const value = status[element.dataset.jobField];
    element.textContent = value === null || value === undefined ? "…" : String(value);
  }
  const bar = section.querySelector("[data-job-progress]");
  if (bar) {
    if (status.percent === null) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = status.percent;
      bar.textContent = `${status.percent}%`;
    }
  }
  const cancel = section.querySelector("[data-job-cancel] button");
  if (cancel && status.cancel_requested) cancel.disabled = true;
}

async function poll(section) {
  try {
    const response = await fetch(section.dataset.jobStatus, {headers: {Accept: "application/json"}, credentials: "same-origin"});
    if (response.ok) {
      const status = await response.json();
      show(section, status);
      if (status.finished) {
        window.location.reload();
        return;
      }
    }
  } catch (error) {
    // Offline for a moment: keep polling; the job runs on the server regardless.
  }
  window.setTimeout(() => poll(section), POLL_MS);
}

const section = document.querySelector("[data-job-status]");
if (section && section.dataset.finished !== "true") {
  const reload = section.querySelector("[data-job-reload]");
  if (reload) reload.hidden = true;
  poll(section);
}
