// Live atelier, participant side: each note is sent as soon as it is chosen, with a random id and the time of the
// choice. A lost connection keeps the note pending and resends it (same id: the server never counts it twice);
// a newer choice replaces an older one still pending. Pending notes are also kept in the tab's sessionStorage
// (per participant and round), so that a reload or a phone waking up resends them instead of losing them.
// Without this script the form is sent as a whole.
"use strict";
(function () {
  const form = document.getElementById("bulletin");
  if (!form) return;
  const fr = window.peTypographie || (t => t);  // typographie.js: French typography on every shown text
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const banner = document.getElementById("etat-tour");
  const pending = new Map();  // objet -> {note, id, t}
  let sending = false;
  const store = (() => { try { return window.sessionStorage; } catch (e) { return null; } })();
  const key = "pilier-eco:notes-en-attente:" + form.dataset.participant + ":" + form.dataset.tour;
  function save() {
    if (!store) return;
    try {
      if (pending.size) store.setItem(key, JSON.stringify(Array.from(pending)));
      else store.removeItem(key);
    } catch (e) { /* storage full or refused: the notes stay pending in this page */ }
  }

  function newId() {
    const b = new Uint8Array(12); crypto.getRandomValues(b);
    return Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
  }
  const box = objet => form.querySelector('fieldset[data-objet="' + CSS.escape(objet) + '"]');
  function status(objet, text, cls) {
    const s = box(objet).querySelector(".statut");
    s.textContent = fr(text); s.className = "statut" + (cls ? " " + cls : "");
  }
  function count() {
    const n = new Set(Array.from(form.querySelectorAll("input[type=radio]:checked"), r => r.name)).size;
    return n + " / " + form.dataset.objets + " objets notés";
  }
  function lock(closed, text) {
    for (const fs of form.querySelectorAll("fieldset")) fs.disabled = closed;
    form.querySelector("button[type=submit]").disabled = closed;
    banner.textContent = fr(text); banner.className = closed ? "erreur-form" : "note";
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      for (const [objet, v] of Array.from(pending)) {
        let r;
        try {
          r = await fetch("/p/note", { method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
            body: JSON.stringify({ objet: objet, note: v.note, id: v.id, t: v.t }) });
        } catch (e) {
          status(objet, "Pas de réseau\u00a0: nouvel essai dans un instant…", "attente");
          break;
        }
        if (pending.get(objet) === v) { pending.delete(objet); save(); }
        if (r.ok) {
          const b = await r.json();
          if (!pending.has(objet)) status(objet, b.note ? "Enregistré\u00a0: " + b.note : "Note retirée", "ok");
        } else if (r.status >= 500) {
          if (!pending.has(objet)) { pending.set(objet, v); save(); }
          status(objet, "Serveur occupé\u00a0: nouvel essai…", "attente"); break;
        } else {
          let b = {}; try { b = await r.json(); } catch (e) { /* not JSON */ }
          status(objet, b.erreur || ("Refusé (" + r.status + ")"), "ko");
          if (r.status === 409 || r.status === 410) lock(true, b.erreur);
          if (r.status === 401) window.location.assign("/rejoindre");
        }
      }
    } finally { sending = false; }
    if (banner.className === "note") banner.textContent = "Tour ouvert\u00a0: " + count() + ".";
  }

  form.addEventListener("change", e => {
    const r = e.target;
    if (r.type !== "radio") return;
    const objet = r.closest("fieldset").dataset.objet;
    pending.set(objet, { note: Number(r.value), id: newId(), t: Date.now() });
    save();
    status(objet, "Envoi…", "attente");
    flush();
  });
  // notes chosen before a reload and not yet received: shown again, then sent with their first id
  if (store) {
    let kept = [];
    try { kept = JSON.parse(store.getItem(key) || "[]"); } catch (e) { kept = []; }
    for (const [objet, v] of kept) {
      const b = box(objet);
      const r = b && b.querySelector('input[type=radio][value="' + Number(v.note) + '"]');
      if (!r || r.matches(":disabled")) continue;
      r.checked = true;
      pending.set(objet, v);
      status(objet, "En attente d’envoi…", "attente");
    }
    save();
    if (pending.size) flush();
  }
  form.addEventListener("submit", e => { e.preventDefault(); flush(); });
  setInterval(() => { if (pending.size) flush(); }, 1500);

  async function check() {
    try {
      const r = await fetch("/p/etat", { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" });
      const s = await r.json();
      if (s.termine) lock(true, "L’atelier est terminé\u00a0: merci\u202f!");
      else if (!s.ouvert) lock(true, "Le tour est clos\u00a0: les notes ne peuvent plus changer.");
      else if (form.querySelector("fieldset").disabled || Number(form.dataset.tour || s.tour) !== s.tour) window.location.reload();
      form.dataset.tour = s.tour;
    } catch (e) { /* offline: keep the page as it is */ }
  }
  setInterval(check, 3000);
})();
