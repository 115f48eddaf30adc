// Template page: search-as-you-type over the packaged QPV list (/api/qpv); a choice adds its code to the field.
"use strict";
(function () {
  const search = document.getElementById("recherche");
  const list = document.getElementById("propositions");
  const codes = document.getElementById("qpv");
  if (!search) return;
  const fr = window.peTypographie || (t => t);  // typographie.js: French typography on every shown text
  search.hidden = false;
  document.getElementById("aide-recherche").hidden = false;
  let timer = null, seq = 0;

  function add(code) {
    const have = codes.value.split(/[,;\s]+/).filter(Boolean);
    if (!have.includes(code)) have.push(code);
    codes.value = have.join(", ");
  }

  async function run() {
    const q = search.value.trim();
    const mine = ++seq;
    if (q.length < 2) { list.replaceChildren(); return; }
    const r = await fetch("/api/qpv?q=" + encodeURIComponent(q), { credentials: "same-origin" });
    if (!r.ok || mine !== seq) return;
    const data = await r.json();
    list.replaceChildren();
    if (!data.resultats.length) { const li = document.createElement("li"); li.textContent = "Aucun quartier trouvé."; list.append(li); return; }
    for (const q of data.resultats) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = fr(q.commune + " — " + q.nom) + " (" + q.code + ")";
      b.addEventListener("click", () => { add(q.code); b.setAttribute("aria-pressed", "true"); b.textContent = "✓ " + b.textContent.replace(/^✓ /, ""); });
      li.append(b); list.append(li);
    }
  }
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
})();
