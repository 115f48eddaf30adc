"""The restitution deck for the comité de pilotage (python-pptx), a renderer of the report's view.

Ten to fourteen 16:9 slides, each with a real title placeholder (the outline, the slide sorter and screen
readers see it): the territory in figures, the enjeux (the report's chart), data against perception, the
priorities (structuring actions apart from quick wins), the roadmap (Gantt of the first priorities, drawn
by the report's own chart function), five to eight vigilance points, transferable experiences, decisions
asked of the comité, next steps to the revue annuelle.

Every sentence comes from the view (`build_view`): the slide shows its items, and the speaker notes carry
the synthesis paragraphs (`view.narrative`) that belong to it, word for word. Nothing under 18 pt (read from
the back of a room): a list that does not fit continues on a second slide, or an item is shortened on the
slide with its full text in the notes. Colours are the report theme's. Text is inert: runs only, XML-invalid
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
from .raster import Picture, picture, svg_to_png
from .word import DRAFT_MARK, clean, is_draft

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
GANTT_ACTIONS = 5  # actions on the roadmap slide; the report has them all
CHAR_EM = 0.45  # average width of a character, in em, for fitting text (Arial, French text)


def _t(text: str) -> str:
    """Slide text: French typography (no-break spaces, apostrophes), as `french_html` gives the PDF; inert."""
    return french_text(clean(text))


# --- text fitting ---------------------------------------------------------------------------------------


def _lines(text: str, width_in: float, size_pt: float) -> int:
    per_line = max(8, int(width_in * 72 / (size_pt * CHAR_EM)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def text_height_in(text: str, width_in: float, size_pt: float) -> float:
    return _lines(text, width_in, size_pt) * size_pt * 1.2 / 72 + size_pt * 0.45 / 72


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


@dataclass
class Item:
    text: str
    bold_head: str = ""  # printed in bold before the text
    level: int = 0
    size: float = BODY_PT

    def full(self) -> str:
        return f"{self.bold_head}{self.text}"


def fit(items: Sequence[Item], width_in: float, height_in: float) -> tuple[list[Item], list[Item]]:
    """Items that fit in the box, and the rest (never fewer than one item on a slide)."""
    used = 0.0
    kept: list[Item] = []
    for k, item in enumerate(items):
        h = text_height_in(item.full(), width_in - 0.4 - 0.3 * item.level, item.size)
        if kept and used + h > height_in:
            return kept, list(items[k:])
        kept.append(item)
        used += h
    return kept, []


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
        p.space_after = Pt(item.size * 0.45)
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
    deck: Deck, title: str, items: Sequence[Item], notes: Sequence[str], max_slides: int = 2, empty: str = ""
) -> None:
    """Items over one slide, or more (up to `max_slides`, numbered); an item too long for a slide is shortened."""
    width, height = SLIDE_W_IN - 2 * MARGIN_IN, BODY_BOTTOM_IN - BODY_TOP_IN
    per_slide_chars = int(height * 72 / (BODY_PT * 1.2)) * int(width * 72 / (BODY_PT * CHAR_EM))
    if not items:
        slide = _new_slide(deck, title, notes)
        _bullets(deck, slide, [Item(empty)], MARGIN_IN, BODY_TOP_IN, width, height)
        return

    def paginate(budget: int) -> list[list[Item]]:
        rest = [Item(shorten(i.text, budget), i.bold_head, i.level, i.size) for i in items]
        pages = []
        while rest:
            page, rest = fit(rest, width, height)
            pages.append(page)
        return pages

    # the longest items are shortened (at a word, with « … ») only as much as it takes to hold on
    # `max_slides`; no item is ever dropped (below 80 characters an item keeps its own slide space)
    budget = per_slide_chars // 3
    pages = paginate(budget)
    while len(pages) > max_slides and budget > 80:
        budget = max(80, int(budget * 0.85))
        pages = paginate(budget)
    for k, page in enumerate(pages):
        label = f"{title} ({k + 1}/{len(pages)})" if len(pages) > 1 else title
        slide = _new_slide(deck, label, notes if k == 0 else ())
        _bullets(deck, slide, page, MARGIN_IN, BODY_TOP_IN, width, height)


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


def _table(deck: Deck, slide, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    from pptx.util import Inches, Pt

    top, left = BODY_TOP_IN, MARGIN_IN
    row_h = 0.62
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(sum(widths)), Inches(row_h * (len(rows) + 1))
    )
    table = shape.table
    for k, w in enumerate(widths):
        table.columns[k].width = Inches(w)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            p = cell.text_frame.paragraphs[0]
            run = p.add_run()
            run.text = _t(value)
            _font(run, MIN_PT, "#FFFFFF" if r == 0 else deck.theme.text, r == 0 or c == 0)
            if c > 0:
                p.alignment = 2  # centre
            cell.margin_top = cell.margin_bottom = Pt(3)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(deck.theme.primary if r == 0 else "#FFFFFF" if r % 2 else deck.theme.light)


# --- the deck -------------------------------------------------------------------------------------------


def _action_line(a) -> Item:
    when = f" — {a.debut} – {a.fin}" if getattr(a, "debut", "—") not in ("—", "") else ""
    return Item(f"{a.intitule}{when}", bold_head=f"{a.rang}. ")


def _vigilance_items(view) -> list[Item]:
    return [Item(p.message, bold_head=f"{p.niveau} — ") for p in outline.vigilance_points(view)]


def _para_items(paragraphs: Sequence[tuple[str, str]]) -> list[Item]:
    return [Item(s) for _, text in paragraphs for s in outline.sentences(text)]


def _note_texts(paragraphs: Sequence[tuple[str, str]]) -> list[str]:
    return [f"{h}. {t}" if h else t for h, t in paragraphs]


def build_deck(view, diag: Diagnostic | None, target: str | Path, draft: bool = False) -> int:
    """Write the deck for `view` to `target` (not atomic); return the number of slides."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    props = prs.core_properties
    props.title, props.author = _t(view.meta.title)[:255], _t(view.meta.author)[:255]
    props.subject, props.language = "Restitution au comité de pilotage", "fr-FR"
    props.keywords, props.last_modified_by, props.revision = _t(view.meta.keywords)[:255], "pilier-eco", 1
    deck = Deck(prs, view.theme, draft)
    notes = outline.by_topic(view.narrative)
    theme = view.theme
    width = SLIDE_W_IN - 2 * MARGIN_IN

    # 1. title
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text_frame.text = ""
    run = slide.shapes.title.text_frame.paragraphs[0].add_run()
    run.text = _t(shorten(view.meta.territory, 70))  # three lines at 40 pt at most
    _font(run, 40, theme.primary, True)
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
    if draft:
        p = sub.add_paragraph()
        r = p.add_run()
        r.text = DRAFT_MARK
        _font(r, 24, theme.accent, True)
    slide.notes_slide.notes_text_frame.text = _t(view.meta.description)
    deck.count += 1

    # 2. the territory in figures
    slide = _new_slide(deck, "Le territoire en chiffres", _note_texts(notes.get("chiffres", [])))
    figures = list(view.key_figures)[:6]
    cols = 3 if len(figures) > 4 else max(1, len(figures))
    box_w, box_h = (width - 0.3 * (cols - 1)) / cols, 1.9
    for k, f in enumerate(figures):
        x = MARGIN_IN + (k % cols) * (box_w + 0.3)
        y = BODY_TOP_IN + 0.1 + (k // cols) * (box_h + 0.3)
        shape = slide.shapes.add_shape(1, Inches(x), Inches(y), Inches(box_w), Inches(box_h))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(theme.light)
        shape.line.fill.background()
        _flat(shape)
        tf = shape.text_frame
        tf.word_wrap = True
        r = tf.paragraphs[0].add_run()
        r.text = _t(shorten(f.value, 12))
        _font(r, 40, theme.primary, True)
        p = tf.add_paragraph()
        tf.paragraphs[0].alignment = p.alignment = 2  # centre
        r = p.add_run()
        r.text = _t(shorten(f.label, 70))
        _font(r, 20, theme.text)
    rows_used = math.ceil(len(figures) / cols)
    tf = _textbox(slide, MARGIN_IN, BODY_TOP_IN + 0.2 + rows_used * (box_h + 0.3), width, 1.0)
    r = tf.paragraphs[0].add_run()
    r.text = _t(f"Population des quartiers : {view.cover.population} · {len(view.cover.quartiers)} quartiers")
    if len(view.cover.quartiers) == 1:
        r.text = _t(f"Population du quartier : {view.cover.population} · {view.cover.quartiers[0]}")
    _font(r, 20, theme.muted)

    # 3. enjeux: the report's chart
    slide = _new_slide(deck, "Les enjeux du territoire", _note_texts(notes.get("enjeux", [])))
    pic = picture(_first_src(view.enjeux_chart), view.data_uris, view.enjeux_alt)
    if pic is not None:
        _picture(slide, pic, MARGIN_IN, BODY_TOP_IN, width, BODY_BOTTOM_IN - BODY_TOP_IN)

    # 4. data vs perception
    enjeux = [e for e in view.enjeux if e.parts][:6]
    atelier = getattr(view, "atelier", None)
    slide = _new_slide(
        deck,
        "Ce que disent les données, ce que perçoit la salle",
        [atelier.synthese] if atelier is not None and atelier.synthese else (),
    )
    if enjeux:
        header = ["Enjeu", *(p.label for p in enjeux[0].parts), "Score"]
        rows = [[shorten(e.libelle, 48), *("—" if p.missing else p.value for p in e.parts), e.score] for e in enjeux]
        first = 4.6
        rest_w = (width - first) / (len(header) - 1)
        _table(deck, slide, header, rows, [first, *([rest_w] * (len(header) - 1))])
        split = [e.libelle for e in view.enjeux if e.dissensus]
        if split:
            tf = _textbox(slide, MARGIN_IN, BODY_TOP_IN + 0.62 * (len(rows) + 1) + 0.2, width, 0.8)
            r = tf.paragraphs[0].add_run()
            r.text = _t("Avis partagés dans la salle : " + " ; ".join(split[:3]))
            _font(r, 20, theme.accent, True)

    # 5-6. priorities: structuring actions apart from quick wins
    structuring, quick = outline.structuring_and_quick(view)
    retained = structuring + quick
    prio_notes = _note_texts(notes.get("priorites", []))
    if quick and structuring:
        _list_slides(
            deck, "Priorités : actions structurantes", [_action_line(a) for a in structuring[:5]], prio_notes, 1
        )
        _list_slides(deck, "Priorités : gains rapides", [_action_line(a) for a in quick[:5]], (), 1)
    else:
        _list_slides(deck, "Actions prioritaires", [_action_line(a) for a in retained[:6]], prio_notes, 1)

    # 7. roadmap: Gantt of the first priorities, drawn by the report's chart function
    slide = _new_slide(deck, "Feuille de route des premières priorités", ())
    gantt = _gantt(view, diag)
    if gantt is not None:
        _picture(slide, gantt, MARGIN_IN, BODY_TOP_IN, width, BODY_BOTTOM_IN - BODY_TOP_IN)

    # 8-9. vigilance: five to eight points
    _list_slides(
        deck,
        "Points de vigilance",
        _vigilance_items(view),
        _note_texts(notes.get("vigilance", [])),
        2,
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
        [f"{e.titre} ({e.lieu}) : {e.resume}" for e in view.experiences[:4]],
        1,
        empty="Aucune expérience du catalogue ne correspond aux actions envisagées.",
    )

    # 11. decisions asked of the comité
    decisions = notes.get("decisions", [])  # a synthesis paragraph about them, if any
    own = list(getattr(view, "decisions", ()))
    items = [Item(d) for d in own] or _para_items(decisions) or [Item(t, h) for h, t in outline.decisions(view)]
    _list_slides(deck, "Décisions attendues du comité", items, [*_note_texts(decisions), *own], 1)

    # 12. next steps to the revue annuelle
    steps = notes.get("suite", [])
    items = _para_items(steps) or [_action_line(a) for a in retained[:4]]
    _list_slides(deck, "Prochaines étapes jusqu'à la revue annuelle", items, _note_texts(steps), 1)

    prs.save(str(target))
    return deck.count


def _first_src(html: str) -> str:
    m = re.search(r'src="([^"]+)"', str(html or ""))
    return m.group(1) if m else ""


def _gantt(view, diag: Diagnostic | None) -> Picture | None:
    """The first priorities' Gantt (at most GANTT_ACTIONS: readable on a projector), else the report's first chart."""
    if diag is not None:
        from . import charts

        keys = {a.key for a in view.actions if a.priorite in (1, 2)}
        chosen = [a for a in diag.actions if a.key in keys and a.phases][:GANTT_ACTIONS] or [
            a for a in diag.actions if a.phases
        ][:GANTT_ACTIONS]
        if chosen:
            periode = diag.territoire.periode or diag.periode
            chart = charts.gantt_chart(
                chosen, periode, view.theme, chart_id="slide-gantt", jalons=diag.jalons, today=diag.generated
            )
            pic = svg_to_png(chart.svg)
            return Picture(pic.data, pic.width_px, pic.height_px, chart.alt)
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
