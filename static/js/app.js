/* Small behaviours shared by every page (no inline scripts: the CSP allows none). */
(function () {
  "use strict";

  // <select data-autosubmit> submits its form when changed (filters, language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.submit();
  });

  // <input data-tree-filter="#tree"> hides tree nodes whose name and code do not match,
  // keeping the ancestors of a match visible and open.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-tree-filter]")) return;
    var tree = document.querySelector(input.dataset.treeFilter);
    if (!tree) return;
    var needle = input.value.trim().toLowerCase();
    var nodes = tree.querySelectorAll(".tree-node");
    nodes.forEach(function (node) { node.hidden = false; });
    if (!needle) return;
    nodes.forEach(function (node) {
      var own = (node.dataset.search || "").toLowerCase().indexOf(needle) !== -1;
      var inside = Array.prototype.some.call(node.querySelectorAll(".tree-node"), function (child) {
        return (child.dataset.search || "").toLowerCase().indexOf(needle) !== -1;
      });
      node.hidden = !(own || inside);
      var details = node.querySelector(":scope > details");
      if (details && inside) details.open = true;
    });
  });
})();
