//! How numbers and dates read on the site: "1.550", "36%", "2,5", "24 maart 2009".
//!
//! Pure formatting by language. Month names come from the theme's interface strings so the
//! English site reads "24 March 2009"; nothing here decides what is shown, only how.

use crate::config::Language;
use crate::date::PartialDate;

/// A number with thousands separators and at most `decimals` decimals (trailing zeros dropped).
pub fn number(value: f64, decimals: usize, lang: Language) -> String {
    let (thousands, decimal) = match lang {
        Language::Nl => ('.', ','),
        Language::En => (',', '.'),
    };
    let factor = 10f64.powi(decimals as i32);
    let rounded = (value * factor).round() / factor;
    let negative = rounded < 0.0;
    let (int, frac) = digits(rounded.abs(), decimals);
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(&frac);
    }
    out
}

/// The whole and the fractional digits of `value` (not negative) with at most `decimals`
/// decimals, trailing zeros dropped. A whole number (a count, nearly always) is written as an
/// integer: the same digits, without formatting a float, which costs a hundred times more.
fn digits(value: f64, decimals: usize) -> (String, String) {
    if value.fract() == 0.0 && value < 1e15 {
        return ((value as u64).to_string(), String::new());
    }
    let text = format!("{value:.decimals$}");
    match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (text, String::new()),
    }
}

/// A percentage: whole numbers from 10% up, one decimal below ("36%", "4,5%").
pub fn percent(value: f64, lang: Language) -> String {
    let decimals = if value.abs() < 10.0 && value.fract() != 0.0 {
        1
    } else {
        0
    };
    format!("{}%", number(value, decimals, lang))
}

/// "24 maart 2009", "maart 2009" or "2009"; `months` holds the twelve month names.
pub fn date(d: &PartialDate, months: &[String; 12], lang: Language) -> String {
    let month = d.month.map(|m| months[(m - 1) as usize].as_str());
    match (month, d.day, lang) {
        (Some(m), Some(day), Language::Nl) => format!("{day} {m} {}", d.year),
        (Some(m), Some(day), Language::En) => format!("{day} {m} {}", d.year),
        (Some(m), None, _) => format!("{m} {}", d.year),
        _ => d.year.to_string(),
    }
}

/// RFC 3339 for feeds and sitemaps: the first day a partial date stands for, at midnight UTC.
pub fn rfc3339(d: &PartialDate) -> String {
    let (y, m, day) = d.earliest();
    format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
}

/// ISO 8601 date (`2009-03-24`), filling a partial date with its first day.
pub fn iso_day(d: &PartialDate) -> String {
    let mut out = String::with_capacity(10);
    push_iso_day(&mut out, d);
    out
}

/// Appends [`iso_day`] of `d` to `out`.
pub fn push_iso_day(out: &mut String, d: &PartialDate) {
    use std::fmt::Write;
    let (y, m, day) = d.earliest();
    // Writing to a String cannot fail.
    let _ = write!(out, "{y:04}-{m:02}-{day:02}");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole numbers take the integer path; it gives the digits formatting the float gives.
    #[test]
    fn whole_numbers_have_the_digits_of_the_float() {
        for v in [
            0.0,
            1.0,
            7.0,
            999.0,
            1000.0,
            1550.0,
            12_500_000.0,
            4.0e14,
            999_999_999_999_999.0,
        ] {
            for decimals in 0..3 {
                let text = format!("{v:.decimals$}");
                let (i, f) = text.split_once('.').unwrap_or((&text, ""));
                let expected = (i.to_string(), f.trim_end_matches('0').to_string());
                assert_eq!(digits(v, decimals), expected, "{v} with {decimals}");
            }
        }
        assert_eq!(digits(1.25, 1), ("1".into(), "2".into()));
        assert_eq!(digits(2.5, 0), ("2".into(), String::new()));
        assert_eq!(number(1550.0, 0, Language::Nl), "1.550");
    }

    fn months() -> [String; 12] {
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ]
        .map(String::from)
    }

    #[test]
    fn dutch_numbers() {
        assert_eq!(number(1550.0, 0, Language::Nl), "1.550");
        assert_eq!(number(1234567.25, 2, Language::Nl), "1.234.567,25");
        assert_eq!(number(2.5, 1, Language::Nl), "2,5");
        assert_eq!(number(1550.0, 0, Language::En), "1,550");
        assert_eq!(number(999.0, 0, Language::Nl), "999");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(85.0 / 238.0 * 100.0, Language::Nl), "36%");
        assert_eq!(percent(4.54, Language::Nl), "4,5%");
        assert_eq!(percent(40.0, Language::Nl), "40%");
    }

    #[test]
    fn dutch_dates() {
        let d = |s: &str| s.parse::<PartialDate>().unwrap();
        assert_eq!(
            date(&d("2009-03-24"), &months(), Language::Nl),
            "24 maart 2009"
        );
        assert_eq!(date(&d("2006-04"), &months(), Language::Nl), "april 2006");
        assert_eq!(date(&d("1997"), &months(), Language::Nl), "1997");
        assert_eq!(rfc3339(&d("2006-04")), "2006-04-01T00:00:00Z");
    }
}
