"""The English bank: Caribbean cooperation papers on the same 14 thematics, smaller than French."""

# ruff: noqa: E501  (prose: one sentence per line reads better than wrapped fragments)

from __future__ import annotations

from .banks import Indicator, LanguageBank, ThemeBank


def theme(
    titles: list[tuple[str, str]],
    subjects: list[str],
    sentences: list[str],
    headings: list[str],
    indicators: list[Indicator],
    **slots: tuple[str, ...],
) -> ThemeBank:
    """A thematic bank written compactly, as lists."""
    return ThemeBank(
        tuple(titles), tuple(subjects), tuple(sentences), tuple(headings), tuple(indicators), slots
    )


THEMES_EN = {
    "evaluation": theme(
        [
            ("rapport", "mid-term evaluation of the urban social cohesion contract of {terr}"),
            ("etude", "evaluating urban policy programmes {dans_terr}"),
        ],
        ["the evaluation of urban policy", "programme monitoring and evaluation"],
        [
            "the evaluation combined {method} with an analysis of monitoring data.",
            "over the period {periode}, {nombre} projects were funded for a total of {montant}.",
            "project leaders point to complex funding procedures and late notifications.",
            "result indicators are often missing, whereas output indicators are generally reported.",
            "the steering committee adopted a shared set of indicators in {annee}.",
            "the evaluation recommends focusing the programme on a few clearly ranked priorities.",
        ],
        ["Evaluation findings", "Programme governance"],
        [("Funded projects", 5, 60, "n"), ("Completion rate", 40, 98, "%")],
        method=("semi-structured interviews", "a household survey", "focus groups with residents"),
    ),
    "observation": theme(
        [
            ("etude", "social atlas of the priority neighbourhoods of {terr}"),
            ("rapport", "neighbourhood observatory: key indicators {annee}"),
        ],
        ["neighbourhood-level social data", "social monitoring of deprived areas"],
        [
            "according to census data, unemployment reaches {pct} in {quartier}.",
            "data at neighbourhood level remain scarce and are often several years old.",
            "the observatory publishes a quarterly digest of indicators for elected officials.",
            "one household in three lives below the low-income threshold in the areas observed.",
            "between {annee_prec} and {annee}, the population of {quartier} fell by {pct}.",
        ],
        ["Socio-demographic profile", "Data sources"],
        [
            ("Population", 800, 12000, "n"),
            ("Unemployment rate", 15, 45, "%"),
            ("Single-parent families", 20, 55, "%"),
        ],
    ),
    "jeunesse": theme(
        [
            ("etude", "young people in the neighbourhoods of {terr}: expectations and pathways"),
            ("fiche-experience", "a summer programme for teenagers {dans_terr}"),
        ],
        ["youth policy", "youth participation"],
        [
            "{pct} of young people aged 16 to 25 in {quartier} are neither in employment nor in education.",
            "the youth centre welcomes about {nombre} young people every week.",
            "young people regret the lack of meeting places in the evening.",
            "the departure of young graduates to mainland France is a shared concern.",
            "sports clubs play a key role in supervising and mentoring teenagers.",
        ],
        ["Young people's situation", "Youth services"],
        [
            ("Young people aged 16-25", 200, 2500, "n"),
            ("Not in employment or education", 15, 45, "%"),
        ],
    ),
    "reussite-educative": theme(
        [
            ("rapport", "educational success programme of {terr}: annual report {annee}"),
            ("guide", "supporting parents: a guide for practitioners"),
        ],
        ["educational success", "parenting support"],
        [
            "the programme supported {nombre} children and their families during the school year.",
            "individual pathways are designed by a multidisciplinary team from referrals made by schools.",
            "parents ask to be better informed about how the school system works.",
            "school dropout affects about {nombre} pupils over sixteen every year.",
            "homework clubs improved attendance and the self-confidence of the children supported.",
        ],
        ["Individual support pathways", "Schools and parents"],
        [("Children supported", 10, 150, "n"), ("Absenteeism", 3, 20, "%")],
    ),
    "prevention-delinquance": theme(
        [
            ("etude", "local crime and safety audit of {terr}"),
            ("rapport", "crime prevention strategy {dans_terr} ({periode})"),
        ],
        ["crime prevention", "community safety"],
        [
            "the local crime prevention council met on {date_longue} under the chairmanship of the mayor.",
            "property crime rose by {pct} between {annee_prec} and {annee}.",
            "residents' fear of crime in {quartier} far exceeds the level of recorded offences.",
            "domestic violence now accounts for nearly a third of violent offences.",
            "street lighting and the design of public spaces contribute to community safety.",
        ],
        ["Crime trends", "Prevention and victim support"],
        [("Recorded offences", 30, 600, "n"), ("Change over one year", -15, 25, "%")],
    ),
    "mediation-sociale": theme(
        [
            ("rapport", "social mediation {dans_terr}: activity report {annee}"),
            ("guide", "community mediators: a professional framework"),
        ],
        ["social mediation", "community mediators"],
        [
            "mediators work mainly in public spaces, in the evening and at weekends.",
            "in {annee}, the mediation team handled {nombre} situations, mostly neighbourhood disputes.",
            "mediation relies on neutrality, voluntary participation and confidentiality.",
            "short-term contracts undermine the continuity of the mediators' work.",
            "residents now see the mediators as trusted contacts.",
        ],
        ["Mediation activity", "Professional recognition"],
        [("Situations handled", 20, 500, "n"), ("Agreements reached", 40, 90, "%")],
    ),
    "emploi-insertion": theme(
        [
            ("etude", "employment and unemployment in the priority neighbourhoods of {terr}"),
            ("fiche-experience", "a work-integration project in {quartier}"),
        ],
        ["employment and labour-market integration", "local economic development"],
        [
            "unemployment reaches {pct} in {quartier}, nearly twice the municipal average.",
            "the local employment plan helped {nombre} people back into work in {annee}.",
            "transport, childcare and health remain major barriers to employment.",
            "the informal economy plays an important role in the neighbourhoods.",
            "support for business creation combines coaching and microcredit.",
        ],
        ["Employment in the neighbourhoods", "Integration schemes"],
        [("Jobseekers", 100, 2500, "n"), ("Unemployment rate", 18, 45, "%")],
    ),
    "renovation-urbaine": theme(
        [
            ("rapport", "urban renewal project of {quartier}: progress report {annee}"),
            ("guide", "neighbourhood management: a practical guide"),
        ],
        ["urban renewal", "neighbourhood management"],
        [
            "the renewal project for {quartier} includes the demolition of {nombre} dilapidated dwellings.",
            "the agreement signed with the national urban renewal agency amounts to {montant}.",
            "{nombre} households were rehoused under a charter limiting their housing costs.",
            "residents took part in three design workshops for the new public spaces.",
            "land ownership issues and informal buildings explain most delays.",
        ],
        ["The renewal project", "Rehousing"],
        [("Dwellings demolished", 0, 200, "n"), ("Works completed", 10, 95, "%")],
    ),
    "developpement-durable": theme(
        [
            ("etude", "natural hazards and the vulnerability of informal settlements {dans_terr}"),
            ("rapport", "local Agenda 21 of {terr}: action plan {periode}"),
        ],
        ["sustainable urban development", "natural hazard prevention"],
        [
            "informal settlements on hillsides are highly exposed to landslides and flooding.",
            "the local Agenda 21 involved residents in defining {nombre} priority actions.",
            "mangroves protect the coastline and must be preserved in development projects.",
            "waste sorting is progressing slowly, with a sorting rate of {pct} in {annee}.",
            "shaded footpaths respond to the constraints of a tropical climate.",
        ],
        ["Hazards and vulnerability", "Planning orientations"],
        [("Dwellings in hazard zones", 10, 400, "n"), ("Waste sorting rate", 5, 35, "%")],
    ),
    "discriminations": theme(
        [
            ("etude", "migrant integration {dans_terr}"),
            ("guide", "tackling discrimination: a guide for local stakeholders"),
        ],
        ["anti-discrimination policy", "the integration of migrants"],
        [
            "discrimination based on place of residence remains hard to document.",
            "Haitian and Saint Lucian migrants face specific obstacles in access to housing.",
            "language classes welcomed {nombre} participants, mostly women.",
            "victims rarely know the remedies available to them.",
            "the stigma attached to priority neighbourhoods weighs on residents' careers.",
        ],
        ["Experiences of discrimination", "Access to rights"],
        [("People received", 10, 300, "n"), ("Foreign population", 1, 15, "%")],
    ),
    "sante": theme(
        [
            ("etude", "the health of residents of priority neighbourhoods {dans_terr}"),
            ("fiche-experience", "nutrition workshops to prevent diabetes in {quartier}"),
        ],
        ["access to health care", "health promotion"],
        [
            "diabetes and hypertension are particularly prevalent among residents.",
            "{pct} of respondents report forgoing care for financial reasons.",
            "the local health workshop coordinates prevention in the priority neighbourhoods.",
            "mental health needs are poorly covered for lack of local services.",
            "health mediators help residents claim their rights and find care.",
        ],
        ["Residents' health", "Prevention"],
        [("People screened", 20, 600, "n"), ("Forgone care", 10, 35, "%")],
    ),
    "logement": theme(
        [
            ("etude", "social housing {dans_terr}: demand, allocations and housing pathways"),
            ("rapport", "substandard housing {dans_terr}: assessment and strategy"),
        ],
        ["social housing", "substandard housing"],
        [
            "there are {grand_nombre} pending applications for social housing, with an average wait of over three years.",
            "joint ownership of inherited land blocks many rehabilitation projects.",
            "the survey identified {nombre} substandard dwellings in {quartier}.",
            "tenants complain about damp, leaks and poor maintenance of shared areas.",
            "the local housing plan sets a target of {nombre} new dwellings a year.",
        ],
        ["Housing supply", "Substandard housing"],
        [("Social dwellings", 50, 1500, "n"), ("Overcrowded dwellings", 5, 30, "%")],
    ),
    "vie-associative": theme(
        [
            ("etude", "community organisations in the neighbourhoods of {terr}"),
            ("rapport", "the social and solidarity economy {dans_terr}"),
        ],
        ["community life", "the social and solidarity economy"],
        [
            "more than {nombre} associations are active, mostly in sport and culture.",
            "dependence on public grants makes small associations vulnerable.",
            "the residents' fund financed {nombre} micro-projects in {annee}.",
            "volunteers would like training in accounting and fundraising.",
            "the end of subsidised jobs threatens many community projects.",
        ],
        ["Community organisations", "Volunteering"],
        [("Active associations", 10, 150, "n"), ("Volunteers", 30, 800, "n")],
    ),
    "culture": theme(
        [
            ("etude", "culture in the neighbourhoods {dans_terr}: practices and venues"),
            ("fiche-experience", "an artists' residency in {quartier}"),
        ],
        ["community arts", "neighbourhood memory and heritage"],
        [
            "the artists' residency brought together residents of all generations around bèlè dance.",
            "the memories of older residents of {quartier} were collected and shown in an exhibition.",
            "Creole language and culture are central to the projects run with residents.",
            "the neighbourhood carnival mobilises several hundred residents every year.",
            "few residents of priority neighbourhoods use the municipal library.",
        ],
        ["Cultural practices", "Participatory arts projects"],
        [("Projects supported", 1, 25, "n"), ("Workshop participants", 10, 300, "n")],
    ),
}

