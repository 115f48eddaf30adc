"""The restitution deck for the comité de pilotage (python-pptx), a renderer of the report's view.

Ten to fourteen 16:9 slides, each with a real title placeholder (the outline, the slide sorter and screen
readers see it): the territory in figures, the enjeux (the report's chart), data against perception, the
priorities (structuring actions apart from quick wins), the roadmap (Gantt of the first priorities, drawn
by the report's own chart function), five to eight vigilance points, transferable experiences, decisions
asked of the comité, next steps to the revue annuelle.

Every sentence comes from the view (`build_view`): the slide shows its items, and the speaker notes carry
the synthesis paragraphs (`view.narrative`, one per line of a part) of that slide's subject, word for word,
each on one slide only (`speaker_notes`). Nothing under 18 pt (read from the back of a room) and no sentence
cut: text is laid out with Arial's widths (`wrapped_lines`), a list takes 20 pt, or 18 pt, or continues on
a second slide; the enjeux and the roadmap are drawn as slide shapes (bars, labels at 18 pt and more), not
as the report's charts shrunk. Colours are the report theme's. Text is inert: runs only, XML-invalid
characters dropped, no hyperlink, no external picture, no macro (a .pptx, never a .pptm).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.output import atomic_write
from ..typography import french_text
from . import outline
from .raster import Picture, picture
from .word import APP_XML, DRAFT_MARK, clean, french_date, is_draft, name_themes, text_width_pt

if TYPE_CHECKING:
    from ..results import Diagnostic
    from .theme import Theme

MIN_PT = 18  # no text smaller on a slide (readable from the back of a room)
TITLE_PT = 32
BODY_PT = 20
FONT = "Arial"
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.6
BODY_TOP_IN = 1.45
BODY_BOTTOM_IN = 6.75  # the draft mark sits below


def _t(text: str) -> str:
    """Slide text: French typography (no-break spaces, apostrophes), as `french_html` gives the PDF; inert."""
    return french_text(clean(text))


# --- text fitting ---------------------------------------------------------------------------------------

LINE_HEIGHT = 1.2  # of the font size: LibreOffice's and PowerPoint's single spacing for Arial, with a margin
INSET_IN = 0.1  # a text box's inner margin, left and right (python-pptx's default)


def wrapped_lines(runs: Sequence[tuple[str, float, bool]], width_in: float) -> int:
    """Lines a paragraph of (text, size, bold) runs takes in a box `width_in` wide, wrapped at ordinary
    spaces as a client does (a no-break space never breaks; a word longer than the line is broken)."""
    width = width_in * 72 * 0.98  # a margin for the client's own rounding and kerning
    lines, line, word = 1, 0.0, 0.0
    for text, size, bold in runs:
        for ch in text:
            w = text_width_pt(ch, size, bold)
            if ch == "\n":
                lines, line, word = lines + 1, 0.0, 0.0
            elif ch == " ":
                if line and line + word > width:
                    lines, line = lines + 1, 0.0
                line, word = line + word + w, 0.0
            else:
                word += w
                if word > width:  # a word wider than the line: the client breaks it
                    if line:
                        lines, line = lines + 1, 0.0
                    lines, word = lines + 1, w
    if line and line + word > width:
        lines += 1
    return lines


def text_height_in(text: str, width_in: float, size_pt: float, bold: bool = False) -> float:
    """Height of one paragraph of `text` in a text box `width_in` wide (inner margins included)."""
    return wrapped_lines([(text, size_pt, bold)], width_in - 2 * INSET_IN) * size_pt * LINE_HEIGHT / 72


@dataclass
class Item:
    text: str
    bold_head: str = ""  # printed in bold before the text
    level: int = 0
    size: float = BODY_PT
    space: float = 0.45  # after the item, of its size

    def runs(self) -> list[tuple[str, float, bool]]:
        mark = ("■  " if self.level == 0 else "–  ", self.size * (0.8 if self.level == 0 else 1.0), False)
        return [mark, (_t(self.bold_head), self.size, True), (_t(self.text), self.size, False)]

    def height_in(self, width_in: float) -> float:
        """Its paragraph's height in a box `width_in` wide: its lines and the space after it."""
        lines = wrapped_lines(self.runs(), width_in - 2 * INSET_IN - 0.3 * self.level)
        return (lines * LINE_HEIGHT + self.space) * self.size / 72


def fit(items: Sequence[Item], width_in: float, height_in: float) -> tuple[list[Item], list[Item]]:
    """Items that fit in the box, and the rest (never fewer than one item on a slide)."""
    used = 0.0
    kept: list[Item] = []
    for k, item in enumerate(items):
        h = item.height_in(width_in)
        if kept and used + h > height_in:
            return kept, list(items[k:])
        kept.append(item)
        used += h
    return kept, []


