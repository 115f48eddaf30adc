"""What participants score: the ten enjeux, then each candidate action once, as the Votes reader resolves it."""

from __future__ import annotations

from toolkit.catalog import enjeux, packaged_catalogue
from toolkit.model import Vote
from toolkit.workshop.items import ballot_items

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_every_enjeu_then_every_action_once(sample_workbook):
    items = ballot_items(sample_workbook, CAT)
    codes = [e.code for e in enjeux()]
    assert [i.objet for i in items[: len(codes)]] == codes
    actions = items[len(codes) :]
    assert all(i.kind == "action" for i in actions)
    assert len(actions) == len({a.key for a in sample_workbook.actions})
    assert all(i.libelle for i in items)


def test_local_action_is_written_by_its_title_so_the_reader_finds_it(sample_workbook):
    libre = next(a for a in sample_workbook.actions if a.code == "LIBRE")
    item = next(i for i in ballot_items(sample_workbook, CAT) if i.key == libre.key)
    assert item.objet == libre.intitule.strip()
    # the same resolution the validator applies to the Votes sheet
    from toolkit.io.reader import RawSheet
    from toolkit.validate.table import Collector
    from toolkit.validate.votes import read_votes

    sheet = RawSheet("Votes", (("Participant", "Structure", "Objet", "Note (1-5)"), ("P01", "", item.objet, 4)))
    votes = read_votes(sheet, Collector("x.xlsx"), sample_workbook.actions, CAT)
    assert votes == (Vote("P01", None, libre.key, 4, votes[0].cell),)
