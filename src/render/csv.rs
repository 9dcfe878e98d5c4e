//! The entries of an award edition as CSV: `/prijzen/<award>/<edition>/inzendingen.csv`.
//!
//! UTF-8 without byte-order mark, comma-separated, CRLF line ends, fields quoted as RFC 4180
//! says (only when they hold a comma, quote or line break), text that would run as a
//! spreadsheet formula defused with a leading `'` (see [`field`]). One header row, then one row per
//! entry in the order of the edition page. The layout is stable: [`ENTRY_COLUMNS`] first, then
//! for every result `n` (1 up to the most results any entry has) the [`RESULT_COLUMNS`] named
//! `result_<n>_<column>`; entries with fewer results leave those cells empty. Values are
//! machine-readable: vocabulary keys as written in front matter, numbers with a `.` decimal
//! point and no thousands separators, dates as ISO (`2002`, `2006-04`), lists joined by `; `.

use std::borrow::Cow;

use super::context::Shared;
use super::urls::{edition_csv_rel, practice_rel};
use crate::model::Site;
use crate::record::{Practice, ResultRecord};

/// The columns describing an entry and its practice.
pub const ENTRY_COLUMNS: &[&str] = &[
    "award",
    "edition",
    "practice",
    "slug",
    "url",
    "rank",
    "prize_type",
    "motivation",
    "municipalities",
    "province",
    "provinces",
    "period_start",
    "period_end",
    "status",
    "legal_framework",
    "target_groups",
    "themes",
    "partners",
    "results",
];

/// The columns of one result. `value` and `unit` are as written; `base` is the number the
/// value is measured against and `base_label` the result it comes from (if any); `rate` is a
/// percentage: value / base × 100 for counts (computed, one decimal), the value itself for a
/// `procent` result. `source` is the source's title.
pub const RESULT_COLUMNS: &[&str] = &[
    "label",
    "value",
    "unit",
    "base",
    "base_label",
    "rate",
    "as_of",
    "method",
    "source",
    "source_url",
];

/// Renders the CSV file of edition `ei` of award `ai` (it goes to [`edition_path`]).
pub fn edition(ctx: &Shared, ai: usize, ei: usize) -> Vec<u8> {
    let rows = table(ctx.site, ai, ei, &|slug| {
        ctx.urls.absolute(&practice_rel(slug))
    });
    write(&rows).into_bytes()
}

/// Where the CSV of edition `ei` of award `ai` goes.
pub fn edition_path(ctx: &Shared, ai: usize, ei: usize) -> String {
    let site = ctx.site;
    edition_csv_rel(
        &site.awards[ai].slug,
        &site.award_index[ai].editions[ei].key,
    )
}

/// The header and one row per entry.
pub fn table(site: &Site, ai: usize, ei: usize, url: &dyn Fn(&str) -> String) -> Vec<Vec<String>> {
    let award = &site.awards[ai];
    let ed = &site.award_index[ai].editions[ei];
    let width = ed
        .entries
        .iter()
        .map(|&(pid, _)| site.practices[pid].results.len())
        .max()
        .unwrap_or(0);
    let mut rows = vec![header(width)];
    for &(pid, entry_i) in &ed.entries {
        let p = &site.practices[pid];
        let entry = &p.awards[entry_i];
        let mut row = vec![
            award.slug.clone(),
            ed.key.clone(),
            p.title.clone(),
            p.slug.clone(),
            url(&p.slug),
            entry.rank.key().to_string(),
            entry.prize_type.key().to_string(),
            entry.motivation.clone().unwrap_or_default(),
            p.municipalities.join("; "),
            p.province.key().to_string(),
            join_keys(p.provinces.iter().map(|x| x.key())),
            p.period.start.to_string(),
            p.period.end.map(|d| d.to_string()).unwrap_or_default(),
            p.status.key().to_string(),
            join_keys(p.legal_framework.iter().map(|l| l.key())),
            p.target_groups.join("; "),
            p.themes.join("; "),
            partners(p),
            p.results.len().to_string(),
        ];
        for r in &p.results {
            row.extend(result_cells(r, p));
        }
        row.resize(
            ENTRY_COLUMNS.len() + width * RESULT_COLUMNS.len(),
            String::new(),
        );
        rows.push(row);
    }
    rows
}

