// Keeps the trainer's roster readable without network: pages under /trainer/sessions/ are fetched from the network
// when it answers and from the cache when it does not; the page's scripts and styles likewise.
'use strict';
var CACHE = 'sesame-roster-v1';

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var page = request.mode === 'navigate' && url.pathname.indexOf('/trainer/sessions/') === 0;
  var asset = url.pathname.indexOf('/static/') === 0;
  if (!page && !asset) return;
  var key = page ? url.pathname : request;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key, {ignoreSearch: page}).then(function (cached) { return cached || Response.error(); });
  }));
});
