//! Open data: every public practice with every front-matter field, as JSON and as CSV, and the
//! `/data/` page that documents the columns and describes the dataset (DCAT-AP-NL, JSON-LD).
//!
//! - `/data/praktijken.json`: an array of [`Record`]s, in list order (by title).
//! - `/data/praktijken/<slug>.json`: one record, the same as in the array (the compare page
//!   fetches only the practices it shows).
//! - `/data/praktijken.csv`: one row per practice (UTF-8, comma, CRLF, RFC 4180 quoting, see
//!   [`super::csv::field`]). Lists of keys are joined by `; `; repeating groups (partners,
//!   results, awards, recognitions, sources) become numbered columns `result_1_label`, ...,
//!   as many as the practice with the most has.
//!
//! Values are machine-readable: vocabulary keys as written in front matter, numbers with a `.`
//! decimal point, dates as partial ISO (`1997`, `2006-04`). Names are stable: the JSON field
//! names and CSV column names are listed in [`FIELDS`] and documented on `/data/`. Rates the
//! site computes are included and marked by their names: `computed_rate`, `computed_count`.
//!
//! A pass without a memo (a build) streams the files as it makes them ([`stream`]); an
//! incremental pass keeps every practice's [`Piece`] and joins them ([`files`]). Both write
//! the joined files with the same [`Shape`] and separators.

use serde::Serialize;
use serde_json::json;

use super::context::{Base, Shared};
use std::sync::{Arc, OnceLock};

use super::csv::{field, number};
use super::pages::{home, t};
use super::urls::{file_of, practice_rel};
use super::xml::script_safe;
use super::{Bytes, Emit, OutputFile, Pass};
use crate::config::{Language, CONTENT_LANGUAGE};
use crate::date::PartialDate;
use crate::error::Result;
use crate::format;
use crate::meta::Unit;
use crate::record::{Practice, ResultRecord};

pub const JSON_REL: &str = "data/praktijken.json";
pub const CSV_REL: &str = "data/praktijken.csv";

