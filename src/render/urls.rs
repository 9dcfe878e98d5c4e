//! Where every page lives: URL paths (with the site's base path) and output file paths.
//!
//! One place decides the URL scheme (`/praktijken/<slug>/`, `/gemeenten/<slug>/`, ...), so
//! links and written files cannot disagree.

use crate::markdown::slugify;
use crate::model::FacetKind;

pub struct Urls<'a> {
    /// `/` or `/sub/path/`.
    pub base: &'a str,
    /// Absolute: `https://host/sub/path/`.
    pub absolute: &'a str,
}

impl Urls<'_> {
    /// The URL of a site-relative path (`praktijken/x/`).
    pub fn path(&self, rel: &str) -> String {
        format!("{}{}", self.base, rel)
    }

    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}", self.absolute, rel)
    }

    pub fn practice(&self, slug: &str) -> String {
        self.path(&practice_rel(slug))
    }

    pub fn facet(&self, kind: FacetKind) -> String {
        self.path(&format!("{}/", kind.segment()))
    }

    pub fn term(&self, kind: FacetKind, slug: &str) -> String {
        self.path(&term_rel(kind, slug))
    }

    /// A term given by its label (municipality or province names).
    pub fn term_label(&self, kind: FacetKind, label: &str) -> String {
        self.term(kind, &slugify(label))
    }

    pub fn award(&self, slug: &str) -> String {
        self.path(&format!("prijzen/{slug}/"))
    }

    pub fn edition(&self, award: &str, edition: &str) -> String {
        self.path(&edition_rel(award, edition))
    }

    pub fn dossier(&self, slug: &str) -> String {
        self.path(&dossier_rel(slug))
    }
}

pub fn practice_rel(slug: &str) -> String {
    format!("praktijken/{slug}/")
}

pub fn term_rel(kind: FacetKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.segment())
}

pub fn edition_rel(award: &str, edition: &str) -> String {
    format!("prijzen/{award}/{edition}/")
}

/// The entries of an edition as CSV.
pub fn edition_csv_rel(award: &str, edition: &str) -> String {
    format!("{}inzendingen.csv", edition_rel(award, edition))
}

/// The printable dossier of a practice.
pub fn dossier_rel(slug: &str) -> String {
    format!("{}dossier/", practice_rel(slug))
}

/// Page `n` (1-based) of a paginated list at `rel`: page 1 is `rel` itself.
pub fn page_rel(rel: &str, n: usize) -> String {
    if n <= 1 {
        rel.to_string()
    } else {
        format!("{rel}pagina/{n}/")
    }
}

/// The output file of a URL path: `praktijken/x/` → `praktijken/x/index.html`.
pub fn file_of(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}
