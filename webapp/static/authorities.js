// Fonds — completion of names from the authority file, as the documentalist types.
// Each input marked data-autorite="auteur|publisher|collection|person|organisation" gets a
// <datalist> filled from the workspace's JSON (same origin, no CDN). Without this script the
// inputs are plain text fields: a new name still creates its authority when the record is saved.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-suggestions");
  if (!endpoint || !window.fetch) { return; }

  function kindOf(input) {
    var kind = input.getAttribute("data-autorite");
    if (kind !== "auteur") { return kind; }
    // an author row says whether the name is a person's or an organisation's
    var row = input.closest("tr");
    var select = row && row.querySelector("select[name='author_kind']");
    return select ? select.value : kind;
  }

  document.querySelectorAll("input[data-autorite]").forEach(function (input, i) {
    var list = document.createElement("datalist");
    list.id = "autorites-" + (input.id || i);
    input.after(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var typed = input.value.trim();
        if (typed.length < 2 || typed === asked) { return; }
        asked = typed;
        var url = endpoint + "?type=" + encodeURIComponent(kindOf(input)) +
          "&q=" + encodeURIComponent(typed);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.suggestions.forEach(function (authority) {
              var option = document.createElement("option");
              option.value = authority.name;
              if (authority.variants.length) {
                option.label = authority.name + " (aussi : " + authority.variants.join(", ") + ")";
              }
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline or logged out: the field stays a plain input */ });
      }, 150);
    });
  });
})();