/// The per-practice JSON file the compare page reads.
pub fn record_rel(slug: &str) -> String {
    ["data/praktijken/", slug, ".json"].concat()
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerRecord {
    pub name: String,
    pub role: Option<&'static str>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub id: Option<String>,
    pub label: String,
    #[serde(serialize_with = "whole")]
    pub value: f64,
    pub unit: &'static str,
    /// The base as written: a number, or the `id` of another result.
    pub of: Option<serde_json::Value>,
    /// The number the value is measured against.
    #[serde(serialize_with = "opt_whole")]
    pub base: Option<f64>,
    /// The label of the result the base comes from.
    pub base_label: Option<String>,
    /// Computed by etalage: value / base × 100, for counts with a base (one decimal).
    #[serde(serialize_with = "opt_whole")]
    pub computed_rate: Option<f64>,
    /// Computed by etalage: the count a `procent` result stands for (one decimal).
    #[serde(serialize_with = "opt_whole")]
    pub computed_count: Option<f64>,
    pub as_of: Option<PartialDate>,
    pub method: &'static str,
    /// The `id` of its source.
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardRecord {
    pub award: String,
    pub award_title: String,
    pub edition: String,
    pub rank: &'static str,
    pub prize_type: &'static str,
    pub motivation: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecognitionRecord {
    pub scheme: String,
    pub level: String,
    /// A level of the national recognition scheme (Erkenningstraject Interventies).
    pub national: bool,
    pub body: String,
    pub date: PartialDate,
    pub valid_until: Option<PartialDate>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRecord {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<PartialDate>,
    pub accessed: Option<PartialDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactRecord {
    pub organisation: String,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// One practice in the open data.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub municipalities: Vec<String>,
    pub province: &'static str,
    pub provinces: Vec<&'static str>,
    pub period_start: PartialDate,
    pub period_end: Option<PartialDate>,
    pub status: &'static str,
    pub legal_framework: Vec<&'static str>,
    pub target_groups: Vec<String>,
    pub themes: Vec<String>,
    pub instruments: Vec<String>,
    pub partners: Vec<PartnerRecord>,
    pub results: Vec<ResultRow>,
    pub awards: Vec<AwardRecord>,
    pub recognitions: Vec<RecognitionRecord>,
    pub sources: Vec<SourceRecord>,
    pub contact: Option<ContactRecord>,
    pub related: Vec<String>,
}

/// Whole numbers without a decimal point (`238`, not `238.0`), others as they are.
fn json_number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn whole<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    json_number(*v).serialize(s)
}

fn opt_whole<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    v.map(json_number).serialize(s)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn result_row(r: &ResultRecord, p: &Practice) -> ResultRow {
    let of = r.base.as_ref().map(|b| match &b.id {
        Some(id) => json!(id),
        None => json_number(b.value),
    });
    let (rate, count) = match (r.computed, r.unit) {
        (Some(c), Unit::Procent) => (None, Some(round1(c))),
        (Some(c), _) => (Some(round1(c)), None),
        (None, _) => (None, None),
    };
    ResultRow {
        id: r.id.clone(),
        label: r.label.clone(),
        value: r.value,
        unit: r.unit.key(),
        of,
        base: r.base.as_ref().map(|b| b.value),
        base_label: r.base.as_ref().and_then(|b| b.label.clone()),
        computed_rate: rate,
        computed_count: count,
        as_of: r.as_of,
        method: r.method.key(),
        source: r.source.map(|i| p.sources[i].id.clone()),
        note: r.note.clone(),
    }
}

/// The open-data record of practice `p`.
pub fn record(ctx: &Shared, p: &Practice) -> Record {
    let source = |i: Option<usize>| i.map(|i| p.sources[i].id.clone());
    Record {
        slug: p.slug.clone(),
        url: ctx.urls.absolute(&practice_rel(&p.slug)),
        title: p.title.clone(),
        summary: p.summary.clone(),
        municipalities: p.municipalities.clone(),
        province: p.province.key(),
        provinces: p.provinces.iter().map(|x| x.key()).collect(),
        period_start: p.period.start,
        period_end: p.period.end,
        status: p.status.key(),
        legal_framework: p.legal_framework.iter().map(|l| l.key()).collect(),
        target_groups: p.target_groups.clone(),
        themes: p.themes.clone(),
        instruments: p.instruments.clone(),
        partners: p
            .partners
            .iter()
            .map(|x| PartnerRecord {
                name: x.name.clone(),
                role: x.role.map(|r| r.key()),
                since: x.since,
                until: x.until,
            })
            .collect(),
        results: p.results.iter().map(|r| result_row(r, p)).collect(),
        awards: p
            .awards
            .iter()
            .map(|a| AwardRecord {
                award: a.award.clone(),
                award_title: ctx
                    .site
                    .award(&a.award)
                    .map_or_else(|| a.award.clone(), |(_, x)| x.title.clone()),
                edition: a.edition.clone(),
                rank: a.rank.key(),
                prize_type: a.prize_type.key(),
                motivation: a.motivation.clone(),
                source: source(a.source),
            })
            .collect(),
        recognitions: p
            .recognitions
            .iter()
            .map(|r| RecognitionRecord {
                scheme: r.scheme.clone(),
                level: r.level.clone(),
                national: r.national,
                body: r.body.clone(),
                date: r.date,
                valid_until: r.valid_until,
                source: source(r.source),
            })
            .collect(),
        sources: p
            .sources
            .iter()
            .map(|s| SourceRecord {
                id: s.id.clone(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: s.url.clone(),
                published: s.published,
                accessed: s.accessed,
            })
            .collect(),
        contact: p.contact.as_ref().map(|c| ContactRecord {
            organisation: c.organisation.clone(),
            email: c.email.clone(),
            url: c.url.clone(),
        }),
        related: p.related.clone(),
    }
}

/// What a field holds, for the documentation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Date,
    Key,
    Keys,
    Bool,
    Url,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Key => "key",
            Kind::Keys => "keys",
            Kind::Bool => "bool",
            Kind::Url => "url",
        }
    }
}

/// A field of the dataset: its JSON path, its CSV column (`N` numbers a repeating group) and
/// what it holds. Its description is the interface string `data_field.<csv>`.
pub struct Field {
    pub json: &'static str,
    pub csv: &'static str,
    pub kind: Kind,
}

const fn f(json: &'static str, csv: &'static str, kind: Kind) -> Field {
    Field { json, csv, kind }
}

/// Every field, in column order. The CSV's numbered groups follow in the order given here.
pub const FIELDS: &[Field] = &[
    f("slug", "slug", Kind::Key),
    f("url", "url", Kind::Url),
    f("title", "title", Kind::Text),
    f("summary", "summary", Kind::Text),
    f("municipalities", "municipalities", Kind::Keys),
    f("province", "province", Kind::Key),
    f("provinces", "provinces", Kind::Keys),
    f("period_start", "period_start", Kind::Date),
    f("period_end", "period_end", Kind::Date),
    f("status", "status", Kind::Key),
    f("legal_framework", "legal_framework", Kind::Keys),
    f("target_groups", "target_groups", Kind::Keys),
    f("themes", "themes", Kind::Keys),
    f("instruments", "instruments", Kind::Keys),
    f("related", "related", Kind::Keys),
    f("contact.organisation", "contact_organisation", Kind::Text),
    f("contact.email", "contact_email", Kind::Text),
    f("contact.url", "contact_url", Kind::Url),
    f("partners[].name", "partner_N_name", Kind::Text),
    f("partners[].role", "partner_N_role", Kind::Key),
    f("partners[].since", "partner_N_since", Kind::Date),
    f("partners[].until", "partner_N_until", Kind::Date),
    f("results[].id", "result_N_id", Kind::Key),
    f("results[].label", "result_N_label", Kind::Text),
    f("results[].value", "result_N_value", Kind::Number),
    f("results[].unit", "result_N_unit", Kind::Key),
    f("results[].of", "result_N_of", Kind::Text),
    f("results[].base", "result_N_base", Kind::Number),
    f("results[].base_label", "result_N_base_label", Kind::Text),
    f(
        "results[].computed_rate",
        "result_N_computed_rate",
        Kind::Number,
    ),
    f(
        "results[].computed_count",
        "result_N_computed_count",
        Kind::Number,
    ),
    f("results[].as_of", "result_N_as_of", Kind::Date),
    f("results[].method", "result_N_method", Kind::Key),
    f("results[].source", "result_N_source", Kind::Key),
    f("results[].note", "result_N_note", Kind::Text),
    f("awards[].award", "award_N_award", Kind::Key),
    f("awards[].award_title", "award_N_award_title", Kind::Text),
    f("awards[].edition", "award_N_edition", Kind::Key),
    f("awards[].rank", "award_N_rank", Kind::Key),
    f("awards[].prize_type", "award_N_prize_type", Kind::Key),
    f("awards[].motivation", "award_N_motivation", Kind::Text),
    f("awards[].source", "award_N_source", Kind::Key),
    f("recognitions[].scheme", "recognition_N_scheme", Kind::Text),
    f("recognitions[].level", "recognition_N_level", Kind::Key),
    f(
        "recognitions[].national",
        "recognition_N_national",
        Kind::Bool,
    ),
    f("recognitions[].body", "recognition_N_body", Kind::Text),
    f("recognitions[].date", "recognition_N_date", Kind::Date),
    f(
        "recognitions[].valid_until",
        "recognition_N_valid_until",
        Kind::Date,
    ),
    f("recognitions[].source", "recognition_N_source", Kind::Key),
    f("sources[].id", "source_N_id", Kind::Key),
    f("sources[].title", "source_N_title", Kind::Text),
    f("sources[].publisher", "source_N_publisher", Kind::Text),
    f("sources[].url", "source_N_url", Kind::Url),
    f("sources[].published", "source_N_published", Kind::Date),
    f("sources[].accessed", "source_N_accessed", Kind::Date),
];

/// The repeating groups of the CSV: column prefix and the JSON array they come from.
const GROUPS: &[(&str, &str)] = &[
    ("partner", "partners"),
    ("result", "results"),
    ("award", "awards"),
    ("recognition", "recognitions"),
    ("source", "sources"),
];

/// A JSON value as a CSV cell.
fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), number),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join("; "),
        serde_json::Value::Object(_) => v.to_string(),
    }
}

