// pilier-eco serve: drop zones, instant check and diagnose through the JSON API. Every workbook text is put in
// the page with textContent (never as markup). Without this script the same forms work by plain submission.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const fr = window.peTypographie || (t => t);  // typographie.js: French typography on every shown text

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = fr(text);
    return e;
  }
  const nombre = n => new Intl.NumberFormat("fr-FR").format(n);  // « 3 019 »: the French thousands separator
  const s = (n, w) => nombre(n) + " " + w + (n > 1 ? "s" : "");

  function groups(payload) {
    const out = new Map();
    const q = payload.qualite_donnees;
    for (const [level, items] of [["erreur", q.erreurs], ["avertissement", q.avertissements]]) {
      for (const i of items) {
        const where = i.cellule || "";
        const bang = where.indexOf("!");
        const sheet = bang >= 0 ? where.slice(0, bang) : where;
        const cell = bang >= 0 ? where.slice(bang + 1) : "";
        const label = sheet || "Fichier";
        if (!out.has(label)) out.set(label, { erreurs: 0, avertissements: 0, items: [] });
        const g = out.get(label);
        g.items.push(Object.assign({}, i, { niveau: level, cellule: cell }));
        if (level === "erreur") g.erreurs += 1; else g.avertissements += 1;
      }
    }
    return out;
  }

  function renderCheck(container, payload) {
    container.replaceChildren();
    const q = payload.qualite_donnees;
    const sec = el("section", "resultat " + (payload.utilisable ? "ok" : "ko"));
    const verdict = !payload.lisible ? "fichier illisible" : payload.utilisable ? "classeur utilisable" : "classeur à corriger";
    sec.append(el("h2", null, payload.fichier + "\u00a0: " + verdict));
    const infos = q.informations || [];
    let bilan = s(q.erreurs.length, "erreur") + ", " + s(q.avertissements.length, "avertissement");
    if (infos.length) bilan += " et " + s(infos.length, "remarque") + " pour information";
    if (payload.lisible) bilan += " — " + s(q.lignes_lues, "ligne") + " lue" + (q.lignes_lues > 1 ? "s" : "") +
      ", " + nombre(q.lignes_utilisees) + " utilisée" + (q.lignes_utilisees > 1 ? "s" : "");
    sec.append(el("p", "bilan", bilan + "."));
    for (const [sheet, g] of groups(payload)) {
      const d = el("details", "feuille"); d.open = true;
      const sum = el("summary"); sum.append(el("strong", null, sheet),
        document.createTextNode(" — " + s(g.erreurs, "erreur") + ", " + s(g.avertissements, "avertissement")));
      d.append(sum);
      const ul = el("ul");
      g.items.sort((a, b) => (a.niveau === "erreur" ? 0 : 1) - (b.niveau === "erreur" ? 0 : 1));
      for (const i of g.items) {
        const li = el("li", i.niveau);
        li.append(el("span", "niveau", i.niveau === "erreur" ? "Erreur" : "Avertissement"));
        if (i.cellule) li.append(el("span", "cellule", i.cellule));
        li.append(el("span", "texte", i.message));
        if (i.trouve !== null && i.trouve !== undefined) li.append(el("span", "trouve", "Trouvé\u00a0: «\u00a0" + i.trouve + "\u00a0»"));
        if (i.attendu !== null && i.attendu !== undefined) li.append(el("span", "attendu", "Attendu\u00a0: " + i.attendu));
        ul.append(li);
      }
      d.append(ul); sec.append(d);
    }
    if (infos.length) {  // after the warnings, closed: rows the tool pre-filled, nothing to correct
      const d = el("details", "feuille information");
      const sum = el("summary"); sum.append(el("strong", null, "Pour information"),
        document.createTextNode(fr(" — " + s(infos.length, "remarque") + " sur des lignes pré-remplies par l’outil, rien à corriger")));
      d.append(sum);
      if (q.note_informations) d.append(el("p", "explication", q.note_informations));
      const ul = el("ul");
      for (const i of infos) {
        const li = el("li", "information");
        li.append(el("span", "niveau", "Information"));
        if (i.cellule) li.append(el("span", "cellule", i.cellule));
        li.append(el("span", "texte", i.message));
        if (i.trouve !== null && i.trouve !== undefined) li.append(el("span", "trouve", "Trouvé\u00a0: «\u00a0" + i.trouve + "\u00a0»"));
        ul.append(li);
      }
      d.append(ul); sec.append(d);
    }
    if (!payload.utilisable) sec.append(el("p", "suite", "Corrigez le classeur dans Excel ou LibreOffice, enregistrez-le, puis déposez-le de nouveau."));
    container.append(sec);
    if (payload.utilisable && payload.depot) {  // the way forward: diagnose this very file
      const go = el("form", "formulaire suite-diagnostic");
      go.method = "post"; go.action = "/diagnostic";
      for (const [name, value] of [["csrf", csrf], ["depot", payload.depot]]) {
        const i = document.createElement("input"); i.type = "hidden"; i.name = name; i.value = value; go.append(i);
      }
      const b = el("button", null, "Lancer le diagnostic"); b.type = "submit"; go.append(b);
      container.append(go);
    }
  }

  async function send(form, file) {
    const out = document.getElementById("resultat");
    const mode = form.dataset.mode;
    const data = new FormData();
    data.append("classeur", file, file.name);
    const waiting = el("p", "attente", mode === "diagnostic" ? "Vérification puis diagnostic de " + file.name + "…" : "Vérification de " + file.name + "…");
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0; bar.setAttribute("aria-label", "Envoi du fichier");
    const shown = el("span", "envoi", "");
    out.replaceChildren(waiting, bar, shown);
    out.setAttribute("aria-busy", "true");
    const buttons = Array.from(form.querySelectorAll("button"));
    buttons.forEach(b => { b.disabled = true; });  // one file at a time: the button cannot be pressed twice
    let resp, body;
    try {
      // XMLHttpRequest rather than fetch: it reports the upload's real progress (a large workbook takes a while)
      [resp, body] = await new Promise((resolve, reject) => {
        const x = new XMLHttpRequest();
        x.open("POST", form.dataset.api);
        x.setRequestHeader("X-CSRF-Token", csrf); x.setRequestHeader("Accept", "application/json");
        x.upload.onprogress = e => {
          if (!e.lengthComputable) return;
          const pct = Math.round(100 * e.loaded / e.total);
          bar.value = pct;
          shown.textContent = fr(" Envoi : " + pct + " %" + (pct >= 100 ? " — vérification en cours…" : ""));
        };
        x.onload = () => { try { resolve([{ status: x.status, ok: x.status >= 200 && x.status < 300 }, JSON.parse(x.responseText)]); } catch (e) { reject(e); } };
        x.onerror = () => reject(new Error("réseau"));
        x.send(data);
      });
    } catch (e) {
      out.replaceChildren(el("p", "erreur-form", "Le serveur ne répond pas : vérifiez que pilier-eco tourne toujours sur l’ordinateur qui l’a lancé, puis recommencez."));
      out.removeAttribute("aria-busy");
      buttons.forEach(b => { b.disabled = false; });
      return;
    }
    buttons.forEach(b => { b.disabled = false; });
    out.removeAttribute("aria-busy");
    if (mode === "diagnostic") {
      if (resp.status === 202 && body.page) { window.location.assign(body.page); return; }
      out.replaceChildren();
      if (body.erreur) out.append(el("p", "erreur-form", body.erreur));
      if (body.verification) { const box = el("div"); renderCheck(box, body.verification); out.append(box); }
    } else if (resp.ok) {
      renderCheck(out, body);
    } else {
      out.replaceChildren(el("p", "erreur-form", body.erreur || "Erreur " + resp.status));
    }
    const input = form.querySelector('input[type=file]');
    if (input) input.value = "";  // the same file, fixed, can be dropped again
  }

  for (const zone of document.querySelectorAll("[data-depot]")) {
    const input = zone.querySelector("input[type=file]");
    const form = zone.closest("form");
    ["dragenter", "dragover"].forEach(t => zone.addEventListener(t, e => { e.preventDefault(); zone.classList.add("survol"); }));
    ["dragleave", "drop"].forEach(t => zone.addEventListener(t, () => zone.classList.remove("survol")));
    zone.addEventListener("drop", e => {
      e.preventDefault();
      const files = e.dataTransfer.files;
      if (!files.length) return;
      if (form.dataset.api) { send(form, files[0]); return; }
      const dt = new DataTransfer();
      for (const f of input.multiple ? files : [files[0]]) dt.items.add(f);
      input.files = dt.files;
      input.dispatchEvent(new Event("change"));
    });
    if (form && form.dataset.api) {
      // the file goes as soon as it is chosen, then the field is emptied: pressing the button afterwards opens
      // the file chooser (submit handler below) instead of the browser's « select a file » bubble
      form.noValidate = true;
      input.addEventListener("change", () => { if (input.files.length) send(form, input.files[0]); });
      form.addEventListener("submit", e => { e.preventDefault(); if (input.files.length) send(form, input.files[0]); else input.click(); });
    }
  }

  // Destructive or irreversible buttons ask first (data-confirmer); a sent form's button cannot be pressed twice.
  document.addEventListener("submit", e => {
    const form = e.target;
    if (form.dataset.confirmer && !window.confirm(fr(form.dataset.confirmer))) { e.preventDefault(); return; }
    if (e.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    setTimeout(() => form.querySelectorAll("button").forEach(b => { b.disabled = true; b.setAttribute("aria-busy", "true"); }), 0);
  });
})();
