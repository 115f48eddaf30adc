// French typography on a text the page shows, the rules of toolkit/typography.py (french_text): a
// straight apostrophe between letters becomes ’, an ordinary space before « : » or « » » a no-break space,
// before « ; ! ? » a narrow no-break space, and the space after « « » a no-break space; « n° » and a number's
// unit (%, €, ans…) never parted from the number, nor a count from the word it counts (« 7 actions »;
// a year keeps its space),
// nor a number typed « 1 000 » from its groups, nor a date's day from its month; quotes inside « » become “ ”. The other scripts pass every
// text they put in the page through it (workbook labels, the check's messages, the server's replies); the
// pages load it before them.
"use strict";
window.peTypographie = function (text) {
  if (text === null || text === undefined) return text;
  const s = String(text)
    .replace(/(?<=[\p{L}\p{N}_])'(?=[\p{L}\p{N}_«])/gu, "\u2019")
    .replace(/[ \t\n\u00a0]+([;!?])/g, "\u202f$1")
    .replace(/[ \t\n\u202f]+([:»])/g, "\u00a0$1")
    .replace(/«[ \t\n\u202f]+/g, "«\u00a0")
    .replace(/\b(n°|no)[ \t]+(?=\d)/g, "$1\u00a0")
    .replace(/(?<=\d)[ \u00a0](?=\d{3}(?!\d))/g, "\u202f")
    .replace(/(?<=\d)[ \t]+(?=(?:%|‰|€|k€|M€|Md€|ans?\b|mois\b|h\b|km\b|hab\.))/g, "\u00a0")
    .replace(/(?<![\d,.\u202f])(\d{1,3}(?:\u202f\d{3})*(?:,\d+)?)[ \t]+(?=[a-zà-ÿœæ])(?!(?:et|ou|à|au|aux|de|des|du|en|sur|par|pour|dans|contre|avec|sans|sous|entre|puis|mais|le|la|les|un|une)(?![a-zà-ÿœæ]))/g, "$1\u00a0")
    .replace(/(?<!\d)(\d{1,2}|1er)[ \t]+(?=(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)(?![\p{L}\p{N}_]))/gu, "$1\u00a0");
  if ((s.match(/«/g) || []).length < 2) return s;
  const out = [];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "«") {
      depth += 1;
      if (depth > 1) {
        out.push("“");
        while (i + 1 < s.length && " \u00a0\u202f".includes(s[i + 1])) i++;
        continue;
      }
    } else if (ch === "»" && depth > 0) {
      depth -= 1;
      if (depth >= 1) {
        while (out.length && " \u00a0\u202f".includes(out[out.length - 1])) out.pop();
        out.push("”");
        continue;
      }
    }
    out.push(ch);
  }
  return out.join("");
};
