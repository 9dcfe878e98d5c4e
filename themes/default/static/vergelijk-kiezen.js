// "Vergelijk" checkboxes on practice lists and search results: shows them (they need the
// compare page's script anyway), counts the choice, and opens /vergelijk/?p=a,b with 2 to 4
// practices. The words come from the form's data attributes (i18n).
(function () {
  "use strict";
  var MIN = 2;
  var MAX = 4;
  function fill(text, n) { return text.replace("{n}", n); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-compare-form]"), function (form) {
    var bar = form.querySelector("[data-compare-bar]");
    var hint = form.querySelector("[data-compare-hint]");
    Array.prototype.forEach.call(form.querySelectorAll(".compare-pick[hidden]"), function (p) {
      p.hidden = false;
    });
    function picked() {
      return Array.prototype.filter.call(form.querySelectorAll("input[name=p]"), function (b) {
        return b.checked;
      }).map(function (b) { return b.value; });
    }
    function update() {
      var n = picked().length;
      bar.hidden = n === 0;
      // With four chosen, the others wait until one is unticked.
      Array.prototype.forEach.call(form.querySelectorAll("input[name=p]"), function (b) {
        b.disabled = !b.checked && n >= MAX;
      });
      hint.textContent = n > MAX ? form.dataset.tooMany : fill(form.dataset.hint, n);
    }
    form.addEventListener("change", update);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var slugs = picked();
      if (slugs.length < MIN) { hint.textContent = form.dataset.tooFew; return; }
      if (slugs.length > MAX) { hint.textContent = form.dataset.tooMany; return; }
      location.href = form.action + "?p=" + slugs.map(encodeURIComponent).join(",");
    });
    update();
  });
})();
