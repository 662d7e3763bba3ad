"""Who signed, hosted, attended, backed and led, when things began and how long they lasted
(SPEC §2 built-in predicates, §3 verdicts), on short texts written for these tests about four
invented stories set in real places: an Andean fisheries treaty signed in Lima, a Sahel truce
mediated in Algiers, a Balkan border summit in Skopje and a Pacific climate pact sealed in Suva.

Each case is one article and one assertion with the exact verdict an editor reads off the
text. Every construction a desk meets in wire copy has a case ("X witnessed the signing",
"at the invitation of President X", "Qatar, a close ally of X", "the truce took effect on
Sunday", "a week-long summit"), and so has each near miss: a deputy is no leader, "A and B
held talks" names no host, "may back" and "once signed" state nothing, a lower bound is not an
exact length, a second outbreak is not the start. Near misses stay `unknown`, or `fail` where
the text states the opposite.

Every story's articles are checked in one run (one spaCy pass), then each case looks its cell up.
"""
from __future__ import annotations

import pytest

from story_cases import Case, Stories, all_cases, assert_verdict, check_stories




STORIES: Stories = {}

# --------------------------------------------------------------------------- a fisheries treaty (Lima, 2025)

ANDES_KB = """\
entities:
  Peru: {aliases: [Lima government]}
  Chile: {}
  Ecuador: {}
  Colombia: {}
  Paredes: {aliases: [Luis Paredes], part_of: [Peru], type: person}
  Soto: {aliases: [Ana Soto], part_of: [Chile], type: person}
  Ibarra: {aliases: [Diego Ibarra], part_of: [Chile], type: person}
  Vera: {aliases: [Marta Vera], part_of: [Ecuador], type: person}
  Lara: {aliases: [Ivan Lara], part_of: [Colombia], type: person}
  Green Alliance: {aliases: [Green Alliance party], type: organisation}
  Rojas: {aliases: [Tomas Rojas], part_of: [Green Alliance], type: person}
  Mendez: {aliases: [Carla Mendez], part_of: [Green Alliance], type: person}
events:
  fisheries treaty:
    kind: treaty
    place: Lima
    aliases: [fisheries accord, anchovy treaty]
  signing ceremony:
    kind: ceremony
    place: Lima
  Lima summit:
    kind: summit
    place: Lima
"""
THU_A = "2025-04-10"  # a Thursday: Monday is 04-07, Tuesday 04-08

