// Commune portal, list grid: add a row by cloning the empty row of the formset, dim the rows marked
// for removal, keep the count on the send button right. Delegated listeners (no inline handlers, CSP),
// so they keep working after HTMX swaps the form. Without JavaScript, "Ajouter une ligne" posts the
// form and the server adds the row.
(() => {
  const ROWS = "rows";

  function totalForms(form) {
    return form.querySelector(`input[name='${ROWS}-TOTAL_FORMS']`);
  }

  function isBlank(row) {
    return Array.from(row.querySelectorAll("input[type=text]")).every((input) => !input.value.trim());
  }

  function updateSendLabel(form) {
    const button = form.querySelector("[data-portal-send]");
    const label = button && button.querySelector("[data-portal-send-label]");
    if (!label) {
      return;
    }
    let count = Number(form.dataset.portalKept || 0);
    form.querySelectorAll("tbody[data-portal-rows] tr[data-portal-row]").forEach((row) => {
      const removed = row.querySelector(`input[name$='-DELETE']`);
      if (!(removed && removed.checked) && !isBlank(row)) {
        count += 1;
      }
    });
    if (count === 0) {
      label.textContent = button.dataset.labelNone;
    } else if (count === 1) {
      label.textContent = button.dataset.labelOne;
    } else {
      label.textContent = button.dataset.labelMany.replace("__n__", String(count));
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-portal-add-row]");
    if (!button) {
      return;
    }
    const form = button.closest("form");
    const template = form.querySelector("template[data-portal-row-template]");
    const total = totalForms(form);
    if (!template || !total) {
      return; // let the form post: the server adds the row
    }
    event.preventDefault();
    const count = Number(total.value);
    if (count >= Number(form.dataset.portalMax)) {
      form.querySelector("[data-portal-limit-message]").hidden = false;
      return;
    }
    const body = form.querySelector("tbody[data-portal-rows]");
    body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(count)));
    total.value = String(count + 1);
    const added = body.lastElementChild;
    const first = added && added.querySelector("input[type=text]");
    if (first) {
      first.focus();
    }
  });

  document.addEventListener("change", (event) => {
    const form = event.target.closest("form#portal-list-form");
    if (!form) {
      return;
    }
    if (event.target.matches("input[name$='-DELETE']")) {
      event.target.closest("tr").classList.toggle("opacity-50", event.target.checked);
    }
    updateSendLabel(form);
  });
})();
