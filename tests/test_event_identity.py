"""Which event a sentence speaks of, when, and whether it happened (SPEC §3, "What counts as
stated, in real news"), on short texts written for these tests about stories that are not the
sample one: a Caspian ferry accord, an ocean summit in Lisbon, a Colombian peace deal and a
Horn of Africa truce. Each case is one article and one assertion with the exact verdict an
editor reads off the text; the near misses (another city, a second agreement, a modal
signature, a weekday with nothing to place it) must stay `unknown`.

Every story's articles are checked in one run (one spaCy pass), then each case looks its cell up.
"""
from __future__ import annotations

import pytest

from story_cases import Case, Stories, all_cases, assert_verdict, check_stories




STORIES: Stories = {}

# --------------------------------------------------------------------------- a ferry accord (Baku, 2024)

CASPIAN_KB = """\
entities:
  Kazakhstan: {aliases: [Astana government]}
  Azerbaijan: {aliases: [Baku government]}
  Tokayev: {aliases: [Kassym-Jomart Tokayev], part_of: [Kazakhstan]}
  Aliyev: {aliases: [Ilham Aliyev], part_of: [Azerbaijan]}
events:
  Baku accord:
    kind: agreement
    place: Baku
    aliases: [ferry accord, ferry agreement]
  Astana talks:
    kind: talks
    place: Astana
"""
THU = "2024-03-14"  # a Thursday

CASPIAN = [
    Case("the talks in their own city", "Negotiators met in Astana on Monday and the talks lasted six hours.",
         "duration(Astana talks) == 6 hours", "pass", THU),
    Case("talks in another city give nothing", "Talks in Tashkent lasted four hours on Monday, officials said.",
         "duration(Astana talks) == 6 hours", "unknown", THU),
    Case("talks in another city are not dated either", "Talks in Tashkent opened on Monday, officials said.",
         "date(Astana talks) == 2024-03-11", "unknown", THU),
    Case("an agreement is the one agreement the KB knows",
         "The foreign minister said Tokayev had signed an agreement with Aliyev on Tuesday.",
         "signed(Baku accord) includes Tokayev", "pass", THU),
    Case("a historic accord is still that accord", "Tokayev and Aliyev signed a historic accord on Tuesday.",
         "date(Baku accord) == 2024-03-12", "pass", THU),
    Case("a second agreement is another one", "Tokayev signed a second agreement with Aliyev on Tuesday.",
         "signed(Baku accord) includes Tokayev", "unknown", THU),
    Case("another deal is another one", "Aliyev later signed another deal with the Kazakh side on Wednesday.",
         "date(Baku accord) == 2024-03-13", "unknown", THU),
    Case("a separate deal is another one", "The two leaders also signed a separate deal on grain on Wednesday.",
         "date(Baku accord) == 2024-03-13", "unknown", THU),
    Case("an agreement in another city is another one", "Kazakhstan and Azerbaijan signed an agreement in Aktau on Monday.",
         "date(Baku accord) == 2024-03-11", "unknown", THU),
    Case("a qualifier no KB name uses sets a deal apart", "Tokayev signed a pipeline deal with Aliyev on Tuesday.",
         "signed(Baku accord) includes Tokayev", "unknown", THU),
    Case("the alias with a word inside", "The Baku ferry accord was signed on Tuesday, the ministry said.",
         "date(Baku accord) == 2024-03-12", "pass", THU),
    Case("may sign states no signature", "Diplomats said Tokayev may sign the ferry accord next week.",
         "signed(Baku accord) includes Tokayev", "unknown", THU),
    Case("once signed states no signature", "Once the ferry accord is signed by Aliyev, crossings will resume.",
         "signed(Baku accord) includes Aliyev", "unknown", THU),
    Case("expected to sign states no signature", "Aliyev is expected to sign the ferry accord in Baku.",
         "signed(Baku accord) includes Aliyev", "unknown", THU),
    Case("plans to sign states no signature", "Tokayev plans to sign the ferry accord before the summer.",
         "signed(Baku accord) includes Tokayev", "unknown", THU),
    Case("suggestions that he would sign state no signature",
         "There were suggestions that Aliyev would sign the ferry accord soon.",
         "signed(Baku accord) includes Aliyev", "unknown", THU),
    Case("a refusal is a signature denied", "Aliyev refused to sign the ferry accord on Tuesday.",
         "signed(Baku accord) excludes Aliyev", "pass", THU),
    Case("an attributed signature counts", "According to state media, Tokayev signed the ferry accord on Tuesday.",
         "signed(Baku accord) includes Tokayev", "pass", THU),
    Case("a scheduled signing counts", "Tokayev will sign the ferry accord in Baku on Saturday.",
         "date(Baku accord) == 2024-03-16", "pass", THU),
]
STORIES["caspian"] = (CASPIAN_KB, "caspian", CASPIAN)

