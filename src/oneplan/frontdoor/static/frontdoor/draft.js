// The request form's draft stays on this device (localStorage) until it is sent; nothing is
// sent to the server before the person presses Send. The receipt page clears the draft.
(function () {
  "use strict";
  var KEY = "oneplan-help-draft";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }
  if (document.querySelector("[data-clear-draft]")) { store.removeItem(KEY); return; }
  var form = document.getElementById("help-form");
  if (!form) { return; }
  var skip = { csrfmiddlewaretoken: true, website: true };

  function save() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name]) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (data[el.name] = data[el.name] || []).push(el.value); }
      } else { data[el.name] = el.value; }
    });
    store.setItem(KEY, JSON.stringify(data));
  }

  function restore() {
    var raw = store.getItem(KEY);
    if (!raw) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return false; }
    var filled = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name] || !(el.name in data)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else if (!el.value) { el.value = data[el.name]; filled = filled || !!el.value; }
      if (el.checked) { filled = true; }
    });
    return filled;
  }

  // Who asks: the questions about another family are for someone else only.
  function others() {
    var asker = form.querySelector("input[name=asker]:checked");
    var family = !asker || asker.value === "family";
    ["family_name", "family_knows"].forEach(function (name) {
      var el = form.querySelector("[name=" + name + "]");
      var box = el && el.closest(".field");
      if (box) { box.hidden = asker ? family : false; }
    });
    var danger = form.querySelector("input[name=unsafe_now]:checked");
    var banner = document.getElementById("emergency");
    if (banner) { banner.classList.toggle("alert", !!danger && danger.value === "yes"); }
  }

  var fresh = !form.querySelector(".field-error, .error-summary");
  if (fresh && restore()) {
    var note = document.getElementById("draft-note");
    if (note) { note.hidden = false; }
  }
  var clear = document.getElementById("draft-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      store.removeItem(KEY);
      form.reset();
      document.getElementById("draft-note").hidden = true;
      others();
    });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", function () { save(); others(); });
  others();
})();