ANDES = [
    # signing
    Case("signed by X, and by Y: Y signed", "The fisheries treaty was signed in Lima by Paredes, and by Soto, on Tuesday.",
         "signed(fisheries treaty) includes Soto", "pass", THU_A),
    Case("a signature on the accord is a signing",
         "Vera's signature on the fisheries accord came after a night of haggling over anchovy quotas.",
         "signed(fisheries treaty) includes Vera", "pass", THU_A),
    Case("A and B signed: B signed", "Peru and Ecuador signed the fisheries treaty at a ceremony in Lima.",
         "signed(fisheries treaty) includes Ecuador", "pass", THU_A),
    Case("signed on Tuesday dates the treaty",
         "Paredes and Soto signed the fisheries treaty on Tuesday, the foreign ministry said.",
         "date(fisheries treaty) == 2025-04-08", "pass", THU_A),
    Case("observing the treaty is not signing it", "Colombia has promised to observe the fisheries treaty's catch limits.",
         "signed(fisheries treaty) includes Colombia", "unknown", THU_A),
    Case("a refusal makes excludes pass", "Vera refused to sign the fisheries treaty, calling the quotas unfair.",
         "signed(fisheries treaty) excludes Vera", "pass", THU_A),
    Case("a refusal contradicts includes", "Soto refused to sign the fisheries treaty on Tuesday.",
         "signed(fisheries treaty) includes Soto", "fail", THU_A),
    Case("may sign states no signature", "Colombia may sign the fisheries treaty later this year.",
         "signed(fisheries treaty) includes Colombia", "unknown", THU_A),
    Case("once signed states no signature",
         "Once signed by Colombia, the fisheries treaty will cover the whole Pacific coast of South America.",
         "signed(fisheries treaty) includes Colombia", "unknown", THU_A),
    Case("a witness is no signatory",
         "Colombian President Ivan Lara witnessed the signing of the fisheries treaty in Lima on Tuesday.",
         "signed(fisheries treaty) includes Lara", "unknown", THU_A),
    # attendance
    Case("a witness attends the signing",
         "Colombian President Ivan Lara witnessed the signing of the fisheries treaty in Lima on Tuesday.",
         "attendees(signing ceremony) includes Lara", "pass", THU_A),
    Case("present at the summit", "Vera was present at the Lima summit but left before the final session.",
         "attendees(Lima summit) includes Vera", "pass", THU_A),
    Case("A attended, as did B and C: B attended", "Soto attended the Lima summit, as did Vera and Lara.",
         "attendees(Lima summit) includes Vera", "pass", THU_A),
    Case("A and B held talks: B attended", "Peru and Chile held talks in Lima on Monday.",
         "attendees(Lima summit) includes Chile", "pass", THU_A),
    # hosting
    Case("A and B held talks names no host", "Peru and Chile held talks in Lima on Monday.",
         "hosts(Lima summit) includes Peru", "unknown", THU_A),
    Case("at the invitation of President X: X hosts",
         "Leaders from Chile and Ecuador travelled to the Lima summit at the invitation of President Paredes.",
         "hosts(Lima summit) includes Paredes", "pass", THU_A),
    Case("presided over by X: X hosts",
         "The Lima summit, presided over by Paredes, closed on Wednesday without a joint statement.",
         "hosts(Lima summit) includes Paredes", "pass", THU_A),
    # leadership
    Case("a national title before a name", "Chilean President Ana Soto arrived in Lima on Monday.",
         "leader(Chile) == Soto", "pass", THU_A),
    Case("a stated president contradicts another one", "Chilean President Ana Soto praised the fisheries treaty.",
         "leader(Chile) == Ibarra", "fail", THU_A),
    Case("the president of Chile is the one just named",
         "Chilean President Ana Soto arrived in Lima on Monday. A day later the president of Chile signed the "
         "fisheries treaty.",
         "signed(fisheries treaty) includes Soto", "pass", THU_A),
    Case("X, head of the Y party", "Tomas Rojas, head of the Green Alliance party, called the treaty a giveaway.",
         "leader(Green Alliance) includes Rojas", "pass", THU_A),
    Case("Y leader X", "Green Alliance leader Tomas Rojas marched with fishermen outside the summit.",
         "leader(Green Alliance) includes Rojas", "pass", THU_A),
    Case("a deputy head is no leader", "Carla Mendez, deputy head of the Green Alliance, spoke for the party in Lima.",
         "leader(Green Alliance) includes Mendez", "unknown", THU_A),
    Case("a former president is no leader", "Diego Ibarra, a former president of Chile, praised the fisheries treaty.",
         "leader(Chile) includes Ibarra", "unknown", THU_A),
    Case("the party, led by X: X leads the party",
         "The Green Alliance party, led by Tomas Rojas, won most seats in Chile's port towns.",
         "leader(Green Alliance) includes Rojas", "pass", THU_A),
    Case("the party's leader does not lead the country",
         "The Green Alliance party, led by Tomas Rojas, won most seats in Chile's port towns.",
         "leader(Chile) includes Rojas", "unknown", THU_A),
]
STORIES["andes"] = (ANDES_KB, "andes", ANDES)

# --------------------------------------------------------------------------- a Sahel truce (Algiers, 2024)

