//! The `etalage` command: exit codes (0 success, 1 content errors, 2 usage or I/O trouble), the
//! diagnostics on stderr and the summary line.

use insta::assert_snapshot;

use crate::harness::{fixture, tree};

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn build_succeeds_with_warnings_on_stderr() {
    let site = fixture("warnings/basic");
    let out = site.cli(&["build", "--output", "../out"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.starts_with("built "), "{stdout}");
    assert!(stdout.contains(" pages ("), "{stdout}");
    assert!(site
        .tmp()
        .join("out/praktijken/haarlem/index.html")
        .is_file());
    assert_snapshot!(stderr);
}

#[test]
fn check_prints_the_summary() {
    let site = fixture("warnings/basic");
    let out = site.cli(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "no errors (0 error(s), 2 warning(s))\n");
    assert_eq!(text(&out.stderr).lines().count(), 2);
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn content_errors_exit_1_with_every_diagnostic_and_a_summary() {
    let site = fixture("errors/all-files-one-run");
    for command in ["check", "build"] {
        let out = site.cli(&[command]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert_eq!(text(&out.stdout), "", "{command}");
        let summary = match command {
            "build" => "error: build failed: 6 error(s), 0 warning(s); nothing was published (the output folder is as it was)",
            _ => "error: 6 error(s), 0 warning(s)",
        };
        assert_eq!(stderr.lines().last(), Some(summary), "{command}");
        assert_eq!(stderr.lines().count(), 7, "{command}: {stderr}");
        assert_snapshot!(format!("content_errors_{command}"), stderr);
    }
    assert!(!site.path("public").exists());
}

#[test]
fn failed_cli_build_keeps_the_previous_output() {
    let site = fixture("output/basic");
    let ok = site.cli(&["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let before = tree(&site.path("public"));
    let broken = site
        .read("content/practices/haarlem.md")
        .replace("status: lopend", "status: lopnd");
    site.write("content/practices/haarlem.md", broken);
    let failed = site.cli(&["build"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(text(&failed.stderr).contains("unknown value `lopnd` (did you mean `lopend`?)"));
    assert_eq!(tree(&site.path("public")), before);
}

#[test]
fn refused_output_folder_exits_2() {
    let site = fixture("output/basic");
    let out = site.cli(&["build", "--output", "content"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: refusing to use content as output folder: it lies in the site's `content/` folder\n"
    );
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn missing_site_toml_exits_2() {
    let site = fixture("output/basic");
    std::fs::remove_file(site.path("site.toml")).unwrap();
    let out = site.cli(&["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("no site.toml in ") && stderr.contains("is this a site folder?"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = fixture("output/basic");
    for args in [&["build", "--frobnicate"][..], &["bouw"], &[]] {
        let out = site.cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!text(&out.stderr).is_empty(), "{args:?}");
    }
}

#[test]
fn drafts_flag_publishes_drafts() {
    let site = fixture("drafts/basic");
    let out = site.cli(&["build", "--drafts"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(site
        .path("public/praktijken/verborgen-concept/index.html")
        .is_file());
    let out = site.cli(&["build"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!site.path("public/praktijken/verborgen-concept").exists());
}
