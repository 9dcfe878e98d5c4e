//! The `etalage` command: parses arguments, calls the library, prints diagnostics, picks the
//! exit code (0 success, 1 content errors, 2 usage or I/O errors).

mod build_watch;
mod changes;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use etalage::{Diagnostic, Error, Options};

/// mimalloc instead of the system allocator (see `etalage::alloc`).
#[global_allocator]
static ALLOCATOR: etalage::alloc::Mimalloc = etalage::alloc::Mimalloc;

/// mimalloc's `purge_delay` option (number 15 of its `mi_option_e` in v2 and v3; the Rust
/// bindings leave the name out): how many milliseconds freed memory waits before it is
/// returned to the OS, -1 for never.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory is kept for reuse before it goes back to the OS. A build keeps it to
/// the end (`None`): returning memory only to fault it in again, zeroed, cost about 1.5 s of a
/// 10k `check`'s 5.4 s in the kernel. The dev server keeps it while it builds the whole site,
/// then for a few seconds (`Some(ms)`): long enough that memory freed by one rebuild is reused
/// by the next save's, short enough that an idle server gives it back.
pub fn keep_freed_memory(for_ms: Option<u32>) {
    let delay = for_ms.map_or(-1, std::ffi::c_long::from);
    // SAFETY: sets one process-wide allocator option, which mimalloc reads atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) }
}

/// How long memory freed by a rebuild is kept for the next one, by the dev server and
/// `build --watch` (see `keep_freed_memory`).
pub const KEEP_FREED_MS: u32 = 5_000;

/// Lowers the CPU priority of the calling thread (and the threads it starts) on Linux: the idle
/// scheduling class, which runs only on CPU time nothing else wants, so indexing never slows a
/// rebuild; nice 10 where that class is refused.
pub(crate) fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: both calls with `pid`/`who` 0 change only the calling thread; `param` is a valid
    // pointer to a zeroed `sched_param` (priority 0, as SCHED_IDLE requires) for the call.
    unsafe {
        let param: libc::sched_param = std::mem::zeroed();
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
        }
    }
}

/// Static site generator for showcases of good practices in getting people back to work.
#[derive(Parser)]
#[command(name = "etalage", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the site and write it to the output folder.
    Build {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder (default: `output_dir` from site.toml, normally `public/`; for a
        /// jury build `public-jury-<award>-<edition>/`).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Publish drafts too.
        #[arg(long)]
        drafts: bool,
        /// Build a private site for the jury of one award edition (`werksleutel/2002`): with
        /// that edition's unpublished entries, every page `noindex`, no feed or sitemap.
        #[arg(long, value_name = "AWARD/EDITION")]
        jury: Option<etalage::jury::JuryScope>,
        /// Keep running and build again after every change of the sources, writing only the
        /// files that changed. A build with errors reports them and publishes nothing.
        #[arg(long, short)]
        watch: bool,
        #[command(flatten)]
        date: BuildDate,
    },
    /// Build the site in memory and serve it with live reload; rebuilds on every save.
    Serve {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; the next free one is taken if it is in use.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but a loopback address exposes drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Leave drafts out, as a build without `--drafts` does. Without it, drafts are served:
        /// an editor previews a write-up before it is published.
        #[arg(long)]
        no_drafts: bool,
        /// Drafts are served without it; kept so that older scripts still run.
        #[arg(long, hide = true)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        date: BuildDate,
    },
    /// Start a new write-up with every key explained; never overwrites a file.
    New {
        #[command(subcommand)]
        what: NewWhat,
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
    },
    /// Print the JSON Schema (draft 2020-12) of front matter, with the site's vocabularies.
    Schema {
        /// Which front matter.
        #[arg(value_enum, default_value_t = SchemaKind::Practice)]
        kind: SchemaKind,
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Validate everything and report problems; writes nothing.
    Check {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as if drafts were published.
        #[arg(long)]
        drafts: bool,
        /// Check what the jury build of one award edition would publish (`werksleutel/2002`),
        /// with the jury's warnings for its entries.
        #[arg(long, value_name = "AWARD/EDITION")]
        jury: Option<etalage::jury::JuryScope>,
        #[command(flatten)]
        date: BuildDate,
    },
}

/// The build's date: what has expired by then (a recognition's `valid_until`) is shown as
/// expired. The one input of a build that is not in the site folder, so it is explicit.
#[derive(clap::Args)]
struct BuildDate {
    /// The build's date (default: `SOURCE_DATE_EPOCH` if set, else today, UTC). Recognitions
    /// valid until before it are shown as expired; give it to reproduce an earlier build.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = full_date)]
    date: Option<etalage::date::PartialDate>,
}

impl BuildDate {
    /// The date given, or `SOURCE_DATE_EPOCH`'s day, or the day the command runs (UTC).
    fn resolve(self) -> Result<etalage::date::PartialDate, String> {
        if let Some(d) = self.date {
            return Ok(d);
        }
        let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) => v.trim().parse::<i64>().map_err(|_| {
                format!("SOURCE_DATE_EPOCH must be a number of seconds since 1970, not `{v}`")
            })?,
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        };
        Ok(etalage::date::PartialDate::from_unix_days(
            seconds.div_euclid(86_400),
        ))
    }
}

