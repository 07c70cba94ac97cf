// The article's language: ?lang=ko|en, else the browser's. Widgets follow it.
(function () {
  var q = new URLSearchParams(location.search).get("lang");
  var lang = q || ((navigator.language || "en").toLowerCase().indexOf("ko") === 0 ? "ko" : "en");
  if (lang !== "ko") lang = "en";
  document.documentElement.setAttribute("data-lang", lang);
  document.documentElement.lang = lang;
  // "interactive" comes after parsing and before deferred scripts (embed.js) run, so the
  // widgets are made in the article's language (DOMContentLoaded would be too late).
  document.addEventListener("readystatechange", function () {
    if (document.readyState !== "interactive") return;
    document.querySelectorAll("[data-layerbox-lesson]").forEach(function (el) {
      el.setAttribute("data-lang", lang);
    });
    document.querySelectorAll("[data-layerbox-lesson]").forEach(function (el) {
      el.addEventListener("layerbox", function (e) {
        var out = document.getElementById("progress-" + el.id);
        if (!out) return;
        if (e.detail.type === "step-completed") out.textContent = (lang === "ko" ? "완료한 단계: " : "Steps done: ") + e.detail.step;
        if (e.detail.type === "lesson-completed") out.textContent = lang === "ko" ? "레슨 완료!" : "Lesson complete!";
      });
    });
  });
})();
