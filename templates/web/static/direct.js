// Live atelier, trainer side: polls the atelier's state every 700 ms (participation; results once revealed).
// Every text from the workbook is put in the page with textContent, never as markup.
"use strict";
(function () {
  const box = document.getElementById("direct");
  if (!box) return;
  const fr = window.peTypographie || (t => t);  // typographie.js: French typography on every shown text
  const url = box.dataset.etatUrl;
  const screen = box.dataset.ecran === "oui";
  const f = name => box.querySelector('[data-champ="' + name + '"]');
  const num = (x, d) => (x === null || x === undefined) ? "—" : x.toLocaleString("fr-FR", { maximumFractionDigits: d === undefined ? 1 : d });
  function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = fr(text); return e; }
  function set(name, value) { const e = f(name), v = fr(String(value)); if (e && e.textContent !== v) e.textContent = v; }

  function histogram(counts) {
    const max = Math.max(1, ...counts);
    const h = el("div", "histo");
    h.setAttribute("role", "img");
    h.setAttribute("aria-label", counts.map((c, i) => (i + 1) + "\u00a0: " + c).join(", "));
    counts.forEach((c, i) => {
      const col = el("div", "histo-col");
      const bar = el("div", "histo-barre");
      bar.style.height = Math.round(100 * c / max) + "%";   // CSSOM, allowed by the CSP (no inline style)
      const zone = el("div", "histo-zone"); zone.append(bar);   // bars share one fixed-height zone
      col.append(el("span", "histo-n", c ? String(c) : ""), zone);  // the scale 1 to 5: once, in the header
      h.append(col);
    });
    return h;
  }

  // The projector pages by SCREEN: as many rows as fit between the header and the legend at the window's
  // real size (measured, so a long label that wraps or a 1280×720 projector is counted right), all sections
  // together; the pager and the legend stay on the screen, nothing scrolls. A presenter's remote (Page
  // suivante / précédente, or the arrow keys) turns the pages as the buttons do.
  const SECTIONS = [["enjeu", "Enjeux"], ["action", "Actions"]];
  let shown = null, rows = [], pages = [[]], current = 0;

  function row(r) {
    const tr = el("tr", r.dissensus ? "dissensus" : null);
    tr.append(el("td", "rang", r.rang_borda ? String(r.rang_borda) : "—"), el("td", "libelle", r.libelle));
    let med = num(r.mediane), eiq = num(r.eiq);
    if (r.avant) { med = num(r.avant.mediane) + " → " + med; eiq = num(r.avant.eiq) + " → " + eiq; }
    tr.append(el("td", "chiffre", med), el("td", "chiffre", eiq));
    const td = el("td"); td.append(histogram(r.histogramme)); tr.append(td);
    tr.append(el("td", "avis", r.dissensus ? "Avis partagés" : (r.avant && r.avant.dissensus ? "Rapprochés" : "")));
    return tr;
  }

  function section(title) {
    const t = el("table", "stats");
    const head = el("tr");
    for (const h of ["Rang", "Objet", "Médiane", "EIQ", "Notes", "Avis"]) { const th = el("th", null, h); th.scope = "col"; head.append(th); }
    const notes = head.children[4], axis = el("div", "histo axe");  // the bars' scale, under « Notes »
    axis.setAttribute("aria-hidden", "true");
    for (let k = 1; k <= 5; k++) { const col = el("div", "histo-col"); col.append(el("span", "histo-k", String(k))); axis.append(col); }
    notes.append(el("span", "visuellement-cache", " de 1 à 5"), axis);
    const thead = el("thead"); thead.append(head);
    const tbody = el("tbody"); t.append(thead, tbody);
    return [el("h2", null, title), t, tbody];
  }

  // Appends rows[i] to the box (with its section's title and table when it opens one); returns what to
  // remove to take it back out.
  function adder(area) {
    let kind = null, tbody = null;
    return i => {
      const item = rows[i], added = [];
      if (item.kind !== kind) {
        const [h2, t, tb] = section(item.title + (item.suite ? " (suite)" : ""));  // a section cut by a page
        area.append(h2, t); added.push(h2, t); kind = item.kind; tbody = tb;
      }
      const tr = row(item.r); tbody.append(tr); added.unshift(tr);
      return () => { for (const e of added) e.remove(); if (added.length > 1) kind = null; };
    };
  }

  function paginate() {
    const area = f("tableau");
    rows = [];
    for (const [kind, title] of SECTIONS) {
      if (box.dataset.filtre && box.dataset.filtre !== kind) continue;  // « Enjeux seulement », « Actions seulement »
      const mine = shown.items.filter(i => i.type === kind && i.n > 0);
      mine.sort((a, b) => (a.rang_borda || 999) - (b.rang_borda || 999));
      mine.forEach((r, k) => rows.push({ kind, title, r, suite: k > 0 }));
    }
    pages = [];
    let i = 0;
    while (i < rows.length) {  // greedy: rows are added while the box does not overflow; at least one a page
      area.replaceChildren();
      const add = adder(area), page = [];
      while (i < rows.length) {
        const undo = add(i);
        if (page.length && area.scrollHeight > area.clientHeight) { undo(); break; }
        page.push(i++);
      }
      pages.push(page);
    }
    if (!pages.length) pages = [[]];
    current = Math.min(current, pages.length - 1);
    show();
  }

  function show() {
    const area = f("tableau");
    area.replaceChildren();
    const add = adder(area);
    for (const i of pages[current]) add(i);
    const pager = f("pages"), many = pages.length > 1;
    pager.classList.toggle("une-seule", !many);  // its room stays reserved: the pages are measured with it
    const page = pages[current];
    set("page-n", "Page " + (current + 1) + " / " + pages.length + (page.length
      ? " · objets " + (page[0] + 1) + " à " + (page[page.length - 1] + 1) + " sur " + rows.length : ""));
    f("page-prec").disabled = current === 0;
    f("page-suiv").disabled = current >= pages.length - 1;
  }

  function turn(step) {
    const target = current + step;
    if (target < 0 || target >= pages.length || f("resultats").hidden) return;
    current = target; show();
  }

  if (screen) {
    f("page-prec").addEventListener("click", () => turn(-1));
    f("page-suiv").addEventListener("click", () => turn(1));
    document.addEventListener("keydown", e => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest("input, select, textarea")) return;
      const step = { PageDown: 1, ArrowRight: 1, PageUp: -1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); turn(step); }
    });
    let pending = null;
    window.addEventListener("resize", () => {  // another window size: other pages
      clearTimeout(pending);
      pending = setTimeout(() => { if (shown && !f("resultats").hidden) paginate(); }, 150);
    });
  }

  let last = "";
  function update(s) {
    const p = s.participation;
    const n = v => new Intl.NumberFormat("fr-FR").format(v);  // French thousands separator
    set("inscrits", n(p.inscrits)); set("votants", n(p.votants)); set("complets", n(p.complets)); set("notes", n(p.notes));
    set("tour", s.tour);
    set("tour-etat", s.ouvert ? "ouvert" : "clos"); set("revele", s.revele ? "révélés" : "masqués");
    if (!screen) return;
    const toggle = f("bascule"), action = f("bascule-action");  // revealed from the control page meanwhile
    if (toggle) {
      set("bascule", s.revele ? "Masquer les résultats" : "Révéler les résultats"); action.value = s.revele ? "masquer" : "reveler";
      const form = action.form;  // revealing closes the round: asked first, as on the control page
      if (s.revele) delete form.dataset.confirmer; else form.dataset.confirmer = form.dataset.confirmerReveler;
    }
    const res = f("resultats"), join = f("rejoindre");
    res.hidden = !s.revele;
    join.hidden = !!s.revele || !!s.clos;  // a closed atelier's code no longer works: not shown
    const over = f("fini"); if (over) over.hidden = !s.clos;
    if (s.revele && s.resultats) {
      const key = JSON.stringify(s.resultats);
      if (key !== last) { last = key; shown = s.resultats; paginate(); }
    }
  }

  async function poll() {
    try {
      const r = await fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" });
      if (r.ok) update(await r.json());
      else if (r.status === 404 && screen) {  // erased (or session gone): its code and QR code leave the screen
        f("rejoindre").hidden = true; f("resultats").hidden = true;
        const gone = f("efface"); if (gone) gone.hidden = false;
        return;  // nothing more to ask
      }
    } catch (e) { /* network hiccup: next tick */ }
    setTimeout(poll, 700);
  }
  poll();
})();
