// Fonds — the workspace's small enhancements. Everything works without them.
(function () {
  "use strict";

  // Forms that ask before acting (put in the trash...).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Authors: buttons to move a row up or down; the order numbers follow.
  document.querySelectorAll(".author-table tbody").forEach(function (body) {
    function renumber() {
      body.querySelectorAll(".author-row").forEach(function (row, i) {
        var order = row.querySelector(".order-input");
        if (order) { order.value = String(i + 1); }
      });
    }
    body.querySelectorAll(".author-row").forEach(function (row, i) {
      var cell = document.createElement("td");
      cell.className = "author-moves";
      [["↑", "Monter", -1], ["↓", "Descendre", 1]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button-secondary";
        button.textContent = spec[0];
        button.setAttribute("aria-label", spec[1] + " l'auteur " + (i + 1));
        button.addEventListener("click", function () {
          var target = spec[2] < 0 ? row.previousElementSibling : row.nextElementSibling;
          if (!target) { return; }
          if (spec[2] < 0) { body.insertBefore(row, target); } else { body.insertBefore(target, row); }
          renumber();
          button.focus();
        });
        cell.appendChild(button);
      });
      row.appendChild(cell);
    });
    var head = body.parentElement.querySelector("thead tr");
    if (head) { var th = document.createElement("th"); th.scope = "col"; th.textContent = "Déplacer"; head.appendChild(th); }
  });

  // Duplicate warning while typing the title (the server checks again before saving).
  document.querySelectorAll("form[data-duplicates-url]").forEach(function (form) {
    var title = form.querySelector("[name=title]");
    var year = form.querySelector("[name=year]");
    var isbn = form.querySelector("[name=isbn]");
    var box = form.querySelector(".live-duplicates");
    if (!title || !box || !window.fetch) { return; }
    var timer = null;
    function check() {
      var params = new URLSearchParams({ titre: title.value, annee: year ? year.value : "", isbn: isbn ? isbn.value : "" });
      var record = form.getAttribute("data-record-id");
      if (record) { params.set("sauf", record); }
      fetch(form.getAttribute("data-duplicates-url") + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          box.textContent = "";
          if (!items.length) { box.hidden = true; return; }
          var p = document.createElement("p");
          p.className = "notice";
          p.appendChild(document.createTextNode("Doublon possible : "));
          items.forEach(function (item, i) {
            var a = document.createElement("a");
            a.href = item.url;
            a.textContent = "n° " + item.id + " — " + item.title + " (" + (item.year || "s. d.") + ", " + item.reason + ")";
            if (i) { p.appendChild(document.createTextNode(" ; ")); }
            p.appendChild(a);
          });
          box.appendChild(p);
          box.hidden = false;
        })
        .catch(function () { box.hidden = true; });
    }
    [title, year, isbn].forEach(function (input) {
      if (input) { input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 400); }); }
    });
  });

  // Reminder letters: a button copies the text.
  document.querySelectorAll(".copy-button").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(text.textContent).then(function () { button.textContent = "Copiée"; });
    });
  });

  // Uploads: say at once when a file is too big (the server checks anyway).
  document.querySelectorAll("input[type=file][data-max-size]").forEach(function (input) {
    input.addEventListener("change", function () {
      var max = Number(input.getAttribute("data-max-size"));
      var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
      input.setCustomValidity(big.length ? "Fichier trop volumineux : " + big.map(function (f) { return f.name; }).join(", ") : "");
    });
  });
})();

// Inventory scanning: each Enter sends the barcode in the background, says at once what it
// is, empties the field and keeps the focus, so a hand scanner can go on; without this
// script the form posts and the page comes back with the field focused.
(function () {
  "use strict";
  document.querySelectorAll("form[data-scan]").forEach(function (form) {
    var field = form.querySelector("input[name=code]");
    var said = form.parentNode.querySelector("[data-scan-said]");
    if (!field || !said || !window.fetch) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      field.value = "";
      field.focus();
      fetch(form.action, {method: "POST", body: data, headers: {"Accept": "application/json"},
                          credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          said.textContent = answer.message;
          said.className = "scan-said flash flash-" + answer.level;
        })
        .catch(function () {
          said.textContent = "Lecture non enregistrée (" + data.get("code") + ") : réseau indisponible, scannez-la de nouveau.";
          said.className = "scan-said flash flash-error";
        });
    });
  });
})();
