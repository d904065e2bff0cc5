/* The dashboard's filter form: choosing a street or a community shows its figures at once (the
 * form is submitted; without JavaScript the "Show" button does the same). A new street clears the
 * community, which belongs to the old one. And the print button, shown only where it works. */

const form = document.querySelector("[data-dashboard-filter]");
if (form) {
  form.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => {
      if (select.name === "street") {
        const community = form.querySelector("select[name=community]");
        if (community) community.value = "";
      }
      form.requestSubmit();
    });
  });
}

document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
