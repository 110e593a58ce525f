// Orchestrator's service worker (rendered by orchestrator.portal.pwa; see docs/architecture.md).
//
// One job: when a page cannot be fetched because the network is down, show the offline page instead
// of the browser's error. Everything else goes to the network exactly as it would without it.
//
// Privacy: the only things it stores are listed in PRECACHE, fetched without cookies, so they are the
// same for everyone. It never stores a page or a response that someone fetched: what a signed-in
// person saw is never kept on the device for whoever uses it next.
"use strict";

const CACHE = "{{ cache_name }}";
const OFFLINE_URL = {{ offline_url|safe }};
const PRECACHE = {{ precache|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit", cache: "reload" }))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("orchestrator-") && name !== CACHE) {
          await caches.delete(name);
        }
      }
      // Start fetching a page while the worker wakes up, where the browser can.
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return; // forms and the like: straight to the network, untouched
  }
  if (request.mode === "navigate") {
    event.respondWith(
      (async () => {
        try {
          return (await event.preloadResponse) || (await fetch(request));
        } catch (error) {
          // No network (an HTTP error is still a response, and is shown as it is).
          return caches.match(OFFLINE_URL, { ignoreVary: true });
        }
      })(),
    );
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && PRECACHE.includes(url.pathname)) {
    // The offline page's own stylesheet, script and icon: from the network while there is one.
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname, { ignoreVary: true })));
  }
});
