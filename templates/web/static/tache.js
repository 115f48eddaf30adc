// Job page: polls /api/jobs/{id} and updates step, progress and downloads; stops when the job ends.
"use strict";
(function () {
  const box = document.getElementById("tache");
  if (!box) return;
  const fr = window.peTypographie || (t => t);  // typographie.js: French typography on every shown text
  const url = box.dataset.etatUrl;
  const f = name => box.querySelector('[data-champ="' + name + '"]');
  function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = fr(text); return e; }

  function list(title, items, cls) {
    const frag = document.createDocumentFragment();
    if (!items || !items.length) return frag;
    frag.append(el("h2", null, title));
    const ul = el("ul", cls);
    for (const t of items) ul.append(el("li", null, t));
    frag.append(ul);
    return frag;
  }

  function update(t) {
    f("etape").textContent = fr(t.etape);
    const bar = f("progression"); bar.value = t.progression; bar.textContent = t.progression + " %";
    const msg = f("message"); msg.textContent = fr(t.message || ""); msg.hidden = !t.message;
    const dl = f("telechargements"); dl.replaceChildren();
    for (const d of t.telechargements) {
      const li = el("li"); const a = el("a", null, d.libelle); a.href = d.url; a.setAttribute("download", d.nom);
      li.append(a, document.createTextNode(" "), el("span", "nom", "(" + d.nom + ")")); dl.append(li);
    }
    for (const p of t.en_preparation) dl.append(el("li", "attente", p + " — en préparation…"));
    const det = f("details"); det.replaceChildren();
    det.append(list("Erreurs", t.details.erreurs, "liste-erreurs"), list("Avertissements", t.details.avertissements));
    if (t.details.participation && t.details.participation.length) {
      det.append(el("h2", null, "Participation"));
      const table = el("table"); const head = el("tr");
      for (const h of ["Participant", "Structure", "Objets notés"]) { const th = el("th", null, h); th.scope = "col"; head.append(th); }
      const thead = el("thead"); thead.append(head); const tbody = el("tbody");
      for (const p of t.details.participation) {
        const tr = el("tr"); tr.append(el("td", null, p.participant), el("td", null, p.structure || "—"), el("td", null, p.notes + " / " + p.total));
        tbody.append(tr);
      }
      table.append(thead, tbody); det.append(table);
    }
    box.dataset.etat = t.etat;
  }

  async function poll() {
    try {
      const r = await fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      if (r.ok) {
        const t = await r.json();
        update(t);
        if (t.etat === "termine" || t.etat === "echec") return;
      }
    } catch (e) { /* network hiccup: try again */ }
    setTimeout(poll, 400);
  }
  if (box.dataset.etat !== "termine") poll();
})();