def paginate(items: Sequence[Item], width_in: float, height_in: float, max_pages: int = 2) -> list[list[Item]]:
    """The items, whole and in order, over as few boxes as they need: the largest size from BODY_PT down to
    MIN_PT that needs the fewest boxes. When that is more than `max_pages`, the text flows at MIN_PT: an item
    that does not hold in what is left of a box continues in the next one (« (suite) »), at a space. Nothing
    is ever cut short."""
    best: list[list[Item]] = []
    for size in range(int(BODY_PT), MIN_PT - 1, -1):
        pages, rest = [], [Item(i.text, i.bold_head, i.level, size) for i in items]
        while rest:
            page, rest = fit(rest, width_in, height_in)
            pages.append(page)
        if not best or len(pages) < len(best):
            best = pages
    if len(best) <= max_pages and all(len(p) > 1 or p[0].height_in(width_in) <= height_in for p in best):
        return best
    return _flow([Item(i.text, i.bold_head, i.level, MIN_PT, space=0.25) for i in items], width_in, height_in)


def _flow(items: list[Item], width_in: float, height_in: float) -> list[list[Item]]:
    pages: list[list[Item]] = [[]]
    left = height_in
    queue = list(items)
    while queue:
        item = queue.pop(0)
        h = item.height_in(width_in)
        if h <= left:
            pages[-1].append(item)
            left -= h
            continue
        first, rest = _split(item, width_in, left)
        if first is None:  # not even two lines here: the next box
            if not pages[-1]:  # an empty box and still nothing holds: take it as it is
                pages[-1].append(item)
                pages.append([])
                left = height_in
                continue
            pages.append([])
            left = height_in
            queue.insert(0, item)
            continue
        pages[-1].append(first)
        pages.append([])
        left = height_in
        queue.insert(0, rest)
    return [p for p in pages if p]


def _split(item: Item, width_in: float, height_in: float) -> tuple[Item | None, Item]:
    """The longest start of `item` (whole words, two lines at least) that holds in `height_in`, and the rest."""
    words = item.text.split(" ")
    two_lines = (2 * LINE_HEIGHT + item.space) * item.size / 72
    if height_in < two_lines:
        return None, item
    lo, hi = 0, len(words) - 1  # how many words the first part takes
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if (
            Item(" ".join(words[:mid]), item.bold_head, item.level, item.size, item.space).height_in(width_in)
            <= height_in
        ):
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return None, item
    first = Item(" ".join(words[:lo]), item.bold_head, item.level, item.size, item.space)
    return first, Item(" ".join(words[lo:]), "(suite) ", item.level, item.size, item.space)


# --- drawing --------------------------------------------------------------------------------------------


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


@dataclass
class Deck:
    prs: Any
    theme: Any
    draft: bool
    count: int = 0
    notes_used: set = field(default_factory=set)


def _font(run, size: float, colour: str | None = None, bold: bool | None = None) -> None:
    from pptx.util import Pt

    run.font.size = Pt(max(MIN_PT, size))
    run.font.name = FONT
    if colour:
        run.font.color.rgb = _rgb(colour)
    if bold is not None:
        run.font.bold = bold


def _new_slide(deck: Deck, title: str, notes: Sequence[str] = ()):
    from pptx.util import Inches, Pt

    prs = deck.prs
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # « Title Only »
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(MARGIN_IN), Inches(0.35), Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(1.0)
    tf = t.text_frame
    tf.word_wrap = True
    tf.text = ""
    p = tf.paragraphs[0]
    p.alignment = 1  # left
    run = p.add_run()
    run.text = _t(title)
    _font(run, TITLE_PT, deck.theme.primary, True)
    band = slide.shapes.add_shape(1, Inches(MARGIN_IN), Inches(1.3), Inches(1.6), Pt(4))  # rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(deck.theme.accent)
    band.line.fill.background()
    _flat(band)
    if deck.draft:
        box = slide.shapes.add_textbox(Inches(SLIDE_W_IN - 5.6), Inches(6.85), Inches(5.0), Inches(0.5))
        run = box.text_frame.paragraphs[0].add_run()
        run.text = DRAFT_MARK
        box.text_frame.paragraphs[0].alignment = 3  # right
        _font(run, MIN_PT, deck.theme.accent, True)
    text = "\n\n".join(_t(n) for n in notes if n)
    if text:
        slide.notes_slide.notes_text_frame.text = text
    deck.count += 1
    return slide


def _flat(shape) -> None:
    """No theme style on a drawn shape: its shadow (LibreOffice draws it as a bitmap) goes with it."""
    from pptx.oxml.ns import qn

    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _textbox(slide, left: float, top: float, width: float, height: float):
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    return tf