/// A `--date` value: a full ISO date.
fn full_date(s: &str) -> Result<etalage::date::PartialDate, String> {
    let d: etalage::date::PartialDate = s.parse()?;
    match d.day {
        Some(_) => Ok(d),
        None => Err(format!("`{s}` is not a full date: expected YYYY-MM-DD")),
    }
}

/// The build's date, or the exit code of a bad `SOURCE_DATE_EPOCH`.
fn build_date(date: BuildDate) -> Result<etalage::date::PartialDate, ExitCode> {
    date.resolve().map_err(|m| {
        eprintln!("error: {m}");
        ExitCode::from(2)
    })
}

/// The options of `build` and `check`.
fn options(
    drafts: bool,
    jury: Option<etalage::jury::JuryScope>,
    date: BuildDate,
) -> Result<Options, ExitCode> {
    Ok(Options {
        drafts,
        jury,
        today: Some(build_date(date)?),
        ..Options::default()
    })
}

#[derive(Subcommand)]
enum NewWhat {
    /// A practice: content/practices/<slug>.md
    Practice {
        slug: String,
        #[arg(long)]
        title: Option<String>,
    },
    /// An award: content/awards/<slug>.md
    Award {
        slug: String,
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SchemaKind {
    Practice,
    Award,
}

/// Prints diagnostics to stderr in one buffered write (thousands of warnings stay cheap).
fn print_all(diags: &[Diagnostic]) {
    use std::io::Write;
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
    let _ = err.flush();
}

/// Prints the warnings `before` did not have (all of them without `before`) and counts the
/// others, so a site with many warnings does not flood the terminal on every rebuild.
fn print_new_warnings(warnings: &[Diagnostic], before: Option<&[Diagnostic]>) {
    let (new, same) = new_warnings(warnings, before);
    use std::io::Write;
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for d in new {
        let _ = writeln!(err, "{d}");
    }
    if same > 0 {
        let _ = writeln!(err, "{same} warning(s) as before");
    }
    let _ = err.flush();
}

/// The warnings `before` did not have, in order, and how many it had.
fn new_warnings<'a>(
    warnings: &'a [Diagnostic],
    before: Option<&[Diagnostic]>,
) -> (Vec<&'a Diagnostic>, usize) {
    match before {
        // Most saves leave the warnings as they were: one walk, no set.
        Some(before) if before == warnings => (Vec::new(), before.len()),
        before => {
            let before: std::collections::HashSet<&Diagnostic> =
                before.into_iter().flatten().collect();
            let (same, new): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
                warnings.iter().partition(|w| before.contains(w));
            (new, same.len())
        }
    }
}

/// The last line of a build that failed on its content.
fn build_failed(diags: &[Diagnostic]) -> String {
    format!(
        "error: build failed: {}; nothing was published (the output folder is as it was)",
        summary(diags)
    )
}

fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    format!("{errors} error(s), {warnings} warning(s)")
}

