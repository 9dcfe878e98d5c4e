//! HTML validity: the Nu Html Checker (vnu.jar) over every HTML page of the bundled site and of
//! two fixture sites.
//!
//! The jar is found at `$ETALAGE_VNU_JAR` or `.ci/node/node_modules/vnu-jar/build/dist/vnu.jar`
//! (`npm install --prefix .ci/node vnu-jar`, which `.ci/run` does). Without it the test fails
//! in CI (`CI` set) and is skipped with a note elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{fixture, html_files, repo};
use etalage::Options;

fn find_jar() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ETALAGE_VNU_JAR") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "ETALAGE_VNU_JAR is set but {} does not exist",
            path.display()
        );
        return Some(path);
    }
    let path = repo().join(".ci/node/node_modules/vnu-jar/build/dist/vnu.jar");
    path.is_file().then_some(path)
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Runs vnu over `files`; returns its messages.
fn vnu(jar: &Path, files: &[PathBuf]) -> Vec<String> {
    let output = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run java (needed for vnu.jar): {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let messages: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(
        output.status.success() || !messages.is_empty(),
        "vnu failed without messages: {:?}",
        output.status
    );
    messages
}

#[test]
fn html_is_valid() {
    let Some(jar) = find_jar() else {
        assert!(
            !in_ci(),
            "vnu.jar not found: run `npm install --prefix .ci/node vnu-jar` or set ETALAGE_VNU_JAR"
        );
        eprintln!("note: vnu.jar not found, HTML validity not checked (npm install --prefix .ci/node vnu-jar)");
        return;
    };
    let (_tmp, bundled) = crate::bundled::build_bundled();
    let small = fixture("pages/small");
    let (small_out, _) = small.build_to("out", &Options::default());
    let paginated = fixture("pagination/basic");
    let (paginated_out, _) = paginated.build_to("out", &Options::default());

    let dirs = [
        ("bundled", &bundled),
        ("pages/small", &small_out),
        ("pagination/basic", &paginated_out),
    ];
    let mut files = Vec::new();
    for (_, dir) in dirs {
        let pages = html_files(dir);
        assert!(!pages.is_empty());
        files.extend(pages.keys().map(|p| dir.join(p)));
    }
    // A page with a known error proves that vnu ran and that its messages are read.
    let canary = small.tmp().join("canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"></head><body></body></html>\n",
    )
    .unwrap();
    files.push(canary.clone());
    let mut messages = vnu(&jar, &files);
    let canary_name = format!("{}\"", canary.display());
    let (canary_messages, other): (Vec<String>, Vec<String>) =
        messages.into_iter().partition(|m| m.contains(&canary_name));
    assert!(
        canary_messages.iter().any(|m| m.contains("title")),
        "vnu did not report the missing <title> of the canary page: {canary_messages:?}"
    );
    messages = other;
    for (label, dir) in dirs {
        let prefix = format!("file:{}/", dir.display());
        for m in &mut messages {
            *m = m.replace(&prefix, &format!("{label}: "));
        }
    }
    assert!(
        messages.is_empty(),
        "vnu found {} error(s):\n{}",
        messages.len(),
        messages.join("\n")
    );
}