# --------------------------------------------------------------------------- an ocean summit (Lisbon, 2025)

OCEAN_KB = """\
entities:
  Portugal: {aliases: [Lisbon government]}
  Kenya: {}
  Montero: {aliases: [Luisa Montero], part_of: [Portugal]}
events:
  Lisbon summit:
    kind: summit
    place: Lisbon
  Madrid meeting:
    kind: meeting
    place: Madrid
"""
SAT = "2025-06-07"  # a Saturday

OCEAN = [
    Case("ahead of Sunday's summit points forward", "Fishing ministers arrived on Friday, ahead of Sunday's summit in Lisbon.",
         "date(Lisbon summit) == 2025-06-08", "pass", SAT),
    Case("the clause's own date is not the summit's",
         "Kenya confirmed its delegation on Thursday, ahead of the summit in Lisbon.",
         "date(Lisbon summit) == 2025-06-05", "unknown", SAT),
    Case("after Monday's meeting points back", "The plan was drafted after Monday's meeting in Madrid.",
         "date(Madrid meeting) == 2025-06-02", "pass", SAT),
    Case("a possessive weekday", "Tuesday's meeting in Madrid ended without a text.",
         "date(Madrid meeting) == 2025-06-03", "pass", SAT),
    Case("a country as topic is no venue", "Delegates gathered in Madrid on Monday for a meeting on Portugal.",
         "date(Madrid meeting) == 2025-06-02", "pass", SAT),
    Case("a news conference is no meeting", "Montero gave a news conference in Madrid on Monday.",
         "date(Madrid meeting) == 2025-06-02", "unknown", SAT),
    Case("a reporting verb dates the saying", "Participants in the Madrid meeting said on Monday that progress was slow.",
         "date(Madrid meeting) == 2025-06-02", "unknown", SAT),
    Case("a holding host places the summit", "Portugal plans to hold a summit on the oceans on June 8.",
         "hosts(Lisbon summit) includes Portugal", "pass", SAT),
    Case("the host of an unplaced summit dates it", "Portugal will host a summit on the oceans on June 8.",
         "date(Lisbon summit) == 2025-06-08", "pass", SAT),
    Case("a summit in another city is another one", "Kenya hosted a summit in Mombasa on Monday.",
         "hosts(Lisbon summit) includes Kenya", "unknown", SAT),
    Case("the failure of the meeting is dated, not the meeting",
         "Officials played down the meeting's failure on Friday.",
         "date(Madrid meeting) == 2025-06-06", "unknown", SAT),
    Case("a month-day with no year and no publication date", "The summit in Lisbon opened on June 8.",
         "date(Lisbon summit) == 2025-06-08", "pass", None),
    Case("a month-day with no year contradicts another day", "The summit in Lisbon opened on June 9.",
         "date(Lisbon summit) == 2025-06-08", "fail", None),
    Case("a weekday with nothing to place it", "The summit in Lisbon opens on Sunday.",
         "date(Lisbon summit) == 2025-06-08", "unknown", None),
    Case("a date with a clock time", "The summit in Lisbon opened on June 8, 10:00, with a speech by Montero.",
         "date(Lisbon summit) == 2025-06-08", "pass", SAT),
    Case("a date on a guessed event is not enough to fail",
         "Leaders reached Lisbon for the ocean summit in Lisbon.\n\nTalks ended on Monday without a deal.",
         "date(Lisbon summit) == 2025-06-08", "unknown", SAT),
    Case("the precise value that names the event decides", "The summit in Lisbon opened on June 8. "
         "Officials had first said the Lisbon summit would be held in July.",
         "date(Lisbon summit) == 2025-06-08", "pass", SAT),
    Case("month-only is less precise than a day", "The summit in Lisbon is set to take place next month.",
         "date(Lisbon summit) == 2025-07-08", "unknown", SAT),
]
STORIES["ocean"] = (OCEAN_KB, "ocean", OCEAN)

# --------------------------------------------------------------------------- a peace deal (Colombia, 2016)

