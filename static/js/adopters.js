/* The sign-up form: show only the fields the chosen adopter kind needs. No inline scripts (CSP).
 *
 * Without JavaScript every field shows, each saying what it is for; the server checks per kind. */
(function () {
  "use strict";

  function setUp(form) {
    var personKinds = (form.dataset.personKinds || "").split(" ");
    var codeKinds = (form.dataset.codeKinds || "").split(" ");
    var organisation = form.querySelector('[data-for="organisation"]');
    var person = form.querySelector('[data-for="person"]');
    var credit = form.querySelector(".field-credit_code");

    function update() {
      var checked = form.querySelector('input[name="kind"]:checked');
      if (!checked) { organisation.hidden = false; person.hidden = false; return; }
      var isPerson = personKinds.indexOf(checked.value) !== -1;
      organisation.hidden = isPerson;
      person.hidden = !isPerson;
      var codeInput = credit && credit.querySelector("input");
      if (codeInput) codeInput.required = codeKinds.indexOf(checked.value) !== -1;
    }

    form.querySelectorAll('input[name="kind"]').forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  }

  document.querySelectorAll("[data-sign-up]").forEach(setUp);
})();
