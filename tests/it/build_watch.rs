//! `etalage build --watch` and the library's repeated build under it (`etalage::rebuild`):
//! every build publishes what a clean build publishes, writes only what changed, leaves the
//! output as it was on errors, and gets the search index in a second step. The process tests
//! wait in time, bounded; the library tests are deterministic.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use etalage::{Error, Options, Rebuilding};

use crate::harness::{fixture, lines, tree, Site};

const PRACTICE: &str = "content/practices/haarlem-samen.md";
const PAGE: &str = "praktijken/haarlem-samen/index.html";
const DATE: &str = "2026-01-15";
const WAIT: Duration = Duration::from_secs(30);

fn options() -> Options {
    Options {
        today: Some(DATE.parse().unwrap()),
        ..Options::default()
    }
}

/// The site's files as a clean `etalage build` publishes them into a new folder.
fn clean(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let (dir, _) = site.build_to("clean", &options());
    tree(&dir)
}

/// The practice file with its title replaced.
fn retitle(site: &Site, title: &str) {
    let text = site.read(PRACTICE);
    let old = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    site.write(PRACTICE, text.replacen(old, &format!("title: {title}"), 1));
}

/// One `build_again` with the given touched files, which must succeed.
fn again(site: &Site, out: &Path, state: &mut Rebuilding, touched: &[&str]) -> etalage::Rebuilt {
    let touched: Vec<PathBuf> = touched.iter().map(|t| site.path(t)).collect();
    etalage::build_again(&site.root, Some(out), &options(), state, &touched).unwrap_or_else(|e| {
        match e {
            Error::Content(d) => panic!("unexpected errors:\n{}", lines(&d)),
            e => panic!("unexpected failure: {e}"),
        }
    })
}

/// Makes and publishes the search index `rebuilt` left to make.
fn index(state: &mut Rebuilding, rebuilt: etalage::Rebuilt) -> Option<etalage::Report> {
    let to_index = rebuilt.to_index.expect("an index to make");
    let files = etalage::search_index(&to_index.prepared).unwrap();
    etalage::publish_index(state, to_index.build, files).unwrap()
}

