// Progressive enhancement: where the browser has service workers, register ours (/sw.js), whose one
// job is to show a plain offline page when a page cannot be fetched. Without JavaScript, or without
// service workers (an old browser, or a page not served over HTTPS), the site works just the same.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) {
    return;
  }
  var url = script.getAttribute("data-service-worker");
  var scope = script.getAttribute("data-scope") || "/";
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: scope }).catch(function () {
      // Refused (private browsing, storage full, a policy): nothing is lost but the offline page.
    });
  });
})();