/// The fields of the plain (not repeating) CSV columns.
fn plain_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(|f| !f.csv.contains("_N_"))
}

/// The fields of repeating group `prefix` (`result_N_label`, ...).
fn group_fields(prefix: &str) -> Vec<&'static Field> {
    let start = format!("{prefix}_N_");
    FIELDS
        .iter()
        .filter(|f| f.csv.starts_with(&start))
        .collect()
}

/// One practice's share of the open-data files: its record as JSON and its CSV cells, quoted.
/// The dev server keeps them between renders by the practice's key (see `memo::Pass::piece`),
/// so an edit serializes only the records that changed.
#[derive(Debug)]
pub struct Piece {
    /// The record as compact JSON: its own file, and its line in the array.
    json: Bytes,
    /// The cells of the plain columns as CSV, comma-separated.
    plain: String,
    /// Per repeating group (see [`GROUPS`]): per item, the cells of the group's columns as
    /// CSV, comma-separated.
    groups: Vec<Vec<String>>,
    /// [`Piece::print`], taken once: a piece kept by the dev server is not hashed again.
    print: OnceLock<u128>,
}

/// Pieces are equal when their contents are, whether or not their print was taken yet.
impl PartialEq for Piece {
    fn eq(&self, other: &Piece) -> bool {
        (&self.json, &self.plain, &self.groups) == (&other.json, &other.plain, &other.groups)
    }
}

