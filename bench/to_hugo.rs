//! Converts an etalage site into an equivalent Hugo site, for the side-by-side benchmark.
//!
//! The layouts are ours (`bench/hugo/`); this only moves content into Hugo's shape:
//! practices to `content/praktijken/` with their front matter kept and taxonomy lists added
//! (`gemeenten`, `provincies`, `partners`, `themas`, `doelgroepen`, `instrumenten`, `jaren`; the
//! structured partner list moves to `partner_details`), awards to sections under
//! `content/prijzen/` with one page per edition, plain pages to the root, vocabulary labels to
//! term `_index.md` files and `data/`. Markdown bodies are unchanged; the layouts' link render
//! hook resolves `other-practice.md` links the way etalage does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use serde_yaml::{Mapping, Value};

fn err(path: &Path, e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("{}: {e}", path.display()))
}

/// Front matter and body of a Markdown file.
fn split(path: &Path) -> io::Result<(Mapping, String)> {
    let text = fs::read_to_string(path)?;
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| err(path, "no front matter"))?;
    let end = rest
        .find("\n---\n")
        .ok_or_else(|| err(path, "front matter not closed"))?;
    let meta: Value = serde_yaml::from_str(&rest[..end]).map_err(|e| err(path, e))?;
    let meta = match meta {
        Value::Mapping(m) => m,
        _ => return Err(err(path, "front matter is not a mapping")),
    };
    Ok((meta, rest[end + 5..].to_string()))
}

fn write_page(path: &Path, meta: &Mapping, body: &str) -> io::Result<()> {
    let yaml = serde_yaml::to_string(meta).map_err(|e| err(path, e))?;
    fs::write(path, format!("---\n{yaml}---\n{body}"))
}

