// "Copy" buttons: data-copy names the element whose value is copied; the status says it worked.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(field.value);
  } catch (error) {
    field.select();  // no clipboard access (an old browser, no https): select it for Ctrl+C
    document.execCommand("copy");
  }
  if (status) status.textContent = button.dataset.done;
});
