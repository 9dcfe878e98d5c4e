//! A synthetic etalage site of any size, deterministic from a seed.
//!
//! Shared by `examples/gen_corpus.rs` (the command) and `benches/stages.rs` (criterion), both of
//! which include this file with `#[path]`. It reads the bundled vocabularies, municipalities and
//! awards from the repository so every generated key is valid, and writes a complete site folder:
//! `site.toml`, `content/{data,awards,pages,practices}` and `themes/default`.
//!
//! Every front matter feature of the content model appears: single and multiple municipalities,
//! an explicit province, partial dates, status, legal frameworks, vocabulary terms, partners with
//! roles and since/until from a pool of about 200 organisations, results with ids, bases by number
//! and by id, percentages, as_of, method and source references, award entries (a few percent),
//! national and one-off recognitions, sources with url/published/accessed, contact, related slugs,
//! explicit slugs, drafts; and a Markdown body of 400–900 words with the eight H2 sections, lists,
//! a table and links (to other practices by file name, to awards and to pages).

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// splitmix64: tiny, fast, good enough, and stable across platforms and versions.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indexes of `0..n`, in drawing order.
    pub fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

/// What the generator reads from the repository's bundled site.
#[derive(Debug, Clone)]
pub struct Bundled {
    pub repo: PathBuf,
    pub themes: Vec<String>,
    pub target_groups: Vec<String>,
    pub instruments: Vec<String>,
    /// (name, province)
    pub municipalities: Vec<(String, String)>,
    /// (award slug, editions)
    pub awards: Vec<(String, Vec<String>)>,
    /// Stems of `content/pages/*.md`.
    pub pages: Vec<String>,
}

fn yaml_file(path: &Path) -> io::Result<serde_yaml::Value> {
    let text = fs::read_to_string(path)?;
    serde_yaml::from_str(&text).map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
}

fn keys_of(path: &Path) -> io::Result<Vec<String>> {
    let v = yaml_file(path)?;
    let map = v
        .as_mapping()
        .ok_or_else(|| io::Error::other(format!("{}: not a mapping", path.display())))?;
    Ok(map
        .keys()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect())
}

