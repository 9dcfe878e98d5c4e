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
        [self.base, rel].concat()
    }

    pub fn absolute(&self, rel: &str) -> String {
        [self.absolute, rel].concat()
    }

    /// The URL of a site-relative path given in parts, made in one allocation.
    fn joined(&self, parts: &[&str]) -> String {
        let len = self.base.len() + parts.iter().map(|p| p.len()).sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(self.base);
        parts.iter().for_each(|p| out.push_str(p));
        out
    }

    pub fn practice(&self, slug: &str) -> String {
        self.joined(&practice_parts(slug))
    }

    pub fn facet(&self, kind: FacetKind) -> String {
        self.joined(&[kind.segment(), "/"])
    }

    pub fn term(&self, kind: FacetKind, slug: &str) -> String {
        self.joined(&term_parts(kind, slug))
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
        self.joined(&dossier_parts(slug))
    }
}

pub fn practice_parts(slug: &str) -> [&str; 3] {
    ["praktijken/", slug, "/"]
}

pub fn practice_rel(slug: &str) -> String {
    practice_parts(slug).concat()
}

pub fn term_parts(kind: FacetKind, slug: &str) -> [&str; 4] {
    [kind.segment(), "/", slug, "/"]
}

pub fn term_rel(kind: FacetKind, slug: &str) -> String {
    term_parts(kind, slug).concat()
}

pub fn edition_rel(award: &str, edition: &str) -> String {
    format!("prijzen/{award}/{edition}/")
}

/// The entries of an edition as CSV.
pub fn edition_csv_rel(award: &str, edition: &str) -> String {
    format!("{}inzendingen.csv", edition_rel(award, edition))
}

/// The printable dossier of a practice.
fn dossier_parts(slug: &str) -> [&str; 3] {
    ["praktijken/", slug, "/dossier/"]
}

pub fn dossier_rel(slug: &str) -> String {
    dossier_parts(slug).concat()
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
        [rel, "index.html"].concat()
    } else {
        rel.to_string()
    }
}