SAHEL_KB = """\
entities:
  Mali: {aliases: [Bamako government, internationally recognized government]}
  CMN: {aliases: [Coordination of Northern Movements], type: group}
  Transition Council: {aliases: [ruling council, transitional council], type: organisation}
  Qatar: {}
  Turkey: {}
  Algeria: {}
  Mauritania: {}
  Niger: {}
  Chad: {}
  Kenya: {}
  UN: {aliases: [United Nations, U.N.], type: organisation}
  Doumbia: {aliases: [Mamadou Doumbia], part_of: [Mali], type: person}
  Ag Hamed: {aliases: [Bilal Ag Hamed], part_of: [CMN], type: person}
  Sidibe: {aliases: [Oumar Sidibe], part_of: [CMN], type: person}
  Omar Abdul-Karim: {part_of: [Qatar], type: person}
  Karim: {aliases: [Yusuf Karim], part_of: [Mali], type: person}
events:
  Algiers ceasefire:
    kind: ceasefire
    place: Algiers
    aliases: [Algiers truce]
  Algiers talks:
    kind: talks
    place: Algiers
  Nairobi summit:
    kind: summit
    place: Nairobi
  Gao fighting:
    kind: fighting
    place: Gao
    aliases: [Gao clashes]
  Timbuktu siege:
    kind: siege
    place: Timbuktu
  transition:
    kind: transition
"""
THU_S = "2024-11-14"  # a Thursday: Saturday is 11-09, Sunday 11-10, Monday 11-11