fn md_stems(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if dir.is_dir() {
        for e in fs::read_dir(dir)? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

impl Bundled {
    /// Reads the bundled site at `repo` (the repository root).
    pub fn read(repo: &Path) -> io::Result<Bundled> {
        let data = repo.join("content/data");
        let munis = yaml_file(&data.join("municipalities.yaml"))?;
        let municipalities = munis
            .as_sequence()
            .ok_or_else(|| io::Error::other("municipalities.yaml: not a list"))?
            .iter()
            .filter_map(|m| {
                Some((
                    m.get("name")?.as_str()?.to_string(),
                    m.get("province")?.as_str()?.to_string(),
                ))
            })
            .collect();
        let mut awards = Vec::new();
        for path in md_stems(&repo.join("content/awards"))? {
            let text = fs::read_to_string(&path)?;
            let yaml = text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---"))
                .map(|(y, _)| y)
                .ok_or_else(|| io::Error::other(format!("{}: no front matter", path.display())))?;
            let v: serde_yaml::Value = serde_yaml::from_str(yaml)
                .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
            let editions = v
                .get("editions")
                .and_then(|e| e.as_sequence())
                .map(|s| {
                    s.iter()
                        .filter_map(|e| match e.get("edition")? {
                            serde_yaml::Value::String(s) => Some(s.clone()),
                            serde_yaml::Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            awards.push((stem(&path), editions));
        }
        Ok(Bundled {
            repo: repo.to_path_buf(),
            themes: keys_of(&data.join("themes.yaml"))?,
            target_groups: keys_of(&data.join("target_groups.yaml"))?,
            instruments: keys_of(&data.join("instruments.yaml"))?,
            municipalities,
            awards,
            pages: md_stems(&repo.join("content/pages"))?
                .iter()
                .map(|p| stem(p))
                .collect(),
        })
    }
}

/// What a generation wrote.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub practices: usize,
    pub drafts: usize,
    pub with_awards: usize,
    pub with_recognitions: usize,
    pub words_min: usize,
    pub words_max: usize,
    pub bytes: u64,
}

/// ASCII slug as the file name of a practice (the generator's own; etalage has its own).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            dash = true;
        }
    }
    out
}

/// A YAML double-quoted scalar.
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const WORDS: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "van",
    "voor",
    "met",
    "naar",
    "werk",
    "werkzoekenden",
    "gemeente",
    "aanpak",
    "traject",
    "begeleiding",
    "werkgevers",
    "klantmanager",
    "uitkering",
    "arbeidsmarkt",
    "samenwerking",
    "wijk",
    "buurt",
    "regio",
    "ervaring",
    "ondersteuning",
    "kansen",
    "mensen",
    "resultaat",
    "deelnemers",
    "vacatures",
    "opleiding",
    "scholing",
    "praktijk",
    "maatwerk",
    "vertrouwen",
    "ritme",
    "plaatsing",
    "contact",
    "gesprek",
    "afspraken",
    "doelen",
    "inzet",
    "budget",
    "partners",
    "jobcoach",
    "leerwerkplek",
    "vaardigheden",
    "taal",
    "zorg",
    "schulden",
    "gezondheid",
    "motivatie",
    "talent",
    "stap",
    "route",
    "perspectief",
    "ondernemers",
    "team",
    "loket",
    "intake",
    "diagnose",
    "nazorg",
    "werkervaring",
    "stage",
    "contract",
    "baan",
    "uren",
    "loonkostensubsidie",
    "participatie",
    "vrijwilligerswerk",
    "aandacht",
    "snelheid",
    "eerst",
    "daarna",
    "samen",
    "direct",
    "concreet",
    "lokaal",
    "regionaal",
    "structureel",
    "tijdelijk",
    "intensief",
    "persoonlijk",
    "praktisch",
    "flexibel",
    "duidelijk",
    "haalbaar",
    "krijgt",
    "zoekt",
    "biedt",
    "helpt",
    "werkt",
    "leert",
    "start",
    "volgt",
    "bouwt",
    "kiest",
    "brengt",
    "houdt",
    "maakt",
    "vindt",
    "zet",
    "neemt",
    "blijft",
    "kan",
    "moet",
    "wil",
    "iedere",
    "alle",
    "veel",
    "weinig",
    "meer",
    "minder",
    "goed",
    "snel",
    "nieuw",
    "eigen",
    "binnen",
    "buiten",
    "tijdens",
    "zonder",
    "tussen",
    "door",
    "over",
    "bij",
    "op",
    "in",
    "aan",
    "dat",
    "die",
    "dit",
    "wie",
    "waar",
    "wanneer",
    "ook",
    "nog",
    "al",
    "niet",
    "wel",
    "vaak",
];

const SECTIONS: [&str; 8] = [
    "Aanleiding",
    "Doel",
    "Doelgroep",
    "Aanpak",
    "Randvoorwaarden",
    "Resultaten",
    "Overdraagbaarheid",
    "Meer weten",
];

const CONCEPTS: &[&str] = &[
    "Werkroute",
    "Taskforce Wijkwerkplaats",
    "Werkloket",
    "Leerwerkroute",
    "Jobcoach Direct",
    "Baanbrekers",
    "Perspectief op Werk",
    "Samen aan de Slag",
    "Kansrijk Werk",
    "Route naar Werk",
    "Werkfit",
    "Startbaan",
    "De Werkplaats",
    "Talent aan Zet",
    "Meedoen Werkt",
    "Werk Voorop",
    "Stap voor Stap",
    "Sluitende Aanpak",
    "Op Eigen Kracht",
    "Werkgeversservicepunt",
    "Participatiepact",
    "Jongerenloket",
    "Statushouders aan het Werk",
    "Wijkteam Werk",
    "Schuldhulp en Werk",
    "Taal en Werk",
    "Zorg en Werk",
    "Brug naar Werk",
    "Werkbrigade",
    "Leerbanen",
    "Detacheringspool",
    "Proefplaatsing Plus",
    "Garantiebaan",
    "Kompas",
];

const REGIONS: &[&str] = &[
    "Noord",
    "Rivierenland",
    "Twente",
    "Drechtsteden",
    "Midden-Holland",
    "Achterhoek",
    "Westfriesland",
    "De Liemers",
    "Zuid-Limburg",
    "Rijnmond",
    "Haaglanden",
    "Gooi en Vecht",
    "Noordoost-Brabant",
    "Zeeland",
    "Fryslân",
    "Groningen",
    "Drenthe",
    "Flevoland",
    "Veluwe",
    "Holland Rijnland",
    "Midden-Utrecht",
    "Food Valley",
    "Helmond-De Peel",
    "Hart van Brabant",
];

const STEMS: &[&str] = &[
    "Werk", "Kans", "Leer", "Maat", "Samen", "Talent", "Stap", "Brug", "Start", "Koers", "Baan",
    "Vak", "Doe", "Groei", "Sterk", "Zet",
];

const ENDS: &[&str] = &[
    "punt", "werk", "kracht", "plaats", "wijzer", "huis", "route", "zaak",
];

/// About 200 organisation names, deterministic from the seed.
pub fn partner_pool(seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x005e_ed0f_0a27);
    let mut set = BTreeSet::new();
    let mut out = Vec::new();
    for fixed in [
        "UWV",
        "CWI",
        "Kamer van Koophandel",
        "Leger des Heils",
        "Humanitas",
        "VluchtelingenWerk",
        "Coöperatie Werkkracht",
        "Stichting Reïntegratie Één",
    ] {
        set.insert(fixed.to_string());
        out.push(fixed.to_string());
    }
    while out.len() < 200 {
        let region = *rng.pick(REGIONS);
        let word = format!("{}{}", rng.pick(STEMS), rng.pick(ENDS));
        let name = match rng.below(10) {
            0 => format!("Stichting {word}"),
            1 => format!("{word} Re-integratie"),
            2 => format!("Werkbedrijf {region}"),
            3 => format!("ROC {region}"),
            4 => format!("Sociaal Werkbedrijf {region}"),
            5 => format!("{word} Jobcoaching"),
            6 => format!("Werkgeversservicepunt {region}"),
            7 => format!("Bureau {word}"),
            8 => format!("{word} Groep"),
            _ => format!("Vereniging {word} {region}"),
        };
        if set.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

/// The identity of one practice, fixed before any file is written so that links, related slugs
/// and bodies can point at others.
#[derive(Debug, Clone)]
pub struct Ident {
    pub stem: String,
    pub slug: String,
    pub title: String,
    /// Index of the lead municipality.
    pub lead: usize,
    pub draft: bool,
}

fn practice_rng(seed: u64, i: usize) -> Rng {
    let mut r = Rng::new(seed ^ (i as u64).wrapping_mul(0xd1b5_4a32_d192_ed03));
    r.next_u64();
    r
}

/// Names, slugs and titles of `n` practices.
pub fn idents(b: &Bundled, n: usize, seed: u64) -> Vec<Ident> {
    (0..n)
        .map(|i| {
            let mut r = practice_rng(seed, i);
            let concept = *r.pick(CONCEPTS);
            let lead = r.below(b.municipalities.len());
            let muni = &b.municipalities[lead].0;
            let stem = format!("{}-{}-{}", slug(concept), slug(muni), i + 1);
            // A few practices set an explicit slug that differs from the file name.
            let slug = if r.chance(0.03) {
                format!("p{}-{}", i + 1, slug(concept))
            } else {
                stem.clone()
            };
            Ident {
                stem,
                slug,
                title: format!("{concept} {muni}"),
                lead,
                draft: r.chance(0.01),
            }
        })
        .collect()
}

fn sentence(r: &mut Rng, words: &mut usize) -> String {
    let n = r.range(7, 17) as usize;
    let mut s = String::new();
    for k in 0..n {
        let w = *r.pick(WORDS);
        if k == 0 {
            let mut c = w.chars();
            let first = c.next().unwrap().to_uppercase().collect::<String>();
            s.push_str(&first);
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
            if k + 1 < n && r.chance(0.06) {
                s.push(',');
            }
        }
    }
    s.push('.');
    *words += n;
    s
}

fn date(r: &mut Rng, year: i64) -> String {
    match r.below(10) {
        0..=3 => format!("{year}"),
        4..=7 => format!("{year}-{:02}", r.range(1, 12)),
        _ => format!("{year}-{:02}-{:02}", r.range(1, 12), r.range(1, 28)),
    }
}

fn full_date(r: &mut Rng, year: i64) -> String {
    format!("{year}-{:02}-{:02}", r.range(1, 12), r.range(1, 28))
}

const LEVELS: &[&str] = &[
    "goed-beschreven",
    "goed-onderbouwd",
    "effectief-eerste-aanwijzingen",
    "effectief-goede-aanwijzingen",
    "effectief-sterke-aanwijzingen",
];
const ROLES: &[&str] = &[
    "uitvoerder",
    "partner",
    "opdrachtgever",
    "financier",
    "onderzoeker",
];
const METHODS: &[&str] = &[
    "zelfgerapporteerd",
    "registratie",
    "evaluatie-intern",
    "evaluatie-extern",
];
const RANKS: &[&str] = &[
    "winnaar",
    "2",
    "3",
    "finalist",
    "genomineerd",
    "eervolle-vermelding",
    "inzending",
];

/// The text of practice `i`: front matter and body. `words` receives the body's word count.
pub fn practice(
    b: &Bundled,
    pool: &[String],
    ids: &[Ident],
    i: usize,
    seed: u64,
    words: &mut usize,
) -> String {
    let me = &ids[i];
    let mut r = practice_rng(seed, i ^ 0x4000_0000);
    let mut f = String::with_capacity(8 * 1024);
    let w = &mut f;
    let title = &me.title;
    // The lead municipality is the one in the title.
    let lead = me.lead;
    let mut munis = vec![lead];
    if r.chance(0.2) {
        let extra = r.range(1, 4) as usize;
        for k in r.distinct(b.municipalities.len(), extra) {
            if !munis.contains(&k) {
                munis.push(k);
            }
        }
    }
    let lead_name = &b.municipalities[lead].0;
    let start_year = r.range(1995, 2024);
    let status = *r.pick(&["lopend", "lopend", "afgerond", "gestopt", "onbekend"]);

    writeln!(w, "---").unwrap();
    writeln!(w, "title: {}", q(title)).unwrap();
    let mut summary_words = 0;
    let mut summary = format!(
        "{lead_name} helpt werkzoekenden met {} op weg naar werk.",
        title.to_lowercase()
    );
    while summary.len() < 180 {
        summary.push(' ');
        summary.push_str(&sentence(&mut r, &mut summary_words));
    }
    if summary.chars().count() > 290 {
        summary = summary
            .chars()
            .take(289)
            .collect::<String>()
            .trim_end()
            .to_string()
            + ".";
    }
    writeln!(w, "summary: {}", q(&summary)).unwrap();
    if me.slug != me.stem {
        writeln!(w, "slug: {}", me.slug).unwrap();
    }
    if munis.len() == 1 {
        writeln!(w, "municipality: {}", q(lead_name)).unwrap();
    } else if r.chance(0.5) {
        let names: Vec<String> = munis.iter().map(|&k| q(&b.municipalities[k].0)).collect();
        writeln!(w, "municipality: [{}]", names.join(", ")).unwrap();
    } else {
        writeln!(w, "municipality:").unwrap();
        for &k in &munis {
            writeln!(w, "  - {}", q(&b.municipalities[k].0)).unwrap();
        }
    }
    if r.chance(0.1) {
        writeln!(w, "province: {}", q(&b.municipalities[lead].1)).unwrap();
    }
    let start = date(&mut r, start_year);
    let end_year = (start_year + r.range(1, 6)).min(2025);
    if matches!(status, "afgerond" | "gestopt") && r.chance(0.7) {
        let end = date(&mut r, end_year.max(start_year + 1));
        writeln!(w, "period: {{ start: {start}, end: {end} }}").unwrap();
    } else if r.chance(0.5) {
        writeln!(w, "period: {{ start: {start} }}").unwrap();
    } else {
        writeln!(w, "period:\n  start: {start}").unwrap();
    }
    writeln!(w, "status: {status}").unwrap();
    let law = match start_year {
        ..=2003 => "abw",
        2004..=2009 => "wwb",
        2010..=2011 => "wij",
        _ => "participatiewet",
    };
    if r.chance(0.8) {
        let extra = *r.pick(&["ww", "wia", "wajong", "wsw"]);
        if r.chance(0.3) {
            writeln!(w, "legal_framework: [{law}, {extra}]").unwrap();
        } else {
            writeln!(w, "legal_framework: [{law}]").unwrap();
        }
    }
    let terms = |r: &mut Rng, list: &[String], lo: i64, hi: i64| -> String {
        let k = r.range(lo, hi) as usize;
        let picked: Vec<&str> = r
            .distinct(list.len(), k)
            .into_iter()
            .map(|j| list[j].as_str())
            .collect();
        format!("[{}]", picked.join(", "))
    };
    writeln!(
        w,
        "target_groups: {}",
        terms(&mut r, &b.target_groups, 1, 3)
    )
    .unwrap();
    writeln!(w, "themes: {}", terms(&mut r, &b.themes, 1, 4)).unwrap();
    if r.chance(0.85) {
        writeln!(w, "instruments: {}", terms(&mut r, &b.instruments, 1, 3)).unwrap();
    }
    // Partners: the first leads, the others take a role; some have since/until.
    let n_partners = r.range(1, 6) as usize;
    let partners = r.distinct(pool.len(), n_partners);
    writeln!(w, "partners:").unwrap();
    for (k, &p) in partners.iter().enumerate() {
        let role = if k == 0 { "trekker" } else { *r.pick(ROLES) };
        let mut line = format!("  - {{ name: {}", q(&pool[p]));
        if k == 0 || r.chance(0.9) {
            write!(line, ", role: {role}").unwrap();
        }
        if k > 0 && r.chance(0.2) {
            let since = start_year + r.range(0, 2);
            write!(line, ", since: {}", date(&mut r, since)).unwrap();
            if r.chance(0.5) {
                write!(line, ", until: {}", since + r.range(1, 4)).unwrap();
            }
        }
        line.push_str(" }");
        writeln!(w, "{line}").unwrap();
    }
    let n_sources = r.range(1, 3) as usize;
    // Results: a count, shares of it by id and by number, a percentage, money and days.
    let n_results = if r.chance(0.05) { 0 } else { r.range(1, 5) };
    if n_results > 0 {
        writeln!(w, "results:").unwrap();
        let base = r.range(40, 2400);
        let as_of_year = (start_year + r.range(1, 4)).min(2025);
        for k in 0..n_results {
            let (id, label, value, unit, of): (Option<&str>, &str, i64, &str, Option<String>) =
                match k {
                    0 => (
                        Some("deelnemers"),
                        "Deelnemers in het traject",
                        base,
                        *r.pick(&["personen", "trajecten"]),
                        None,
                    ),
                    1 => (
                        Some("werk"),
                        "Aan het werk",
                        r.range(1, base),
                        "personen",
                        Some("deelnemers".into()),
                    ),
                    2 => (
                        None,
                        "Uitkering beëindigd",
                        r.range(1, 95),
                        "procent",
                        Some(if r.chance(0.5) {
                            "werk".into()
                        } else {
                            format!("{}", r.range(50, 900))
                        }),
                    ),
                    3 => (None, "Kosten per traject", r.range(800, 9000), "euro", None),
                    _ => (
                        None,
                        "Gemiddelde duur tot plaatsing",
                        r.range(20, 400),
                        "dagen",
                        None,
                    ),
                };
            if r.chance(0.5) {
                // Flow style.
                let mut line = String::from("  - {");
                if let Some(id) = id {
                    write!(line, " id: {id},").unwrap();
                }
                write!(line, " label: {}, value: {value}, unit: {unit}", q(label)).unwrap();
                if let Some(of) = &of {
                    write!(line, ", of: {of}").unwrap();
                }
                if r.chance(0.9) {
                    write!(line, ", source: s{}", r.range(1, n_sources as i64)).unwrap();
                }
                line.push_str(" }");
                writeln!(w, "{line}").unwrap();
            } else {
                if let Some(id) = id {
                    writeln!(w, "  - id: {id}\n    label: {}", q(label)).unwrap();
                } else {
                    writeln!(w, "  - label: {}", q(label)).unwrap();
                }
                writeln!(w, "    value: {value}\n    unit: {unit}").unwrap();
                if let Some(of) = &of {
                    writeln!(w, "    of: {of}").unwrap();
                }
                writeln!(w, "    as_of: {}", date(&mut r, as_of_year)).unwrap();
                writeln!(w, "    method: {}", r.pick(METHODS)).unwrap();
                if r.chance(0.9) {
                    writeln!(w, "    source: s{}", r.range(1, n_sources as i64)).unwrap();
                }
                if r.chance(0.3) {
                    let mut nw = 0;
                    writeln!(w, "    note: {}", q(&sentence(&mut r, &mut nw))).unwrap();
                }
            }
        }
    }
    if !b.awards.is_empty() && r.chance(0.04) {
        writeln!(w, "awards:").unwrap();
        let n_awards = r.range(1, 2) as usize;
        for k in r.distinct(b.awards.len(), n_awards) {
            let (award, editions) = &b.awards[k];
            let edition = if editions.is_empty() {
                start_year.to_string()
            } else {
                r.pick(editions).clone()
            };
            writeln!(w, "  - award: {award}\n    edition: {}", q(&edition)).unwrap();
            writeln!(w, "    rank: {}", q(r.pick::<&str>(RANKS))).unwrap();
            if award.contains("publiek") {
                writeln!(w, "    prize_type: publiek").unwrap();
            } else if r.chance(0.5) {
                writeln!(w, "    prize_type: jury").unwrap();
            }
            if r.chance(0.7) {
                let mut nw = 0;
                writeln!(w, "    motivation: {}", q(&sentence(&mut r, &mut nw))).unwrap();
            }
            writeln!(w, "    source: s1").unwrap();
        }
    }
    if r.chance(0.07) {
        writeln!(w, "recognitions:").unwrap();
        let year = start_year + r.range(1, 5);
        if r.chance(0.6) {
            writeln!(
                w,
                "  - scheme: erkenningstraject\n    level: {}",
                r.pick(LEVELS)
            )
            .unwrap();
            writeln!(w, "    body: \"Erkenningscommissie Interventies\"").unwrap();
            writeln!(w, "    date: {}", full_date(&mut r, year)).unwrap();
            writeln!(w, "    valid_until: {}", year + 5).unwrap();
        } else {
            writeln!(
                w,
                "  - scheme: \"Best practices re-integratie ministerie SZW\"\n    level: gecertificeerd"
            )
            .unwrap();
            writeln!(
                w,
                "    body: \"Deskundigenpanel projectbureau ministerie SZW\""
            )
            .unwrap();
            writeln!(w, "    date: {}", date(&mut r, year)).unwrap();
        }
        if r.chance(0.7) {
            writeln!(w, "    source: s1").unwrap();
        }
    }
    writeln!(w, "sources:").unwrap();
    let muni_slug = slug(lead_name);
    for k in 1..=n_sources {
        let publisher = if r.chance(0.5) {
            format!("Gemeente {lead_name}")
        } else {
            pool[partners[0]].clone()
        };
        let mut nw = 0;
        let t = sentence(&mut r, &mut nw);
        writeln!(w, "  - id: s{k}\n    title: {}", q(t.trim_end_matches('.'))).unwrap();
        writeln!(w, "    publisher: {}", q(&publisher)).unwrap();
        if r.chance(0.7) {
            writeln!(
                w,
                "    url: https://www.{muni_slug}.nl/nieuws/{}-{}",
                slug(CONCEPTS[r.below(CONCEPTS.len())]),
                r.range(100, 99999)
            )
            .unwrap();
            writeln!(w, "    accessed: {}", full_date(&mut r, 2025)).unwrap();
        }
        if r.chance(0.6) {
            writeln!(w, "    published: {}", date(&mut r, start_year + 1)).unwrap();
        }
    }
    if r.chance(0.6) {
        writeln!(
            w,
            "contact:\n  organisation: {}",
            q(&format!("Gemeente {lead_name}, team Werk"))
        )
        .unwrap();
        if r.chance(0.8) {
            writeln!(w, "  email: werk@{muni_slug}.nl").unwrap();
        }
        if r.chance(0.6) {
            writeln!(w, "  url: https://www.{muni_slug}.nl/werk").unwrap();
        }
    }
    // Related: other practices, by slug.
    let others = |r: &mut Rng, k: usize| -> Vec<usize> {
        let mut out = Vec::new();
        if ids.len() < 2 {
            return out;
        }
        for _ in 0..k * 4 {
            let j = r.below(ids.len());
            if j != i && !ids[j].draft && !out.contains(&j) {
                out.push(j);
            }
            if out.len() == k {
                break;
            }
        }
        out
    };
    if r.chance(0.3) {
        let n_rel = r.range(1, 3) as usize;
        let rel = others(&mut r, n_rel);
        if !rel.is_empty() {
            let slugs: Vec<&str> = rel.iter().map(|&j| ids[j].slug.as_str()).collect();
            writeln!(w, "related: [{}]", slugs.join(", ")).unwrap();
        }
    }
    if me.draft {
        writeln!(w, "draft: true").unwrap();
    }
    writeln!(w, "---").unwrap();

    // Body.
    let target = r.range(420, 850) as usize;
    let mut n = 0usize;
    let mut paras: Vec<Vec<String>> = vec![Vec::new(); SECTIONS.len()];
    for p in paras.iter_mut() {
        p.push(sentence(&mut r, &mut n));
    }
    let fixed = 190; // words in lists, table and links below
    while n + fixed < target {
        let s = r.below(SECTIONS.len());
        let sent = sentence(&mut r, &mut n);
        paras[s].push(sent);
    }
    let link = others(&mut r, 1).first().copied();
    let mut body = String::with_capacity(target * 8);
    let bw = &mut body;
    for (s, name) in SECTIONS.iter().enumerate() {
        writeln!(bw, "\n## {name}\n").unwrap();
        // Paragraphs of three to five sentences.
        let mut k = 0;
        while k < paras[s].len() {
            let take = r.range(3, 5) as usize;
            let end = (k + take).min(paras[s].len());
            writeln!(bw, "{}\n", paras[s][k..end].join(" ")).unwrap();
            k = end;
        }
        match *name {
            "Doel" => {
                for _ in 0..3 {
                    let mut x = 0;
                    writeln!(bw, "- {}", sentence(&mut r, &mut x)).unwrap();
                    n += x;
                }
            }
            "Aanpak" => {
                for step in 1..=4 {
                    let mut x = 0;
                    let s = sentence(&mut r, &mut x);
                    writeln!(
                        bw,
                        "{step}. **{}.** {s}",
                        r.pick(&["Intake", "Diagnose", "Training", "Plaatsing", "Nazorg"])
                    )
                    .unwrap();
                    n += x + 1;
                }
            }
            "Randvoorwaarden" => {
                for _ in 0..3 {
                    let mut x = 0;
                    writeln!(bw, "- {}", sentence(&mut r, &mut x)).unwrap();
                    n += x;
                }
            }
            "Resultaten" => {
                writeln!(bw, "| Jaar | Deelnemers | Aan het werk | Aandeel |").unwrap();
                writeln!(bw, "|---|---:|---:|---:|").unwrap();
                for y in 0..r.range(2, 4) {
                    let d = r.range(20, 400);
                    let a = r.range(1, d);
                    writeln!(bw, "| {} | {d} | {a} | {}% |", start_year + y, a * 100 / d).unwrap();
                    n += 4;
                }
                n += 7;
            }
            "Overdraagbaarheid" => {
                if let Some(j) = link {
                    writeln!(
                        bw,
                        "Een vergelijkbare aanpak staat beschreven bij [{}]({}.md).",
                        ids[j].title, ids[j].stem
                    )
                    .unwrap();
                    n += 6 + ids[j].title.split_whitespace().count();
                }
                writeln!(
                    bw,
                    "Zie ook de [website van de gemeente](https://www.{muni_slug}.nl/werk)."
                )
                .unwrap();
                n += 7;
            }
            "Meer weten" => {
                let mut x = 0;
                writeln!(bw, "- Bron: {}", sentence(&mut r, &mut x)).unwrap();
                if let Some((award, _)) = b.awards.first() {
                    writeln!(bw, "- Over prijzen: zie de [prijs]({award}.md).").unwrap();
                    x += 5;
                }
                if let Some(page) = b.pages.first() {
                    writeln!(bw, "- Hoe deze site werkt: [over deze site]({page}.md).").unwrap();
                    x += 7;
                }
                n += x;
            }
            _ => {}
        }
    }
    *words = n;
    f.push_str(&body);
    f
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for e in fs::read_dir(from)? {
        let e = e?;
        let dest = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &dest)?;
        } else {
            fs::copy(e.path(), &dest)?;
        }
    }
    Ok(())
}

