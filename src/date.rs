//! Partial ISO dates (`1997`, `2006-04`, `2009-03-24`) as written in front matter.
//!
//! Parsing and ordering only; how a date reads in Dutch or English lives in `format`.

use std::fmt;
use std::str::FromStr;

/// A year, optionally with month and day. Orders chronologically, a bare year before its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The last day this date can stand for, as a comparable triple.
    pub fn latest(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or_else(|| days_in_month(self.year, month)),
        )
    }

    /// The first day this date can stand for, as a comparable triple.
    pub fn earliest(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Whether every day this date can stand for lies before `day`: "valid until May 2024" is
    /// over on 1 June 2024, not before.
    pub fn is_over_by(&self, day: &PartialDate) -> bool {
        self.latest() < day.earliest()
    }

    /// The calendar day `days` days after 1970-01-01 (negative: before), as a full date.
    pub fn from_unix_days(days: i64) -> PartialDate {
        // Howard Hinnant's `civil_from_days`: eras of 400 years, March-based years.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub const EXPECTED: &str =
    "expected a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2009-03-24)";

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a valid date: {EXPECTED}");
        let mut parts = s.trim().split('-');
        let year_s = parts.next().ok_or_else(bad)?;
        if year_s.len() != 4 {
            return Err(bad());
        }
        let year: i32 = year_s.parse().map_err(|_| bad())?;
        let mut number = |len: usize, max: u8| -> Result<Option<u8>, String> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == len => match p.parse::<u8>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(bad()),
                },
                Some(_) => Err(bad()),
            }
        };
        let month = number(2, 12)?;
        let day = if month.is_some() {
            number(2, 31)?
        } else {
            None
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        if let (Some(m), Some(d)) = (month, day) {
            if d > days_in_month(year, m) {
                return Err(format!(
                    "`{s}` is not a valid date: month {m} of {year} has no day {d}"
                ));
            }
        }
        if !(1800..=2200).contains(&year) {
            return Err(format!(
                "`{s}`: the year {year} is out of range (1800 to 2200)"
            ));
        }
        Ok(PartialDate { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::meta::parse_scalar(d)
    }
}

impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                { "type": "integer", "minimum": 1800, "maximum": 2200 },
                { "type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$" }
            ]
        })
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates() {
        let d: PartialDate = "2009-03-24".parse().unwrap();
        assert_eq!((d.year, d.month, d.day), (2009, Some(3), Some(24)));
        assert_eq!(
            "2006-04".parse::<PartialDate>().unwrap().to_string(),
            "2006-04"
        );
        assert_eq!("1997".parse::<PartialDate>().unwrap().month, None);
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "97",
            "2009-13",
            "2009-02-30",
            "2009-3-4",
            "2009-03-24-1",
            "abcd",
            "0900",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        assert!("2008-02-29".parse::<PartialDate>().is_ok());
    }

    #[test]
    fn counts_days_from_the_unix_epoch() {
        let day = |n| PartialDate::from_unix_days(n).to_string();
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(-1), "1969-12-31");
        assert_eq!(day(11_016), "2000-02-29");
        assert_eq!(day(20_517), "2026-03-05");
        assert_eq!(day(20_781), "2026-11-24");
    }

    #[test]
    fn a_date_is_over_after_its_last_day() {
        let until: PartialDate = "2024-05".parse().unwrap();
        let on = |s: &str| until.is_over_by(&s.parse().unwrap());
        assert!(!on("2024-05-31"));
        assert!(on("2024-06-01"));
        assert!(!on("2024"), "a bare year may still be in May");
        assert!(on("2025"));
    }

    #[test]
    fn orders_chronologically() {
        let a: PartialDate = "2006".parse().unwrap();
        let b: PartialDate = "2006-04".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.latest(), (2006, 12, 31));
        assert_eq!(b.earliest(), (2006, 4, 1));
    }
}
