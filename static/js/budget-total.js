// Keeps the ballot's running total live as projects are ticked or points typed. Without
// JavaScript the 「合計を確認する」 button asks the server for the same total.
document.addEventListener("DOMContentLoaded", () => {
  const output = document.getElementById("budget-total");
  if (!output) return;
  const inputs = document.querySelectorAll(".budget-ballot input[data-cost]");
  const template = output.textContent;
  const update = () => {
    let total = 0;
    for (const input of inputs) {
      const chosen = input.type === "checkbox" ? input.checked : Number(input.value) > 0;
      if (chosen) total += Number(input.dataset.cost);
    }
    // Replace only the first number (the total): the budget after it stays as rendered.
    output.textContent = template.replace(/[\d,]+/, total.toLocaleString("en-US"));
  };
  for (const input of inputs) input.addEventListener("input", update);
});
