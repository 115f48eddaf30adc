"""French typography on text nodes only: no-break spaces before : ; ! ? » and after «, apostrophes."""

from toolkit.typography import NBSP, NNBSP, french_html, french_text


def test_text_nodes_get_french_spaces_and_apostrophes():
    html = "<p>Note : l&#39;enjeu « fort » ; oui ! et ?</p>"
    out = french_html(html)
    assert out == f"<p>Note{NBSP}: l’enjeu «{NBSP}fort{NBSP}»{NNBSP}; oui{NNBSP}! et{NNBSP}?</p>"


def test_tags_urls_styles_and_times_are_left_alone():
    html = (
        '<a href="http://x.fr/a?b=1" class="c:d">http://x.fr</a> 10:30'
        "<style>a:hover { color : red ; }</style><script>var a = 1 ; </script>"
    )
    assert french_html(html) == html


def test_the_rendered_report_has_no_ordinary_space_before_french_signs():
    import re
    from datetime import date
    from pathlib import Path

    import toolkit as pe
    from toolkit.report.render import render_report_html

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "vauvert.xlsx"
    html = render_report_html(pe.diagnose(pe.read(sample), today=date(2026, 12, 2)))
    html = re.sub(r"<style\b.*?</style>", "", html, flags=re.DOTALL)  # the stylesheet is not text anyone reads
    assert re.findall(r" [:;!?»]|« ", html) == []
    assert re.findall(r"\w(?:'|&#39;)\w", html) == []
    assert html.count(NBSP + ":") > 50 and "’" in html


def test_imprimerie_nationale_numbers_units_and_nested_quotes():
    """« n° » and a unit stay with their number; quotes inside « » are “ ” (issue 23 point 5)."""
    assert french_text("décret n° 2023-1314") == "décret n°\u00a02023-1314"
    assert french_text("40 % en 2 ans, 12 000 € et 3 M€") == "40\u00a0% en 2\u00a0ans, 12\u202f000\u00a0€ et 3\u00a0M€"
    # a date's day stays with its month; a year before a month is not a day
    assert french_text("le 7 novembre 2024, le 1er octobre, en 2024 mars") == (
        "le 7\u00a0novembre 2024, le 1er\u00a0octobre, en 2024 mars"
    )
    # a number typed with plain spaces between its groups (an indicator's label) never breaks inside
    assert french_text("Établissements pour 1 000 habitants") == "Établissements pour 1\u202f000\u00a0habitants"
    # a count never parted from the word it counts; a year, or a number before a small word, keeps its space
    assert french_text("pour 7 actions, 0,7 point, en 2020 contre, n° 27 et 3 sur 5") == (
        "pour 7\u00a0actions, 0,7\u00a0point, en 2020 contre, n°\u00a027 et 3 sur 5"
    )
    assert french_text("2 500 000 € ; 12 3456 ; 2024 12") == "2\u202f500\u202f000\u00a0€\u202f; 12 3456\u202f; 2024 12"
    assert french_text("« la « ville » est »") == "«\u00a0la “ville” est\u00a0»"
    assert french_text("« A » et « B »") == "«\u00a0A\u00a0» et «\u00a0B\u00a0»"  # side by side, not nested
