// codenav: small enhancements over pages that work without JavaScript.
(function () {
  "use strict";

  // Choosing from a select submits its form (the Apply/Show buttons do it without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  // Defined terms: show the definition beside the term, from the page's glossary.
  var glossary = {};
  document.querySelectorAll("#glossary dt[data-anchor]").forEach(function (dt) {
    var dd = dt.nextElementSibling;
    glossary[dt.getAttribute("data-anchor")] = { term: dt.textContent, meaning: dd ? dd.textContent : "" };
  });
  var pop = document.createElement("div");
  pop.className = "popup";
  pop.setAttribute("role", "tooltip");
  pop.id = "term-popup";
  pop.hidden = true;
  document.body.appendChild(pop);

  function show(a) {
    var href = a.getAttribute("href") || "";
    var anchor = href.slice(href.indexOf("#") + 1);
    var def = glossary[anchor];
    if (!def) { return; }
    pop.textContent = "";
    var t = document.createElement("strong");
    t.textContent = def.term;
    pop.appendChild(t);
    var m = document.createElement("p");
    m.textContent = def.meaning || "See the definition.";
    pop.appendChild(m);
    var r = a.getBoundingClientRect();
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    pop.style.left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - 360)) + "px";
    pop.hidden = false;
    a.setAttribute("aria-describedby", "term-popup");
  }
  function hide() { pop.hidden = true; }
  document.querySelectorAll("a.term").forEach(function (a) {
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("mouseleave", hide);
    a.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
})();

// Drafting: the redline follows the text as it is typed (the Preview button does the same
// without JavaScript).
(function () {
  "use strict";
  var form = document.getElementById("draft");
  var preview = document.getElementById("preview");
  if (!form || !preview || !window.fetch) { return; }
  var timer = null;
  var seq = 0;
  function refresh() {
    var data = new FormData(form);
    data.set("action", "fragment");
    var mine = ++seq;
    fetch((document.body.getAttribute("data-base") || "") + "/draft", { method: "POST", body: new URLSearchParams(data), credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { if (mine === seq) { preview.innerHTML = html; } })
      .catch(function () { /* keep the last preview; the Preview button still works */ });
  }
  form.querySelector("textarea").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();

// Search suggestions as you type: the header's search box fills its datalist from
// /api/v1/suggest (clause ids, part headings, defined terms, document titles). Without
// JavaScript the search page lists the same suggestions above the hits.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  var list = input && document.getElementById(input.getAttribute("list"));
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var seq = 0;
  var urls = {};
  function refresh() {
    var q = input.value.trim();
    if (q.length < 2 || q.length > 100) { list.textContent = ""; return; }
    var mine = ++seq;
    fetch((document.body.getAttribute("data-base") || "") + "/api/v1/suggest?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) {
        if (mine !== seq) { return; }
        list.textContent = "";
        urls = {};
        (data.suggestions || []).forEach(function (s) {
          var o = document.createElement("option");
          o.value = s.label;
          o.label = s.kind + " · " + s.detail;
          urls[s.label] = s.url;
          list.appendChild(o);
        });
      })
      .catch(function () { /* suggestions are a convenience: the search still works */ });
  }
  input.addEventListener("input", function (e) {
    // Choosing a suggestion goes to it; typing asks for more.
    if (urls[input.value] && (!e.inputType || e.inputType === "insertReplacementText")) {
      window.location.href = urls[input.value];
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
})();
