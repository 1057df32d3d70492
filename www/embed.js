/* Keyplay embed loader: turns each
 *   <script type="application/keyplay+json">{ …a Keyplay document… }</script>
 * in a documentation page into an <iframe> showing the document's report (Keyplay in embed
 * page, embed.html), and resizes each iframe to the height the app reports. Plain JavaScript, no
 * dependencies, nothing fetched: the document travels in the iframe URL's fragment.
 *
 *   <script src="https://…/keyplay/embed.js" defer></script>
 *
 * The app is looked for next to this script; data-keyplay-app="URL" on the loader's
 * <script> (or on a document's block) names another. See docs/embed.md. */
(function () {
  "use strict";
  var loader = document.currentScript;
  var defaultApp = (loader && loader.getAttribute("data-keyplay-app")) ||
    (loader && loader.src ? loader.src.replace(/[^\/]*([?#].*)?$/, "") : "./");
  var frames = [];

  function appUrl(block) {
    var app = block.getAttribute("data-keyplay-app") || defaultApp;
    return new URL(app, document.baseURI);
  }

  function convert(block) {
    if (block.getAttribute("data-keyplay-done")) return;
    block.setAttribute("data-keyplay-done", "1");
    var text = block.textContent.trim();
    // The embed page beside the app: its own build, a document's report and nothing else.
    var url = new URL("embed.html", appUrl(block));
    url.hash = "raw=" + encodeURIComponent(text);
    var title = "a Keyplay document";
    try {
      var doc = JSON.parse(text);
      if (doc && typeof doc.title === "string") title = doc.title;
    } catch (e) { /* the app reports what is wrong with the document */ }
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = "Keyplay: " + title;
    frame.className = "keyplay-embed";
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.style.width = "100%";
    frame.style.height = (block.getAttribute("data-height") || "420") + "px";
    frame.style.border = "1px solid #d6d6d3";
    frame.style.borderRadius = "8px";
    block.parentNode.insertBefore(frame, block.nextSibling);
    frames.push({ frame: frame, origin: url.origin });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.keyplay !== "height" || typeof data.height !== "number") return;
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.frame.contentWindow === event.source && f.origin === event.origin) {
        f.frame.style.height = Math.max(120, Math.min(Math.ceil(data.height), 20000)) + "px";
      }
    }
  });

  function run() {
    var blocks = document.querySelectorAll('script[type="application/keyplay+json"]');
    for (var i = 0; i < blocks.length; i++) convert(blocks[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
