//! Incremental publishing (`write::publish_summary`): the output is a link to one of two
//! generations; a change brings the other one up to date by writing only the files whose bytes
//! differ from what it holds, leaving the others untouched (same inode, same mtime). Hand-edited
//! or deleted output is repaired, foreign files disappear, leftovers of killed builds and older
//! etalage versions never block the next build, and the result always equals a clean build,
//! manifest included.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use etalage::render::OutputFile;
use etalage::write::{self, Method};
use etalage::{Error, Options};

use crate::harness::{fixture, tree, Site};

const MARKER: &str = ".etalage-output";
const STAGING: &str = ".out.etalage-staging";
const GEN_A: &str = ".out.etalage-a";
const GEN_B: &str = ".out.etalage-b";

/// A practice of the generated part of a site: `n` picks its place, theme and target group.
pub fn practice(n: usize, extra: &str) -> String {
    const PLACES: &[&str] = &[
        "Amsterdam",
        "Groningen",
        "Utrecht",
        "Maastricht",
        "Schiedam",
    ];
    const THEMES: &[&str] = &["matching", "participatie", "werkgeversdienstverlening"];
    const GROUPS: &[&str] = &["bijstand", "jongeren", "langdurig-werklozen"];
    format!(
        "---\ntitle: Aanpak nummer {n}\nsummary: Samenvatting van aanpak {n}.\n\
         municipality: {place}\nperiod: {{ start: {year} }}\nstatus: lopend\n\
         target_groups: [{group}]\nthemes: [{theme}]\n\
         partners:\n  - {{ name: Gemeente {place}, role: trekker }}\n\
         sources:\n  - {{ id: s1, title: Jaarverslag {year} }}\n---\n\n\
         ## Aanpak\n\nTekst over aanpak {n}.{extra}\n",
        place = PLACES[n % PLACES.len()],
        theme = THEMES[n % THEMES.len()],
        group = GROUPS[n % GROUPS.len()],
        year = 2000 + n % 20,
    )
}

/// `output/basic` with `n` more practices, so one practice is a small part of the site.
pub fn grown(n: usize) -> Site {
    let site = fixture("output/basic");
    for i in 0..n {
        site.write(&format!("content/practices/aanpak-{i}.md"), practice(i, ""));
    }
    site
}

/// Compiles the site and publishes it into `dir`.
fn publish(site: &Site, dir: &Path) -> write::Summary {
    let output = site.compile(&Options::default()).output;
    write::publish_summary(&output, dir).unwrap()
}