SAHEL = [
    # start
    Case("fighting broke out on a date", "Fighting broke out in Gao on March 3, residents said.",
         "start(Gao fighting) == 2024-03-03", "pass", THU_S),
    Case("clashes erupted on a date", "Clashes erupted in Gao on March 3 between the army and CMN fighters.",
         "start(Gao fighting) == 2024-03-03", "pass", THU_S),
    Case("erupted again is no start", "Fighting in Gao erupted again on March 9 after a lull of two days.",
         "start(Gao fighting) == 2024-03-09", "unknown", THU_S),
    Case("the earlier outbreak is the start",
         "Fighting broke out in Gao on March 3 and erupted again on March 9.",
         "start(Gao fighting) == 2024-03-03", "pass", THU_S),
    Case("went into force at midnight", "The truce went into force at midnight on November 10, the mediators said.",
         "start(Algiers ceasefire) == 2024-11-10", "pass", THU_S),
    Case("took effect on Sunday", "The truce agreed in Algiers took effect on Sunday.",
         "start(Algiers ceasefire) == 2024-11-10", "pass", THU_S),
    # signing
    Case("A and B signed on Saturday", "Mali and the CMN signed the truce in Algiers on Saturday.",
         "date(Algiers ceasefire) == 2024-11-09", "pass", THU_S),
    Case("A and B signed: B signed", "Mali and the CMN signed the truce in Algiers on Saturday.",
         "signed(Algiers ceasefire) includes CMN", "pass", THU_S),
    Case("observing the truce is not signing it", "Niger's army is observing the truce along the border.",
         "signed(Algiers ceasefire) includes Niger", "unknown", THU_S),
    # backing
    Case("X receives support from A", "The CMN receives support from Qatar, according to Western diplomats.",
         "backers(CMN) includes Qatar", "pass", THU_S),
    Case("A sided with X", "Qatar sided with the CMN in the talks in Algiers.",
         "backers(CMN) includes Qatar", "pass", THU_S),
    Case("A, a close ally of X", "Turkey, a close ally of the Bamako government, sent drones to Gao.",
         "backers(Mali) includes Turkey", "pass", THU_S),
    Case("X has the backing of A and B", "The Bamako government has the backing of Algeria and Niger.",
         "backers(Mali) includes Niger", "pass", THU_S),
    Case("A backs X", "Mauritania backs the CMN, officials in Bamako say.",
         "backers(CMN) includes Mauritania", "pass", THU_S),
    Case("X, backed by A, B and C: C backs", "The CMN, backed by Qatar, Mauritania and Chad, rejected the first draft.",
         "backers(CMN) includes Chad", "pass", THU_S),
    Case("accused of supporting still counts", "Chad is accused of supporting the CMN.",
         "backers(CMN) includes Chad", "pass", THU_S),
    Case("may back states no backing", "Algeria may back the CMN if the talks collapse.",
         "backers(CMN) includes Algeria", "unknown", THU_S),
    # leadership
    Case("the strongman who leads the council",
         "Mamadou Doumbia, the strongman who leads the ruling council, sent a delegation to Algiers.",
         "leader(Transition Council) includes Doumbia", "pass", THU_S),
    Case("Y leader X for a group", "CMN leader Bilal Ag Hamed flew to Algiers on Friday.",
         "leader(CMN) includes Ag Hamed", "pass", THU_S),
    Case("an acting head is not stated as the leader",
         "Oumar Sidibe, the acting head of the CMN, said the group would respect the truce.",
         "leader(CMN) includes Sidibe", "unknown", THU_S),
    Case("a UN-led mission leads no country", "The UN-led mission in Mali counted dozens of dead around Gao.",
         "leader(Mali) includes UN", "unknown", THU_S),
    # attendance and hosting
    Case("X took part in the talks", "Mauritania took part in the talks in Algiers.",
         "attendees(Algiers talks) includes Mauritania", "pass", THU_S),
    Case("representatives of A and B were invited: B attends",
         "Representatives of Niger and Chad were invited to the talks in Algiers.",
         "attendees(Algiers talks) includes Chad", "pass", THU_S),
    Case("Kenya hosted a summit", "Kenya hosted a summit on the Sahel in Nairobi on Monday.",
         "hosts(Nairobi summit) includes Kenya", "pass", THU_S),
    # names
    Case("a long name with a title links to its KB entity",
         "Sheikh Omar Abdul-Karim, Qatar's envoy, attended the talks in Algiers.",
         'attendees(Algiers talks) includes "Omar Abdul-Karim"', "pass", THU_S),
    Case("a long name does not link to a shorter KB name",
         "Sheikh Omar Abdul-Karim, Qatar's envoy, attended the talks in Algiers.",
         "attendees(Algiers talks) includes Karim", "unknown", THU_S),
    Case("the descriptive alias as written", "The internationally recognized government signed the truce in Algiers.",
         "signed(Algiers ceasefire) includes Mali", "pass", THU_S),
    Case("UN-recognised is the descriptive alias", "The UN-recognised government signed the truce in Algiers.",
         "signed(Algiers ceasefire) includes Mali", "pass", THU_S),
    Case("U.N.-recognized is the descriptive alias", "The U.N.-recognized government signed the truce in Algiers.",
         "signed(Algiers ceasefire) includes Mali", "pass", THU_S),
    # quantities
    Case("a 30-day-long siege", "The CMN lifted a 30-day-long siege of Timbuktu on Sunday.",
         "duration(Timbuktu siege) == 30 days", "pass", THU_S),
    Case("the first months of a transition lasting N months",
         "The council has now ruled for the first 21 months of a transition lasting 39 months.",
         "duration(transition) == 39 months", "pass", THU_S),
    Case("weeks of fighting so far are not the whole length",
         "Four weeks of fighting in Gao so far have displaced thousands.",
         "duration(Gao fighting) == 4 weeks", "unknown", THU_S),
    Case("weeks of fighting so far are a lower bound",
         "Four weeks of fighting in Gao so far have displaced thousands.",
         "duration(Gao fighting) >= 4 weeks", "pass", THU_S),
]
STORIES["sahel"] = (SAHEL_KB, "sahel", SAHEL)

# --------------------------------------------------------------------------- a border summit (Skopje, 2023)

BALKAN_KB = """\
entities:
  North Macedonia: {aliases: [Skopje government]}
  Serbia: {}
  Albania: {}
  Kosovo: {}
  Montenegro: {}
  Greece: {}
  Germany: {}
  Petrovski: {aliases: [Marko Petrovski], part_of: [North Macedonia], type: person}
  Daci: {aliases: [Arben Daci], part_of: [Albania], type: person}
  Social Democratic Union: {aliases: [SDU], type: organisation}
  Ilievska: {aliases: [Elena Ilievska], part_of: [Social Democratic Union], type: person}
events:
  Skopje summit:
    kind: summit
    place: Skopje
    aliases: [border summit]
  border accord:
    kind: agreement
    place: Skopje
    aliases: [border agreement]
  Berlin conference:
    kind: conference
    place: Berlin
"""
WED = "2023-10-18"  # a Wednesday: Monday is 10-16, Tuesday 10-17

