// The live-reload client of `sitegen serve`. The server adds it to HTML responses only: it is
// never written into the build output. It listens to the server's events (Server-Sent Events,
// which the browser reconnects by itself after the server restarts) and
//   - reloads the page when its file changed, keeping the scroll position;
//   - swaps stylesheets in place when only CSS changed;
//   - shows the build's errors over the page while the last rebuild fails.
(() => {
  "use strict";
  const script = document.currentScript;
  const prefix = script.dataset.prefix || "/";
  let build = script.dataset.build;
  const scrollKey = "sitegen-scroll:" + location.pathname;

  restoreScroll();
  const events = new EventSource("/__sitegen/events");
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.errors) {
      showErrors(state.errors);
    } else if (state.build !== build) {
      reload(); // changed while this page was loading or the server was away
    } else {
      hideErrors();
    }
  });
  events.addEventListener("rebuilt", (event) => {
    const change = JSON.parse(event.data);
    hideErrors();
    const previous = build;
    build = change.build;
    if (previous === change.build) return;
    const changed = change.changed; // null: unknown, assume everything
    if (changed === null || changed.some((path) => !/\.(html|css)$/.test(path))) {
      reload();
    } else if (changed.includes(pageFile())) {
      reload();
    } else if (changed.some((path) => path.endsWith(".css"))) {
      swapStylesheets(changed);
    }
  });
  events.addEventListener("failed", (event) => {
    showErrors(JSON.parse(event.data).errors);
  });

  function pageFile() {
    let path = decodeURIComponent(location.pathname);
    path = path.startsWith(prefix) ? path.slice(prefix.length) : path.replace(/^\//, "");
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
    } catch (error) { /* storage disabled: reload at the top */ }
    location.reload();
  }

  function restoreScroll() {
    let saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (error) { return; }
    if (saved === null) return;
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    if (document.readyState === "complete") restore();
    else addEventListener("load", restore, { once: true });
  }

  function swapStylesheets(changed) {
    const stamp = Date.now();
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      const file = decodeURIComponent(url.pathname).slice(prefix.length);
      if (!changed.includes(file)) continue;
      url.searchParams.set("sitegen-reload", stamp);
      // The new sheet loads before the old one goes: no flash of unstyled page.
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      link.after(fresh);
    }
  }

  function showErrors(errors) {
    let overlay = document.getElementById("sitegen-errors");
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sitegen-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#3b0d0c;color:#fff;" +
        "font:14px/1.5 ui-monospace,monospace;border-top:4px solid #e5484d;";
      const title = document.createElement("strong");
      title.textContent = "sitegen: the build failed; this page shows the last good build.";
      const list = document.createElement("pre");
      list.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap;font:inherit;";
      overlay.append(title, list);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = errors.join("\n");
  }

  function hideErrors() {
    const overlay = document.getElementById("sitegen-errors");
    if (overlay) overlay.remove();
  }
})();
