// Interlock command center: live refresh over server-sent events, and the
// wall screen's rotation between panels. No framework, nothing fetched
// from elsewhere.
(function () {
  "use strict";
  var body = document.body;
  var main = document.getElementById("main");
  if (!main || !body.dataset.live) { return; }
  var wall = body.classList.contains("wall");
  var rotateEvery = 15000; // wall: one panel this long
  var refreshEvery = 60000; // countdowns move even without a change
  var current = 0;
  var pending = null;

  function partialURL() {
    var u = new URL(window.location.href);
    u.searchParams.set("partial", "1");
    u.searchParams.delete("token");
    return u.toString();
  }

  function showPanel() {
    if (!wall) { return; }
    var panels = main.querySelectorAll(".panel");
    if (panels.length === 0) { return; }
    current = current % panels.length;
    panels.forEach(function (p, i) { p.classList.toggle("current", i === current); });
  }

  function refresh() {
    pending = null;
    fetch(partialURL(), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("status " + r.status); } return r.text(); })
      .then(function (html) {
        main.innerHTML = html;
        var t = document.getElementById("updated");
        var stamp = document.getElementById("stamp");
        if (t && stamp) { t.textContent = stamp.textContent; }
        showPanel();
        body.dataset.refreshed = String(Number(body.dataset.refreshed || "0") + 1);
      })
      .catch(function () { /* the next notice or tick tries again */ });
  }

  function soon() {
    if (pending === null) { pending = setTimeout(refresh, 150); }
  }

  var live = document.getElementById("live");
  var source = new EventSource(body.dataset.live);
  source.addEventListener("change", soon);
  source.onopen = function () { if (live) { live.textContent = "live"; live.classList.remove("down"); } };
  source.onerror = function () { if (live) { live.textContent = "reconnecting"; live.classList.add("down"); } };
  setInterval(refresh, refreshEvery);

  if (wall) {
    if (new URL(window.location.href).searchParams.get("rotate") === "0") {
      body.classList.add("static");
    } else {
      showPanel();
      setInterval(function () { current++; showPanel(); }, rotateEvery);
    }
  }
})();