BALKAN = [
    # hosting
    Case("a country held the conference", "Germany held the conference in Berlin on Monday.",
         "hosts(Berlin conference) includes Germany", "pass", WED),
    Case("a country hosted the summit", "North Macedonia hosted the border summit in Skopje on Tuesday.",
         "hosts(Skopje summit) includes North Macedonia", "pass", WED),
    Case("the hosted summit is dated", "North Macedonia hosted the border summit in Skopje on Tuesday.",
         "date(Skopje summit) == 2023-10-17", "pass", WED),
    Case("A and B held talks names no host", "Serbia and Kosovo held talks in Skopje on Monday.",
         "hosts(Skopje summit) includes Serbia", "unknown", WED),
    Case("at the invitation of President X: X hosts",
         "Daci came to the border summit at the invitation of President Petrovski.",
         "hosts(Skopje summit) includes Petrovski", "pass", WED),
    Case("the summit, presided over by X", "The border summit, presided over by Petrovski, ran late into Tuesday night.",
         "hosts(Skopje summit) includes Petrovski", "pass", WED),
    # attendance
    Case("the summit gathered the governments of A, B and C: C attends",
         "The Skopje summit gathered the governments of Serbia, Albania and Montenegro.",
         "attendees(Skopje summit) includes Montenegro", "pass", WED),
    Case("A attended, as did B and C: C attended", "Albania attended the border summit, as did Serbia and Greece.",
         "attendees(Skopje summit) includes Greece", "pass", WED),
    Case("expected to attend states no attendance", "Montenegro is expected to attend the border summit.",
         "attendees(Skopje summit) includes Montenegro", "unknown", WED),
    Case("a boycott is an absence", "Elena Ilievska, head of the Social Democratic Union, boycotted the summit.",
         "attendees(Skopje summit) excludes Ilievska", "pass", WED),
    # signing
    Case("A and B signed on Tuesday", "Serbia and Albania signed the border accord on Tuesday.",
         "date(border accord) == 2023-10-17", "pass", WED),
    Case("A and B signed: B signed", "Serbia and Albania signed the border accord on Tuesday.",
         "signed(border accord) includes Albania", "pass", WED),
    Case("left without signing", "Kosovo left the summit without signing the border accord.",
         "signed(border accord) excludes Kosovo", "pass", WED),
    # leadership and roles
    Case("a demonym title contradicts another leader", "Macedonian President Marko Petrovski opened the summit.",
         "leader(North Macedonia) == Daci", "fail", WED),
    Case("the president of the country is the one just named",
         "Macedonian President Marko Petrovski opened the summit. Later the president of North Macedonia signed "
         "the border accord.",
         "signed(border accord) includes Petrovski", "pass", WED),
    Case("X, head of the Y", "Elena Ilievska, head of the Social Democratic Union, boycotted the summit.",
         "leader(Social Democratic Union) includes Ilievska", "pass", WED),
    Case("an acronym leader title", "SDU leader Elena Ilievska called the accord a surrender.",
         "leader(Social Democratic Union) includes Ilievska", "pass", WED),
]
STORIES["balkan"] = (BALKAN_KB, "balkan", BALKAN)

# --------------------------------------------------------------------------- a climate pact (Suva, 2026)

PACIFIC_KB = """\
entities:
  Fiji: {aliases: [Suva government]}
  Tonga: {}
  Samoa: {}
  Vanuatu: {}
  Tuvalu: {}
  Australia: {}
  New Zealand: {}
  Naivalu: {aliases: [Josefa Naivalu], part_of: [Fiji], type: person}
events:
  Suva pact:
    kind: pact
    place: Suva
    aliases: [climate pact, Pacific climate pact]
  Suva summit:
    kind: summit
    place: Suva
  trawler withdrawal:
    kind: withdrawal
    aliases: [pullout]
"""
THU_P = "2026-02-05"  # a Thursday: Monday is 02-02, Tuesday 02-03

