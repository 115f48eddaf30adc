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

  const status = document.getElementById("etat-recherche");
  let active = -1;

  function options() { return Array.from(list.querySelectorAll('[role="option"]')); }

  function activate(k) {
    const opts = options();
    if (!opts.length) return;
    active = (k + opts.length) % opts.length;
    opts.forEach((o, i) => o.classList.toggle("active", i === active));
    search.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  }

  function choose(li) {
    add(li.dataset.code);
    li.setAttribute("aria-selected", "true");
    status.textContent = fr(li.dataset.code + " ajouté aux codes.");
  }

  function close() {
    list.replaceChildren(); active = -1;
    search.setAttribute("aria-expanded", "false"); search.removeAttribute("aria-activedescendant");
  }

  async function run() {
    const q = search.value.trim();
    const mine = ++seq;
    if (q.length < 2) { close(); return; }
    const r = await fetch("/api/qpv?q=" + encodeURIComponent(q), { credentials: "same-origin" });
    if (!r.ok || mine !== seq) return;
    const data = await r.json();
    close();
    if (!data.resultats.length) { status.textContent = "Aucun quartier trouvé."; return; }
    data.resultats.forEach((q, i) => {
      const li = document.createElement("li");
      li.id = "proposition-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", codes.value.includes(q.code) ? "true" : "false");
      li.dataset.code = q.code;
      li.textContent = fr(q.commune + " — " + q.nom) + " (" + q.code + ")";
      li.addEventListener("click", () => choose(li));
      list.append(li);
    });
    search.setAttribute("aria-expanded", "true");
    const n = data.resultats.length;
    status.textContent = n + (n > 1 ? " quartiers trouvés" : " quartier trouvé") + "\u00a0: flèche bas pour les parcourir.";
  }
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
  search.addEventListener("keydown", e => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!options().length) return;
      e.preventDefault();
      activate(active < 0 ? (e.key === "ArrowDown" ? 0 : -1) : active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();  // choose the suggestion, do not submit the form
      choose(options()[active]);
    } else if (e.key === "Escape") {
      close();
    }
  });
})();
