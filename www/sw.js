/* Keyplay's service worker: keeps this origin's own files so that a page opened once works
 * with the network off. It never fetches from, or answers for, any other origin.
 *
 * - install: caches the page and every same-origin file its HTML names (Trunk's hashed wasm,
 *   JS and CSS, embed.js, the manifest), read from the page itself, so no list is kept here;
 * - navigations: the network first (a new version shows when online), the cache when offline;
 * - other same-origin GETs: the cache first (file names carry a content hash), else the
 *   network, whose answer is kept;
 * - activate: drops caches of earlier versions of this worker. */
"use strict";
var CACHE = "keyplay-v1";
var scope = self.registration.scope;

function sameOrigin(url) {
  return new URL(url, scope).origin === self.location.origin;
}

function filesNamedIn(html) {
  var found = ["./", "index.html"];
  var re = /(?:href|src)="([^"#?]+)[^"]*"/g;
  var m;
  while ((m = re.exec(html)) !== null) {
    if (sameOrigin(m[1]) && !/^(data|blob):/.test(m[1])) found.push(m[1]);
  }
  return found;
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    fetch(scope, { cache: "no-cache" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        return caches.open(CACHE).then(function (cache) { return cache.addAll(filesNamedIn(html)); });
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url)) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then(function (response) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
          return response;
        })
        .catch(function () {
          return caches.match(request, { ignoreSearch: true }).then(function (hit) {
            return hit || caches.match("./") || caches.match("index.html");
          });
        })
    );
    return;
  }
  event.respondWith(
    caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    })
  );
});
