// Adds a "copy" button next to the share link. Without JavaScript the link stays
// in a read-only field that people can select and copy themselves.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy-target]")) {
    const field = document.getElementById(button.dataset.copyTarget);
    const done = document.querySelector("[data-copy-done]");
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (done) done.hidden = false;
      } catch {
        field.select();
      }
    });
  }
});
