// French typography on a text the page shows, the rules of toolkit/typography.py (french_text): a
// straight apostrophe between letters becomes ’, an ordinary space before « : » or « » » a no-break space,
// before « ; ! ? » a narrow no-break space, and the space after « « » a no-break space. The other scripts pass
// every text they put in the page through it (workbook labels, the check's messages, the server's replies);
// the pages load it before them.
"use strict";
window.peTypographie = function (text) {
  if (text === null || text === undefined) return text;
  return String(text)
    .replace(/(?<=[\p{L}\p{N}_])'(?=[\p{L}\p{N}_«])/gu, "\u2019")
    .replace(/[ \t\n\u00a0]+([;!?])/g, "\u202f$1")
    .replace(/[ \t\n\u202f]+([:»])/g, "\u00a0$1")
    .replace(/«[ \t\n\u202f]+/g, "«\u00a0");
};