ENGLISH = LanguageBank(
    code="en",
    themes=THEMES_EN,
    slots={
        "partenaire": (
            "the family allowance fund",
            "the regional council",
            "social landlords",
            "the education authority",
            "community organisations",
            "the police",
        ),
        "acteur": ("the municipality", "the project team", "the steering committee"),
    },
    frames=(
        ("etude", "{sujet} {dans_terr}: lessons from the Caribbean"),
        ("article", "rethinking {sujet} in the French Caribbean"),
        ("actes", "proceedings of the regional seminar on {sujet}"),
        ("rapport", "{sujet}: a comparative review of Caribbean experience"),
    ),
    section_headings={
        "intro": ("Introduction", "Foreword"),
        "context": ("Context", "The local setting"),
        "method": ("Methodology", "Approach"),
        "indicators": ("Key figures by neighbourhood", "Indicators"),
        "reco": ("Recommendations", "Ways forward"),
        "conclusion": ("Conclusion", "Concluding remarks"),
    },
    generic={
        "intro": (
            "this report examines {sujet} {dans_terr} and proposes ways forward.",
            "urban policy aims to reduce the gap between deprived neighbourhoods and the rest of the territory.",
            "the study was commissioned by {org} as part of a Caribbean cooperation programme.",
        ),
        "context": (
            "the priority neighbourhoods {dans_terr} are home to {habitants} residents.",
            "unemployment there is twice the regional average and hits young people hardest.",
            "many neighbourhoods grew out of informal settlements built in the 1960s.",
        ),
        "method": (
            "the method combines statistical analysis, interviews and site visits.",
            "{nombre} interviews were held with elected officials, practitioners and community leaders.",
            "a questionnaire was completed by {nombre} residents.",
        ),
        "reco": (
            "partners should coordinate their action around shared objectives.",
            "residents should be more closely involved in designing and monitoring projects.",
            "monitoring and evaluation should be planned from the outset.",
        ),
        "conclusion": (
            "several lessons emerge for public policy.",
            "the neighbourhoods have real assets, starting with the commitment of their residents.",
        ),
        "transition": (
            "the situation varies greatly from one neighbourhood to another.",
            "these figures should be read with caution given the small numbers involved.",
            "the interviews confirm this analysis.",
        ),
        "table": (
            "the table above sets out the main indicators available for each neighbourhood.",
        ),
    },
    openers=(
        "in {annee},",
        "according to {partenaire},",
        "in {quartier},",
        "since {annee_prec},",
        "at municipal level,",
        "in the priority neighbourhoods,",
    ),
    closers=(
        ", according to local stakeholders",
        ", as in most priority neighbourhoods",
        ", particularly in {quartier}",
        ", despite limited resources",
    ),
    connectors=("Moreover,", "However,", "In addition,", "As a result,", "Overall,"),
    subtitles=("Final report", "Working paper", "Summary", "Draft"),
    abstract_openers={
        "": "this document examines {sujet} {dans_terr}.",
        "rapport": "this report reviews {sujet} {dans_terr} over the period {periode}.",
        "etude": "this study analyses {sujet} {dans_terr} using statistics and interviews.",
    },
    words={
        "quartier": "Neighbourhood",
        "ensemble": "Total",
        "table": "Table",
        "by_quartier": "by neighbourhood",
        "authors": "Authors",
        "published": "Published on",
        "source": "Source",
        "page": "Page",
        "case": "the case of {quartier}",
        "volume": "Volume",
        "indicators_caption": "main indicators",
    },
)
