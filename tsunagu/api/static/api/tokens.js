// Copy a freshly created API token to the clipboard (the page shows it only once).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copyTarget);
  if (!input) return;
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (error) {
    // Without clipboard access the text stays selected for Ctrl+C / ⌘C.
    return;
  }
  button.textContent = button.dataset.copiedLabel;
});
