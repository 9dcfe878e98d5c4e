//! A build killed with SIGKILL at any moment never leaves a half-written site: after each kill
//! the output path shows exactly the previous or the new site, because a publish only writes
//! into the generation the output link does not point to and then turns the link in one
//! rename. Leftovers of killed builds always carry etalage's marker (or are etalage's link), so
//! they never block the next build.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{tree, Site};
use crate::publish::{grown, practice};

type Tree = BTreeMap<String, Vec<u8>>;

/// Pause after each file operation of a publish in the (debug) binary, so kills land in every
/// phase of it: writing, deleting, stamping, switching.
const PAUSE_US: &str = "1000";

/// The four versions of the site: bit 0 changes one practice (a small change), bit 1 changes
/// the site title (every page changes).
fn set_version(site: &Site, version: usize) {
    let extra = if version & 1 == 1 { " Bijgewerkt." } else { "" };
    site.write("content/practices/aanpak-7.md", practice(7, extra));
    let title = if version & 2 == 2 {
        "Andere titel"
    } else {
        "Testetalage"
    };
    let toml = site.read("site.toml");
    let toml = toml
        .replace("Testetalage", title)
        .replace("Andere titel", title);
    site.write("site.toml", toml);
}

fn command(site: &Site, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_etalage"));
    cmd.args(["build", "--output"])
        .arg(out)
        .arg("--root")
        .arg(&site.root)
        .env("ETALAGE_TEST_WRITE_PAUSE_US", PAUSE_US)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Starts a build and returns once it begins to publish (it holds the lock on the output's
/// parent folder) or ends.
fn start(site: &Site, out: &Path) -> Child {
    let parent = File::open(out.parent().unwrap()).unwrap();
    let mut child = command(site, out).spawn().unwrap();
    while child.try_wait().unwrap().is_none() {
        match parent.try_lock() {
            Ok(()) => {
                parent.unlock().unwrap();
                std::thread::sleep(Duration::from_micros(50));
            }
            Err(_) => break,
        }
    }
    child
}

/// Builds `version` to completion; returns the tree and how long publishing took.
fn build(site: &Site, out: &Path, version: usize) -> (Tree, Duration) {
    set_version(site, version);
    let mut child = start(site, out);
    let publishing = Instant::now();
    assert!(child.wait().unwrap().success());
    (tree(out), publishing.elapsed())
}

/// Names beside the output other than the site, `out`, its generations and `mine`; every
/// folder among them carries the marker (or is empty), so the next build may remove it, and
/// every file is one taken in parts (`.out.etalage-part.N`, which the next build removes).
#[track_caller]
fn assert_leftovers_are_marked(site: &Site) {
    for entry in std::fs::read_dir(site.tmp()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if ["site", "out", "mine", ".out.etalage-a", ".out.etalage-b"].contains(&name.as_str())
            || entry.file_type().unwrap().is_symlink()
        {
            continue;
        }
        if entry.file_type().unwrap().is_file() {
            assert!(
                name.starts_with(".out.etalage-part."),
                "a leftover file: {name}"
            );
            continue;
        }
        let empty = std::fs::read_dir(&path).unwrap().next().is_none();
        assert!(
            empty || path.join(".etalage-output").is_file(),
            "a leftover without the marker: {name}"
        );
    }
}

/// Every file of `now` is whole: it equals its version in `old` or in `new`.
#[track_caller]
fn assert_whole_files(now: &Tree, old: &Tree, new: &Tree) {
    for (path, bytes) in now {
        assert!(
            old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
            "{path} is neither its old nor its new version"
        );
    }
}

#[test]
fn a_killed_build_never_leaves_a_half_written_site() {
    let site = grown(40);
    let out = site.tmp().join("out");
    let mine = site.tmp().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notities.txt"), "niet weggooien").unwrap();

    // Every version, and how long publishing a small and a large change takes.
    let mut trees: Vec<Tree> = vec![Tree::new(); 4];
    trees[0] = build(&site, &out, 0).0;
    let mut took = [Duration::ZERO; 2];
    for (version, kind) in [(1, 0), (3, 1), (2, 0), (0, 1)] {
        let (t, d) = build(&site, &out, version);
        trees[version] = t;
        took[kind] = took[kind].max(d);
    }
    assert!(trees.windows(2).all(|w| w[0] != w[1]));

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut current = 0;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..32 {
        let kind = round % 2;
        let target = current ^ (1 << kind);
        set_version(&site, target);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Killed at a random moment of publishing (or, every fourth round, of the whole build).
        let range = took[kind].as_micros() as u64 * 6 / 5;
        let delay = Duration::from_micros(seed % range.max(1));
        let mut child = if round % 4 == 3 {
            command(&site, &out).spawn().unwrap()
        } else {
            start(&site, &out)
        };
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();

        assert_leftovers_are_marked(&site);
        let now = tree(&out);
        let (old, new) = (&trees[current], &trees[target]);
        assert_whole_files(&now, old, new);
        let state = match (now == *old, now == *new) {
            (true, _) => "old site",
            (_, true) => "new site",
            _ => panic!("round {round} (killed after {delay:?}): a mix of both sites"),
        };
        let kind_name = ["small change", "large change"][kind];
        *seen.entry(format!("{kind_name}: {state}")).or_default() += 1;
        if now == *new {
            current = target;
        }
    }
    eprintln!("states after a kill (32 rounds; publishing takes {took:?}):");
    for (state, n) in &seen {
        eprintln!("  {n:3}  {state}");
    }
    assert!(seen.keys().any(|s| s.ends_with("old site")), "{seen:?}");

    // Leftovers never block the next build, which gives exactly the site of the sources.
    let last = target_of(&site);
    let (now, _) = build(&site, &out, last);
    assert!(now == trees[last]);
    let names: Vec<String> = std::fs::read_dir(site.tmp())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !["site", "out", "mine", ".out.etalage-a", ".out.etalage-b"].contains(&n.as_str())
        })
        .collect();
    assert_eq!(names, Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(mine.join("notities.txt")).unwrap(),
        "niet weggooien"
    );
}

/// The version the site's sources are at now.
fn target_of(site: &Site) -> usize {
    let practice_changed = site
        .read("content/practices/aanpak-7.md")
        .contains("Bijgewerkt");
    let title_changed = site.read("site.toml").contains("Andere titel");
    usize::from(practice_changed) | (usize::from(title_changed) << 1)
}