fn key(k: &str) -> Value {
    Value::String(k.to_string())
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(s)) => s
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn list(items: impl IntoIterator<Item = String>) -> Value {
    Value::Sequence(items.into_iter().map(Value::String).collect())
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn md_files(dir: &Path) -> io::Result<Vec<std::path::PathBuf>> {
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

/// Writes the Hugo version of the etalage site at `site` into `out`; returns the practices.
pub fn convert(repo: &Path, site: &Path, out: &Path) -> io::Result<usize> {
    let cfg_path = site.join("site.toml");
    let cfg: toml::Table = fs::read_to_string(&cfg_path)?
        .parse()
        .map_err(|e| err(&cfg_path, e))?;
    let get = |k: &str| {
        cfg.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let per_page = cfg
        .get("per_page")
        .and_then(|v| v.as_integer())
        .unwrap_or(50);
    let content = out.join("content");
    fs::create_dir_all(content.join("praktijken"))?;
    copy_dir(&repo.join("bench/hugo/layouts"), &out.join("layouts"))?;
    copy_dir(&site.join("content/data"), &out.join("data"))?;
    let css = site.join("themes/default/static");
    if css.is_dir() {
        copy_dir(&css, &out.join("static/static"))?;
    }
    let config = fs::read_to_string(repo.join("bench/hugo/hugo.toml"))?
        .replace("@BASE_URL@", &get("base_url"))
        .replace("@TITLE@", &get("title").replace('"', "\\\""))
        .replace("@DESCRIPTION@", &get("description").replace('"', "\\\""))
        .replace("@PER_PAGE@", &per_page.to_string());
    fs::write(out.join("hugo.toml"), config)?;

    // Province of every municipality, for the `provincies` taxonomy.
    let munis: Value = serde_yaml::from_str(&fs::read_to_string(
        site.join("content/data/municipalities.yaml"),
    )?)
    .map_err(|e| err(site, e))?;
    let province: HashMap<String, String> = munis
        .as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|m| {
                    Some((
                        m.get("name")?.as_str()?.to_string(),
                        m.get("province")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();

    // Slug → file stem, so `related` slugs become page paths.
    let practices = md_files(&site.join("content/practices"))?;
    let mut parsed = Vec::with_capacity(practices.len());
    let mut stem_of: HashMap<String, String> = HashMap::new();
    for path in &practices {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (meta, body) = split(path)?;
        let slug = meta
            .get("slug")
            .and_then(Value::as_str)
            .map_or_else(|| stem.clone(), str::to_string);
        stem_of.insert(slug, stem.clone());
        parsed.push((stem, meta, body));
    }
    // (award, edition) pairs named by practices.
    let mut editions: BTreeSet<(String, String)> = BTreeSet::new();
    let n = parsed.len();
    for (stem, mut meta, body) in parsed {
        let munis = strings(meta.get("municipality"));
        let mut provinces: Vec<String> = strings(meta.get("province"));
        if provinces.is_empty() {
            provinces.extend(munis.first().and_then(|m| province.get(m)).cloned());
        }
        let partners = meta.remove("partners").unwrap_or(Value::Null);
        let names: Vec<String> = partners
            .as_sequence()
            .map(|s| s.iter().filter_map(|p| p.get("name").map(scalar)).collect())
            .unwrap_or_default();
        let year = meta
            .get("period")
            .and_then(|p| p.get("start"))
            .map(scalar)
            .unwrap_or_default();
        if let Some(Value::Sequence(awards)) = meta.get("awards") {
            for a in awards {
                if let (Some(aw), Some(ed)) = (a.get("award"), a.get("edition")) {
                    editions.insert((scalar(aw), scalar(ed)));
                }
            }
        }
        let related: Vec<String> = strings(meta.get("related"))
            .into_iter()
            .filter_map(|s| stem_of.get(&s).cloned())
            .collect();
        let slug = meta
            .get("slug")
            .and_then(Value::as_str)
            .map_or_else(|| stem.clone(), str::to_string);
        meta.insert(key("slug"), Value::String(slug));
        meta.insert(key("partner_details"), partners);
        meta.insert(key("related_paths"), list(related));
        meta.insert(key("gemeenten"), list(munis));
        meta.insert(key("provincies"), list(provinces));
        meta.insert(key("partners"), list(names));
        let themes = strings(meta.get("themes"));
        meta.insert(key("themas"), list(themes));
        let groups = strings(meta.get("target_groups"));
        meta.insert(key("doelgroepen"), list(groups));
        let instruments = strings(meta.get("instruments"));
        meta.insert(key("instrumenten"), list(instruments));
        meta.insert(key("jaren"), list([year[..4.min(year.len())].to_string()]));
        write_page(
            &content.join("praktijken").join(format!("{stem}.md")),
            &meta,
            &body,
        )?;
    }
    let mut section = Mapping::new();
    section.insert(key("title"), key("Praktijken"));
    write_page(&content.join("praktijken/_index.md"), &section, "")?;

    // Vocabulary labels as term pages.
    for (file, tax) in [
        ("themes", "themas"),
        ("target_groups", "doelgroepen"),
        ("instruments", "instrumenten"),
    ] {
        let path = site.join(format!("content/data/{file}.yaml"));
        let v: Value =
            serde_yaml::from_str(&fs::read_to_string(&path)?).map_err(|e| err(&path, e))?;
        let terms: BTreeMap<String, Value> = v
            .as_mapping()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.clone())))
                    .collect()
            })
            .unwrap_or_default();
        for (k, t) in terms {
            let dir = content.join(tax).join(&k);
            fs::create_dir_all(&dir)?;
            let mut m = Mapping::new();
            m.insert(key("title"), t.get("nl").cloned().unwrap_or(key(&k)));
            if let Some(d) = t.get("description") {
                m.insert(key("description"), d.clone());
            }
            write_page(&dir.join("_index.md"), &m, "")?;
        }
    }

    // Awards: a section per award, a page per edition.
    fs::create_dir_all(content.join("prijzen"))?;
    let mut m = Mapping::new();
    m.insert(key("title"), key("Prijzen"));
    write_page(&content.join("prijzen/_index.md"), &m, "")?;
    for path in md_files(&site.join("content/awards"))? {
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (mut meta, body) = split(&path)?;
        let dir = content.join("prijzen").join(&slug);
        fs::create_dir_all(&dir)?;
        if let Some(Value::Sequence(eds)) = meta.get("editions") {
            for e in eds {
                if let Some(ed) = e.get("edition") {
                    editions.insert((slug.clone(), scalar(ed)));
                }
            }
        }
        meta.insert(key("award_slug"), Value::String(slug.clone()));
        write_page(&dir.join("_index.md"), &meta, &body)?;
    }
    for (award, edition) in editions {
        let dir = content.join("prijzen").join(&award);
        fs::create_dir_all(&dir)?;
        let mut m = Mapping::new();
        m.insert(key("title"), Value::String(format!("{award} {edition}")));
        m.insert(key("award"), Value::String(award.clone()));
        m.insert(key("edition"), Value::String(edition.clone()));
        m.insert(key("slug"), Value::String(edition.clone()));
        m.insert(key("layout"), key("edition"));
        write_page(&dir.join(format!("{edition}.md")), &m, "")?;
    }

    // Plain pages at the root.
    for path in md_files(&site.join("content/pages"))? {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (mut meta, body) = split(&path)?;
        meta.insert(key("url"), Value::String(format!("/{stem}/")));
        meta.insert(key("layout"), key("plain"));
        write_page(&content.join(format!("{stem}.md")), &meta, &body)?;
    }
    Ok(n)
}