def _bullets(deck: Deck, slide, items: Sequence[Item], left: float, top: float, width: float, height: float) -> None:
    from pptx.util import Pt

    tf = _textbox(slide, left, top, width, height)
    for k, item in enumerate(items):
        p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
        p.level = item.level
        p.space_after = Pt(item.size * item.space)
        mark = p.add_run()
        mark.text = "■  " if item.level == 0 else "–  "
        _font(mark, item.size * 0.8 if item.level == 0 else item.size, deck.theme.accent)
        if item.bold_head:
            head = p.add_run()
            head.text = _t(item.bold_head)
            _font(head, item.size, deck.theme.primary, True)
        run = p.add_run()
        run.text = _t(item.text)
        _font(run, item.size, deck.theme.text)


def _list_slides(
    deck: Deck, title: str, items: Sequence[Item], notes: Sequence[str], empty: str = "", max_slides: int = 2
) -> None:
    """Items over one slide, or more (numbered « (1/2) »), whole: 20 pt, else down to 18 pt, else continued
    (`paginate`). Each slide's speaker notes are those of the items it shows (`_notes_by_page`)."""
    width, height = SLIDE_W_IN - 2 * MARGIN_IN, BODY_BOTTOM_IN - BODY_TOP_IN
    if not items:
        slide = _new_slide(deck, title, notes)
        _bullets(deck, slide, [Item(empty)], MARGIN_IN, BODY_TOP_IN, width, height)
        return
    pages = paginate(items, width, height, max_slides)
    parts = _notes_by_page(pages, notes)
    for k, page in enumerate(pages):
        label = f"{title} ({k + 1}/{len(pages)})" if len(pages) > 1 else title
        slide = _new_slide(deck, label, parts[k])
        _bullets(deck, slide, page, MARGIN_IN, BODY_TOP_IN, width, height)


def _notes_by_page(pages: Sequence[Sequence[Item]], notes: Sequence[str]) -> list[list[str]]:
    """Each part of a split slide carries the notes of what it shows: a note goes with the first part one of
    whose items it contains (or is part of); a note no item matches stays with the first part. A later part
    no synthesis sentence speaks of (Bédarieux's governance point) carries its own items, so that whoever
    presents it is never left with empty notes."""

    def key(text: str) -> str:
        return re.sub(r"\W+", "", text.lower())

    out: list[list[str]] = [[] for _ in pages]
    for note in notes:
        n = key(note)
        k = next(
            (k for k, page in enumerate(pages) if any((t := key(i.text)) and (t in n or n in t) for i in page)),
            0,
        )
        out[k].append(note)
    for k, page in enumerate(pages):
        if k and not out[k]:
            out[k] = [i.text for i in page if i.text.strip()]
    return out


def _picture(slide, pic: Picture, left: float, top: float, width: float, height: float) -> None:
    from pptx.util import Inches

    w = width
    h = w * pic.aspect
    if h > height:
        h = height
        w = h / pic.aspect
    shape = slide.shapes.add_picture(io.BytesIO(pic.data), Inches(left + (width - w) / 2), Inches(top), Inches(w))
    shape.name = "Figure"
    c_nv_pr = shape._element.xpath("./p:nvPicPr/p:cNvPr")
    if c_nv_pr and pic.alt:
        c_nv_pr[0].set("descr", _t(pic.alt)[:2000])


def _table(
    deck: Deck, slide, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], top: float
) -> float:
    """A table at MIN_PT, each row as tall as its longest cell wraps; return its bottom (inches)."""
    from pptx.util import Inches, Pt

    left = MARGIN_IN
    margin_pt = 3
    heights = [
        max(
            wrapped_lines([(_t(v), MIN_PT, r == 0 or c == 0)], w - 2 * INSET_IN) * MIN_PT * LINE_HEIGHT / 72
            for c, (v, w) in enumerate(zip(values, widths, strict=True))
        )
        + 2 * margin_pt / 72
        for r, values in enumerate([header, *rows])
    ]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(sum(widths)), Inches(sum(heights))
    )
    table = shape.table
    for k, w in enumerate(widths):
        table.columns[k].width = Inches(w)
    for r, values in enumerate([header, *rows]):
        table.rows[r].height = Inches(heights[r])
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            p = cell.text_frame.paragraphs[0]
            run = p.add_run()
            run.text = _t(value)
            _font(run, MIN_PT, "#FFFFFF" if r == 0 else deck.theme.text, r == 0 or c == 0)
            if c > 0:
                p.alignment = 2  # centre
            cell.margin_top = cell.margin_bottom = Pt(margin_pt)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(deck.theme.primary if r == 0 else "#FFFFFF" if r % 2 else deck.theme.light)
    return top + sum(heights)


