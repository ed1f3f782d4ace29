// Progressive enhancement only: every page works without this file.
// Changing the sort order applies it at once instead of waiting for the button.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.id === "filter-sort" && target.form) {
    target.form.submit();
  }
});
