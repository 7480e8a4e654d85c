// Second-factor pages: print the recovery codes, copy the secret or the codes (no inline handlers: CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  const button = event.target.closest("[data-copy-target]");
  if (!button || !navigator.clipboard) {
    return;
  }
  const source = document.querySelector(button.dataset.copyTarget);
  if (!source) {
    return;
  }
  const text = Array.from(source.querySelectorAll("li"))
    .map((item) => item.textContent.trim())
    .join("\n") || source.textContent.trim();
  navigator.clipboard.writeText(text).then(() => {
    button.textContent = button.dataset.copiedLabel || button.textContent;
  });
});
