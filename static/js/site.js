// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Sort: a choice made with a mouse or a finger applies at once; one made
  // with the keyboard (arrow keys change a closed select) waits for the
  // "Sort" button, so moving through the options never reloads the page
  // (WCAG 3.2.2, on input).
  var lastInput = "keyboard";
  document.addEventListener("pointerdown", function (event) {
    if (event.target && event.target.id === "filter-sort") lastInput = "pointer";
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.target && event.target.id === "filter-sort") lastInput = "keyboard";
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.id === "filter-sort" && target.form && lastInput === "pointer") {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  function ready() {
    // Wide screens show the filters beside the results, unfolded.
    var panel = document.getElementById("filters-panel");
    if (panel && window.matchMedia("(min-width: 48rem)").matches) panel.open = true;
    // After filtering or sorting (the forms submit to #results-heading),
    // focus the result count so keyboard and screen reader users start there.
    if (window.location.hash === "#results-heading") {
      var heading = document.getElementById("results-heading");
      if (heading) heading.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
