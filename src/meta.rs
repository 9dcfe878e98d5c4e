//! Front matter as written: the serde types of practices, awards and pages.
//!
//! These types mirror `content-model.md` one to one. Closed vocabularies are enums; open ones
//! (themes, target groups, instruments, municipalities) are strings checked later by `validate`
//! against the site's data files. Nothing here checks cross-references or reads the disk.

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;

/// A scalar read as text: YAML `2002`, `"2002"` and `2002-04` all become strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct StringLike(pub String);

impl<'de> Deserialize<'de> for StringLike {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = StringLike;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a single value (text or number)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for StringLike {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StringLike".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "integer"] })
    }
}

/// Reads a scalar (text or number) and parses it with `FromStr`, failing inside the visitor so
/// that serde_yaml places the error at the scalar itself, not at the enclosing mapping.
pub fn parse_scalar<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr<Err = String>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: std::str::FromStr<Err = String>> serde::de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a single value (text or number)")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            v.parse().map_err(E::custom)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// Declares a closed vocabulary: an enum whose YAML spelling is its key, with a located
/// "did you mean" error for anything else.
macro_rules! closed_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const KEYS: &'static [&'static str] = &[$($key),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($key => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown value `{}`{}; allowed: {}",
                        s,
                        crate::diagnostic::did_you_mean(s, Self::KEYS.iter().copied()),
                        Self::KEYS.join(", ")
                    )),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                parse_scalar(d)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "enum": Self::KEYS })
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
    };
}

closed_enum!(
    /// Where a practice stands.
    Status { Lopend = "lopend", Afgerond = "afgerond", Gestopt = "gestopt", Onbekend = "onbekend" }
);

closed_enum!(
    /// The benefit law a practice worked under.
    LegalFramework {
        Abw = "abw", Wwb = "wwb", Wij = "wij", Participatiewet = "participatiewet",
        Ww = "ww", Wia = "wia", Wajong = "wajong", Wsw = "wsw",
    }
);

closed_enum!(
    /// A partner's part in a practice.
    Role {
        Trekker = "trekker", Uitvoerder = "uitvoerder", Partner = "partner",
        Opdrachtgever = "opdrachtgever", Financier = "financier", Onderzoeker = "onderzoeker",
    }
);

closed_enum!(
    /// What a result counts.
    Unit {
        Personen = "personen", Trajecten = "trajecten", Procent = "procent",
        Uitkeringen = "uitkeringen", Euro = "euro", Dagen = "dagen",
    }
);

closed_enum!(
    /// How a result was measured: the evidence badge.
    Method {
        Zelfgerapporteerd = "zelfgerapporteerd", Registratie = "registratie",
        EvaluatieIntern = "evaluatie-intern", EvaluatieExtern = "evaluatie-extern",
    }
);

closed_enum!(
    /// A place in an award edition, best first.
    Rank {
        Winnaar = "winnaar", Tweede = "2", Derde = "3", Finalist = "finalist",
        Genomineerd = "genomineerd", EervolleVermelding = "eervolle-vermelding", Inzending = "inzending",
    }
);

closed_enum!(
    /// Who chose the prize.
    PrizeType { Jury = "jury", Publiek = "publiek" }
);

closed_enum!(
    /// The twelve provinces, spelled as CBS does.
    Province {
        Drenthe = "Drenthe", Flevoland = "Flevoland", Fryslan = "Fryslân", Gelderland = "Gelderland",
        Groningen = "Groningen", Limburg = "Limburg", NoordBrabant = "Noord-Brabant",
        NoordHolland = "Noord-Holland", Overijssel = "Overijssel", Utrecht = "Utrecht",
        Zeeland = "Zeeland", ZuidHolland = "Zuid-Holland",
    }
);