impl Piece {
    pub fn of(r: &Record) -> Piece {
        let v = serde_json::to_value(r).expect("records serialize");
        let mut plain = String::new();
        join_cells(
            &mut plain,
            plain_fields().map(|f| match f.json.split_once('.') {
                Some((outer, inner)) => cell(&v[outer][inner]),
                None => cell(&v[f.json]),
            }),
        );
        let groups = GROUPS
            .iter()
            .map(|&(prefix, array)| {
                let fields = group_fields(prefix);
                let items = v[array].as_array().map(Vec::as_slice).unwrap_or(&[]);
                items
                    .iter()
                    .map(|item| {
                        let mut text = String::new();
                        join_cells(
                            &mut text,
                            fields
                                .iter()
                                .map(|f| cell(&item[f.json.rsplit('.').next().unwrap_or(f.json)])),
                        );
                        text
                    })
                    .collect()
            })
            .collect();
        Piece {
            json: serde_json::to_vec(r).expect("records serialize").into(),
            plain,
            groups,
            print: OnceLock::new(),
        }
    }

    /// Per repeating group, how many items the record has.
    fn sizes(&self) -> [usize; GROUPS.len()] {
        std::array::from_fn(|g| self.groups[g].len())
    }

    /// A hash of the piece's contents: equal pieces have equal prints.
    fn print(&self) -> u128 {
        *self.print.get_or_init(|| self.hash())
    }

    fn hash(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut part = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        part(&self.json);
        part(self.plain.as_bytes());
        for group in &self.groups {
            part(&(group.len() as u64).to_le_bytes());
            group.iter().for_each(|item| part(item.as_bytes()));
        }
        h.digest128()
    }
}

/// Appends `cells` to `out`, quoted where needed and separated by commas.
fn join_cells<S: AsRef<str>>(out: &mut String, cells: impl Iterator<Item = S>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(c.as_ref()));
    }
}

/// The JSON array of the records, one a line: compact, yet readable and diffable line by line.
/// It opens with [`JSON_OPEN`], puts [`JSON_BETWEEN`] between two records and ends with
/// [`JSON_CLOSE`].
const JSON_OPEN: &[u8] = b"[\n";
const JSON_BETWEEN: &[u8] = b",\n";
const JSON_CLOSE: &[u8] = b"\n]\n";