fn header(width: usize) -> Vec<String> {
    let mut h: Vec<String> = ENTRY_COLUMNS.iter().map(|c| c.to_string()).collect();
    for n in 1..=width {
        h.extend(RESULT_COLUMNS.iter().map(|c| format!("result_{n}_{c}")));
    }
    h
}

fn join_keys<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    keys.collect::<Vec<_>>().join("; ")
}

/// "Gemeente Haarlem (trekker); KLIQ Reïntegratie (uitvoerder)".
fn partners(p: &Practice) -> String {
    let names: Vec<String> = p
        .partners
        .iter()
        .map(|x| match x.role {
            Some(r) => format!("{} ({})", x.name, r.key()),
            None => x.name.clone(),
        })
        .collect();
    names.join("; ")
}

fn result_cells(r: &ResultRecord, p: &Practice) -> Vec<String> {
    let rate = match (&r.base, r.unit) {
        (Some(_), crate::meta::Unit::Procent) => Some(r.value),
        (Some(b), _) => Some((r.value / b.value * 1000.0).round() / 10.0),
        (None, _) => None,
    };
    let source = r.source.map(|i| &p.sources[i]);
    vec![
        r.label.clone(),
        number(r.value),
        r.unit.key().to_string(),
        r.base.as_ref().map(|b| number(b.value)).unwrap_or_default(),
        r.base
            .as_ref()
            .and_then(|b| b.label.clone())
            .unwrap_or_default(),
        rate.map(number).unwrap_or_default(),
        r.as_of.map(|d| d.to_string()).unwrap_or_default(),
        r.method.key().to_string(),
        source.map(|s| s.title.clone()).unwrap_or_default(),
        source.and_then(|s| s.url.clone()).unwrap_or_default(),
    ]
}

/// A number for machines: `238`, `35.7`, `0.5`.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // The digits `{v:.0}` writes, without formatting a float (a hundred times dearer).
        if v.is_sign_positive() {
            (v as u64).to_string()
        } else {
            format!("-{}", (-v) as u64)
        }
    } else {
        v.to_string()
    }
}

/// Rows as CSV text: RFC 4180 quoting, CRLF after every row.
pub fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<Cow<str>> = row.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One field, quoted when it holds a comma, a quote or a line break (quotes doubled). Text
/// that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a `'` in front, as OWASP advises against CSV injection: juries open
/// these files in Excel, and a title is whatever an entrant wrote. No number etalage writes
/// starts so (values are zero or more).
pub fn field(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text: Cow<str> = if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_as_float_formatting_writes_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            1550.0,
            12_500_000.0,
            999_999_999_999_999.0,
        ] {
            assert_eq!(number(v), format!("{v:.0}"), "{v}");
        }
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(1e16), 1e16.to_string());
    }

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(field("Haarlem"), "Haarlem");
        assert_eq!(field("Nieuwspoort, Den Haag"), "\"Nieuwspoort, Den Haag\"");
        assert_eq!(
            field("een \"klassiek\" voorbeeld"),
            "\"een \"\"klassiek\"\" voorbeeld\""
        );
        assert_eq!(field("twee\nregels"), "\"twee\nregels\"");
        assert_eq!(field("Reïntegratie"), "Reïntegratie");
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_defused() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\""
        );
        assert_eq!(field("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(field("+31 6"), "'+31 6");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("1+1=2"), "1+1=2");
    }

    #[test]
    fn writes_rows_with_crlf() {
        let rows = vec![
            vec!["a".to_string(), "b".to_string()],
            vec!["1,5".to_string(), String::new()],
        ];
        assert_eq!(write(&rows), "a,b\r\n\"1,5\",\r\n");
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(number(238.0), "238");
        assert_eq!(number(35.7), "35.7");
        assert_eq!(number(1550.0), "1550");
        assert_eq!(number(0.5), "0.5");
    }

    #[test]
    fn the_header_names_every_result_column() {
        let h = header(2);
        assert_eq!(h.len(), ENTRY_COLUMNS.len() + 2 * RESULT_COLUMNS.len());
        assert_eq!(h[ENTRY_COLUMNS.len()], "result_1_label");
        assert_eq!(h.last().unwrap(), "result_2_source_url");
    }
}
