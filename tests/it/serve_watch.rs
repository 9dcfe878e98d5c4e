//! The dev server's watcher under rough editing: a thousand rapid saves, files deleted while a
//! build reads them, a file it may not read, an editor's swap, backup and probe files. Each
//! time the server stays up, reports what is wrong, recovers, and ends up serving exactly what
//! a clean build gives. Loops are bounded in count; waits in time.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::time::Duration;

use crate::harness::fixture;
use crate::serve::{
    assert_serves_a_clean_build, eventually, get, start, start_with, Server, PRACTICE,
};

#[track_caller]
fn assert_alive(server: &mut Server) {
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited"
    );
}

fn no_problems(server: &Server) {
    eventually(server, "/_etalage/problems/", "no problems", |b| {
        b.contains("Geen problemen")
    });
}

#[test]
fn a_thousand_rapid_saves_end_in_the_last_state() {
    let site = fixture("pages/small");
    let mut server = start(&site);
    let good = site.read(PRACTICE);
    for i in 0..1000 {
        // Plain writes: a rebuild may read a half-written file, which must not matter.
        site.write(
            PRACTICE,
            good.replace("title: Project SAMEN", &format!("title: Project SAMEN {i}")),
        );
    }
    assert_alive(&mut server);
    eventually(
        &server,
        "/praktijken/haarlem-samen/",
        "the last save",
        |b| b.contains("<h1>Project SAMEN 999</h1>"),
    );
    no_problems(&server);
    assert_serves_a_clean_build(&server, &site);
    assert_alive(&mut server);
}

#[test]
fn files_deleted_mid_build_leave_no_trace() {
    let site = fixture("pages/small");
    let mut server = start(&site);
    let good = site.read(PRACTICE);
    let extra = "content/practices/tijdelijk.md";
    let text = good
        .replace("title: Project SAMEN", "title: Tijdelijk")
        .replace("related: [intensieve-aanpak-lelystad]", "related: []");
    for i in 0..200u64 {
        site.write(extra, &text);
        std::thread::sleep(Duration::from_millis(i % 7 * 5));
        fs::remove_file(site.path(extra)).unwrap();
        std::thread::sleep(Duration::from_millis(i % 5 * 3));
    }
    // A file every page links to, deleted while rebuilds are under way.
    site.write(PRACTICE, good.replace("value: 85", "value: 86"));
    fs::remove_file(site.path("content/practices/zwolle-werkloket.md")).unwrap();
    assert_alive(&mut server);
    eventually(&server, "/praktijken/", "the deletions", |b| {
        !b.contains("Tijdelijk") && !b.contains("Werkloket")
    });
    assert_serves_a_clean_build(&server, &site);
    assert_eq!(get(&server, "/praktijken/tijdelijk/").0, 404);
    assert_alive(&mut server);
}

#[test]
fn an_unreadable_file_is_reported_and_recovered_from() {
    let site = fixture("pages/small");
    // Root reads any file whatever its mode, so as root the server runs as `nobody`.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        for dir in [site.tmp(), site.root.as_path()] {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let mut server = start_with(&site, |cmd| {
        if root {
            cmd.uid(65534).gid(65534);
        }
    });
    let path = site.path(PRACTICE);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    // A change elsewhere makes sure a rebuild runs even if the mode change is not seen.
    site.write("content/pages/extra.md", "---\ntitle: Extra\n---\nTekst.\n");
    let problems = eventually(&server, "/_etalage/problems/", "the unreadable file", |b| {
        b.contains("permission denied")
    });
    assert!(problems.contains(PRACTICE), "{problems}");
    assert_eq!(
        get(&server, "/praktijken/haarlem-samen/").0,
        200,
        "the last good site is gone"
    );
    assert_alive(&mut server);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    site.write(
        "content/pages/extra.md",
        "---\ntitle: Extra\n---\nMeer tekst.\n",
    );
    no_problems(&server);
    assert_serves_a_clean_build(&server, &site);
}

#[test]
fn a_deleted_broken_file_and_deleted_settings_are_seen_at_once() {
    let site = fixture("pages/small");
    let mut server = start(&site);
    let bad = "content/practices/kapot.md";
    site.write(bad, b"---\ntitle: \xff\xfe\n---\n".as_slice());
    eventually(
        &server,
        "/_etalage/problems/",
        "the undecodable file",
        |b| b.contains(bad),
    );
    // Deleting the file is the fix: its problem goes with it, without another save.
    fs::remove_file(site.path(bad)).unwrap();
    no_problems(&server);
    fs::rename(site.path("site.toml"), site.path("site.toml.weg")).unwrap();
    let problems = eventually(
        &server,
        "/_etalage/problems/",
        "the missing settings",
        |b| b.contains("no site.toml"),
    );
    assert!(problems.contains("site.toml:1:1"), "{problems}");
    assert_eq!(
        get(&server, "/praktijken/haarlem-samen/").0,
        200,
        "the last good site is gone"
    );
    assert_alive(&mut server);
    fs::rename(site.path("site.toml.weg"), site.path("site.toml")).unwrap();
    no_problems(&server);
    assert_serves_a_clean_build(&server, &site);
}

