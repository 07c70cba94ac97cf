// widget.html?QUERY -> index.html?embed&QUERY (the widget, on the page Trunk builds), keeping
// the query and the fragment, and replacing this page in the history.
(function () {
  "use strict";
  var query = window.location.search.replace(/^\?/, "");
  var target = "index.html?embed" + (query ? "&" + query : "") + window.location.hash;
  window.location.replace(new URL(target, window.location.href).toString());
})();