/// The JSON array of `pieces`' records, whole.
fn json_array(pieces: &[Arc<Piece>]) -> Bytes {
    let size: usize = pieces.iter().map(|p| p.json.len() + 2).sum();
    let mut json = Vec::with_capacity(size + 8);
    json.extend_from_slice(JSON_OPEN);
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            json.extend_from_slice(JSON_BETWEEN);
        }
        json.extend_from_slice(&p.json);
    }
    json.extend_from_slice(JSON_CLOSE);
    json.into()
}

/// Per repeating group (see [`GROUPS`], in its order), how many items practice `p` has: the
/// lengths of its record's arrays, known without making the record.
fn group_sizes(p: &Practice) -> [usize; GROUPS.len()] {
    [
        p.partners.len(),
        p.results.len(),
        p.awards.len(),
        p.recognitions.len(),
        p.sources.len(),
    ]
}

/// The CSV's columns: a repeating group gets as many numbered columns as the practice with the
/// most items has; a practice with fewer gets empty cells.
struct Shape {
    /// Per repeating group, the most items a practice has.
    widths: [usize; GROUPS.len()],
    /// Per repeating group, its columns per item.
    columns: [usize; GROUPS.len()],
}

impl Shape {
    /// The shape of a CSV of practices whose groups have `sizes` items.
    fn of(sizes: impl Iterator<Item = [usize; GROUPS.len()]>) -> Shape {
        let widths = sizes.fold([0; GROUPS.len()], |most, s| {
            std::array::from_fn(|g| most[g].max(s[g]))
        });
        let columns = std::array::from_fn(|g| group_fields(GROUPS[g].0).len());
        Shape { widths, columns }
    }

    /// The header line, with its line break.
    fn header(&self) -> String {
        let mut header: Vec<String> = plain_fields().map(|f| f.csv.to_string()).collect();
        for (&(prefix, _), &n) in GROUPS.iter().zip(&self.widths) {
            let fields = group_fields(prefix);
            for i in 1..=n {
                header.extend(
                    fields
                        .iter()
                        .map(|f| f.csv.replacen("_N_", &format!("_{i}_"), 1)),
                );
            }
        }
        let mut out = String::new();
        join_cells(&mut out, header.iter());
        out.push_str("\r\n");
        out
    }

    /// Appends the line of `p` to `out`, with its line break.
    fn row(&self, out: &mut String, p: &Piece) {
        out.push_str(&p.plain);
        for (g, items) in p.groups.iter().enumerate() {
            for i in 0..self.widths[g] {
                out.push(',');
                match items.get(i) {
                    Some(text) => out.push_str(text),
                    None => (1..self.columns[g]).for_each(|_| out.push(',')),
                }
            }
        }
        out.push_str("\r\n");
    }
}

/// The CSV of the practices, whole: the header, then one row per practice (see [`Shape`]).
fn csv(pieces: &[Arc<Piece>]) -> String {
    let shape = Shape::of(pieces.iter().map(|p| p.sizes()));
    let size: usize = pieces
        .iter()
        .map(|p| p.plain.len() + p.groups.iter().flatten().map(String::len).sum::<usize>())
        .sum();
    let mut out = String::with_capacity(size + pieces.len() * 64 + 4096);
    out.push_str(&shape.header());
    for p in pieces {
        shape.row(&mut out, p);
    }
    out
}

