/* PMF Workbook dashboard: filter, search and sort the indicator table.
   Plain JavaScript, no dependencies, progressive enhancement: without it the
   form stays hidden and every row of the table is shown. */
(function () {
  "use strict";
  var form = document.getElementById("indicator-filters");
  var table = document.getElementById("indicator-table");
  if (!form || !table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var status = document.getElementById("filter-count");
  form.hidden = false;

  function apply() {
    var wanted = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (el) {
      if (el.value) { wanted[el.name] = el.value; }
    });
    var words = form.querySelector("input[type=search]").value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = Object.keys(wanted).every(function (key) { return row.getAttribute("data-" + key) === wanted[key]; });
      if (ok && words) { ok = row.getAttribute("data-name").indexOf(words) !== -1; }
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = "Showing " + shown + " of " + rows.length + " indicators.";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-sort") === "number";
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute("data-value") || a.cells[index].textContent.trim();
        var y = b.cells[index].getAttribute("data-value") || b.cells[index].textContent.trim();
        var result;
        if (numeric) {
          var nx = x === "" ? Infinity : parseFloat(x), ny = y === "" ? Infinity : parseFloat(y);
          result = nx === ny ? 0 : (nx < ny ? -1 : 1);
        } else {
          result = x.localeCompare(y, "en-GB", {numeric: true});
        }
        return ascending ? result : -result;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      status.textContent = "Sorted by " + button.textContent.trim() + (ascending ? ", ascending." : ", descending.");
    });
  });
  apply();
})();