#[test]
fn editor_swap_backup_and_probe_files_change_nothing() {
    let site = fixture("pages/small");
    let mut server = start(&site);
    let good = site.read(PRACTICE);
    let dir = "content/practices";
    // What vim does on `:w` with `backupcopy=no`: probe, back up by renaming, write anew.
    site.write(
        &format!("{dir}/.haarlem-samen.md.swp"),
        b"b0VIM 9.0\0\xff\xfe garbage",
    );
    site.write(&format!("{dir}/4913"), "");
    fs::remove_file(site.path(&format!("{dir}/4913"))).unwrap();
    fs::rename(site.path(PRACTICE), site.path(&format!("{PRACTICE}~"))).unwrap();
    site.write(
        PRACTICE,
        good.replace("title: Project SAMEN", "title: Project SAMEN bewaard"),
    );
    // Leftovers of other editors: a broken backup, an Emacs autosave and lock, a temp file.
    site.write(&format!("{dir}/haarlem-samen.md~"), "---\ntitle: [kapot\n");
    site.write(&format!("{dir}/#haarlem-samen.md#"), "---\nkapot");
    site.write(&format!("{dir}/.#haarlem-samen.md"), "root@host.1234:1");
    site.write(&format!("{dir}/haarlem-samen.md.tmp"), "---\nkapot");
    assert_alive(&mut server);
    eventually(&server, "/praktijken/haarlem-samen/", "the save", |b| {
        b.contains("<h1>Project SAMEN bewaard</h1>")
    });
    no_problems(&server);
    assert_serves_a_clean_build(&server, &site);
    // The swap file going away changes nothing either.
    fs::remove_file(site.path(&format!("{dir}/.haarlem-samen.md.swp"))).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    no_problems(&server);
    assert_alive(&mut server);
}

#[test]
fn a_broken_write_up_is_held_back_while_the_other_changes_show() {
    let site = fixture("pages/small");
    let mut server = start(&site);
    let good = site.read(PRACTICE);
    let broken = good
        .replace("title: Project SAMEN", "title: Project SAMEN kapot")
        .replace("status: lopend", "status: lopnd");
    site.write(PRACTICE, &broken);
    eventually(&server, "/_etalage/problems/", "the typo", |b| {
        b.contains(PRACTICE)
    });
    // An edit elsewhere shows, under the overlay that says what is held back.
    let other = "content/practices/lelystad-aanpak.md";
    let other_good = site.read(other);
    site.write(
        other,
        other_good.replace(
            "title: Intensieve aanpak Lelystad",
            "title: Aanpak Lelystad",
        ),
    );
    let page = eventually(&server, "/praktijken/", "the other edit", |b| {
        b.contains("Aanpak Lelystad") && !b.contains("Intensieve aanpak Lelystad")
    });
    assert!(
        page.contains("uw andere wijzigingen zijn te zien"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "Getoond zoals bij de laatste versie zonder fouten: <code>{PRACTICE}</code>"
        )),
        "{page}"
    );
    assert!(page.contains(&site.locate(PRACTICE, "status: |lopnd")));
    let (status, held) = get(&server, "/praktijken/haarlem-samen/");
    assert_eq!(status, 200);
    assert!(
        held.contains("<h1>Project SAMEN</h1>") && !held.contains("kapot"),
        "not the last good version:\n{held}"
    );
    // A new write-up with an error is left out, and links to it are no errors.
    let new = "content/practices/nieuw.md";
    site.write(
        new,
        good.replace("title: Project SAMEN", "title: Nieuw")
            .replace("status: lopend", "statu: lopend"),
    );
    site.write(
        other,
        other_good
            .replace("status: afgerond", "status: afgerond\nrelated: [nieuw]")
            .replace(
                "title: Intensieve aanpak Lelystad",
                "title: Aanpak Lelystad",
            ),
    );
    let page = eventually(&server, "/praktijken/", "the new file held back", |b| {
        b.contains(&format!(
            "Weggelaten tot de fouten zijn hersteld: <code>{new}</code>"
        ))
    });
    assert!(!page.contains("<h2>Nieuw"), "{page}");
    assert_eq!(get(&server, "/praktijken/nieuw/").0, 404);
    let (_, problems) = get(&server, "/_etalage/problems/");
    assert!(
        problems.contains(new) && problems.contains(PRACTICE),
        "{problems}"
    );
    assert!(
        problems.contains("Weggelaten tot de fouten zijn hersteld"),
        "{problems}"
    );
    assert!(
        !problems.contains("nieuw`"),
        "a link to the held-back file is an error: {problems}"
    );
    assert_alive(&mut server);
    // Fixed: everything as saved, and nothing held back.
    site.write(PRACTICE, &good);
    fs::remove_file(site.path(new)).unwrap();
    site.write(other, &other_good);
    no_problems(&server);
    assert_serves_a_clean_build(&server, &site);
}