#[allow(clippy::derivable_impls)] // the enum is declared by `closed_enum!`
impl Default for Method {
    fn default() -> Self {
        Method::Zelfgerapporteerd
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared by `closed_enum!`
impl Default for PrizeType {
    fn default() -> Self {
        PrizeType::Jury
    }
}

/// The national recognition levels (Erkenningscommissie Interventies). A recognition whose level
/// is one of these belongs to the national scheme and is never shown among one-off labels.
pub const NATIONAL_SCHEME: &str = "erkenningstraject";
pub const NATIONAL_LEVELS: &[&str] = &[
    "goed-beschreven",
    "goed-onderbouwd",
    "effectief-eerste-aanwijzingen",
    "effectief-goede-aanwijzingen",
    "effectief-sterke-aanwijzingen",
];

/// One value or a list of them (`municipality: Zwolle` or `municipality: [Zwolle, Hattem]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A practice's front matter.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeMeta {
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub slug: Option<String>,
    pub municipality: OneOrMany,
    #[serde(default)]
    pub province: Option<Province>,
    pub period: PeriodMeta,
    pub status: Status,
    #[serde(default)]
    pub legal_framework: Vec<LegalFramework>,
    pub target_groups: Vec<String>,
    pub themes: Vec<String>,
    #[serde(default)]
    pub instruments: Vec<String>,
    pub partners: Vec<PartnerMeta>,
    #[serde(default)]
    pub results: Vec<ResultMeta>,
    #[serde(default)]
    pub awards: Vec<AwardEntryMeta>,
    #[serde(default)]
    pub recognitions: Vec<RecognitionMeta>,
    pub sources: Vec<SourceMeta>,
    #[serde(default)]
    pub contact: Option<ContactMeta>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodMeta {
    pub start: PartialDate,
    #[serde(default)]
    pub end: Option<PartialDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerMeta {
    pub name: String,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub since: Option<PartialDate>,
    #[serde(default)]
    pub until: Option<PartialDate>,
}

/// A result's base: a number, or the `id` of another result in the same file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum BaseMeta {
    Number(f64),
    Id(String),
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultMeta {
    #[serde(default)]
    pub id: Option<String>,
    pub label: String,
    pub value: f64,
    pub unit: Unit,
    #[serde(default)]
    pub of: Option<BaseMeta>,
    #[serde(default)]
    pub as_of: Option<PartialDate>,
    #[serde(default)]
    pub method: Option<Method>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardEntryMeta {
    pub award: String,
    pub edition: StringLike,
    pub rank: Rank,
    #[serde(default)]
    pub prize_type: Option<PrizeType>,
    #[serde(default)]
    pub motivation: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecognitionMeta {
    pub scheme: String,
    pub level: String,
    pub body: String,
    pub date: PartialDate,
    #[serde(default)]
    pub valid_until: Option<PartialDate>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub published: Option<PartialDate>,
    #[serde(default)]
    pub accessed: Option<PartialDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactMeta {
    pub organisation: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// An award's front matter.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardMeta {
    pub title: String,
    pub organiser: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub criteria: Vec<CriterionMeta>,
    /// The editors derived the criteria from the sources (a jury report, a description of the
    /// prize); no formal regulation is known. Shown as a caveat wherever the criteria are.
    #[serde(default)]
    pub criteria_derived: bool,
    #[serde(default)]
    pub editions: Vec<EditionMeta>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionMeta {
    pub name: String,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub knock_out: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionMeta {
    pub edition: StringLike,
    #[serde(default)]
    pub date: Option<PartialDate>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub jury_chair: Option<String>,
    #[serde(default)]
    pub jury: Vec<String>,
    /// The jury's motivation per entry, by practice slug, for editions whose jury report is
    /// kept with the award. A practice's own `motivation` on its award entry comes first.
    #[serde(default)]
    pub motivations: std::collections::BTreeMap<String, String>,
}

/// A plain page's front matter.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
}

/// The key lists of every mapping in practice front matter, by path pattern.
pub fn practice_schema(pattern: &str) -> Option<&'static [&'static str]> {
    use crate::yaml::field_names;
    Some(match pattern {
        "" => field_names::<PracticeMeta>(),
        "period" => field_names::<PeriodMeta>(),
        "partners.*" => field_names::<PartnerMeta>(),
        "results.*" => field_names::<ResultMeta>(),
        "awards.*" => field_names::<AwardEntryMeta>(),
        "recognitions.*" => field_names::<RecognitionMeta>(),
        "sources.*" => field_names::<SourceMeta>(),
        "contact" => field_names::<ContactMeta>(),
        _ => return None,
    })
}

/// The key lists of every mapping in award front matter, by path pattern.
pub fn award_schema(pattern: &str) -> Option<&'static [&'static str]> {
    use crate::yaml::field_names;
    Some(match pattern {
        "" => field_names::<AwardMeta>(),
        "criteria.*" => field_names::<CriterionMeta>(),
        "editions.*" => field_names::<EditionMeta>(),
        _ => return None,
    })
}

/// The key list of page front matter.
pub fn page_schema(pattern: &str) -> Option<&'static [&'static str]> {
    (pattern.is_empty()).then(crate::yaml::field_names::<PageMeta>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_enums_suggest_near_keys() {
        let err = "lopnd".parse::<Status>().unwrap_err();
        assert!(err.contains("did you mean `lopend`"), "{err}");
        assert_eq!("2".parse::<Rank>(), Ok(Rank::Tweede));
    }

    #[test]
    fn schemas_follow_the_types() {
        let keys = practice_schema("").unwrap();
        assert!(keys.contains(&"legal_framework") && keys.contains(&"draft"));
        assert_eq!(practice_schema("results.*").unwrap().len(), 9);
        assert!(practice_schema("themes").is_none());
    }
}

#[cfg(test)]
mod strict_tests {
    use super::*;

    /// Where a JSON Schema lets an object hold keys it does not name (a map, or a struct that
    /// does not deny unknown fields), by the schema's path.
    fn open_objects(schema: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        match schema {
            serde_json::Value::Object(o) => {
                let object =
                    o.get("type").is_some_and(|t| t == "object") || o.contains_key("properties");
                if object && o.get("additionalProperties") != Some(&serde_json::Value::Bool(false))
                {
                    out.push(at.to_string());
                }
                for (k, v) in o {
                    open_objects(v, &format!("{at}/{k}"), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    open_objects(v, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    fn open<T: schemars::JsonSchema>() -> Vec<String> {
        let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
        let mut out = Vec::new();
        open_objects(&schema, "", &mut out);
        out
    }

    /// Practices and pages are parsed with `parse::Keys::ByType`: their types must reject every
    /// unknown and duplicate key themselves, so no object in them may be open (serde keeps the
    /// last of two equal keys of a map without a word).
    #[test]
    fn practice_and_page_front_matter_have_no_open_objects() {
        assert_eq!(open::<PracticeMeta>(), Vec::<String>::new());
        assert_eq!(open::<PageMeta>(), Vec::<String>::new());
        // The check sees a map: awards have one, and are parsed with the index.
        assert!(
            open::<AwardMeta>()
                .iter()
                .any(|p| p.contains("EditionMeta/properties/motivations")),
            "{:?}",
            open::<AwardMeta>()
        );
    }
}
