//! Generates a synthetic etalage site for benchmarks, deterministic from a seed.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --practices 1000 --out /dev/shm/etalage-1k [--seed 1]
//! cargo run --release --example gen_corpus -- --to-hugo /dev/shm/etalage-1k --out /dev/shm/hugo-1k
//! ```
//!
//! The first form writes a complete site (see `bench/corpus.rs`); the second converts such a site
//! into an equivalent Hugo site using the layouts in `bench/hugo/` (see `bench/to_hugo.rs`).
//! `--force` replaces an existing output folder.

#[path = "../bench/corpus.rs"]
mod corpus;
#[path = "../bench/to_hugo.rs"]
mod to_hugo;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn usage() -> ExitCode {
    eprintln!(
        "usage: gen_corpus --practices N --out DIR [--seed S] [--force]\n       \
         gen_corpus --to-hugo SITE --out DIR [--force]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut practices: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 1;
    let mut force = false;
    let mut hugo_from: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--practices" => match args.next().and_then(|v| v.replace('_', "").parse().ok()) {
                Some(n) => practices = Some(n),
                None => return usage(),
            },
            "--out" => out = args.next().map(PathBuf::from),
            "--seed" => match args.next().and_then(|v| v.parse().ok()) {
                Some(s) => seed = s,
                None => return usage(),
            },
            "--to-hugo" => hugo_from = args.next().map(PathBuf::from),
            "--force" => force = true,
            "-h" | "--help" => {
                usage();
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    let Some(out) = out else { return usage() };
    if out.exists() && std::fs::read_dir(&out).map_or(true, |mut d| d.next().is_some()) {
        if !force {
            eprintln!(
                "error: {} exists and is not empty (use --force to replace it)",
                out.display()
            );
            return ExitCode::from(2);
        }
        if let Err(e) = std::fs::remove_dir_all(&out) {
            eprintln!("error: cannot remove {}: {e}", out.display());
            return ExitCode::from(2);
        }
    }
    let start = Instant::now();
    let repo = corpus::repo_root();
    if let Some(site) = hugo_from {
        return match to_hugo::convert(&repo, &site, &out) {
            Ok(n) => {
                println!(
                    "converted {n} practices from {} into the Hugo site {} in {} ms",
                    site.display(),
                    out.display(),
                    start.elapsed().as_millis()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    let Some(n) = practices else { return usage() };
    let bundled = match corpus::Bundled::read(&repo) {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "error: reading the bundled content in {}: {e}",
                repo.display()
            );
            return ExitCode::from(1);
        }
    };
    match corpus::generate(&bundled, &out, n, seed) {
        Ok(s) => {
            println!(
                "generated {} practices ({} drafts, {} with awards, {} with recognitions, \
                 body {}–{} words, {:.1} MB) into {} in {} ms",
                s.practices,
                s.drafts,
                s.with_awards,
                s.with_recognitions,
                s.words_min,
                s.words_max,
                s.bytes as f64 / 1e6,
                out.display(),
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