fn index_files(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&String, &Vec<u8>> {
    files
        .iter()
        .filter(|(p, _)| p.starts_with("pagefind/"))
        .collect()
}

#[test]
fn each_build_publishes_a_clean_build_writing_only_what_changed() {
    let site = fixture("pages/small");
    let out = site.tmp().join("out");
    let mut state = Rebuilding::default();
    let first = again(&site, &out, &mut state, &[]);
    // The first build makes its index before it publishes: nothing is left to do.
    assert!(first.to_index.is_none());
    assert_eq!(first.report.written, first.report.files);
    assert_eq!(tree(&out), clean(&site));

    retitle(&site, "Project SAMEN herzien");
    let second = again(&site, &out, &mut state, &[PRACTICE]);
    // The pages at once, with the index published before.
    let published = tree(&out);
    assert!(String::from_utf8_lossy(&published[PAGE]).contains("<h1>Project SAMEN herzien</h1>"));
    let want = clean(&site);
    let pages = |t: &BTreeMap<String, Vec<u8>>| {
        t.iter()
            .filter(|(p, _)| !p.starts_with("pagefind/") && *p != ".etalage-output")
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(pages(&published), pages(&want));
    assert_ne!(index_files(&published), index_files(&want));
    // Then the index of this build.
    let indexed = index(&mut state, second).expect("the index is newer");
    assert_eq!(tree(&out), want);
    assert!(indexed.written > 0);

    // A third build brings the other generation up to date: it writes no file that
    // generation holds as the new site has it.
    let link = std::fs::read_link(&out).unwrap();
    let other = if link.to_string_lossy().ends_with("-a") {
        site.tmp().join(".out.etalage-b")
    } else {
        site.tmp().join(".out.etalage-a")
    };
    let held = tree(&other);
    retitle(&site, "Project SAMEN");
    let third = again(&site, &out, &mut state, &[PRACTICE]);
    let now = tree(&out);
    let differing = now
        .iter()
        .filter(|(p, b)| *p != ".etalage-output" && held.get(*p) != Some(*b))
        .count();
    assert!(
        (1..=differing).contains(&third.report.written),
        "{} files written, {differing} differ from what the generation held",
        third.report.written
    );
    index(&mut state, third);
    assert_eq!(tree(&out), clean(&site));
}

#[test]
fn an_index_older_than_the_published_one_is_not_published() {
    let site = fixture("pages/small");
    let out = site.tmp().join("out");
    let mut state = Rebuilding::default();
    again(&site, &out, &mut state, &[]);
    retitle(&site, "Project SAMEN een");
    let older = again(&site, &out, &mut state, &[PRACTICE])
        .to_index
        .unwrap();
    retitle(&site, "Project SAMEN twee");
    let newer = again(&site, &out, &mut state, &[PRACTICE]);
    assert!(index(&mut state, newer).is_some());
    let before = tree(&out);
    let files = etalage::search_index(&older.prepared).unwrap();
    assert!(etalage::publish_index(&mut state, older.build, files)
        .unwrap()
        .is_none());
    assert_eq!(tree(&out), before);
    assert_eq!(before, clean(&site));
}

#[test]
fn a_build_with_errors_leaves_the_output_and_the_next_one_recovers() {
    let site = fixture("pages/small");
    let out = site.tmp().join("out");
    let mut state = Rebuilding::default();
    again(&site, &out, &mut state, &[]);
    let good = tree(&out);
    let text = site.read(PRACTICE);
    site.write(PRACTICE, text.replacen("title: ", "titel: ", 1));
    let touched = [site.path(PRACTICE)];
    match etalage::build_again(&site.root, Some(&out), &options(), &mut state, &touched) {
        Err(Error::Content(d)) => assert!(
            lines(&d).contains(&format!("{PRACTICE}:2:1: error: unknown key `titel`")),
            "{}",
            lines(&d)
        ),
        Err(e) => panic!("unexpected failure: {e}"),
        Ok(_) => panic!("a broken file was built"),
    }
    assert_eq!(tree(&out), good);
    site.write(
        PRACTICE,
        text.replacen("title: Project SAMEN", "title: Hersteld", 1),
    );
    let fixed = again(&site, &out, &mut state, &[PRACTICE]);
    index(&mut state, fixed);
    assert_eq!(tree(&out), clean(&site));
}

#[test]
fn a_site_without_search_has_no_index_to_make() {
    let site = fixture("search/off");
    let out = site.tmp().join("out");
    let mut state = Rebuilding::default();
    again(&site, &out, &mut state, &[]);
    let practice = site
        .tmp()
        .join("site/content/practices")
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&practice).unwrap();
    std::fs::write(&practice, format!("{text}\nNog een zin.\n")).unwrap();
    let rebuilt =
        etalage::build_again(&site.root, Some(&out), &options(), &mut state, &[practice]).unwrap();
    assert!(rebuilt.to_index.is_none());
    assert_eq!(tree(&out), clean(&site));
}

/// A running `etalage build --watch`, stopped when dropped, with its output lines.
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    fn start(site: &Site, out: &Path) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_etalage"))
            .args(["build", "--watch", "--date", DATE, "--root"])
            .arg(&site.root)
            .arg("--output")
            .arg(out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    if tx.send(line.unwrap_or_default()).is_err() {
                        return;
                    }
                }
            });
        }
        Watching { child, lines }
    }

    /// Waits for an output line that starts with `start` and returns it.
    #[track_caller]
    fn wait_for(&self, start: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(start) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line starting with {start:?}"),
            }
        }
    }

    #[track_caller]
    fn assert_alive(&mut self) {
        assert!(self.child.try_wait().unwrap().is_none(), "it exited");
    }
}

#[test]
fn watch_builds_again_on_every_save_and_never_dies_on_a_typo() {
    let site = fixture("pages/small");
    let out = site.tmp().join("out");
    let mut watching = Watching::start(&site, &out);
    watching.wait_for("watching ");
    assert_eq!(tree(&out), clean(&site));

    retitle(&site, "Project SAMEN opgeslagen");
    let line = watching.wait_for("rebuilt ");
    assert!(line.ends_with("; the search index follows"), "{line}");
    let page = String::from_utf8(std::fs::read(out.join(PAGE)).unwrap()).unwrap();
    assert!(page.contains("<h1>Project SAMEN opgeslagen</h1>"));
    watching.wait_for("search index updated");
    assert_eq!(tree(&out), clean(&site));

    let good = tree(&out);
    let text = site.read(PRACTICE);
    site.write(PRACTICE, text.replacen("title: ", "titel: ", 1));
    let error = watching.wait_for(PRACTICE);
    assert_eq!(
        error,
        format!("{PRACTICE}:2:1: error: unknown key `titel` (did you mean `title`?)")
    );
    watching.wait_for("error: build failed: 1 error(s)");
    watching.assert_alive();
    assert_eq!(tree(&out), good);

    site.write(PRACTICE, text.replacen("opgeslagen", "hersteld", 1));
    watching.wait_for("rebuilt ");
    watching.wait_for("search index updated");
    watching.assert_alive();
    assert_eq!(tree(&out), clean(&site));
}

#[test]
fn watch_refuses_an_output_folder_that_would_destroy_sources() {
    let site = fixture("pages/small");
    let out = site.path("content/public");
    let mut watching = Watching::start(&site, &out);
    let line = watching.wait_for("error: refusing to use");
    assert!(line.contains("content/public"), "{line}");
    let status = watching.child.wait().unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(!out.exists());
}
