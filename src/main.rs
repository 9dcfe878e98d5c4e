//! The `etalage` command: parses arguments, calls the library, prints diagnostics, picks the
//! exit code (0 success, 1 content errors, 2 usage or I/O errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use etalage::{Diagnostic, Error, Options};

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
        /// The output folder (default: `output_dir` from site.toml, normally `public/`).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Publish drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// Validate everything and report problems; writes nothing.
    Check {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as if drafts were published.
        #[arg(long)]
        drafts: bool,
    },
}

fn print_all(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    format!("{errors} error(s), {warnings} warning(s)")
}

fn fail(e: Error) -> ExitCode {
    match &e {
        Error::Content(diags) => {
            print_all(diags);
            eprintln!(
                "error: build failed: {}; the previous output was left as it was",
                summary(diags)
            );
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
        } => {
            let options = Options {
                drafts,
                ..Options::default()
            };
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
                Err(e) => fail(e),
            }
        }
        Command::Check { root, drafts } => {
            let options = Options {
                drafts,
                ..Options::default()
            };
            match etalage::check(&root, &options) {
                Ok(warnings) => {
                    print_all(&warnings);
                    println!("no errors ({})", summary(&warnings));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}
