// The basket, kept in the `fonds_panier` cookie ("12.5.7"): the add/remove forms work without
// this script (the server updates the cookie and comes back); with it, no page load is needed.
(function () {
  "use strict";
  var NAME = "fonds_panier";
  var MAX = 500;

  function read() {
    var match = document.cookie.match(/(?:^|;\s*)fonds_panier=([0-9.]*)/);
    if (!match || !match[1]) { return []; }
    return match[1].split(".").filter(function (v) { return /^\d{1,9}$/.test(v); });
  }

  function write(ids) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    if (ids.length) {
      document.cookie = NAME + "=" + ids.slice(0, MAX).join(".") + "; Path=/; Max-Age=" + 180 * 86400 + "; SameSite=Lax" + secure;
    } else {
      document.cookie = NAME + "=; Path=/; Max-Age=0; SameSite=Lax" + secure;
    }
  }

  function showCount(ids) {
    var links = document.querySelectorAll('a[href="/panier"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].closest(".nav")) {
        links[i].textContent = ids.length ? "Panier (" + ids.length + ")" : "Panier";
      }
    }
  }

  function render(form, chosen) {
    var input = form.querySelector('input[name="ajouter"], input[name="retirer"]');
    var button = form.querySelector("button");
    input.name = chosen ? "retirer" : "ajouter";
    button.textContent = chosen ? "Retirer du panier" : "Ajouter au panier";
    button.setAttribute("aria-pressed", chosen ? "true" : "false");
  }

  function announce(message) {
    var region = document.getElementById("basket-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "basket-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = message;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("basket-form")) { return; }
    if (location.pathname === "/panier") { return; }  // the basket page reloads to show the list
    event.preventDefault();
    var id = form.getAttribute("data-record");
    var ids = read();
    var at = ids.indexOf(id);
    if (at >= 0) {
      ids.splice(at, 1);
      announce("Notice retirée du panier (" + ids.length + ").");
    } else if (ids.length < MAX) {
      ids.push(id);
      announce("Notice ajoutée au panier (" + ids.length + ").");
    }
    write(ids);
    render(form, ids.indexOf(id) >= 0);
    showCount(ids);
  });

  document.addEventListener("DOMContentLoaded", function () { showCount(read()); });
})();
