"""The generated workbook: contract sheets and headers, lists, help, examples, pre-filling, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from toolkit import model
from toolkit.catalog import packaged_catalogue
from toolkit.catalog.enjeux import enjeux
from toolkit.catalog.governance import questions
from toolkit.catalog.prefill import UnknownQpvError
from toolkit.io.template import HEADER_ROW, append_rows, build_workbook, fill_by_key, fill_territoire, make_template
from toolkit.layout import ACTIONS
from toolkit.typography import french_text

# Contract v1 headers, copied from the spec (not from the template module) so a drift is caught. The template
# shows them in French typography (Note de l’année): compare with french_text(header).
CONTRACT = {
    "Territoire": ["Champ", "Valeur"],
    "Indicateurs": [
        "Code",
        "Libellé",
        "Valeur quartier",
        "Valeur référence",
        "Territoire de référence",
        "Année",
        "Source",
        "Enjeu",
        "Sens",
        "Commentaire",
        "Année cible",
        "Valeur cible",
        "Valeur commune",
        "Valeur EPCI ou unité urbaine",
        "Valeur ensemble des QPV",
        "Valeur France",
    ],
    "Enjeux": ["Enjeu", "Importance perçue (1-5)", "Atouts", "Faiblesses", "Commentaire"],
    "Acteurs": ["Structure", "Type", "Rôle", "Implication (0-3)", "Signataire du contrat"],
    "Gouvernance": ["Code", "Question", "Réponse", "Commentaire"],
    "Actions": [
        "Code",
        "Intitulé",
        "Champ",
        "Enjeux visés",
        "Impact attendu (1-5)",
        "Faisabilité (1-5)",
        "Coût estimé (€)",
        "Pilote pressenti",
        "Partenaires",
        "Diagnostic préalable",
        "Étude de faisabilité",
        "Mobilisation des partenaires",
        "Échéance souhaitée",
        "Commentaire",
        # Suivi 2024–2030, optional
        "Statut (suivi)",
        "Date de démarrage réelle",
        "Budget engagé (€)",
        "Budget réalisé (€)",
        "Indicateur de résultat",
        "Valeur du résultat",
        "Note de l'année",
        "Lien vers une preuve",
        # Feuille de route (target and funding), optional, last
        "Cible 2030\u00a0: indicateur",
        "Cible 2030\u00a0: valeur",
        "Financeur principal",
        "Nature des crédits",
    ],
    "Votes": ["Participant", "Structure", "Objet", "Note (1-5)"],
}
TERRITOIRE_CHAMPS = [
    "Version",
    "Nom du territoire",
    "Communes",
    "EPCI",
    "Département",
    "Quartiers prioritaires",
    "Population des quartiers",
    "Typologie",
    "Période du contrat de ville",
    "Date du diagnostic",
    "Structure rédactrice",
]

# (sheet, header) -> the values its drop-down must offer
LISTS = {
    ("Indicateurs", "Enjeu"): [e.code for e in enjeux()],
    ("Enjeux", "Enjeu"): [e.code for e in enjeux()],
    ("Votes", "Objet"): [e.code for e in enjeux()] + [a.code for a in packaged_catalogue().actions],
    ("Indicateurs", "Sens"): list(model.SENS_VALUES),
    ("Enjeux", "Importance perçue (1-5)"): [1, 2, 3, 4, 5],
    ("Acteurs", "Type"): list(model.ACTOR_TYPES),
    ("Acteurs", "Implication (0-3)"): [0, 1, 2, 3],
    ("Acteurs", "Signataire du contrat"): ["Oui", "Non"],
    ("Gouvernance", "Réponse"): list(model.REPONSES),
    ("Actions", "Code"): [a.code for a in packaged_catalogue().actions] + ["LIBRE"],
    ("Actions", "Champ"): list(model.CHAMPS),
    ("Actions", "Statut (suivi)"): ["à venir", "en cours", "réalisée", "en pause", "bloquée", "abandonnée"],
    ("Actions", "Impact attendu (1-5)"): [1, 2, 3, 4, 5],
    ("Actions", "Faisabilité (1-5)"): [1, 2, 3, 4, 5],
    ("Actions", "Diagnostic préalable"): list(model.PREREQUIS_STATUSES),
    ("Actions", "Étude de faisabilité"): list(model.PREREQUIS_STATUSES),
    ("Actions", "Mobilisation des partenaires"): list(model.PREREQUIS_STATUSES),
    ("Votes", "Note (1-5)"): [1, 2, 3, 4, 5],
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return make_template(tmp_path_factory.mktemp("tpl") / "vierge.xlsx")


@pytest.fixture(scope="module")
def wb(blank):
    return openpyxl.load_workbook(blank)


def _header(ws) -> list[str]:
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def _col(ws, header: str) -> int:
    return _header(ws).index(french_text(header)) + 1


def _validations_at(ws, coordinate: str):
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def _list_values(wb, formula: str) -> list:
    sheet, ref = formula.split("!")
    assert sheet == "Listes"
    min_col, min_row, _max_col, max_row = range_boundaries(ref.replace("$", ""))
    ws = wb[sheet]
    return [ws.cell(r, min_col).value for r in range(min_row, max_row + 1)]


def test_sheets_in_contract_order_with_hidden_lists(wb):
    assert wb.sheetnames == [
        "Lisez-moi",
        "Territoire",
        "Indicateurs",
        "Enjeux",
        "Acteurs",
        "Gouvernance",
        "Actions",
        "Votes",
        "Listes",
    ]
    assert wb["Listes"].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in wb.sheetnames if s != "Listes")
    assert wb.active.title == "Lisez-moi"


@pytest.mark.parametrize("sheet", list(CONTRACT))
def test_exact_contract_headers_frozen_below(wb, sheet):
    ws = wb[sheet]
    assert _header(ws) == [french_text(h) for h in CONTRACT[sheet]]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.cell(1, 1).value  # a title row above the header


@pytest.mark.parametrize("sheet", list(CONTRACT))
def test_every_header_has_input_help(wb, sheet):
    ws = wb[sheet]
    for cell in ws[HEADER_ROW]:
        if cell.value is None:
            continue
        helps = [dv for dv in _validations_at(ws, cell.coordinate) if dv.showInputMessage and dv.prompt]
        assert helps, f"{sheet}!{cell.coordinate} sans aide"
        assert len(helps[0].prompt) <= 255 and len(helps[0].promptTitle or "") <= 32


def test_no_cell_has_two_validations(wb):
    """Excel accepts one validation per cell; an overlap makes it 'repair' (strip) the whole file."""
    from openpyxl.worksheet.cell_range import CellRange

    for ws in wb.worksheets:
        seen: set[tuple[int, int]] = set()
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                cells = set(CellRange(rng.coord).cells)
                assert not cells & seen, f"{ws.title} : validations superposées en {rng.coord}"
                seen |= cells


def test_all_prompts_within_excel_limits(wb):
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.prompt or "") <= 255 and len(dv.promptTitle or "") <= 32
            assert len(dv.error or "") <= 255 and len(dv.errorTitle or "") <= 32


@pytest.mark.parametrize(("sheet", "header"), list(LISTS))
def test_dropdowns_visible_and_point_to_listes(wb, sheet, header):
    ws = wb[sheet]
    coord = ws.cell(HEADER_ROW + 5, _col(ws, header)).coordinate
    lists = [dv for dv in _validations_at(ws, coord) if dv.type == "list"]
    assert len(lists) == 1, f"{sheet}.{header} : pas de liste en {coord}"
    dv = lists[0]
    assert not dv.showDropDown  # True would HIDE the arrow
    assert dv.formula1.startswith("Listes!$")
    assert _list_values(wb, dv.formula1) == LISTS[(sheet, header)]


def test_indicator_code_list_is_catalogue_and_accepts_perso_codes(wb):
    ws = wb["Indicateurs"]
    dv = next(d for d in _validations_at(ws, "A10") if d.type == "list")
    from toolkit.catalog.indicators import indicators

    assert _list_values(wb, dv.formula1) == [i.code for i in indicators()]
    assert dv.errorStyle == "information"  # PERSO_ codes stay possible


def test_territoire_rows_and_typologie_list(wb):
    ws = wb["Territoire"]
    champs = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(TERRITOIRE_CHAMPS))]
    assert champs == TERRITOIRE_CHAMPS
    assert ws.cell(HEADER_ROW + 1, 2).value == 1  # Version
    typ_row = HEADER_ROW + 1 + TERRITOIRE_CHAMPS.index("Typologie")
    dv = next(d for d in _validations_at(ws, f"B{typ_row}") if d.type == "list")
    assert _list_values(wb, dv.formula1) == list(model.TYPOLOGIES)
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(TERRITOIRE_CHAMPS)):
        assert any(d.prompt for d in _validations_at(ws, f"B{r}")), f"Territoire!B{r} sans aide"


def test_governance_and_enjeux_prefilled_from_catalogues(wb):
    ws = wb["Gouvernance"]
    codes = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value]
    assert len(codes) >= 10 and codes == [q.code for q in questions()]
    assert all(ws.cell(r, 2).value for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(codes)))
    assert all(ws.cell(r, 3).value is None for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(codes)))
    ws = wb["Enjeux"]
    listed = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 11)]
    assert listed == [e.code for e in enjeux()] and len(listed) == 10
    assert all(ws.cell(r, 2).value is None for r in range(HEADER_ROW + 1, HEADER_ROW + 11))


@pytest.mark.parametrize("sheet", ["Indicateurs", "Acteurs", "Actions", "Votes"])
def test_example_rows_are_grey_italic_comments(wb, sheet):
    ws = wb[sheet]
    first = ws.cell(HEADER_ROW + 1, 1)
    assert isinstance(first.value, str) and first.value.startswith("#")
    assert first.font.i and first.font.color.rgb.endswith("808080")


def test_readme_explains_lists_illustratif_comments_and_check(wb):
    text = "\n".join(str(c.value) for c in wb["Lisez-moi"]["A"] if c.value)
    for needle in ("illustratif", "#", "pilier-eco check", "Listes", "Territoire", "Actions", "Votes"):
        assert needle in text


def test_prefilled_carcassonne(tmp_path):
    path = make_template(tmp_path / "c.xlsx", qpv=["QP011002", "qp011003,QP011004", "QP011005", "QP011006"])
    wb = openpyxl.load_workbook(path)
    ws = wb["Territoire"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    assert values["Communes"] == "11069" and values["Département"] == "11"
    assert values["Population des quartiers"] == 2060 + 1862 + 3775 + 1050 + 1084
    assert values["Quartiers prioritaires"].startswith("QP011002 – La Conte - Ozanam; QP011003 –")
    assert "Carcassonne" in values["Nom du territoire"]
    ws = wb["Indicateurs"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value]
    real = [r for r in rows if not str(r[0]).startswith("#")]
    codes = [r[0] for r in real]
    assert "EMPLOI_15_64" in codes and "PAUVRETE" in codes and "ETAB_1000_HAB" in codes
    by_code = {r[0]: r for r in real}
    assert by_code["EMPLOI_15_64"][3] == 64.7  # catalogue reference
    assert all("Hackaviz" in r[6] and "QP011006" in r[6] for r in real)
    assert all(isinstance(r[5], int) for r in real)


def test_unknown_code_writes_nothing(tmp_path):
    with pytest.raises(UnknownQpvError) as err:
        make_template(tmp_path / "x.xlsx", qpv=["QP034021", "QP03402"])
    assert "QP03402" in str(err.value) and "QP034020" in str(err.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_fill_helpers_write_in_template_layout(tmp_path):
    wb = build_workbook(today=date(2025, 3, 1), catalogue=packaged_catalogue())
    fill_territoire(wb["Territoire"], {"nom": "Test"})
    assert wb["Territoire"].cell(HEADER_ROW + 2, 2).value == "Test"  # second field row: Nom du territoire
    rows = append_rows(wb["Actions"], [{"code": "COM_MANAGER", "impact": 4}])
    assert rows == [HEADER_ROW + 3]  # after the two example rows
    assert wb["Actions"].cell(rows[0], 1).value == "COM_MANAGER"
    assert wb["Actions"].cell(rows[0], ACTIONS.index("impact")).value == 4
    with pytest.raises(KeyError):
        append_rows(wb["Actions"], [{"Colonne inconnue": 1}])
    with pytest.raises(KeyError):
        fill_territoire(wb["Territoire"], {"champ_inconnu": 1})
    with pytest.raises(KeyError):
        fill_by_key(wb["Enjeux"], "enjeu", {"PAS_UN_ENJEU": {"importance": 1}})


def _filled(path: Path) -> Path:
    """A template filled programmatically in its own layout, like a chargé de mission would."""
    wb = openpyxl.load_workbook(make_template(path, qpv=["QP034020"]))
    fill_territoire(
        wb["Territoire"],
        {
            "epci": "CC Grand Orb",
            "typologie": "Petite ville",
            "periode": "2024-2030",
            "date": date(2025, 3, 14),
            "structure": "CC Grand Orb",
        },
    )
    append_rows(
        wb["Indicateurs"],
        [
            {
                "code": "VACANCE_COMMERCIALE",
                "valeur": 18,
                "reference": 9.5,
                "territoire_ref": "Centres-villes (France)",
                "annee": 2024,
                "source": "illustratif",
            }
        ],
    )
    fill_by_key(wb["Enjeux"], "enjeu", {"COMMERCE": {"importance": 5}})
    append_rows(wb["Acteurs"], [{"structure": "CC Grand Orb", "type": "EPCI", "implication": 3, "signataire": "Oui"}])
    fill_by_key(wb["Gouvernance"], "code", {q.code: {"reponse": "Partiel"} for q in questions()})
    append_rows(
        wb["Actions"],
        [
            {
                "code": "COM_BOUTIQUE_ESSAI",
                "impact": 4,
                "faisabilite": 3,
                "cout": 40000,
                "prerequis_diagnostic": "Fait",
                "prerequis_etude": "À faire",
                "prerequis_partenaires": "En cours",
                "echeance": "2026-S2",
            },
            {
                "code": "LIBRE",
                "intitule": "Marché de producteurs",
                "champ": "Commerce",
                "enjeux": "COMMERCE",
                "impact": 3,
                "faisabilite": 4,
            },
        ],
    )
    append_rows(wb["Votes"], [{"participant": "P01", "objet": "COMMERCE", "note": 5}])
    wb.save(path)
    return path


def test_round_trip_template_filled_passes_check(tmp_path):
    from toolkit import validate

    report = validate.check(_filled(tmp_path / "rempli.xlsx"))
    assert not report.errors, [i.format() for i in report.errors]
    assert report.exit_code == 0
    wb = report.workbook
    assert wb.territoire.typologie == "Petite ville" and wb.territoire.communes == ("34028",)
    assert {a.code for a in wb.actions} == {"COM_BOUTIQUE_ESSAI", "LIBRE"}
    assert any(i.code == "EMPLOI_15_64" for i in wb.indicateurs)
    assert all(not i.code.startswith("#") for i in wb.indicateurs)


def test_blank_template_is_read_without_crash(blank):
    from toolkit import validate

    report = validate.check(blank)
    assert report.readable  # empty required fields are errors, but the file itself is understood
    assert not any("Listes" in (i.sheet or "") for i in report.issues)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_opens_in_libreoffice_with_validations(blank, tmp_path):
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(blank),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ods = tmp_path / "vierge.ods"
    content = zipfile.ZipFile(ods).read("content.xml").decode()
    assert content.count("<table:content-validation ") >= 20
    assert "cell-content-is-in-list([$Listes." in content
    assert 'table:display-list="unsorted"' in content  # arrow shown
    assert "<table:help-message" in content