def _label(deck: Deck, slide, text: str, left: float, top: float, width: float, height: float, **kw) -> None:
    """One paragraph of text in its own box, no inner margin: `size`, `colour`, `bold`, `align` (1 left,
    2 centre, 3 right), `anchor` (vertical: "top", "middle", "bottom")."""
    from pptx.enum.text import MSO_ANCHOR

    tf = _textbox(slide, left, top, width, height)
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[
        kw.get("anchor", "middle")
    ]
    p = tf.paragraphs[0]
    p.alignment = kw.get("align", 1)
    run = p.add_run()
    run.text = _t(text)
    _font(run, kw.get("size", MIN_PT), kw.get("colour", deck.theme.text), kw.get("bold", False))


def _rect(slide, left: float, top: float, width: float, height: float, colour: str, kind: int = 1, **kw):
    """A flat filled shape (rectangle by default); `hatch`: a pattern of `colour` on white instead."""
    from pptx.enum.dml import MSO_PATTERN
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_shape(kind, Inches(left), Inches(top), Inches(max(width, 0.02)), Inches(height))
    if kw.get("hatch"):
        shape.fill.patterned()
        shape.fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.fill.back_color.rgb = _rgb("#FFFFFF")
        shape.line.color.rgb = _rgb(colour)
        shape.line.width = Pt(1.5)
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.line.fill.background()
    _flat(shape)
    return shape