/// The open-data files: the JSON array, the CSV and one JSON file per practice, with the
/// pieces kept by `pass`'s memo (see [`stream`] for a pass without one).
pub fn files(ctx: &Shared, pass: &Pass) -> Vec<OutputFile> {
    use rayon::prelude::*;
    let pieces: Vec<Arc<Piece>> = ctx
        .site
        .practices
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let key = ctx.keys.as_ref().map(|k| k.record_key(i));
            pass.piece(key, || Piece::of(&record(ctx, p)))
        })
        .collect();
    // The JSON array and the CSV are made of the pieces alone. In an incremental render they
    // are keyed by the pieces' contents (each piece hashed once, and kept by the memo while its
    // record is unchanged), so an edit that leaves every piece as it was does not join tens of
    // megabytes again, and the files stay the same shared bytes.
    let joined_key = pass.keeps_memo().then(|| {
        let prints: Vec<u128> = pieces.par_iter().map(|p| p.print()).collect();
        crate::fingerprint::of_prints("pieces", &prints)
    });
    let join = |name: &str, make: &dyn Fn() -> Bytes| match joined_key {
        Some(key) => pass.file_keyed(name, key, make),
        None => make(),
    };
    let mut out = Vec::with_capacity(pieces.len() + 2);
    out.push(OutputFile {
        path: JSON_REL.into(),
        bytes: join(JSON_REL, &|| json_array(&pieces)),
    });
    out.push(OutputFile {
        path: CSV_REL.into(),
        bytes: join(CSV_REL, &|| csv(&pieces).into_bytes().into()),
    });
    out.extend(
        ctx.site
            .practices
            .iter()
            .zip(&pieces)
            .map(|(p, piece)| OutputFile {
                path: record_rel(&p.slug),
                bytes: piece.json.clone(),
            }),
    );
    out
}

/// Practices per step of [`stream`]: their pieces are made in parallel, appended to the joined
/// files and dropped before the next step's are made.
const STEP: usize = 256;

/// The open-data files of a pass without a memo, handed to `emit` as they are made: each
/// practice's file at once, the JSON array and the CSV in parts ([`Emit::open`]), a step of
/// [`STEP`] practices at a time, so neither the joined files nor all the pieces are ever held
/// (at 10,000 practices: 24 and 14 MB, and as much again in pieces). The same bytes as
/// [`files`]: the CSV's columns are counted from the practices first ([`group_sizes`]).
/// Returns what `emit` returned per file.
pub fn stream<T: Send>(ctx: &Shared, emit: &dyn Emit<T>) -> Result<Vec<T>> {
    use rayon::prelude::*;
    let practices = &ctx.site.practices;
    let shape = Shape::of(practices.iter().map(|p| group_sizes(p)));
    let mut json = emit.open(JSON_REL.into())?;
    let mut csv = emit.open(CSV_REL.into())?;
    json.write(JSON_OPEN)?;
    csv.write(shape.header().as_bytes())?;
    let mut done = Vec::with_capacity(practices.len() + 2);
    let (mut json_part, mut csv_part) = (Vec::new(), String::new());
    for (step, chunk) in practices.chunks(STEP).enumerate() {
        let made = chunk
            .par_iter()
            .map(|p| {
                let piece = Piece::of(&record(ctx, p));
                debug_assert_eq!(piece.sizes(), group_sizes(p), "{}", p.slug);
                let file = OutputFile {
                    path: record_rel(&p.slug),
                    bytes: piece.json.clone(),
                };
                Ok((piece, emit.file(file)?))
            })
            .collect::<Result<Vec<_>>>()?;
        json_part.clear();
        csv_part.clear();
        for (i, (piece, listed)) in made.into_iter().enumerate() {
            if step > 0 || i > 0 {
                json_part.extend_from_slice(JSON_BETWEEN);
            }
            json_part.extend_from_slice(&piece.json);
            shape.row(&mut csv_part, &piece);
            done.push(listed);
        }
        json.write(&json_part)?;
        csv.write(csv_part.as_bytes())?;
    }
    json.write(JSON_CLOSE)?;
    done.push(json.close()?);
    done.push(csv.close()?);
    Ok(done)
}

#[derive(Serialize)]
struct FieldDoc {
    json: &'static str,
    csv: &'static str,
    kind: String,
    description: String,
}

/// One column of an edition's entries CSV, with its meaning.
#[derive(Serialize)]
struct ColumnDoc {
    name: String,
    description: String,
}

