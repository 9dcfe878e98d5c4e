//! A build killed with SIGKILL at any moment leaves the previous output whole: after each kill
//! the output folder holds exactly the site of one complete build, never a mix or a half.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::harness::fixture;

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_killed_build_never_leaves_a_half_written_site() {
    let site = fixture("pages/small");
    let out = site.tmp().join("out");
    let practice = "content/practices/haarlem-samen.md";
    let a = site.read(practice);
    let b = a.replace("title: Project SAMEN", "title: Project SAMEN (bijgewerkt)");
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_etalage"))
            .args(["build", "--output"])
            .arg(&out)
            .arg("--root")
            .arg(&site.root)
            .output()
            .unwrap()
    };

    site.write(practice, &b);
    assert!(build().status.success());
    let site_b = tree(&out);
    site.write(practice, &a);
    assert!(build().status.success());
    let site_a = tree(&out);
    assert_ne!(site_a, site_b);

    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..24 {
        site.write(practice, if round % 2 == 0 { &b } else { &a });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % 60_000);
        let mut child = Command::new(env!("CARGO_BIN_EXE_etalage"))
            .args(["build", "--output"])
            .arg(&out)
            .arg("--root")
            .arg(&site.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        assert!(now == site_a || now == site_b, "round {round} (killed after {delay:?}): the output is neither the old nor the new site");
    }
    // Leftovers of killed builds never block the next one.
    assert!(build().status.success());
    let names: Vec<String> = std::fs::read_dir(site.tmp())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("etalage-old")),
        "{names:?}"
    );
}