def _alt(shape, text: str) -> None:
    """Alternative text on a drawn group (screen readers, the slide's accessibility check)."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
    if c_nv_pr:
        c_nv_pr[0].set("descr", _t(text)[:2000])


# --- the deck -------------------------------------------------------------------------------------------


def _action_line(a) -> Item:
    when = f" — {a.debut} – {a.fin}" if getattr(a, "debut", "—") not in ("—", "") else ""
    return Item(f"{outline.priority_label(a)}{when}", bold_head=f"{a.rang}. ")


def _vigilance_items(view) -> list[Item]:
    return [Item(p.message, bold_head=f"{p.niveau} — ") for p in outline.vigilance_points(view)]


def speaker_notes(view) -> dict[str, list[str]]:
    """The synthesis' paragraphs (each line of a part of `view.narrative`, a paragraph of the report), by the
    slide whose subject they are, each on one slide only: « chiffres », « enjeux », « salle » (the workshop,
    beside the data), « structurantes » and « gains » (the priorities: a paragraph goes where the actions it
    names are), « feuille » (who starts what this year: the roadmap), « vigilance », « suite » (the revue
    annuelle, the mid-term evaluation) and « decisions » (with any paragraph no other slide takes)."""
    structuring, quick = outline.structuring_and_quick(view)
    atelier = getattr(view, "atelier", None)
    workshop = {x.strip() for x in atelier.synthese.split("\n")} if atelier is not None and atelier.synthese else set()

    def names(actions, line: str) -> int:
        return sum(f"« {a.intitule} »" in line for a in actions)

    out: dict[str, list[str]] = {}
    for topic, paragraphs in outline.by_topic(view.narrative).items():
        for _, text in paragraphs:
            for line in (x.strip() for x in text.split("\n")):
                key = topic
                if not line:
                    continue
                if topic == "enjeux" and line in workshop:
                    key = "salle"
                elif topic == "priorites":
                    key = "gains" if names(quick, line) > names(structuring, line) else "structurantes"
                elif topic == "suite":
                    key = "suite" if "revue annuelle" in line or "mi-parcours" in line else "feuille"
                out.setdefault(key, []).append(line)
    return out


def _title_slide(deck: Deck, view) -> None:
    prs, theme = deck.prs, deck.theme
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title = slide.shapes.title
    title.text_frame.text = ""
    run = title.text_frame.paragraphs[0].add_run()
    run.text = _t(view.meta.territory)
    size = 40  # the whole name, on three lines at most
    while size > TITLE_PT and wrapped_lines([(run.text, size, True)], title.width.inches - 2 * INSET_IN) > 3:
        size -= 2
    _font(run, size, theme.primary, True)
    sub = slide.placeholders[1].text_frame
    sub.text = ""
    lines = [
        "Diagnostic et feuille de route — emploi et développement économique",
        f"Contrat de ville {view.cover.periode} · comité de pilotage",
        view.cover.structure,
        view.meta.generated,
    ]
    for k, line in enumerate(lines):
        p = sub.paragraphs[0] if k == 0 else sub.add_paragraph()
        r = p.add_run()
        r.text = _t(line)
        _font(r, 22 if k == 0 else MIN_PT, theme.text if k == 0 else theme.muted, k == 0)
    if deck.draft:
        p = sub.add_paragraph()
        r = p.add_run()
        r.text = DRAFT_MARK
        _font(r, 24, theme.accent, True)
    slide.notes_slide.notes_text_frame.text = _t(view.meta.description)
    deck.count += 1


def _figures_slide(deck: Deck, view, notes: Sequence[str]) -> None:
    """Three to six key figures, each whole (value and label with its year) in its box."""
    theme = deck.theme
    width = SLIDE_W_IN - 2 * MARGIN_IN
    slide = _new_slide(deck, "Le territoire en chiffres", notes)
    figures = list(view.key_figures)[:6]
    cols = 3 if len(figures) > 4 else max(1, len(figures))
    box_w = (width - 0.3 * (cols - 1)) / cols
    inner = box_w - 2 * INSET_IN
    label_pt = 20 if all(wrapped_lines([(_t(f.label), 20, False)], inner) <= 3 for f in figures) else MIN_PT
    value_pt = 40 if all(text_width_pt(_t(f.value), 40, True) <= inner * 72 for f in figures) else 28
    box_h = (
        0.2
        + max(
            (
                wrapped_lines([(_t(f.value), value_pt, True)], inner) * value_pt
                + wrapped_lines([(_t(f.label), label_pt, False)], inner) * label_pt
            )
            * LINE_HEIGHT
            / 72
            for f in figures
        )
        if figures
        else 1.0
    )
    from pptx.util import Inches

    for k, f in enumerate(figures):
        x = MARGIN_IN + (k % cols) * (box_w + 0.3)
        y = BODY_TOP_IN + 0.1 + (k // cols) * (box_h + 0.3)
        shape = _rect(slide, x, y, box_w, box_h, theme.light)
        tf = shape.text_frame
        tf.word_wrap = True
        tf.margin_left = tf.margin_right = Inches(INSET_IN)
        r = tf.paragraphs[0].add_run()
        r.text = _t(f.value)
        _font(r, value_pt, theme.primary, True)
        p = tf.add_paragraph()
        tf.paragraphs[0].alignment = p.alignment = 2  # centre
        r = p.add_run()
        r.text = _t(f.label)
        _font(r, label_pt, theme.text)
    rows_used = math.ceil(len(figures) / cols)
    if len(view.cover.quartiers) == 1:
        text = f"Population du quartier : {view.cover.population} · {view.cover.quartiers[0]}"
    else:
        text = f"Population des quartiers : {view.cover.population} · {len(view.cover.quartiers)} quartiers"
    top = BODY_TOP_IN + 0.2 + rows_used * (box_h + 0.3)
    tf = _textbox(slide, MARGIN_IN, top, width, BODY_BOTTOM_IN - top)
    r = tf.paragraphs[0].add_run()
    r.text = _t(text)
    _font(r, 20 if text_height_in(r.text, width, 20) <= BODY_BOTTOM_IN - top else MIN_PT, theme.muted)


#: Enjeux drawn on their slide (the best scored first); the report's chart has them all.
ENJEUX_SHOWN = 6


def _enjeux_slide(deck: Deck, view, notes: Sequence[str]) -> None:
    """The scored enjeux as bars with their labels at 20 pt, the score at its end, the level below the label;
    the enjeux « à objectiver » (no figure) named in one line under the bars."""
    theme = deck.theme
    slide = _new_slide(deck, "Les enjeux du territoire", notes)
    width = SLIDE_W_IN - 2 * MARGIN_IN
    scored = [e for e in view.enjeux if e.score.isdigit()]
    unscored = [e for e in view.enjeux if not e.score.isdigit()]
    group = slide.shapes.add_group_shape()
    group.name = "Graphique des enjeux"
    _alt(group, view.enjeux_alt)
    top, bottom = BODY_TOP_IN, BODY_BOTTOM_IN
    foot = None
    if unscored:
        head = "À objectiver, faute d'indicateur chiffré : "
        foot = Item(" ; ".join(e.libelle for e in unscored) + ".", head, size=MIN_PT)
        bottom -= foot.height_in(width)
    label_w, value_w = 5.2, 0.8
    bar_x = MARGIN_IN + label_w + 0.2
    bar_full = SLIDE_W_IN - MARGIN_IN - value_w - bar_x
    _label(deck, group, "Score sur 100", bar_x, top, bar_full, 0.4, colour=theme.muted, anchor="top")
    y = top + 0.45
    for e in scored[:ENJEUX_SHOWN]:
        name_h = wrapped_lines([(_t(e.libelle), 20, True)], label_w) * 20 * LINE_HEIGHT / 72
        level_h = wrapped_lines([(_t(e.niveau), MIN_PT, False)], label_w) * MIN_PT * LINE_HEIGHT / 72
        row_h = max(name_h + level_h, 0.6)
        if y + row_h > bottom:
            break
        _label(deck, group, e.libelle, MARGIN_IN, y, label_w, name_h, size=20, bold=True, anchor="top")
        _label(deck, group, e.niveau, MARGIN_IN, y + name_h, label_w, level_h, colour=theme.muted, anchor="top")
        score = int(e.score)
        bar_h = 0.42
        bar_y = y + (min(row_h, name_h + 0.1) - bar_h) / 2
        _rect(group, bar_x, bar_y, bar_full * min(score, 100) / 100, bar_h, theme.primary)
        _label(
            deck,
            group,
            e.score,
            bar_x + bar_full * min(score, 100) / 100 + 0.1,
            bar_y - 0.1,
            value_w,
            bar_h + 0.2,
            size=24,
            bold=True,
            colour=theme.primary,
        )
        y += row_h + 0.18
    if foot is not None:
        _bullets(deck, slide, [foot], MARGIN_IN, bottom, width, BODY_BOTTOM_IN - bottom + 0.1)


def _perception_slide(deck: Deck, view, notes: Sequence[str]) -> None:
    theme = deck.theme
    width = SLIDE_W_IN - 2 * MARGIN_IN
    slide = _new_slide(deck, "Ce que disent les données, ce que perçoit la salle", notes)
    enjeux = [e for e in view.enjeux if e.parts][:6]
    if not enjeux:
        return
    header = ["Enjeu", *(p.label for p in enjeux[0].parts), "Score"]
    rows = [[e.libelle, *("—" if p.missing else p.value for p in e.parts), e.score] for e in enjeux]
    first = 4.6
    rest_w = (width - first) / (len(header) - 1)
    bottom = _table(deck, slide, header, rows, [first, *([rest_w] * (len(header) - 1))], BODY_TOP_IN)
    split = [e.libelle for e in view.enjeux if e.dissensus]
    if split:
        tf = _textbox(slide, MARGIN_IN, bottom + 0.2, width, max(0.5, BODY_BOTTOM_IN - bottom - 0.2))
        r = tf.paragraphs[0].add_run()
        r.text = _t("Avis partagés dans la salle : " + " ; ".join(split))
        _font(r, 20, theme.accent, True)


#: Actions on the roadmap slide (the first priorities; the report's Gantt has them all).
GANTT_ACTIONS = 5


def _roadmap(view, diag: Diagnostic | None) -> list:
    """The report's first priorities with a calendar, in rank order (at most GANTT_ACTIONS); none: the
    slide shows the report's Gantt."""
    if diag is None:
        return []
    structuring, quick = outline.structuring_and_quick(view)
    keys = {a.key for a in (*structuring, *quick)}  # the report's priorities: never one « à reconfigurer »
    dated = [a for a in diag.actions if a.phases]
    return [a for a in dated if a.key in keys][:GANTT_ACTIONS]