PACIFIC = [
    # quantities
    Case("a week-long summit lasts a week", "Fiji opened a week-long summit in Suva on Monday.",
         "duration(Suva summit) == 1 week", "pass", THU_P),
    Case("a week-long summit lasts seven days", "Fiji opened a week-long summit in Suva on Monday.",
         "duration(Suva summit) == 7 days", "pass", THU_P),
    Case("a week-long summit contradicts three days", "Fiji opened a week-long summit in Suva on Monday.",
         "duration(Suva summit) == 3 days", "fail", THU_P),
    Case("a minimum of N years meets the lower bound",
         "The climate pact binds its members for a minimum of three years.",
         "duration(Suva pact) >= 3 years", "pass", THU_P),
    Case("a minimum of N years is not exactly N years",
         "The climate pact binds its members for a minimum of three years.",
         "duration(Suva pact) == 3 years", "unknown", THU_P),
    Case("withdraw within N months meets the upper bound",
         "Under the pact, foreign trawlers must withdraw from the reserve within 9 months.",
         "duration(trawler withdrawal) <= 9 months", "pass", THU_P),
    Case("withdraw within N months contradicts longer",
         "Under the pact, foreign trawlers must withdraw from the reserve within 9 months.",
         "duration(trawler withdrawal) > 9 months", "fail", THU_P),
    # signing
    Case("A, B and C signed on Tuesday", "Tonga, Samoa and Vanuatu signed the climate pact in Suva on Tuesday.",
         "date(Suva pact) == 2026-02-03", "pass", THU_P),
    Case("A, B and C signed: C signed", "Tonga, Samoa and Vanuatu signed the climate pact in Suva on Tuesday.",
         "signed(Suva pact) includes Vanuatu", "pass", THU_P),
    Case("a refusal makes excludes pass", "Australia refused to sign the climate pact, citing its coal exports.",
         "signed(Suva pact) excludes Australia", "pass", THU_P),
    Case("may sign states no signature", "New Zealand may sign the climate pact next year.",
         "signed(Suva pact) includes New Zealand", "unknown", THU_P),
    # attendance and hosting
    Case("the summit gathered the governments of A, B and C: C attends",
         "The Suva summit gathered the governments of Tonga, Samoa and Tuvalu.",
         "attendees(Suva summit) includes Tuvalu", "pass", THU_P),
    Case("X took part in the summit", "Tuvalu took part in the Suva summit despite the storm.",
         "attendees(Suva summit) includes Tuvalu", "pass", THU_P),
    Case("representatives of A and B were invited: B attends",
         "Representatives of Australia and New Zealand were invited to the Suva summit.",
         "attendees(Suva summit) includes New Zealand", "pass", THU_P),
    Case("a country hosted the summit", "Fiji hosted the summit in Suva.",
         "hosts(Suva summit) includes Fiji", "pass", THU_P),
    # leadership
    Case("a prime minister's title before a name", "Fijian Prime Minister Josefa Naivalu welcomed delegates to Suva.",
         "leader(Fiji) includes Naivalu", "pass", THU_P),
]
STORIES["pacific"] = (PACIFIC_KB, "pacific", PACIFIC)


# --------------------------------------------------------------------------- machinery


@pytest.fixture(scope="module")
def cells(tmp_path_factory) -> dict[tuple[str, str], object]:
    return check_stories(STORIES, tmp_path_factory.mktemp)


ALL = all_cases(STORIES)


def test_enough_cases_on_enough_stories():
    assert len(ALL) >= 70 and len(STORIES) >= 4 and len({name for name, _ in ALL}) == len(ALL)


@pytest.mark.nlp
@pytest.mark.parametrize("name, case", ALL, ids=[name for name, _ in ALL])
def test_case(cells, name, case):
    assert_verdict(cells, name, case)
