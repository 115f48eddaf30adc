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
      col.append(el("span", "histo-n", c ? String(c) : ""), zone, el("span", "histo-k", String(i + 1)));
      h.append(col);
    });
    return h;
  }

  const PAGE = 12;  // rows legible from the back of the room at 1920×1080; more are paged
  const pages = { enjeu: 0, action: 0 };
  let shown = null;

  function pager(kind, total) {
    const nav = el("p", "pages");
    const first = pages[kind] * PAGE;
    nav.append(el("span", null, "Objets " + (first + 1) + " à " + Math.min(total, first + PAGE) + " sur " + total + " "));
    for (const [label, step] of [["Précédents", -1], ["Suivants", 1]]) {
      const b = el("button", "petit", label); b.type = "button";
      const target = pages[kind] + step;
      b.disabled = target < 0 || target * PAGE >= total;
      b.addEventListener("click", () => { pages[kind] = target; f("tableau").replaceChildren(table(shown)); });
      nav.append(b);
    }
    return nav;
  }

  function table(res) {
    shown = res;
    const frag = document.createDocumentFragment();
    for (const [kind, title] of [["enjeu", "Enjeux"], ["action", "Actions"]]) {
      if (box.dataset.filtre && box.dataset.filtre !== kind) continue;  // « Enjeux seulement » fits one screen
      const rows = res.items.filter(i => i.type === kind && i.n > 0);
      if (!rows.length) continue;
      rows.sort((a, b) => (a.rang_borda || 999) - (b.rang_borda || 999));
      frag.append(el("h2", null, title));
      const total = rows.length;
      if (total > PAGE) {
        pages[kind] = Math.min(pages[kind], Math.floor((total - 1) / PAGE));
        frag.append(pager(kind, total));
      }
      const page = rows.slice(pages[kind] * PAGE, pages[kind] * PAGE + PAGE);
      const t = el("table", "stats");
      const head = el("tr");
      for (const h of ["Rang", "Objet", "Médiane", "EIQ", "Notes (1 à 5)", "Avis"]) { const th = el("th", null, h); th.scope = "col"; head.append(th); }
      const thead = el("thead"); thead.append(head); t.append(thead);
      const tbody = el("tbody");
      for (const r of page) {
        const tr = el("tr", r.dissensus ? "dissensus" : null);
        tr.append(el("td", "rang", r.rang_borda ? String(r.rang_borda) : "—"), el("td", "libelle", r.libelle));
        let med = num(r.mediane), eiq = num(r.eiq);
        if (r.avant) { med = num(r.avant.mediane) + " → " + med; eiq = num(r.avant.eiq) + " → " + eiq; }
        tr.append(el("td", "chiffre", med), el("td", "chiffre", eiq));
        const td = el("td"); td.append(histogram(r.histogramme)); tr.append(td);
        tr.append(el("td", "avis", r.dissensus ? "Avis partagés" : (r.avant && r.avant.dissensus ? "Rapprochés" : "")));
        tbody.append(tr);
      }
      t.append(tbody); frag.append(t);
    }
    return frag;
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
      if (key !== last) { last = key; f("tableau").replaceChildren(table(s.resultats)); }
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
