"""The report and the annual review as editable Word documents (python-docx), from the very HTML of the PDF.

A renderer, not a second writer: the DOCX is built by walking the HTML that `render_view` (or the review's
`render_view_html`) produces for the PDF — same chapters, same sentences, same tables, same French
typography (`french_html` already ran) — so any sentence the view writes reaches Word without this module
knowing it. The walk maps HTML to Word's own structures:

- `h1`…`h4` → the built-in styles Heading 1…4 (Word and LibreOffice build the table of contents and the
  navigation pane from them); the HTML sommaire becomes a TOC field this module writes itself;
- `table` → a real Word table (header row repeated on each page, column widths from the `colgroup`);
- charts (`<img src="data:image/svg+xml…">` the view generated) → PNG rasterised from the same SVG
  (`raster.py`), with their alt text;
- `p`, `ul`, `ol`, `strong`, `em`, `br`… → paragraphs, lists and runs.

Hostile text stays text: every string goes into a run (python-docx escapes it), XML-invalid control
characters are dropped, no hyperlink is ever created (a link's text is kept, its target dropped), no
image is taken from anywhere but the view's own `data:` URIs, and the only fields are the ones written
here (TOC, PAGE, NUMPAGES). No macro, no external relationship.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.output import atomic_write
from .raster import Picture, picture

if TYPE_CHECKING:
    from ..results import Diagnostic
    from .theme import Theme

#: Printed on every page (header) of a draft, as the PDF does (docs/methode.md, editorial rule 1).
DRAFT_MARK = "PROJET — non diffusable"
LANGUAGE = "fr-FR"
BODY_FONT = "Arial"  # Liberation Sans in LibreOffice (same metrics), Arial in Word
HEADING_FONT = "Georgia"
TEXT_WIDTH_CM = 16.0  # A4 with 2,5 cm margins

#: Advance widths of Arial (Liberation Sans in LibreOffice: same metrics), in thousandths of an em; a
#: character not listed counts as 556 (a lower-case letter or a digit). Bold is about 6 % wider.
_NARROW = dict.fromkeys(" \u00a0\u202f.,:;!|/'’`ijlfIt[]", 278) | dict.fromkeys("ijl'’", 222) | {"\u202f": 170}
_WIDE = (
    dict.fromkeys("mM", 833)
    | dict.fromkeys("wW", 722)
    | dict.fromkeys("ABEKPSVXY&ÉÈÊËÀÂ", 667)
    | dict.fromkeys("ÇÙÛÜ", 722)
    | dict.fromkeys("ÔÖŒ", 778)
    | dict.fromkeys("CDHNRUw", 722)
    | dict.fromkeys("GOQ", 778)
    | dict.fromkeys("FTZ", 611)
    | dict.fromkeys('crskvxyzJ"', 500)
    | dict.fromkeys("()-r", 333)
    | dict.fromkeys("%", 889)
    | dict.fromkeys("W—‰■", 1000)
)
_ADVANCE = _WIDE | _NARROW
BOLD_WIDER = 1.06


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of `text` in Arial at `size_pt` points (the Word report's and the deck's font)."""
    return sum(_ADVANCE.get(ch, 556) for ch in text) * size_pt / 1000 * (BOLD_WIDER if bold else 1.0)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\n\r\f]+")
_WIDTH = re.compile(r"width\s*:\s*([\d.]+)%")

_BLOCK = {
    "address", "article", "aside", "blockquote", "div", "dl", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "ul", "img",
}  # fmt: skip
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
#: Not in Word: the PDF's running header and footer (Word has its own) and its fixed draft mark (the page
#: header of a draft carries it; the cover keeps its own « PROJET — non diffusable (document de travail) »).
_SKIP_CLASSES = ("running-header", "running-footer", "projet-mark")
#: Inside a heading, what is not its title: score and badges go to a paragraph under it (navigation pane).
_BADGE_CLASSES = {"score-pill", "tag"}


def clean(text: str) -> str:
    """Text Word can hold: XML-invalid characters (controls, lone surrogates) dropped, nothing else changed."""
    return _XML_INVALID.sub("", text)


def is_draft(view: Any, diag: Any = None) -> bool:
    """Whether the report is a draft: the view says so (`projet`), else the Diagnostic, else not."""
    for source in (view, diag):
        value = getattr(source, "projet", None)
        if value is not None:
            return bool(value)
    return False


