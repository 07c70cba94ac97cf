// layerbox embed: put this script on a page and an element
//   <div data-layerbox-lesson="named-volumes" data-lang="ko" data-view="storage-map"></div>
// becomes an iframe running that lesson, sized to its content. Each widget is independent.
// The page hears the widget through `layerbox` DOM events on the element:
//   el.addEventListener("layerbox", (e) => e.detail.type)  // ready, step-completed, lesson-completed
// and commands it with el.layerbox.reset() and el.layerbox.gotoStep(n).
// Elements added later are mounted as they appear; a framework that renders its own elements
// can also call window.layerbox.mount(el). The script works as a classic or a module script.
// No cookies, no network requests beyond the widget's own files, no third-party code.
(function () {
  "use strict";
  // A module script has no document.currentScript: find this script by its name instead.
  var script =
    document.currentScript || document.querySelector('script[src$="embed.js"]');
  var base = new URL(".", script ? script.src : document.baseURI);
  var origin = base.origin === "null" ? "*" : base.origin;
  var frames = [];

  function mount(el) {
    if (el.__layerbox) return;
    // The widget is the playground's page in its embed mode (index.html?embed), so it loads the
    // same hashed bundle; widget.html?... redirects there for embeds written before.
    var params = new URLSearchParams();
    params.set("embed", "");
    params.set("lesson", el.getAttribute("data-layerbox-lesson") || "");
    ["lang", "view"].forEach(function (k) {
      var v = el.getAttribute("data-" + k);
      if (v) params.set(k, v);
    });
    // Only this page may command the widget (a file:// page has no origin to name).
    if (window.location.origin !== "null") params.set("origin", window.location.origin);
    var frame = document.createElement("iframe");
    frame.src = new URL("index.html?" + params.toString(), base).toString();
    frame.title = el.getAttribute("data-title") || "layerbox lesson";
    frame.loading = "lazy";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.minHeight = "24rem";
    frame.setAttribute("data-layerbox-frame", "");
    el.appendChild(frame);
    var api = {
      frame: frame,
      reset: function () {
        frame.contentWindow.postMessage({ type: "reset" }, origin);
      },
      gotoStep: function (n) {
        frame.contentWindow.postMessage({ type: "goto-step", step: n }, origin);
      },
    };
    el.__layerbox = api;
    el.layerbox = api;
    frames.push({ el: el, frame: frame });
  }

  window.addEventListener("message", function (e) {
    var data = e.data;
    if (!data || data.source !== "layerbox") return;
    if (origin !== "*" && e.origin !== origin) return;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.frame.contentWindow !== e.source) continue;
      if (data.type === "resize" && typeof data.height === "number") {
        f.frame.style.height = Math.ceil(data.height) + 2 + "px";
      } else {
        f.el.setAttribute("data-layerbox-last", data.type + (data.step ? ":" + data.step : ""));
        f.el.dispatchEvent(new CustomEvent("layerbox", { detail: data, bubbles: true }));
      }
    }
  });

  function mountAll(root) {
    if (root.matches && root.matches("[data-layerbox-lesson]")) mount(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-layerbox-lesson]").forEach(mount);
  }
  function start() {
    mountAll(document);
    // Widgets whose elements a page adds later (a single-page app, content loaded on demand).
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) mountAll(node);
        });
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
  window.layerbox = window.layerbox || {};
  window.layerbox.mount = function (el) {
    if (el && el.getAttribute && el.getAttribute("data-layerbox-lesson") !== null) mount(el);
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