def _roadmap_slide(deck: Deck, view, diag: Diagnostic | None, notes: Sequence[str]) -> None:
    """The first priorities' calendar drawn on the slide: one row per action (its rank and title at 18 pt),
    prerequisites hatched, the action itself solid, a one-day event as a diamond, years above, the report's
    date as a line; the contract's years only (a phase beyond says until when)."""
    from .formatting import month_year

    theme = deck.theme
    slide = _new_slide(deck, "Feuille de route des premières priorités", notes)
    chosen = _roadmap(view, diag)
    if not chosen or diag is None:
        pic = _gantt_picture(view)
        if pic is not None:
            _picture(slide, pic, MARGIN_IN, BODY_TOP_IN, SLIDE_W_IN - 2 * MARGIN_IN, BODY_BOTTOM_IN - BODY_TOP_IN)
        return
    today = diag.generated
    start_year, end_year = diag.territoire.periode or diag.periode
    if today is not None:
        start_year = max(start_year, today.year)
    start_year = min(start_year, *(p.debut.year for a in chosen for p in a.phases))
    end_year = max(end_year, start_year)
    origin, end = date(start_year, 1, 1), date(end_year, 12, 31)
    label_w = 5.0
    plot_x = MARGIN_IN + label_w + 0.2
    plot_w = SLIDE_W_IN - MARGIN_IN - plot_x
    span = (end - origin).days + 1

    def x_of(d: date) -> float:
        return plot_x + plot_w * (min(max(d, origin), end) - origin).days / span

    group = slide.shapes.add_group_shape()
    group.name = "Feuille de route"
    _alt(
        group,
        "Feuille de route des premières priorités ; les prérequis sont hachurés, la mise en œuvre est pleine. "
        + "; ".join(f"{a.rang}. {a.action.intitule} : de {month_year(a.debut)} à {month_year(a.fin)}" for a in chosen)
        + ".",
    )
    top, legend_h = BODY_TOP_IN, 0.45
    for year in range(start_year, end_year + 1):
        x0, x1 = x_of(date(year, 1, 1)), x_of(date(year, 12, 31))
        cell = _rect(group, x0, top, x1 - x0 - 0.02, 0.42, theme.primary)
        cell.name = f"Année {year}"
        _label(deck, group, str(year), x0, top, x1 - x0, 0.42, bold=True, colour="#FFFFFF", align=2)
    y = top + 0.55
    rows_bottom = BODY_BOTTOM_IN - legend_h - 0.1
    events = False
    for k, a in enumerate(chosen):
        text = f"{a.rang}. {a.action.intitule}"
        label_h = wrapped_lines([(_t(text), MIN_PT, False)], label_w) * MIN_PT * LINE_HEIGHT / 72
        row_h = max(label_h, 0.45)
        if k and y + row_h > rows_bottom:
            break
        if k % 2 == 0:
            _rect(group, MARGIN_IN, y - 0.06, SLIDE_W_IN - 2 * MARGIN_IN, row_h + 0.12, theme.light)
        _label(deck, group, text, MARGIN_IN, y, label_w, row_h, anchor="middle")
        bar_h = 0.3
        bar_y = y + (row_h - bar_h) / 2
        for p in a.phases:
            if p.debut > end:
                _label(deck, group, f"après {end_year}", x_of(end) - 1.6, y, 1.6, row_h, align=3, colour=theme.muted)
                continue
            if a.evenement and p.kind == "action":
                events = True
                years = range(p.debut.year, min(p.fin.year, end_year) + 1) if a.en_continu else [p.debut.year]
                for yr in years:
                    when = p.debut.replace(year=yr)
                    _rect(group, x_of(when) - 0.17, bar_y - 0.02, 0.34, 0.34, theme.accent, kind=4)  # diamond
                continue
            x0, x1 = x_of(p.debut), x_of(p.fin)
            _rect(
                group,
                x0,
                bar_y,
                x1 - x0,
                bar_h,
                theme.muted if p.kind == "prerequis" else theme.primary,
                hatch=p.kind == "prerequis",
            )
        y += row_h + 0.18
    if today is not None and origin <= today <= end:
        _rect(group, x_of(today) - 0.015, top + 0.45, 0.03, y - top - 0.5, theme.accent)
    # the legend, at 18 pt
    x = MARGIN_IN
    ly = BODY_BOTTOM_IN - legend_h
    entries = [("Prérequis", "hatch"), ("Mise en œuvre", "solid")]
    if events:
        entries.append(("Événement", "diamond"))
    if today is not None and origin <= today <= end:
        entries.append((f"Date du rapport ({month_year(today)})", "line"))
    for text, kind in entries:
        if kind == "line":
            _rect(group, x + 0.2, ly + 0.05, 0.03, legend_h - 0.1, theme.accent)
        elif kind == "diamond":
            _rect(group, x + 0.05, ly + 0.06, 0.32, 0.32, theme.accent, kind=4)
        else:
            _rect(
                group, x, ly + 0.1, 0.45, 0.25, theme.muted if kind == "hatch" else theme.primary, hatch=kind == "hatch"
            )
        w = text_width_pt(_t(text), MIN_PT) / 72 + 0.2
        _label(deck, group, text, x + 0.55, ly, w, legend_h)
        x += 0.55 + w + 0.35