def _hex(colour: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    small: bool = False
    muted: bool = False
    accent: bool = False
    mono: bool = False
    sup: bool = False

    def with_(self, **kw) -> _Style:
        return _Style(**{**self.__dict__, **kw})


class _Writer:
    """Walks one HTML tree into a python-docx Document."""

    def __init__(self, doc, theme: Theme, allowed: frozenset[str]) -> None:
        self.doc = doc
        self.theme = theme
        self.allowed = allowed
        self.headings: list[tuple[int, str]] = []
        self.pictures = 0
        self.missing_pictures = 0
        self.style_ids = {st.name: st.style_id for st in doc.styles}
        self.width_cm = TEXT_WIDTH_CM  # the width a picture may take here (less inside a table cell)
        self._rpr: dict[tuple, Any] = {}  # run properties by style, built once
        self.new_page = True  # whether the next Heading 1 starts a page
        self.prefetched: dict[str, Any] = {}  # data URI -> Future of its Picture (rasterised while we walk)
        self.table_style = doc.styles["Table Grid"]

    # --- inline ---------------------------------------------------------------------------------------

    def _run(self, par, text: str, st: _Style) -> None:
        """One run of plain text: `w:r` with its properties and a `w:t`, built directly (python-docx's `add_run`
        examines the text character by character, a third of the Word report's time)."""
        import copy

        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        text = clean(text)
        if not text:
            return
        run = OxmlElement("w:r")
        key = (st.bold, st.italic, st.small, st.mono, st.sup, st.accent, st.muted)
        if any(key):
            rpr = self._rpr.get(key)
            if rpr is None:
                rpr = self._rpr[key] = self._run_properties(st)
            run.append(copy.deepcopy(rpr))
        t = OxmlElement("w:t")
        t.text = text
        if text != text.strip():
            t.set(qn("xml:space"), "preserve")
        run.append(t)
        par._p.append(run)

    def _run_properties(self, st: _Style):
        """`w:rPr` for a style, children in the order the schema wants."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rpr = OxmlElement("w:rPr")

        def child(tag: str, **attrs: str) -> None:
            el = OxmlElement(tag)
            for k, v in attrs.items():
                el.set(qn(k), v)
            rpr.append(el)

        if st.mono:
            child("w:rFonts", **{"w:ascii": "Courier New", "w:hAnsi": "Courier New"})
        if st.bold:
            child("w:b")
        if st.italic:
            child("w:i")
        if st.accent or st.muted:
            child("w:color", **{"w:val": (self.theme.accent if st.accent else self.theme.muted).lstrip("#").upper()})
        if st.small:
            child("w:sz", **{"w:val": "17"})  # 8,5 pt
        if st.sup:
            child("w:vertAlign", **{"w:val": "superscript"})
        return rpr

    def _text(self, par, text: str | None, st: _Style, state: dict) -> None:
        if not text:
            return
        text = _SPACES.sub(" ", text)
        if state["space"] and text.startswith(" "):
            text = text.lstrip(" ")
        if not text:
            return
        self._run(par, text, st)
        state["space"] = text.endswith(" ")

    def inline(self, par, el, st: _Style, state: dict) -> None:
        """The text of `el` and its descendants as runs of `par` (tail not included)."""
        tag = el.tag if isinstance(el.tag, str) else ""
        cls = _classes(el)
        if tag == "br":
            par.add_run().add_break()
            state["space"] = True
            return
        if tag == "img":
            self._text(par, el.get("alt") or "", st.with_(italic=True), state)
            return
        if tag in ("strong", "b", "th") or cls & {"figure-value", "prio", "score-pill", "rank", "strong"}:
            st = st.with_(bold=True)
        if tag in ("em", "i", "cite") or "badge-illustratif" in cls or "imputed" in cls:
            st = st.with_(italic=True)
        if tag == "small" or cls & {"small", "weight"}:
            st = st.with_(small=True)
        if "muted" in cls:
            st = st.with_(muted=True)
        if cls & {"tag", "badge-illustratif"}:
            st = st.with_(accent=True, bold=True)
        if tag in ("code", "kbd", "samp") or "mono" in cls:
            st = st.with_(mono=True)
        if tag == "sup":
            st = st.with_(sup=True)
        self._text(par, el.text, st, state)
        for child in el:
            if isinstance(child.tag, str):
                self.inline(par, child, st, state)
                if _classes(child) & {"figure-value"}:
                    par.add_run().add_break()
                    state["space"] = True
            self._text(par, child.tail, st, state)

    def _paragraph(self, el, style: str | None = None, st: _Style | None = None):
        par = self.doc.add_paragraph()
        if style:
            par._p.style = self.style_ids[style]
        state = {"space": True}
        self.inline(par, el, st or _Style(), state)
        for run in reversed(par.runs):  # trailing space of the last run, as HTML would collapse it
            if run.text:
                run.text = run.text.rstrip(" ")
                break
        return par

    # --- blocks ---------------------------------------------------------------------------------------

    def blocks(self, el, st: _Style | None = None) -> None:
        """Children of a block container, grouping loose inline content into paragraphs."""
        st = st or _Style()
        pending: list = []  # inline children (and text) waiting for a paragraph

        def flush() -> None:
            if not pending:
                return
            par = self.doc.add_paragraph()
            state = {"space": True}
            for item in pending:
                if isinstance(item, str):
                    self._text(par, item, st, state)
                else:
                    self.inline(par, item, st, state)
                    self._text(par, item.tail, st, state)
            if not "".join(r.text for r in par.runs).strip():
                par._p.getparent().remove(par._p)
            pending.clear()

        if el.text and el.text.strip():
            pending.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
                continue
            if child.tag in _BLOCK:
                flush()
                self.block(child, st)
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
            else:
                pending.append(child)
        flush()

    def block(self, el, st: _Style) -> None:
        from docx.enum.text import WD_BREAK

        tag, cls = el.tag, _classes(el)
        if cls & set(_SKIP_CLASSES) or tag in ("style", "script", "template", "head"):
            return
        if tag == "nav" and "toc" in cls:
            self.toc(el)
            return
        if tag in _HEADING_LEVEL:
            level = _HEADING_LEVEL[tag]
            title, badges = _heading_parts(el)
            par = self._paragraph(title, f"Heading {level}")
            if level == 1:  # a chapter starts a page unless the PDF's CSS has it flow on
                par.paragraph_format.page_break_before = self.new_page
                self.new_page = True
            self.headings.append((level, par.text))
            if badges:
                self.badges(badges)
            return
        if tag == "p":
            style = "Title" if "cover-title" in cls else "Subtitle" if "cover-doc" in cls else None
            sub = st
            if cls & {"small", "muted", "table-notes"}:
                sub = sub.with_(small="small" in cls, muted="muted" in cls)
            if cls & {"formula", "notice", "comment"}:
                sub = sub.with_(italic=True)
            if "cover-structure" in cls:
                sub = sub.with_(bold=True)
            if "cover-projet" in cls:
                sub = sub.with_(bold=True, accent=True)
            self._paragraph(el, style, sub)
            return
        if tag in ("ul", "ol"):
            self.list_(el, ordered=tag == "ol", st=st)
            return
        if tag == "table":
            self.table(el)
            return
        if tag == "img":
            self.image(el)
            return
        if tag == "figcaption":
            self._paragraph(el, "Caption")
            return
        if tag == "figure":
            self.blocks(el, st)
            return
        if tag == "div" and "figures" in cls:
            self.figures(el)
            return
        figures = [c for c in el if isinstance(c.tag, str)]
        if tag == "div" and len(figures) >= 2 and all(c.tag == "figure" for c in figures):
            self.figure_grid(el, figures)
            return
        if tag == "hr":
            return
        if tag == "section" and "chapter" in cls:
            # as the PDF's CSS: the shorter body chapters (« flow »: enjeux, vigilance, expériences) and the
            # annexes after the fiches follow on, no near-empty page before them
            self.new_page = not ("flow" in cls or ("annex" in cls and "fiches" not in cls))
        self.blocks(el, st.with_(small=st.small or "small" in cls, muted=st.muted or "muted" in cls))
        if tag == "section" and "cover" in cls:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def badges(self, badges: list) -> None:
        """A heading's score and badges, on the line under it (kept with what follows, like the heading)."""
        par = self.doc.add_paragraph()
        par.paragraph_format.keep_with_next = True
        state = {"space": True}
        for k, badge in enumerate(badges):
            if k:
                self._text(par, " · ", _Style(muted=True), state)
            if "score-pill" in _classes(badge):
                self._text(par, "Score\u00a0: ", _Style(muted=True), state)
                self.inline(par, badge, _Style(bold=True), state)
                self._text(par, " sur 100", _Style(muted=True), state)
            else:
                self.inline(par, badge, _Style(), state)

    def list_(self, el, ordered: bool, st: _Style) -> None:
        from docx.shared import Cm

        items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
        small = st.small or "small" in _classes(el)
        n = 0
        for li in items:
            n = int(value) if (value := li.get("value", "")).isdigit() else n + 1  # <li value="12">: its own number
            nested = [c for c in li if isinstance(c.tag, str) and c.tag in ("ul", "ol", "p", "div", "table")]
            if ordered:
                par = self.doc.add_paragraph()
                par.paragraph_format.left_indent = Cm(0.9)
                par.paragraph_format.first_line_indent = Cm(-0.6)
                first = next((c for c in li if isinstance(c.tag, str)), None)
                if first is None or "n" not in _classes(first) or (li.text or "").strip():
                    par.add_run(f"{n}.\t")  # else the item writes its own number (<span class="n">)
            else:
                par = self.doc.add_paragraph()
                par._p.style = self.style_ids["List Bullet"]
            state = {"space": True}
            sub = st.with_(small=small)
            if not nested:
                self.inline(par, li, sub, state)
                continue
            self._text(par, li.text, sub, state)
            for child in li:
                if not isinstance(child.tag, str):
                    continue
                if child in nested:
                    self.block(child, sub)
                else:
                    self.inline(par, child, sub, state)
                self._text(par, child.tail, sub, state)

    def figures(self, el) -> None:
        """The synthesis' key figures: one row of cells, the value large above its label."""
        from docx.shared import Pt

        cells = [c for c in el if isinstance(c.tag, str)]
        if not cells:
            return
        table = self.doc.add_table(rows=1, cols=len(cells))
        table.autofit = True
        for cell, src in zip(table.rows[0].cells, cells, strict=True):
            par = cell.paragraphs[0]
            spans = [s for s in src if isinstance(s.tag, str)]
            if len(spans) >= 2:
                self._run(par, "".join(spans[0].itertext()).strip(), _Style(bold=True))
                if par.runs:
                    par.runs[-1].font.size = Pt(16)
                    par.runs[-1].font.color.rgb = _hex(self.theme.primary)
                label = cell.add_paragraph()
                self._run(label, " ".join("".join(s.itertext()).strip() for s in spans[1:]), _Style(small=True))
            else:
                self.inline(par, src, _Style(), {"space": True})
            self._shade(cell, self.theme.light)
        self.doc.add_paragraph()

    def image(self, el) -> None:
        from docx.shared import Cm

        src, alt = el.get("src") or "", clean(el.get("alt") or "")
        ready = self.prefetched.get(src)
        pic = ready.result() if ready is not None else None
        pic = (
            Picture(pic.data, pic.width_px, pic.height_px, alt) if pic is not None else picture(src, self.allowed, alt)
        )
        if pic is None:
            self.missing_pictures += 1
            alt = clean(el.get("alt") or "")
            if alt:
                self.doc.add_paragraph(alt)
            return
        width = min(self.width_cm, pic.width_px / 96 * 2.54)
        if "logo" in _classes(el):
            width = min(width, 4.0)
        par = self.doc.add_paragraph()
        par.paragraph_format.keep_with_next = True  # with its caption
        par.add_run().add_picture(_stream(pic), width=Cm(width))
        self._alt(par, pic)
        self.pictures += 1

    def figure_grid(self, el, figures: list) -> None:
        """Small charts side by side (the review's indicators), two per row of a borderless table, as the PDF."""
        from docx.shared import Cm

        cols = 2
        rows = (len(figures) + cols - 1) // cols
        table = self.doc.add_table(rows=rows, cols=cols)
        table.autofit = False
        width = Cm(self.width_cm / cols)
        for grid_col in table._tbl.tblGrid.gridCol_lst:
            grid_col.w = width
        outer, outer_width = self.doc, self.width_cm
        try:
            for k, fig in enumerate(figures):
                cell = table.rows[k // cols].cells[k % cols]
                cell.width = width
                self.doc, self.width_cm = cell, self.width_cm / cols - 0.4
                first = cell.paragraphs[0]
                self.blocks(fig, _Style())
                if not first.text and not first._p.xpath(".//w:drawing") and len(cell.paragraphs) > 1:
                    first._p.getparent().remove(first._p)
                self.doc, self.width_cm = outer, outer_width
        finally:
            self.doc, self.width_cm = outer, outer_width
        self.doc.add_paragraph()

    def _alt(self, par, pic: Picture) -> None:
        """Alt text on the picture just added (docPr/@descr), for screen readers and LibreOffice."""
        inline = par._p.xpath(".//wp:docPr")
        if inline:
            inline[-1].set("descr", pic.alt[:2000])
            inline[-1].set("name", f"Figure {self.pictures + 1}")

    # --- tables ---------------------------------------------------------------------------------------

    def table(self, el) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        rows = list(el.iter("tr"))
        if not rows:
            return
        grid = [[c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")] for tr in rows]
        ncols = max(sum(int(c.get("colspan") or 1) for c in r) for r in grid)
        if ncols == 0:
            return
        header_rows = sum(1 for tr in rows if tr.getparent().tag == "thead")
        table = self.doc.add_table(rows=len(rows), cols=ncols)
        table.style = self.table_style
        table.autofit = False
        widths = [float(m.group(1)) for col in el.iter("col") if (m := _WIDTH.search(col.get("style") or ""))]
        if len(widths) != ncols:
            widths = [100 / ncols] * ncols
        widths_cm = column_widths(grid, header_rows, widths, self.width_cm)
        col_widths = [Cm(w) for w in widths_cm]
        for grid_col, w in zip(table._tbl.tblGrid.gridCol_lst, col_widths, strict=False):
            grid_col.w = w
        _table_geometry(table, Cm(sum(widths_cm)))
        for r, cells in enumerate(grid):
            row = table.rows[r]
            row_cells = row.cells
            is_head = r < header_rows
            if is_head:
                tr_pr = row._tr.get_or_add_trPr()
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                tr_pr.append(header)
            for k, cell in enumerate(row_cells):
                cell.width = col_widths[k]
            c = 0
            for src in cells:
                span = int(src.get("colspan") or 1)
                if c >= ncols:
                    break
                cell = row_cells[c]
                if span > 1 and c + span - 1 < ncols:
                    cell = cell.merge(row_cells[c + span - 1])
                par = cell.paragraphs[0]
                st = _Style(bold=src.tag == "th", small=True)
                nested = [x for x in src if isinstance(x.tag, str) and x.tag in ("ul", "ol", "p", "div", "table")]
                if nested and not is_head:
                    self._cell_blocks(cell, src, st)
                else:
                    self.inline(par, src, st, {"space": True})
                if "num" in _classes(src):
                    par.alignment = 2  # right
                if is_head:
                    for p in cell.paragraphs:
                        for run in p.runs:
                            run.font.color.rgb = _hex("#FFFFFF")
                    self._shade(cell, self.theme.primary)
                elif src.tag == "th":
                    self._shade(cell, self.theme.light)
                c += span
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _cell_blocks(self, cell, src, st: _Style) -> None:
        """A cell with lists or paragraphs inside: write them into the cell, then move on."""
        body, self.doc = self.doc, cell
        try:
            first = cell.paragraphs[0]
            self.blocks(src, st)
            if not first.text and len(cell.paragraphs) > 1:
                first._p.getparent().remove(first._p)
        finally:
            self.doc = body

    @staticmethod
    def _shade(cell, colour: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), colour.lstrip("#").upper())
        cell._tc.get_or_add_tcPr().append(shd)

    # --- fields we write ourselves -----------------------------------------------------------------

    def toc(self, el) -> None:
        """The sommaire as a Word TOC field over Heading 1–2, its result pre-filled with the HTML's entries."""
        from docx.enum.text import WD_BREAK

        title = next(el.iter("h1", "h2"), None)
        if title is not None:
            self._paragraph(title, "TOC Heading")
        entries = [  # ordinary spaces collapsed, the no-break spaces of French typography kept
            (2 if "toc-l2" in _classes(li) else 1, _SPACES.sub(" ", "".join(li.itertext())).strip(" "))
            for li in el.iter("li")
        ]
        first = self.doc.add_paragraph()
        _field_begin(first, 'TOC \\o "1-2" \\h \\z \\u')
        last = first
        for k, (level, text) in enumerate(entries):
            par = first if k == 0 else self.doc.add_paragraph()
            par._p.style = self.style_ids[f"toc {level}"]
            par.add_run(clean(text))
            last = par
        _field_end(last)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _heading_parts(el) -> tuple[Any, list]:
    """A heading's title (a copy of `el` without its score and badges; its rank, if any, as « 1. ») and
    the badges taken out, in order."""
    import copy

    title = copy.deepcopy(el)
    badges = []
    for child in list(title):
        if not isinstance(child.tag, str):
            continue
        if _classes(child) & _BADGE_CLASSES:
            badges.append(child)
            tail = child.tail or ""
            prev = child.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                title.text = (title.text or "") + tail
            title.remove(child)
        elif "rank" in _classes(child) and (child.text or "").strip().isdigit():
            child.text = child.text.strip() + "."
    return title, badges


#: Type size of table text (the `small` style: 8,5 pt) and the cells' inner margin, left and right (cm).
TABLE_PT = 8.5
CELL_MARGIN_CM = 0.1


def column_widths(grid: list[list[Any]], header_rows: int, percents: list[float], total_cm: float) -> list[float]:
    """Column widths (cm) summing to `total_cm`: the PDF's proportions (`percents`), widened where a column
    would cut a word of its cells (« Rang », « Pertinence », a header in bold) — LibreOffice and Word break
    a word that does not fit its cell — and narrowed where there is room to spare. A column never asks for
    more than 40 % of the width (a pasted URL does not squeeze the others)."""
    ncols = len(percents)
    sum_pct = sum(percents) or 100
    base = [total_cm * p / sum_pct for p in percents]
    need = [0.0] * ncols
    for r, cells in enumerate(grid):
        c = 0
        for src in cells:
            span = int(src.get("colspan") or 1)
            if span == 1 and c < ncols:
                bold = r < header_rows or src.tag == "th"
                words = _SPACES.split(_cell_text(src))
                widest = max((text_width_pt(clean(word), TABLE_PT, bold) for word in words), default=0.0)
                need[c] = max(need[c], widest / 72 * 2.54 * 1.04 + 2 * CELL_MARGIN_CM)
            c += span
    need = [min(n, 0.4 * total_cm) for n in need]
    if sum(need) >= total_cm:  # not everything can hold: the words' own proportions
        return [total_cm * n / sum(need) for n in need]
    out = [max(b, n) for b, n in zip(base, need, strict=True)]
    excess = sum(out) - total_cm
    slack = [o - n for o, n in zip(out, need, strict=True)]
    room = sum(slack)
    return [o - excess * s / room if room > 0 else o for o, s in zip(out, slack, strict=True)]


def _cell_text(el) -> str:
    """A cell's text as it is laid out: a line break or a block inside it separates words."""
    parts: list[str] = []

    def walk(e) -> None:
        brk = e.tag == "br" or e.tag in _BLOCK
        parts.append(" " if brk else "")
        parts.append(e.text or "")
        for child in e:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        parts.append(" " if brk else "")

    walk(el)
    return "".join(parts)


def _table_geometry(table, width: Any) -> None:
    """Widths LibreOffice honours as Word does: fixed layout (python-docx's `autofit = False`), the table's
    own width, narrow inner margins; the grid and each cell's width are set by the caller."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(width.twips))
    tbl_w.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(Cm(CELL_MARGIN_CM).twips))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    layout, look = tbl_pr.find(qn("w:tblLayout")), tbl_pr.find(qn("w:tblLook"))
    if layout is not None:  # the schema's order: … tblLayout, tblCellMar, tblLook
        layout.addnext(margins)
    elif look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


#: w:trPr children that come before w:cantSplit in the schema (CT_TrPrBase is a sequence of choices: keep the order).
_BEFORE_CANT_SPLIT = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter")


def _rows_never_split(body) -> None:
    """Every table row (ours, the key figures', the figure grids', nested ones) says « cantSplit »: a row is
    never broken across two pages in Word nor in LibreOffice (a row taller than a page still breaks there)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tr in body.iter(qn("w:tr")):
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is not None:
            continue
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        before = [c for c in tr_pr if c.tag in {qn(f"w:{n}") for n in _BEFORE_CANT_SPLIT}]
        if before:
            before[-1].addnext(cant_split)
        else:
            tr_pr.insert(0, cant_split)


def _has_style(doc, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def _fld(run_parent, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        fld.set(qn("w:dirty"), "true")  # Word recomputes it (page numbers) when the document is opened
    run_parent.append(fld)


def _instr(run_parent, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    run_parent.append(instr)


def _field_begin(par, code: str) -> None:
    _fld(par.add_run()._r, "begin")
    _instr(par.add_run()._r, f" {code} ")
    _fld(par.add_run()._r, "separate")


def _field_end(par) -> None:
    _fld(par.add_run()._r, "end")


def _simple_field(par, code: str, placeholder: str) -> None:
    """A complex field (PAGE, NUMPAGES) with its cached result: Word and LibreOffice recompute it per page."""
    _field_begin(par, code)
    par.add_run(placeholder)
    _field_end(par)


def _stream(pic: Picture):
    import io

    return io.BytesIO(pic.data)


# --- document set-up --------------------------------------------------------------------------------


def _set_language(doc) -> None:
    """French everywhere: document defaults (spelling, hyphenation) and core properties."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    doc.core_properties.language = LANGUAGE


def _set_styles(doc, theme: Theme) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(10)
    normal.font.color.rgb = _hex(theme.text)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), BODY_FONT)
    sizes = {1: 18, 2: 13.5, 3: 11.5, 4: 10.5}
    for level, size in sizes.items():
        h = doc.styles[f"Heading {level}"]
        h.font.name = HEADING_FONT
        h.font.size = Pt(size)
        h.font.color.rgb = _hex(theme.primary)
        h.font.bold = True
        h.font.italic = False
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        h.paragraph_format.space_after = Pt(6 if level == 1 else 4)
    for name, size in (("Title", 28), ("Subtitle", 14)):
        s = doc.styles[name]
        s.font.name = HEADING_FONT
        s.font.size = Pt(size)
        s.font.color.rgb = _hex(theme.primary)
    caption = doc.styles["Caption"]
    caption.font.size = Pt(8.5)
    caption.font.italic = True
    caption.font.bold = False
    caption.font.color.rgb = _hex(theme.muted)
    toc_heading = doc.styles["TOC Heading"]
    toc_heading.paragraph_format.page_break_before = False
    toc_heading.font.name = HEADING_FONT
    toc_heading.font.color.rgb = _hex(theme.primary)
    for level in (1, 2):
        name = f"toc {level}"
        if not _has_style(doc, name):
            st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = normal
            st.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            st.paragraph_format.space_after = Pt(2)
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)


def _header_footer(doc, theme: Theme, header: str, footer: str, draft: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = doc.sections[0]
    hp = section.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if draft:
        run = hp.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = _hex(theme.accent)
        hp = section.header.add_paragraph()
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = hp.add_run(clean(header))
    run.font.size = Pt(8)
    run.font.color.rgb = _hex(theme.muted)
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run(clean(footer) + " — page ")
    _simple_field(fp, "PAGE", "1")
    fp.add_run(" sur ")
    _simple_field(fp, "NUMPAGES", "1")
    for run in fp.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = _hex(theme.muted)


def _update_fields_on_open(doc) -> None:
    """Word refreshes the TOC page numbers when the document opens (it asks first)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    upd = OxmlElement("w:updateFields")
    upd.set(qn("w:val"), "true")
    settings.append(upd)


#: docProps/app.xml: the application that wrote the file, nothing borrowed from python-docx's template
#: (« Microsoft Macintosh Word », Normal.dotm, page and word counts of an empty document).
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>pilier-eco</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)
_MONTHS = {
    m: k + 1
    for k, m in enumerate(
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre")
    )
}  # fmt: skip


def french_date(text: str) -> date | None:
    """`7 décembre 2026` or `1er janvier 2027` (the view's long dates) as a date; None if it is not one."""
    m = re.fullmatch(r"\s*(\d{1,2})(?:er)?[\s\u00a0\u202f]+(\w+)[\s\u00a0\u202f]+(\d{4})\s*", text or "")
    if m is None or m.group(2).lower() not in _MONTHS:
        return None
    try:
        return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None


def _set_properties(doc, *, title: str, subject: str, keywords: str, created: date | None) -> None:
    """The file's properties: title, subject, keywords, French, written by pilier-eco on the report's date;
    python-docx's template leftovers (its 2013 dates, its Word application, its thumbnail) gone."""
    from datetime import UTC, datetime

    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    props = doc.core_properties
    props.title, props.subject = clean(title)[:255], clean(subject)[:255]
    props.keywords, props.comments = clean(keywords)[:255], "Document généré avec pilier-eco."
    props.author = props.last_modified_by = "pilier-eco"
    props.revision, props.language = 1, LANGUAGE
    day = created or date.today()
    props.created = props.modified = datetime(day.year, day.month, day.day, tzinfo=UTC)
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(r_id)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    # the template's APA bibliography stub (customXml/item1.xml, its props) goes with its relationship: a part
    # no relationship reaches is not written, nor its content-type override
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            doc.part.rels.pop(r_id)


def name_themes(package, name: str = "pilier-eco") -> None:
    """Every theme part of an Office package (python-docx's, python-pptx's) named ours, not « Office Theme »;
    call it just before saving (python-pptx adds the notes master's theme with the first notes)."""
    for part in package.iter_parts():
        if not part.partname.startswith(("/word/theme/", "/ppt/theme/")):
            continue
        if getattr(part, "_element", None) is not None:  # python-pptx's notes master theme is parsed XML
            part._element.set("name", name)
        else:
            new = rb"\g<1>" + name.encode("utf-8") + rb"\g<2>"
            part._blob = re.sub(rb'(<a:theme\b[^>]*\bname=")[^"]*(")', new, part.blob, count=1)


@dataclass(frozen=True)
class DocxResult:
    headings: tuple[tuple[int, str], ...]
    pictures: int
    missing_pictures: int


def html_to_docx(
    html: str,
    target: str | Path,
    theme: Theme,
    allowed_data_uris: Iterable[str],
    *,
    title: str,
    header: str,
    footer: str,
    draft: bool = False,
    subject: str = "",
    keywords: str = "",
    created: date | None = None,
) -> DocxResult:
    """Write the DOCX of one rendered HTML document (our report or review) to `target` (not atomic);
    `created`: the document's date (the report's), else today. The file's author is pilier-eco, which wrote
    it (the structure signs on the cover)."""
    import docx
    import lxml.html

    root = lxml.html.document_fromstring(html)
    doc = docx.Document()
    _set_styles(doc, theme)
    _set_language(doc)
    _header_footer(doc, theme, header, footer, draft)
    _update_fields_on_open(doc)
    _set_properties(doc, title=title, subject=subject, keywords=keywords, created=created)
    body = doc.element.body
    for p in list(body):  # the template's empty first paragraph
        if p.tag.endswith("}p"):
            body.remove(p)
    writer = _Writer(doc, theme, frozenset(allowed_data_uris))
    body_el = root.find("body")
    # the charts are rasterised in a thread while the text is laid out (resvg works outside the GIL)
    with ThreadPoolExecutor(max_workers=1) as pool:
        for uri in dict.fromkeys(allowed_data_uris):
            writer.prefetched[uri] = pool.submit(picture, uri, writer.allowed)
        writer.blocks(body_el if body_el is not None else root)
    _rows_never_split(body)
    name_themes(doc.part.package)
    doc.save(str(target))
    return DocxResult(tuple(writer.headings), writer.pictures, writer.missing_pictures)


# --- the two documents -------------------------------------------------------------------------------


def write_report_docx(view, target: str | Path, draft: bool = False) -> DocxResult:
    from .shared import html_for

    return html_to_docx(
        html_for(view),
        target,
        view.theme,
        view.data_uris,
        title=view.meta.title,
        subject=view.meta.description,
        keywords=view.meta.keywords,
        header=view.meta.territory,
        footer=view.footer,
        draft=draft,
        created=french_date(view.meta.generated),
    )


def render_docx(
    diag: Diagnostic,
    path: str | Path,
    theme: Theme | None = None,
    detailed: int | None = None,
    generated: date | None = None,
) -> Path:
    """The report as an editable Word document, written atomically (same chapters and sentences as the PDF)."""
    from .shared import view_for

    view = view_for(diag, theme, generated, detailed)
    draft = is_draft(view, diag)
    return atomic_write(path, lambda tmp: write_report_docx(view, tmp, draft))


def render_review_docx(review, path: str | Path, theme: Theme | None = None) -> Path:
    """The annual review (contribution au rapport annuel) as an editable Word document, written atomically."""
    from .review import build_review_view, render_view_html

    view = build_review_view(review, theme)
    html = render_view_html(view)
    return atomic_write(
        path,
        lambda tmp: html_to_docx(
            html,
            tmp,
            view.theme,
            view.data_uris,
            title=view.title,
            header=view.title,
            footer=view.footer,
            draft=is_draft(view, review),
            created=french_date(view.generated),
        ),
    )