/// The columns of `inzendingen.csv` as the data page lists them: the entry's, then one
/// result's as `result_N_<column>`.
fn entry_columns(ctx: &Shared) -> Vec<ColumnDoc> {
    let entry = super::csv::ENTRY_COLUMNS.iter().map(|c| c.to_string());
    let result = super::csv::RESULT_COLUMNS
        .iter()
        .map(|c| format!("result_N_{c}"));
    entry
        .chain(result)
        .map(|name| ColumnDoc {
            description: ctx.t.get("data_entry_field", &name).to_string(),
            name,
        })
        .collect()
}

#[derive(Serialize)]
struct DataPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    json_url: String,
    csv_url: String,
    count: usize,
    fields: Vec<FieldDoc>,
    /// The columns of each award edition's `inzendingen.csv` (`render::csv`).
    entry_columns: Vec<ColumnDoc>,
    /// The build's date, when the build has one: when this version of the dataset was made
    /// (also its `dct:modified`).
    built: Option<String>,
    /// The newest date any practice mentions: how current the figures are, not when the
    /// dataset changed.
    newest: Option<String>,
    /// The open data's licence (`data_licence` in `site.toml`).
    licence: &'a crate::config::Licence,
}

/// The newest date any practice mentions (a period, a result's date, a source's): how current
/// the figures are. Not when the dataset changed: that is the build's date.
fn newest(ctx: &Shared) -> Option<PartialDate> {
    ctx.site
        .practices
        .iter()
        .map(|p| p.newest_date)
        .max_by_key(PartialDate::latest)
}

/// A language in the EU's language authority table (as DCAT-AP-NL wants it).
fn eu_language(lang: Language) -> String {
    let code = match lang {
        Language::Nl => "NLD",
        Language::En => "ENG",
    };
    format!("http://publications.europa.eu/resource/authority/language/{code}")
}

/// A DCAT-AP-NL style description of the dataset and its two distributions. The dataset is in
/// the content's language (Dutch) whatever the interface's; its title, description and
/// keywords are in the interface's, and say so.
pub fn dcat(ctx: &Shared) -> String {
    let c = &ctx.site.config;
    let publisher = c.publisher.as_deref().unwrap_or(&c.title);
    let language = json!({"@id": eu_language(CONTENT_LANGUAGE)});
    let text = |s: String| json!({"@value": s, "@language": c.language.code()});
    let licence = json!({"@id": c.data_licence.url});
    let distribution = |rel: &str, format: &str, media: &str, title: &str| {
        let url = ctx.urls.absolute(rel);
        json!({
            "@type": "dcat:Distribution",
            "dct:title": title,
            "dct:license": licence,
            "dcat:accessURL": {"@id": url},
            "dcat:downloadURL": {"@id": url},
            "dct:format": {"@id": format!("http://publications.europa.eu/resource/authority/file-type/{format}")},
            "dcat:mediaType": {"@id": format!("https://www.iana.org/assignments/media-types/{media}")},
            "dct:language": language,
        })
    };
    let mut doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@type": "dcat:Dataset",
        "@id": ctx.urls.absolute("data/"),
        "dct:identifier": ctx.urls.absolute("data/"),
        "dct:title": text(format!("{} – {}", t(ctx, "data", "title"), c.title)),
        "dct:description": text(t(ctx, "data", "dataset_description")),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "dct:language": language,
        "dcat:landingPage": {"@id": ctx.urls.absolute("data/")},
        "dcat:keyword": [
            text(t(ctx, "data", "keyword_work")),
            text(t(ctx, "data", "keyword_reintegration")),
            text(t(ctx, "data", "keyword_practices")),
        ],
        "dcat:theme": {"@id": "http://standaarden.overheid.nl/owms/terms/Werk_(thema)"},
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/IRREG"},
        "dct:license": licence,
        "dcat:distribution": [
            distribution(JSON_REL, "JSON", "application/json", "praktijken.json"),
            distribution(CSV_REL, "CSV", "text/csv", "praktijken.csv"),
        ],
    });
    // DCAT-AP-NL's `dct:modified` is when the dataset last changed. It is made anew by every
    // build, from the sources as they are then: the build's date (when the caller gives one; the
    // library never reads the clock). The newest date in the data says how current the figures
    // are, not when they were published, and a dataset built today from figures of 2021 would
    // read as stale.
    if let Some(d) = &ctx.site.config.today {
        doc["dct:modified"] = json!(format::iso_day(d));
    }
    script_safe(&doc.to_string())
}

