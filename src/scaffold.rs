//! Text of new write-ups for `etalage new`: every required key, a comment per key with its
//! allowed values, and the body sections. Values still to be filled in start with `TODO`, which
//! `check` reports at their line. Pure: `write::create_new` puts the text on disk.

use crate::meta::{
    LegalFramework, Method, PrizeType, Rank, Role, Status, Unit, NATIONAL_LEVELS, NATIONAL_SCHEME,
};
use crate::vocab::{Vocab, Vocabulary};

/// Marks a value the editor still has to replace; `check` reports every one.
pub const PLACEHOLDER: &str = "TODO";

/// The body sections of a practice, in order.
pub const SECTIONS: &[(&str, &str)] = &[
    (
        "Aanleiding",
        "Waarom begon deze praktijk? Welk probleem lag er?",
    ),
    ("Doel", "Wat wilde de praktijk bereiken, liefst meetbaar?"),
    (
        "Doelgroep",
        "Voor wie is de aanpak bedoeld, en hoe groot is die groep?",
    ),
    ("Aanpak", "Wat gebeurt er, door wie, in welke stappen?"),
    (
        "Randvoorwaarden",
        "Wat was nodig: geld, mensen, afspraken, wetgeving?",
    ),
    (
        "Resultaten",
        "Wat leverde het op? Noem cijfers met hun basis en bron.",
    ),
    (
        "Overdraagbaarheid",
        "Wat moet een andere gemeente weten om dit over te nemen?",
    ),
    ("Meer weten", "Waar vind je meer informatie?"),
];

fn sample(v: &Vocabulary) -> String {
    let keys: Vec<&str> = v.keys().collect();
    let shown: Vec<&str> = keys.iter().take(12).copied().collect();
    let more = if keys.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    format!("{}{more}", shown.join(", "))
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A new practice file.
pub fn practice(title: Option<&str>, vocab: &Vocab, award_slugs: &[String]) -> String {
    let title = title.map_or_else(
        || quote(&format!("{PLACEHOLDER}: titel van de praktijk")),
        quote,
    );
    let awards = if award_slugs.is_empty() {
        "(nog geen prijzen in content/awards/)".to_string()
    } else {
        award_slugs.join(", ")
    };
    let mut out = format!(
        "---
# Titel, ten hoogste 120 tekens.
title: {title}
# Samenvatting van ten hoogste 300 tekens: kaarttekst en meta-beschrijving.
summary: \"{P}: wat doet de praktijk, voor wie, met welk resultaat?\"
# Gemeente of lijst van gemeenten zoals in content/data/municipalities.yaml; de eerste is de trekker.
municipality: {P}
# Looptijd als 1997, 2006-04 of 2009-03-24; `end` mag weg zolang de praktijk loopt.
period: {{ start: {P} }}
# Een van: {status}
status: onbekend
# Wettelijk kader, een of meer van: {legal}
legal_framework: []
# Doelgroepen uit content/data/target_groups.yaml: {tg}
target_groups: [{P}]
# Thema's uit content/data/themes.yaml: {themes}
themes: [{P}]
# Instrumenten uit content/data/instruments.yaml (mag leeg): {instr}
instruments: []
# Ten minste één partner. role is een van: {roles}
partners:
  - {{ name: {P}, role: trekker }}
# Resultaten: unit is een van {units}; `of` is de basis (getal of id van een ander resultaat,
# verplicht bij procent); method is een van {methods}; source is de id van een bron hieronder.
results:
  - {{ id: bereikt, label: {P}, value: {P}, unit: personen, as_of: {P}, method: zelfgerapporteerd, source: s1 }}
# Prijzen: award is een van {awards}; rank is een van {ranks}; prize_type is {prize}.
awards: []
# Erkenningen: landelijke niveaus ({levels}) met scheme: {scheme}, of een eenmalige waardering.
recognitions: []
# Ten minste één bron; verwijs ernaar met source: <id>.
sources:
  - {{ id: s1, title: {P}, publisher: {P} }}
# Verwante praktijken (slugs), mag leeg.
related: []
# Concept: alleen gepubliceerd met --drafts en in serve.
draft: true
---
",
        P = PLACEHOLDER,
        status = Status::KEYS.join(", "),
        legal = LegalFramework::KEYS.join(", "),
        tg = sample(&vocab.target_groups),
        themes = sample(&vocab.themes),
        instr = sample(&vocab.instruments),
        roles = Role::KEYS.join(", "),
        units = Unit::KEYS.join(", "),
        methods = Method::KEYS.join(", "),
        ranks = Rank::KEYS.join(", "),
        prize = PrizeType::KEYS.join(" of "),
        levels = NATIONAL_LEVELS.join(", "),
        scheme = NATIONAL_SCHEME,
    );
    for (heading, prompt) in SECTIONS {
        out.push_str(&format!("\n## {heading}\n\n<!-- {prompt} -->\n"));
    }
    out
}

/// A new award file.
pub fn award(title: Option<&str>) -> String {
    let title = title.map_or_else(
        || quote(&format!("{PLACEHOLDER}: naam van de prijs")),
        quote,
    );
    format!(
        "---
# Naam van de prijs, ten hoogste 120 tekens.
title: {title}
# Wie reikt de prijs uit?
organiser: {P}
# Korte beschrijving, ten hoogste 300 tekens.
description: \"{P}: waarvoor is de prijs?\"
# Beoordelingscriteria; weight is een getal, knock_out: true voor een uitsluitingscriterium.
criteria:
  - {{ name: {P}, weight: 1, knock_out: false }}
# true als de redactie de criteria zelf uit de bronnen afleidt (geen formeel reglement bekend).
criteria_derived: false
# Edities: edition (meestal het jaar), date, venue, jury_chair, jury (lijst van namen).
editions:
  - {{ edition: {P}, date: {P}, venue: {P}, jury_chair: {P}, jury: [] }}
---

<!-- Beschrijf de prijs: doel, wie mag inzenden, hoe de jury werkt. -->
",
        P = PLACEHOLDER
    )
}
