/* Fonds — search page, progressive enhancement only: without this script every control is a
   plain link or a GET form and the page works the same. With it, ticking a facet, changing the
   sort, removing a chip or changing page updates the results in place (the URL changes too, so
   the back button and shared links keep working), and screen readers hear the new count. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.getElementById("recherche");
  var zone = document.querySelector("[data-search-zone]");
  if (!form || !zone || !window.fetch || !window.history || !window.DOMParser) {
    return;
  }
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 48em)") : null;
  var controller = null;

  function panel() {
    return document.querySelector("[data-facets-panel]");
  }

  // Phones: the filters start folded under their toggle; wide screens always show them.
  function fitPanel(first) {
    var details = panel();
    if (!details || !narrow) { return; }
    if (!narrow.matches) {
      details.open = true;
    } else if (first) {
      details.open = false;
    }
  }

  function urlFromForm() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    data.forEach(function (value, key) {
      if (!String(value).trim()) { return; } // an empty query or the default sort
      params.append(key, value);
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function announce(text) {
    var live = document.getElementById("annonce");
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
  }

  function load(url, options) {
    options = options || {};
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var results = document.getElementById("resultats");
    if (results) { results.setAttribute("aria-busy", "true"); }
    var keepOpen = panel() ? panel().open : true;
    return fetch(url, {
      headers: { "Accept": "text/html" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("[data-search-zone]");
      if (!fresh) { throw new Error("no search zone"); }
      zone.innerHTML = fresh.innerHTML;
      document.title = doc.title;
      var freshQuery = doc.getElementById("q");
      var query = document.getElementById("q");
      if (freshQuery && query && document.activeElement !== query) { query.value = freshQuery.value; }
      var details = panel();
      if (details) { details.open = keepOpen; }
      if (options.push) { history.pushState({ fonds: true }, "", url); }
      var count = document.getElementById("titre-resultats");
      if (count) { announce(count.textContent.replace(/\s+/g, " ").trim()); }
      restoreFocus(options.focus);
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      window.location.href = url; // fall back to a normal page load
    });
  }

  function restoreFocus(target) {
    var element = null;
    if (target && target.id) { element = document.getElementById(target.id); }
    if (!element && target && target.selector) { element = document.querySelector(target.selector); }
    if (!element) { element = document.getElementById("resultats"); }
    if (element) { element.focus({ preventScroll: !!(target && target.id) }); }
    if (!target || !target.id) {
      var results = document.getElementById("resultats");
      if (results && results.scrollIntoView) { results.scrollIntoView({ block: "start" }); }
    }
  }

  // Ticking a facet or choosing a sort applies it at once.
  document.addEventListener("change", function (event) {
    var control = event.target;
    if (!control.matches || !control.matches("[data-autosubmit]")) { return; }
    load(urlFromForm(), { push: true, focus: { id: control.id } });
  });

  // Chips, pages, suggestions and "loosen" links load in place.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) { return; }
    var link = event.target.closest ? event.target.closest("a[data-search-link]") : null;
    if (!link || !zone.contains(link)) { return; }
    event.preventDefault();
    load(link.href, { push: true, focus: { selector: "#resultats" } });
  });

  window.addEventListener("popstate", function () {
    load(window.location.href, { push: false, focus: { selector: "#resultats" } });
  });

  fitPanel(true);
  if (narrow) {
    var onChange = function () { fitPanel(false); };
    if (narrow.addEventListener) { narrow.addEventListener("change", onChange); }
    else if (narrow.addListener) { narrow.addListener(onChange); }
  }
})();