/// Inode and modification time of every file under `dir`.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    tree(dir)
        .into_keys()
        .map(|p| {
            let m = fs::metadata(dir.join(&p)).unwrap();
            (p, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// Every folder under `dir`, relative.
fn folders(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

/// Asserts that `dir` holds exactly what a clean build of the site writes into a new folder.
#[track_caller]
fn assert_equals_clean_build(site: &Site, dir: &Path) {
    let clean = site.tmp().join("clean");
    let generation = site.tmp().join(".clean.etalage-a");
    assert_eq!(publish(site, &clean).method, Method::Full);
    let (got, want) = (tree(dir), tree(&clean));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &want {
        assert!(&got[path] == bytes, "{path} differs from a clean build");
    }
    assert_eq!(folders(dir), folders(&clean), "folders differ");
    fs::remove_file(&clean).unwrap();
    fs::remove_dir_all(&generation).unwrap();
}

/// Names beside the output folder other than the site, `out` and its two generations.
fn leftovers(site: &Site) -> Vec<String> {
    fs::read_dir(site.tmp())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !["site", "out", GEN_A, GEN_B].contains(&n.as_str()))
        .collect()
}

/// Where `out` points now.
fn current(out: &Path) -> String {
    fs::read_link(out).unwrap().display().to_string()
}

/// Publishes the site twice with one practice changed in between, so both generations exist
/// and `out` points to `.out.etalage-b`.
fn two_generations(site: &Site, out: &Path) {
    assert_eq!(publish(site, out).method, Method::Full, "first build");
    let again = publish(site, out);
    assert_eq!((again.method, again.written), (Method::Unchanged, 0));
    assert_eq!(current(out), GEN_A);
    site.write("content/practices/aanpak-7.md", practice(7, " Eerst."));
    assert_eq!(publish(site, out).method, Method::Full, "a new generation");
    assert_eq!(current(out), GEN_B);
}

#[test]
fn a_one_practice_change_rewrites_only_the_changed_files() {
    let site = grown(40);
    let out = site.tmp().join("out");
    two_generations(&site, &out);

    // The next publish goes into generation a, which holds the first site.
    let gen_a = site.tmp().join(GEN_A);
    let before_bytes = tree(&gen_a);
    let before = identities(&gen_a);
    site.write(
        "content/practices/aanpak-7.md",
        practice(7, " Een nieuwe zin."),
    );
    fs::remove_file(site.path("content/practices/aanpak-9.md")).unwrap();
    let summary = publish(&site, &out);
    assert_eq!(summary.method, Method::Updated, "{summary:?}");
    assert!(summary.removed > 0, "{summary:?}");
    assert_eq!(current(&out), GEN_A);

    let after_bytes = tree(&out);
    let after = identities(&out);
    let mut kept = 0;
    let mut written = 0;
    for (path, bytes) in &after_bytes {
        match before_bytes.get(path) {
            Some(old) if old == bytes && path != MARKER => {
                assert_eq!(after[path], before[path], "{path} was rewritten unchanged");
                kept += 1;
            }
            _ => {
                assert_ne!(after.get(path), before.get(path), "{path}");
                written += 1;
            }
        }
    }
    assert_eq!(
        written,
        summary.written + 1,
        "the written files and the marker"
    );
    assert!(kept > 4 * written, "kept {kept}, written {written}");
    assert!(!after_bytes.keys().any(|p| p.contains("aanpak-9/")));
    assert!(before_bytes.keys().any(|p| p.contains("aanpak-9/")));
    assert_equals_clean_build(&site, &out);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn hand_edited_or_deleted_output_is_repaired() {
    let site = grown(40);
    let out = site.tmp().join("out");
    publish(&site, &out);
    let files = tree(&out);
    let page = "praktijken/aanpak-3/index.html";
    assert!(files.contains_key(page), "{:?}", files.keys());

    // Appended text; same size with the old mtime put back; a deleted file; a deleted folder.
    fs::write(out.join(page), [&files[page][..], b"<p>hand</p>"].concat()).unwrap();
    let index = out.join("index.html");
    let stamp = fs::metadata(&index).unwrap().modified().unwrap();
    let mut same_size = files["index.html"].clone();
    same_size[0] ^= 1;
    fs::write(&index, same_size).unwrap();
    fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    fs::remove_file(out.join("404.html")).unwrap();
    fs::remove_dir_all(out.join("praktijken/aanpak-5")).unwrap();

    // The same site: the edited generation is not current any more, the other one (new) is.
    let summary = publish(&site, &out);
    assert_eq!(summary.method, Method::Full, "{summary:?}");
    assert_eq!(tree(&out), files);
    // Going back to the edited generation writes the edited and deleted files again.
    site.write("content/practices/aanpak-7.md", practice(7, " Anders."));
    let summary = publish(&site, &out);
    assert_eq!(summary.method, Method::Updated, "{summary:?}");
    assert!(summary.written >= 5, "{summary:?}");
    assert_equals_clean_build(&site, &out);

    // A file someone added: that generation is written whole the next time it is used.
    fs::write(out.join("praktijken/extra.html"), "mine").unwrap();
    site.write("content/practices/aanpak-7.md", practice(7, ""));
    assert_eq!(publish(&site, &out).method, Method::Updated);
    assert_eq!(tree(&out), files);
    site.write("content/practices/aanpak-7.md", practice(7, " Anders."));
    assert_eq!(publish(&site, &out).method, Method::Full);
    assert_equals_clean_build(&site, &out);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_large_change_equals_a_clean_build() {
    let site = grown(10);
    let out = site.tmp().join("out");
    two_generations(&site, &out);
    let text = site
        .read("site.toml")
        .replace("Testetalage", "Andere titel");
    site.write("site.toml", text);
    let summary = publish(&site, &out);
    assert_eq!(summary.method, Method::Updated, "{summary:?}");
    assert!(summary.written * 2 > summary.files, "{summary:?}");
    assert_equals_clean_build(&site, &out);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_folder_put_where_a_file_was_listed_has_the_generation_written_whole() {
    let site = grown(10);
    let out = site.tmp().join("out");
    two_generations(&site, &out);
    // Someone put a folder where the generation lists a file: it cannot be trusted file by
    // file. (Files and folders trading places between builds are handled file by file.)
    let gen_a = site.tmp().join(GEN_A);
    fs::remove_file(gen_a.join("404.html")).unwrap();
    fs::create_dir(gen_a.join("404.html")).unwrap();
    site.write("content/practices/aanpak-7.md", practice(7, ""));
    assert_eq!(publish(&site, &out).method, Method::Full);
    assert_equals_clean_build(&site, &out);
}

#[test]
fn files_and_folders_trade_places_file_by_file() {
    let site = grown(1);
    let out = site.tmp().join("out");
    let output = |files: &[(&str, &str)]| etalage::render::Output {
        files: files
            .iter()
            .map(|(path, text)| etalage::render::OutputFile {
                path: path.to_string(),
                bytes: std::sync::Arc::new(text.as_bytes().to_vec()),
            })
            .collect(),
    };
    // Each site goes into the generation that holds the site two steps back, whose files are
    // in the way of the new folders (and the reverse).
    let sites = [
        output(&[("index.html", "1"), ("x", "file")]),
        output(&[("index.html", "2"), ("z", "file")]),
        output(&[("index.html", "3"), ("x/index.html", "folder")]),
        output(&[("index.html", "4"), ("z/y/index.html", "deeper")]),
        output(&[("index.html", "5"), ("x", "file again")]),
        output(&[("index.html", "6"), ("z/y", "file inside")]),
    ];
    for (i, site) in sites.iter().enumerate() {
        let summary = write::publish_summary(site, &out).unwrap();
        let want = if i < 2 { Method::Full } else { Method::Updated };
        assert_eq!(summary.method, want, "site {i}: {summary:?}");
        let mut got = tree(&out);
        assert!(got.remove(MARKER).is_some());
        let want: BTreeMap<String, Vec<u8>> = site
            .files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.to_vec()))
            .collect();
        assert_eq!(got, want, "site {i}");
    }
}

#[test]
fn leftovers_of_a_killed_build_never_block_the_next_one() {
    let site = grown(5);
    let out = site.tmp().join("out");
    publish(&site, &out);
    // What an older etalage killed while removing its staging folder leaves: part of a marked
    // tree; and a link a killed switch left.
    let staging = site.tmp().join(STAGING);
    crate::harness::copy_dir(&site.tmp().join(GEN_A), &staging);
    fs::remove_dir_all(staging.join("praktijken")).unwrap();
    fs::remove_file(staging.join("index.html")).unwrap();
    std::os::unix::fs::symlink(GEN_B, site.tmp().join(".out.etalage-link")).unwrap();
    // And half of a file a killed build was taking in parts.
    fs::write(site.tmp().join(".out.etalage-part.1"), "[\n{\"slug\"").unwrap();
    site.write("content/practices/aanpak-1.md", practice(1, " Nieuw."));
    assert_eq!(publish(&site, &out).method, Method::Full);
    assert!(!staging.exists());
    assert_equals_clean_build(&site, &out);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_folder_without_the_marker_in_the_staging_place_is_never_removed() {
    let site = grown(5);
    let out = site.tmp().join("out");
    publish(&site, &out);
    let staging = site.tmp().join(STAGING);
    fs::create_dir_all(staging.join("sub")).unwrap();
    fs::write(staging.join("sub/notities.txt"), "niet weggooien").unwrap();
    let before = tree(&staging);
    let output = site.compile(&Options::default()).output;
    match write::publish_summary(&output, &out) {
        Err(Error::OutputRefused { path, .. }) => assert_eq!(path, staging),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(tree(&staging), before);
}

#[test]
fn an_output_folder_of_an_older_etalage_is_replaced_by_the_link() {
    let site = grown(20);
    let out = site.tmp().join("out");
    publish(&site, &out);
    let old = tree(&out);
    // An older etalage wrote the site into a real folder and was killed in an in-place update.
    fs::remove_file(&out).unwrap();
    crate::harness::copy_dir(&site.tmp().join(GEN_A), &out);
    fs::remove_dir_all(site.tmp().join(GEN_A)).unwrap();
    fs::write(out.join("index.html"), "<p>half</p>").unwrap();
    let staging = site.tmp().join(STAGING);
    fs::create_dir_all(&staging).unwrap();
    fs::write(staging.join(MARKER), "staging\n").unwrap();
    fs::write(staging.join(".etalage-journal"), "etalage-journal 1\nend\n").unwrap();

    assert_eq!(publish(&site, &out).method, Method::Full);
    assert_eq!(current(&out), GEN_A);
    assert_eq!(tree(&out), old);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn builds_into_the_same_folder_at_once_take_turns() {
    let site = grown(40);
    let out = site.tmp().join("out");
    let practice = "content/practices/aanpak-1.md";
    let a = site.compile(&Options::default()).output;
    site.write(practice, self::practice(1, " Gewijzigd."));
    let b = site.compile(&Options::default()).output;
    write::publish(&a, &out).unwrap();
    let (a, b, out) = (&a, &b, &out);
    for round in 0..20 {
        std::thread::scope(|s| {
            let builds: Vec<_> = (0..4)
                .map(|i| s.spawn(move || write::publish(if i % 2 == 0 { a } else { b }, out)))
                .collect();
            for build in builds {
                build.join().unwrap().unwrap();
            }
        });
        let now = tree(out);
        let whole = |o: &etalage::render::Output| {
            o.files
                .iter()
                .all(|f| now.get(&f.path).is_some_and(|b| b[..] == f.bytes[..]))
                && now.keys().filter(|p| !p.starts_with('.')).count() == o.files.len()
        };
        assert!(whole(a) || whole(b), "round {round}: a mix of two builds");
    }
}

/// Publishes a site of two files with the same `bytes` into `out`: `parts.bin` handed over in
/// parts of 7,777 bytes, `whole.bin` whole; asserts that the two are listed alike.
fn publish_in_parts(out: &Path, bytes: &[u8]) -> write::Summary {
    write::publish_each(out, |sink| {
        let mut part = sink.open("data/parts.bin".into())?;
        for chunk in bytes.chunks(7_777) {
            part.write(chunk)?;
        }
        let parts = part.close()?;
        let whole = sink.put(OutputFile {
            path: "data/whole.bin".into(),
            bytes: std::sync::Arc::new(bytes.to_vec()),
        })?;
        assert_eq!((parts.size, parts.hash), (whole.size, whole.hash));
        Ok(vec![parts, whole])
    })
    .unwrap()
}

#[test]
fn a_file_taken_in_parts_is_the_file_taken_whole() {
    let site = grown(0);
    let out = site.tmp().join("out");
    let bytes = |n: u32| -> Vec<u8> { (0..n).flat_map(|i| (i * 7).to_le_bytes()).collect() };
    let on_disk = |name: &str| fs::read(out.join("data").join(name)).unwrap();

    assert_eq!(publish_in_parts(&out, &bytes(100_000)).method, Method::Full);
    assert_eq!(on_disk("parts.bin"), bytes(100_000));
    assert_eq!(on_disk("whole.bin"), bytes(100_000));
    assert_eq!(leftovers(&site), Vec::<String>::new());
    // The same again: nothing is written, and the temporary file is gone.
    let again = publish_in_parts(&out, &bytes(100_000));
    assert_eq!((again.method, again.written), (Method::Unchanged, 0));
    assert_eq!(leftovers(&site), Vec::<String>::new());
    // Changed: the other generation gets both; back again: the first one still holds them.
    assert_eq!(publish_in_parts(&out, &bytes(3)).method, Method::Full);
    assert_eq!(
        (current(&out), on_disk("parts.bin")),
        (GEN_B.into(), bytes(3))
    );
    let back = publish_in_parts(&out, &bytes(100_000));
    assert_eq!((back.method, back.written), (Method::Updated, 0));
    assert_eq!(on_disk("parts.bin"), bytes(100_000));
    let marker = |generation: &str| fs::read(site.tmp().join(generation).join(MARKER)).unwrap();
    assert_eq!(current(&out), GEN_A);
    assert_eq!(leftovers(&site), Vec::<String>::new());

    // A publish that fails with a file half taken leaves the site and nothing beside it.
    let before = marker(GEN_A);
    let failed = write::publish_each(&out, |sink| {
        let mut part = sink.open("data/parts.bin".into())?;
        part.write(b"half")?;
        Err(Error::Search("stopped".into()))
    });
    assert!(failed.is_err());
    assert_eq!((current(&out), marker(GEN_A)), (GEN_A.into(), before));
    assert_eq!(on_disk("parts.bin"), bytes(100_000));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_build_writes_the_open_data_in_parts_as_compile_makes_it() {
    let site = grown(40);
    let (built, _) = site.build_to("built", &Options::default());
    let clean = site.tmp().join("clean");
    assert_eq!(publish(&site, &clean).method, Method::Full);
    let (got, want) = (tree(&built), tree(&clean));
    assert!(want.contains_key("data/praktijken.csv"));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    // The markers too: the streamed files are listed with the same sizes and hashes.
    for (path, bytes) in &want {
        assert!(&got[path] == bytes, "{path} differs from the compiled site");
    }
}