/// The `/data/` page.
pub fn page(ctx: &Shared, tpl: &Pass) -> Result<(String, Bytes)> {
    let rel = "data/";
    let mut base = ctx.base(
        rel,
        t(ctx, "data", "title"),
        t(ctx, "data", "intro"),
        "data",
    );
    base.crumbs = vec![home(ctx)];
    base.jsonld = Some(dcat(ctx));
    let fields = FIELDS
        .iter()
        .map(|f| FieldDoc {
            json: f.json,
            csv: f.csv,
            kind: ctx.t.get("data_kind", f.kind.key()).to_string(),
            description: ctx.t.get("data_field", f.csv).to_string(),
        })
        .collect();
    let page = DataPage {
        base,
        json_url: ctx.urls.path(JSON_REL),
        csv_url: ctx.urls.path(CSV_REL),
        count: ctx.site.practices.len(),
        fields,
        entry_columns: entry_columns(ctx),
        built: ctx.site.config.today.as_ref().map(|d| ctx.fmt.date(d)),
        newest: newest(ctx).map(|d| ctx.fmt.date(&d)),
        licence: &ctx.site.config.data_licence,
    };
    Ok((file_of(rel), tpl.render("data.html", &page)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_plain_text() {
        assert_eq!(cell(&json!(null)), "");
        assert_eq!(cell(&json!(238.0)), "238");
        assert_eq!(cell(&json!(35.7)), "35.7");
        assert_eq!(cell(&json!(["abw", "wwb"])), "abw; wwb");
        assert_eq!(cell(&json!(true)), "true");
    }

    fn piece(groups: [&[&str]; GROUPS.len()]) -> Piece {
        Piece {
            json: Bytes::new(b"{}".to_vec()),
            plain: "slug".into(),
            groups: groups
                .iter()
                .map(|g| g.iter().map(|c| c.to_string()).collect())
                .collect(),
            print: OnceLock::new(),
        }
    }

    #[test]
    fn the_csv_has_as_many_numbered_columns_as_the_most_items_and_pads_the_rest() {
        let shape = Shape::of([[1, 0, 0, 0, 2], [0, 0, 0, 0, 1]].into_iter());
        assert_eq!(shape.widths, [1, 0, 0, 0, 2]);
        let header = shape.header();
        assert!(header.ends_with(",source_2_published,source_2_accessed\r\n"));
        assert!(header.contains(",partner_1_until,source_1_id,"), "{header}");
        assert!(!header.contains("partner_2") && !header.contains("result_1"));
        let columns = header.split(',').count();
        let mut rows = String::new();
        shape.row(
            &mut rows,
            &piece([&["p,,,"], &[], &[], &[], &["a,,,,,", "b,,,,,"]]),
        );
        shape.row(&mut rows, &piece([&[], &[], &[], &[], &["c,,,,,"]]));
        let lines: Vec<&str> = rows.split_terminator("\r\n").collect();
        assert_eq!(lines, ["slug,p,,,,a,,,,,,b,,,,,", "slug,,,,,c,,,,,,,,,,,"]);
        // The rows' plain part is the one cell `slug` here, the header's every plain field.
        let plain = plain_fields().count();
        assert!(lines
            .iter()
            .all(|l| l.split(',').count() == columns - (plain - 1)));
    }

    #[test]
    fn every_repeating_field_belongs_to_a_group() {
        for f in FIELDS.iter().filter(|f| f.csv.contains("_N_")) {
            let prefix = f.csv.split("_N_").next().unwrap();
            let (_, array) = GROUPS.iter().find(|(p, _)| *p == prefix).unwrap();
            assert!(f.json.starts_with(&format!("{array}[].")), "{}", f.json);
        }
    }
}
