// The directory's admin enhancements (loaded by templates/admin/base_site.html).
// The CSP allows no inline script, so what Django's and django-import-export's
// templates do inline or leave out is done here.
(function () {
  "use strict";

  // Select2, which draws the admin's autocomplete pickers, names its
  // combobox after the chosen value only (nothing when empty) and leaves
  // its search box without a label. Name both after the <label> of the
  // <select> it stands for; its "clear" cross is a mouse shortcut for what
  // Backspace does, so it is hidden from assistive technology.
  function labelFor(select) {
    if (!select.id) {
      return null;
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) {
      label.id = select.id + "-label";
    }
    return label;
  }

  function nameSelect2(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") {
      return;
    }
    var label = labelFor(select);
    var combobox = container.querySelector('.select2-selection[role="combobox"]');
    var rendered = container.querySelector(".select2-selection__rendered");
    if (label && combobox) {
      var ids = [label.id];
      if (rendered && rendered.id && rendered.tagName === "SPAN") {
        ids.push(rendered.id);
      }
      combobox.setAttribute("aria-labelledby", ids.join(" "));
    }
    if (rendered && rendered.getAttribute("role") === "textbox") {
      // The value is read as part of the combobox's name instead.
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      if (label) {
        field.setAttribute("aria-labelledby", label.id);
      }
    });
    container.querySelectorAll(".select2-selection__clear").forEach(function (cross) {
      cross.setAttribute("aria-hidden", "true");
    });
  }

  function nameAllSelect2() {
    document.querySelectorAll(".select2-container").forEach(nameSelect2);
    // The dropdown's own search box (single pickers), while it is open.
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (field) {
      if (!field.hasAttribute("aria-label")) {
        var selection = document.querySelector('.select2-selection[aria-expanded="true"]');
        var name = selection && selection.getAttribute("aria-labelledby");
        var label = name && document.getElementById(name.split(" ")[0]);
        if (label) {
          field.setAttribute("aria-label", label.textContent.trim());
        }
      }
    });
  }

  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameAllSelect2();
      });
    }
  }

  // django-import-export's export page: "Select all" ticks or clears every
  // field (its template's inline onchange handler is blocked by the CSP).
  function selectAllFields() {
    document.querySelectorAll(".select-all-toggle").forEach(function (wrapper) {
      var toggle = wrapper.querySelector("input[type=checkbox]");
      wrapper.hidden = false;
      toggle.addEventListener("change", function () {
        document
          .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
          .forEach(function (box) {
            box.checked = toggle.checked;
          });
      });
    });
  }

  function start() {
    nameAllSelect2();
    // Select2 redraws its markup on every choice and when rows are added.
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
    selectAllFields();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
