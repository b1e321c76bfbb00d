// Live events in the browser, on any static host: no framework, no third-party request.
// Every page works without it; with it,
//   - statuses (upcoming, live, ended) follow the reader's clock, with a countdown before the
//     start, and the home page's "live now" banners show while their event is live;
//   - an event page polls its updates.json (every data-live-interval ms while visible, four
//     times slower while hidden, backing off after errors, with a time bucket in the address
//     so that hosts caching for minutes still serve fresh copies), inserts new updates at the
//     top — or offers them behind a "N new updates" button when the reader has scrolled into
//     the updates, so nothing moves under their eyes — and stops an hour after the event's
//     end (the grace the build gives late updates);
//   - a video is loaded from its platform only when the reader asks.
// The markup it inserts is the build's own (updates.json carries it), so script and page
// never disagree. Tests (and curious authors) can add to the page's address:
//   ?live-interval=MS   poll every MS milliseconds
//   ?live-clock=ISO     run the clock from that instant (e.g. 2026-05-19T07:59:50Z)
(() => {
  "use strict";
  const script = document.currentScript;
  const labels = JSON.parse(script.dataset.labels || "{}");
  const lang = script.dataset.lang || document.documentElement.lang || "en";
  const params = new URLSearchParams(location.search);
  const clock = Date.parse(params.get("live-clock") || "");
  const offset = Number.isNaN(clock) ? 0 : clock - Date.now();
  const LEAD = 60 * 60 * 1000; // updates may come an hour before the start: poll from then
  const MAX_DELAY = 5 * 60 * 1000;

  const now = () => Date.now() + offset;

  function statusOf(element) {
    const time = now();
    if (time < Date.parse(element.dataset.liveStart)) return "upcoming";
    return time < Date.parse(element.dataset.liveEnd) ? "live" : "ended";
  }

  function label(key, values) {
    return (labels[key] || key).replace(/\{(\w+)\}/g, (_, name) => values[name]);
  }

  function plural(key, n) {
    const form = new Intl.PluralRules(lang).select(n);
    return label(labels[`${key}_${form}`] ? `${key}_${form}` : `${key}_other`, { n });
  }

  function relative(ms) {
    const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const units = [["day", 864e5], ["hour", 36e5], ["minute", 6e4], ["second", 1e3]];
    for (const [unit, size] of units) {
      if (ms >= size || unit === "second") return format.format(Math.ceil(ms / size), unit);
    }
    return "";
  }

  function showStatus(element) {
    const status = statusOf(element);
    const line = element.querySelector("[data-live-status]");
    if (!line) return status;
    if (line.dataset.liveStatus !== status) {
      line.dataset.liveStatus = status;
      line.querySelector("[data-live-badge]").textContent = labels[status] || status;
    }
    const countdown = line.querySelector("[data-live-countdown]");
    const left = Date.parse(element.dataset.liveStart) - now();
    countdown.textContent = status === "upcoming" ? label("starts", { when: relative(left) }) : "";
    return status;
  }

  function tick() {
    for (const banner of document.querySelectorAll("[data-live-banner]")) {
      banner.hidden = statusOf(banner) !== "live";
    }
    for (const element of document.querySelectorAll("[data-live], [data-live-item]")) {
      showStatus(element);
    }
  }

  tick();
  setInterval(tick, 1000);
  for (const figure of document.querySelectorAll("[data-live-video]")) clickToLoad(figure);
  const page = document.querySelector("[data-live]");
  if (page) follow(page);

  function clickToLoad(figure) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "live-video-load";
    button.textContent = labels.load_video || "▶";
    figure.prepend(button);
    button.addEventListener("click", () => {
      const kind = figure.dataset.liveVideoKind;
      const player = document.createElement(kind === "video" ? "video" : "iframe");
      player.src = figure.dataset.liveVideo;
      player.className = "live-video-player";
      if (kind === "video") {
        player.controls = true;
        player.autoplay = true;
      } else {
        player.title = figure.querySelector("a").textContent;
        player.allow = "autoplay; fullscreen; picture-in-picture";
        player.allowFullscreen = true;
      }
      button.replaceWith(player);
    }, { once: true });
  }

  function follow(root) {
    const base = Math.max(100, Number(params.get("live-interval")) ||
      Number(root.dataset.liveInterval) || 15000);
    const feed = root.querySelector("[data-live-feed]");
    const button = root.querySelector("[data-live-new]");
    const announce = root.querySelector("[data-live-announce]");
    const moments = root.querySelector("[data-live-moments]");
    const pending = new Map(); // updates waiting for the reader to come back to the top
    let failures = 0;
    let timer = 0;

    function delay() {
      const normal = document.hidden ? base * 4 : base;
      return failures ? Math.min(Math.max(base, MAX_DELAY), normal * 2 ** failures) : normal;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(poll, delay());
    }

    async function poll() {
      timer = 0;
      // Updates may be stamped up to an hour around the event: poll only then.
      if (now() > Date.parse(root.dataset.liveEnd) + LEAD) return; // over: stop for good
      if (Date.parse(root.dataset.liveStart) - now() > LEAD) return schedule();
      const url = new URL(root.dataset.live, location.href);
      url.searchParams.set("b", String(Math.floor(Date.now() / base)));
      try {
        const response = await fetch(url, { cache: "no-cache" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        apply(await response.json());
        failures = 0;
      } catch (error) {
        failures += 1;
      }
      showStatus(root);
      schedule();
    }

    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && timer) {
        clearTimeout(timer);
        poll();
      }
    });
    button.addEventListener("click", () => {
      const first = insertPending();
      if (first) {
        first.tabIndex = -1;
        first.focus({ preventScroll: true });
        first.scrollIntoView({ block: "start" });
      }
    });
    schedule();

    function apply(data) {
      if (data.start) root.dataset.liveStart = data.start;
      if (data.end) root.dataset.liveEnd = data.end;
      let fresh = 0;
      for (const update of data.updates || []) {
        const shown = document.getElementById(update.id);
        if (shown && shown.dataset.liveUpdate === update.id) {
          if (shown.dataset.liveRevision !== update.revision) shown.replaceWith(build(update));
        } else if (!pending.has(update.id)) {
          pending.set(update.id, update);
          fresh += 1;
        }
      }
      if (!fresh) return;
      if (feed.getBoundingClientRect().top >= 0) {
        const count = pending.size;
        insertPending();
        announce.textContent = plural("new", count);
      } else {
        button.textContent = plural("new", pending.size);
        button.hidden = false;
        announce.textContent = button.textContent;
      }
    }

    function insertPending() {
      const updates = [...pending.values()].sort(
        (a, b) => Date.parse(a.published) - Date.parse(b.published));
      pending.clear();
      button.hidden = true;
      let newest = null;
      for (const update of updates) newest = insert(update);
      return newest;
    }

    function build(update) {
      const template = document.createElement("template");
      template.innerHTML = update.article.trim();
      return template.content.firstElementChild;
    }

    function insert(update) {
      const article = build(update);
      article.classList.add("is-new");
      const day = daySection(update.day, update.day_label);
      const time = Date.parse(update.published);
      const older = [...day.querySelectorAll("[data-live-update]")]
        .find((other) => Date.parse(other.dataset.liveTime) < time);
      if (older) older.before(article);
      else day.append(article);
      if (update.moment) addMoment(update, time);
      const empty = feed.querySelector("[data-live-empty]");
      if (empty) empty.hidden = true;
      return article;
    }

    function daySection(key, heading) {
      const days = [...feed.querySelectorAll("[data-live-day]")];
      const found = days.find((section) => section.dataset.liveDay === key);
      if (found) return found;
      const section = document.createElement("section");
      section.className = "live-day";
      section.dataset.liveDay = key;
      section.setAttribute("aria-labelledby", `day-${key}`);
      const title = document.createElement("h3");
      title.className = "live-day-heading";
      title.id = `day-${key}`;
      title.textContent = heading;
      section.append(title);
      const earlier = days.find((other) => other.dataset.liveDay < key);
      if (earlier) earlier.before(section);
      else feed.querySelector("[data-live-empty]").before(section);
      return section;
    }

    function addMoment(update, time) {
      const list = moments.querySelector("ol");
      const template = document.createElement("template");
      template.innerHTML = update.moment.trim();
      const item = template.content.firstElementChild;
      const later = [...list.querySelectorAll("time")]
        .find((other) => Date.parse(other.dateTime) > time);
      if (later) later.closest("li").before(item);
      else list.append(item);
      moments.hidden = false;
    }
  }
})();