PEACE_KB = """\
entities:
  FARC: {aliases: [Revolutionary Armed Forces of Colombia]}
  Colombia: {aliases: [Bogota government]}
  Santos: {aliases: [Juan Manuel Santos], part_of: [Colombia]}
  Londono: {aliases: [Rodrigo Londono, Timochenko], part_of: [FARC]}
events:
  peace accord:
    kind: agreement
    place: Cartagena
    aliases: [Cartagena accord, final accord]
  signing ceremony:
    kind: ceremony
    place: Cartagena
  Havana talks:
    kind: talks
    place: Havana
"""
TUE = "2016-09-27"  # a Tuesday

PEACE = [
    Case("signing at the ceremony's venue dates the ceremony",
         "Santos and Londono signed the accord in Cartagena on Monday.",
         "date(signing ceremony) == 2016-09-26", "pass", TUE),
    Case("a signing elsewhere does not", "Santos and Londono signed the accord in Havana on Monday.",
         "date(signing ceremony) == 2016-09-26", "unknown", TUE),
    Case("a ceremony with its weekday in one date phrase", "Santos signed the accord in a ceremony Monday in Cartagena.",
         "date(signing ceremony) == 2016-09-26", "pass", TUE),
    Case("the deal's own date", "The peace accord was sealed in Cartagena on Monday.",
         "date(peace accord) == 2016-09-26", "pass", TUE),
    Case("a purpose clause does not steal the date",
         "Santos and Londono signed an accord to end the war in Cartagena yesterday.",
         "date(peace accord) == 2016-09-26", "pass", TUE),
    Case("an earlier truce does not lend its date", "An earlier truce was agreed in Havana in June.",
         "date(peace accord) == 2016-06", "unknown", TUE),
    Case("talks in Havana are the Havana talks", "The talks in Havana lasted four years.",
         "duration(Havana talks) == 4 years", "pass", TUE),
    Case("talks in Oslo are not", "The talks in Oslo lasted two days.",
         "duration(Havana talks) == 2 days", "unknown", TUE),
    Case("signed with: both signed", "Santos signed the final accord with Londono on Monday.",
         "signed(peace accord) includes Londono", "pass", TUE),
    Case("the ceremony at which the deal was signed dates the deal",
         "The ceremony at which the accord was signed took place on Saturday.",
         "date(peace accord) == 2016-09-24", "pass", TUE),
    Case("a deal known as the KB's accord is that accord", "Londono signed a deal known as the Cartagena accord.",
         "signed(peace accord) includes Londono", "pass", TUE),
    Case("an apposition names the deal", "The deal, the Cartagena accord, was sealed on Monday.",
         "date(peace accord) == 2016-09-26", "pass", TUE),
    Case("three days after the signing", "The accord was signed on Monday. Talks in Havana resumed three days "
         "after the signing.", "date(Havana talks) == 2016-09-29", "pass", TUE),
    Case("an alias with a word inside it", "The Cartagena peace accord was sealed on Monday.",
         "date(peace accord) == 2016-09-26", "pass", TUE),
]
STORIES["peace"] = (PEACE_KB, "peace", PEACE)


# --------------------------------------------------------------------------- machinery


@pytest.fixture(scope="module")
def cells(tmp_path_factory) -> dict[tuple[str, str], object]:
    return check_stories(STORIES, tmp_path_factory.mktemp)


ALL = all_cases(STORIES)


def test_enough_cases_on_enough_stories():
    assert len(ALL) >= 40 and len(STORIES) >= 3 and len({name for name, _ in ALL}) == len(ALL)


@pytest.mark.nlp
@pytest.mark.parametrize("name, case", ALL, ids=[name for name, _ in ALL])
def test_case(cells, name, case):
    assert_verdict(cells, name, case)



@pytest.mark.nlp
def test_facts_say_which_event_a_fact_was_resolved_to_and_why(tmp_path, capsys):
    from factcheck import cli

    (tmp_path / "kb.entities.yaml").write_text(OCEAN_KB, encoding="utf-8")
    (tmp_path / "a.txt").write_text(f"---\npublished: {SAT}\n---\nThe Madrid meeting opened on Monday. "
                                    "Portugal will host a summit on the oceans on June 8.\n", encoding="utf-8")
    assert cli.main(["facts", str(tmp_path / "a.txt"), "--entities", str(tmp_path / "kb.entities.yaml"),
                     "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "date(Madrid meeting) = 2025-06-02\n" in out and "event: Madrid meeting (KB alias)" in out
    assert "hosts(Lisbon summit) = Portugal" in out and "event: Lisbon summit (kind + place)" in out