/// Writes a complete site of `n` practices into `out` (created; must not hold a site already).
pub fn generate(b: &Bundled, out: &Path, n: usize, seed: u64) -> io::Result<Stats> {
    let practices = out.join("content/practices");
    fs::create_dir_all(&practices)?;
    fs::write(
        out.join("site.toml"),
        format!(
            "# Synthetic benchmark site: {n} practices, seed {seed} (cargo run --example gen_corpus).\n\
             title = \"Etalage Werk & Participatie (benchmark)\"\n\
             description = \"Een gegenereerde etalage van {n} praktijken om etalage te meten.\"\n\
             base_url = \"https://etalage.example.nl/\"\n\
             language = \"nl\"\n\
             output_dir = \"public\"\n\
             publisher = \"Etalage Werk & Participatie\"\n\
             per_page = 50\n\
             stale_after_years = 5\n"
        ),
    )?;
    copy_dir(&b.repo.join("content/data"), &out.join("content/data"))?;
    copy_dir(&b.repo.join("content/awards"), &out.join("content/awards"))?;
    if b.repo.join("content/pages").is_dir() {
        copy_dir(&b.repo.join("content/pages"), &out.join("content/pages"))?;
    }
    copy_dir(&b.repo.join("themes/default"), &out.join("themes/default"))?;
    let pool = partner_pool(seed);
    let ids = idents(b, n, seed);
    let mut stats = Stats {
        practices: n,
        words_min: usize::MAX,
        ..Stats::default()
    };
    for i in 0..n {
        let mut words = 0;
        let text = practice(b, &pool, &ids, i, seed, &mut words);
        stats.words_min = stats.words_min.min(words);
        stats.words_max = stats.words_max.max(words);
        stats.drafts += usize::from(ids[i].draft);
        stats.with_awards += usize::from(text.contains("\nawards:\n"));
        stats.with_recognitions += usize::from(text.contains("\nrecognitions:\n"));
        stats.bytes += text.len() as u64;
        fs::write(practices.join(format!("{}.md", ids[i].stem)), text)?;
    }
    if n == 0 {
        stats.words_min = 0;
    }
    Ok(stats)
}

/// The repository root, for the bundled content (this file lives in `bench/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
