// Inline formsets of the network (operator contacts, meeting attendees and follow-up actions):
// "Ajouter" clones the empty row kept in a <template> and counts it in the management form.
// No inline handlers (CSP: script-src 'self').
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) {
    return;
  }
  const fieldset = button.closest("[data-formset]");
  const prefix = fieldset.dataset.formset;
  const total = fieldset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const template = fieldset.querySelector("template[data-formset-empty]");
  const rows = fieldset.querySelector("[data-formset-rows]");
  const index = Number.parseInt(total.value, 10);
  const html = template.innerHTML.replaceAll("__prefix__", String(index));
  rows.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
  if (first) {
    first.focus();
  }
});