def _set_properties(prs, view) -> None:
    """The file's properties as the Word report's: title, French, written by pilier-eco on the report's date;
    python-pptx's template leftovers (its 2013 dates, its PowerPoint application, its thumbnail) gone."""
    from datetime import UTC, datetime

    props = prs.core_properties
    props.title, props.subject = _t(view.meta.title)[:255], "Restitution au comité de pilotage"
    props.keywords, props.comments = _t(view.meta.keywords)[:255], "Document généré avec pilier-eco."
    props.author = props.last_modified_by = "pilier-eco"
    props.revision, props.language = 1, "fr-FR"
    day = french_date(view.meta.generated) or date.today()
    props.created = props.modified = datetime(day.year, day.month, day.day, tzinfo=UTC)
    package = prs.part.package
    for r_id, rel in list(package._rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            package._rels.pop(r_id)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = APP_XML.encode("utf-8")
    # the template's Apple print settings go with their relationship (a part no relationship reaches is not
    # written, nor its content-type override)
    for r_id, rel in list(prs.part.rels.items()):
        if rel.reltype.endswith("/printerSettings"):
            prs.part.rels.pop(r_id)


#: The most slides a deck has (issue 24: 10 to 14).
MAX_SLIDES = 14


def build_deck(view, diag: Diagnostic | None, target: str | Path, draft: bool = False) -> int:
    """Write the deck for `view` to `target` (not atomic); return the number of slides. The actions « à
    reconfigurer » have their own slide when the deck holds it (MAX_SLIDES); else the decisions slide, which
    always names them (« Décider de la suite de … »), is where they are."""
    n = _build_deck(view, diag, target, draft, apart=True)
    if n > MAX_SLIDES and outline.to_reconfigure(view):
        n = _build_deck(view, diag, target, draft, apart=False)
    return n


def _build_deck(view, diag: Diagnostic | None, target: str | Path, draft: bool, apart: bool) -> int:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    _set_properties(prs, view)
    deck = Deck(prs, view.theme, draft)
    notes = speaker_notes(view)

    _title_slide(deck, view)  # 1
    _figures_slide(deck, view, notes.get("chiffres", []))  # 2
    _enjeux_slide(deck, view, notes.get("enjeux", []))  # 3
    _perception_slide(deck, view, notes.get("salle", []))  # 4

    # 5-6. priorities: structuring actions apart from quick wins, the report's own lists whole (paginated)
    structuring, quick = outline.structuring_and_quick(view)
    retained = structuring + quick
    if quick and structuring:
        lead = [_action_line(a) for a in structuring]
        _list_slides(deck, "Priorités : actions structurantes", lead, notes.get("structurantes", []))
        _list_slides(deck, "Priorités : gains rapides", [_action_line(a) for a in quick], notes.get("gains", []))
    else:
        prio = [*notes.get("structurantes", []), *notes.get("gains", [])]
        _list_slides(
            deck,
            "Actions prioritaires",
            [_action_line(a) for a in retained],
            prio,
            empty="Aucune action n'atteint la priorité 2.",
        )
    reconfigure = outline.to_reconfigure(view)
    if reconfigure and apart:  # shown as such, never among the priorities (the report's « À reconfigurer » paragraph)
        said = [d for d in getattr(view, "decisions", ()) if any(f"« {a.intitule} »" in d for a in reconfigure)]
        _list_slides(deck, "À reconfigurer avant d'être engagées", [_action_line(a) for a in reconfigure], said)

    _roadmap_slide(deck, view, diag, notes.get("feuille", []))  # 7

    # 8-9. vigilance: five to eight points
    _list_slides(
        deck,
        "Points de vigilance",
        _vigilance_items(view),
        notes.get("vigilance", []),
        empty="Aucun point bloquant ni d'attention.",
    )

    # 10. transferable experiences
    exps = [
        Item(
            e.lieu
            + (f", depuis {e.annee}" if e.annee not in ("", "—") else "")
            + (f" — pour : {e.pour[0]}" if e.pour else ""),
            bold_head=f"{e.titre} — ",
        )
        for e in view.experiences[:4]
    ]
    _list_slides(
        deck,
        "Expériences transférables",
        exps,
        # the place after a dash, never in brackets: « Alès (Alès Agglomération) » has its own
        [f"{e.titre} — {e.lieu} : {e.resume}" for e in view.experiences[:4]],
        empty="Aucune expérience du catalogue ne correspond aux actions envisagées.",
    )

    # 11. decisions asked of the comité
    decisions = notes.get("decisions", [])  # synthesis paragraphs no other slide took
    own = list(getattr(view, "decisions", ()))
    items = (
        [Item(d) for d in own]
        or [Item(s) for d in decisions for s in outline.sentences(d)]
        or [Item(t, h) for h, t in outline.decisions(view)]
    )
    _list_slides(deck, "Décisions attendues du comité", items, [*decisions, *own])

    # 12. next steps to the revue annuelle
    steps = [*notes.get("feuille", []), *notes.get("suite", [])]
    items = [Item(s) for line in steps for s in outline.sentences(line) if not s.endswith(":")]  # not its lead-in
    items = items or [_action_line(a) for a in retained[:4]]
    _list_slides(deck, "Prochaines étapes jusqu'à la revue annuelle", items, notes.get("suite", []))

    name_themes(prs.part.package)  # the slide master's and the notes master's, added with the first notes
    prs.save(str(target))
    return deck.count


def _first_src(html: str) -> str:
    m = re.search(r'src="([^"]+)"', str(html or ""))
    return m.group(1) if m else ""


def _gantt_picture(view) -> Picture | None:
    """Without the Diagnostic: the report's first Gantt chart."""
    if view.gantt_charts:
        svg, alt = view.gantt_charts[0]
        return picture(_first_src(svg), view.data_uris, alt)
    return None


def render_pptx(
    diag: Diagnostic,
    path: str | Path,
    theme: Theme | None = None,
    detailed: int | None = None,
    generated: date | None = None,
) -> Path:
    """The comité de pilotage deck (10 to 14 slides), written atomically."""
    from .shared import view_for

    view = view_for(diag, theme, generated, detailed)
    draft = is_draft(view, diag)
    return atomic_write(path, lambda tmp: build_deck(view, diag, tmp, draft))