fn fail(e: Error, building: bool) -> ExitCode {
    match &e {
        Error::Content(diags) => {
            print_all(diags);
            if building {
                eprintln!("{}", build_failed(diags));
            } else {
                eprintln!("error: {}", summary(diags));
            }
            ExitCode::from(1)
        }
        Error::Template(_) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        _ => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Asks Linux not to back this process's memory with transparent huge pages. Faulting in a
/// 2 MB page zeroes all of it however little is used, and with the allocator's many partly used
/// pages that cost more than it saved: a 10k `check` peaks at 549 instead of 622 MB, a 100k
/// `check` spends 5.8 instead of 14 s in the kernel (bench/README.md). Elsewhere a no-op.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes an integer flag and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory(None);
    }
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            jury,
            watch,
            date,
        } => {
            let options = match options(drafts, jury, date) {
                Ok(o) => o,
                Err(code) => return code,
            };
            if watch {
                return build_watch::run(&root, output.as_deref(), &options);
            }
            match etalage::build(&root, output.as_deref(), &options) {
                Ok(report) => {
                    print_all(&report.warnings);
                    println!(
                        "built {} pages ({} files) into {} in {} ms",
                        report.pages,
                        report.files,
                        report.output_dir.display(),
                        report.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, true),
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            no_drafts,
            drafts: _,
            open,
            date,
        } => {
            let today = match build_date(date) {
                Ok(d) => d,
                Err(code) => return code,
            };
            match serve::run(serve::ServeOptions {
                root,
                port,
                bind,
                drafts: !no_drafts,
                open,
                today,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New { what, root } => {
            let (kind, slug, title) = match what {
                NewWhat::Practice { slug, title } => (etalage::NewKind::Practice, slug, title),
                NewWhat::Award { slug, title } => (etalage::NewKind::Award, slug, title),
            };
            match etalage::new_write_up(&root, kind, &slug, title.as_deref()) {
                Ok(path) => {
                    println!(
                        "created {}; fill in every TODO, then run `etalage check`",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, false),
            }
        }
        Command::Schema { kind, root } => {
            let kind = match kind {
                SchemaKind::Practice => etalage::schema::Kind::Practice,
                SchemaKind::Award => etalage::schema::Kind::Award,
            };
            match etalage::schema(&root, kind) {
                Ok(schema) => {
                    use std::io::Write;
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let _ = writeln!(
                        std::io::stdout().lock(),
                        "{}",
                        serde_json::to_string_pretty(&schema).unwrap_or_default()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, false),
            }
        }
        Command::Check {
            root,
            drafts,
            jury,
            date,
        } => {
            let options = match options(drafts, jury, date) {
                Ok(o) => o,
                Err(code) => return code,
            };
            match etalage::check(&root, &options) {
                Ok(warnings) => {
                    print_all(&warnings);
                    println!("no errors ({})", summary(&warnings));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, false),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use etalage::Location;

    #[test]
    fn a_report_prints_only_the_warnings_that_are_new() {
        let warn = |line, text: &str| {
            Diagnostic::warning(Location::new("content/practices/a.md", line, 1), text)
        };
        let first = vec![warn(2, "a"), warn(3, "b")];
        assert_eq!(new_warnings(&first, None), (first.iter().collect(), 0));
        assert_eq!(new_warnings(&first.clone(), Some(&first)), (vec![], 2));
        let next = vec![warn(2, "a"), warn(4, "c"), warn(3, "b")];
        assert_eq!(new_warnings(&next, Some(&first)), (vec![&warn(4, "c")], 2));
    }
}
