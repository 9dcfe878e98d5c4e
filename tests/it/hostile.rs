//! Hostile and huge content: each input either builds or gets a clear, located error, within
//! bounded time and memory. The inputs are generated here (nothing big is committed) and each
//! build runs the `etalage` binary in a child process, so its peak memory is its own: the child
//! runs under an address-space limit and is killed at a deadline; its peak resident set comes
//! from `wait4`. The bounds are the ones README.md states under "Limits", with room for a debug
//! build on a busy two-core machine.

use std::fs;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{fixture, Site};

/// Wall-clock bound of one build of hostile content (debug binary, tests running in parallel).
const DEADLINE: Duration = Duration::from_secs(120);
/// Peak resident memory bound of one build, in MiB.
const PEAK_RSS_MIB: u64 = 2048;
/// Address-space limit of the child: a runaway allocation fails instead of taking the machine.
const ADDRESS_SPACE_GIB: u64 = 16;

const PRACTICE: &str = "content/practices/haarlem-samen.md";

/// What a bounded run of the binary gave.
struct Run {
    code: i32,
    stderr: String,
    elapsed: Duration,
    peak_rss_mib: u64,
}

/// Runs `etalage build` on `site` in a child process, within [`DEADLINE`] and the memory limits.
// The child is reaped by `wait4` (for its peak memory), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn build(site: &Site, case: &str) -> Run {
    let out = site.tmp().join("out");
    let stderr_path = site.tmp().join("stderr.txt");
    let stderr = fs::File::create(&stderr_path).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_etalage"));
    cmd.arg("build")
        .arg("--root")
        .arg(&site.root)
        .arg("--output")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = ADDRESS_SPACE_GIB << 30;
            let rl = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our own child, not yet reaped.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(r >= 0, "wait4: {}", std::io::Error::last_os_error());
        if r == pid {
            break (status, usage);
        }
        if start.elapsed() > DEADLINE {
            // SAFETY: killing and reaping our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            panic!("{case}: the build took longer than {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    assert!(
        libc::WIFEXITED(status),
        "{case}: the build died (signal {}); stderr:\n{}",
        libc::WTERMSIG(status),
        tail(&stderr)
    );
    let run = Run {
        code: libc::WEXITSTATUS(status),
        stderr,
        elapsed,
        // ru_maxrss is in KiB on Linux.
        peak_rss_mib: usage.ru_maxrss as u64 / 1024,
    };
    eprintln!(
        "{case}: exit {} in {:.2?}, peak RSS {} MiB",
        run.code, run.elapsed, run.peak_rss_mib
    );
    assert!(
        run.peak_rss_mib <= PEAK_RSS_MIB,
        "{case}: peak RSS {} MiB exceeds {PEAK_RSS_MIB} MiB",
        run.peak_rss_mib
    );
    run
}

/// The last lines of a long text, for failure messages.
fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let from = lines.len().saturating_sub(20);
    lines[from..]
        .iter()
        .map(|l| l.chars().take(300).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn assert_built(run: &Run, case: &str) {
    assert_eq!(
        run.code,
        0,
        "{case}: expected a build; stderr:\n{}",
        tail(&run.stderr)
    );
}

/// Asserts a content error (exit 1) whose message starts with `location` (`path:line:col`
/// or `path:line:`) and contains `message`.
#[track_caller]
fn assert_error(run: &Run, case: &str, location: &str, message: &str) {
    assert_eq!(
        run.code,
        1,
        "{case}: expected content errors; stderr:\n{}",
        tail(&run.stderr)
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(location) && l.contains("error:") && l.contains(message)),
        "{case}: no error at {location} containing {message:?}; stderr:\n{}",
        tail(&run.stderr)
    );
}

/// The small fixture site with the practice's body replaced by `body`.
fn with_body(body: &str) -> Site {
    let site = fixture("pages/small");
    let text = site.read(PRACTICE);
    let end = text[3..].find("\n---\n").unwrap() + 3 + "\n---\n".len();
    let mut new = String::with_capacity(end + body.len());
    new.push_str(&text[..end]);
    new.push_str(body);
    site.write(PRACTICE, new);
    site
}

/// The practice's front matter line `from` replaced by `to`.
fn with_front_matter(from: &str, to: &str) -> Site {
    let site = fixture("pages/small");
    let text = site.read(PRACTICE);
    assert!(text.contains(from), "{from}");
    site.write(PRACTICE, text.replacen(from, to, 1));
    site
}

#[test]
fn a_50_mb_body_builds() {
    let mut body = String::with_capacity(51 << 20);
    let mut i = 0;
    while body.len() < 50 << 20 {
        // Repeated headings (ids made unique), paragraphs, emphasis, links, lists, code.
        body.push_str(&format!(
            "## Aanpak\n\nDe gemeente *begon* in {i} met een **sluitende** aanpak; zie \
             [de wet](https://wetten.overheid.nl/) en [Zwolle](zwolle-werkloket.md).\n\n\
             - eerste punt {i}\n- tweede punt met `code`\n\n\
             > Een citaat van een klant, nummer {i}.\n\n\
             Een lange alinea over re-integratie, werkgevers en begeleiding die maar doorgaat \
             en doorgaat, zodat de tekst echt groot wordt en de index veel woorden krijgt.\n\n"
        ));
        i += 1;
    }
    let site = with_body(&body);
    let run = build(&site, "50 MB body");
    assert_built(&run, "50 MB body");
    let page = site.tmp().join("out/praktijken/haarlem-samen/index.html");
    assert!(fs::metadata(page).unwrap().len() > 50 << 20);
}

/// The error for a body nesting deeper than `etalage::markdown::MAX_NESTING`, at line
/// `line_in_body` (0-based) of the body.
#[track_caller]
fn assert_too_deep(run: &Run, case: &str, site: &Site, line_in_body: usize) {
    let text = site.read(PRACTICE);
    let fence = text[3..].find("\n---\n").unwrap() + 3;
    let body_line = text[..fence].matches('\n').count() + 3;
    assert_error(
        run,
        case,
        &format!("{PRACTICE}:{}:", body_line + line_in_body),
        "more than 256 levels deep here; flatten it",
    );
}

#[test]
fn ten_thousand_nested_list_levels_are_a_located_error() {
    for (case, body) in [
        ("nested lists", format!("{}diep\n", "- ".repeat(10_000))),
        (
            "a million nested lists",
            format!("{}diep\n", "- ".repeat(1_000_000)),
        ),
        (
            "nested lists with raw HTML",
            format!("{}diep\n\n<b>vet</b>\n", "- ".repeat(10_000)),
        ),
        (
            "indented nested lists",
            (0..10_000)
                .map(|i| format!("{}- niveau {i}\n", "  ".repeat(i)))
                .collect(),
        ),
    ] {
        let site = with_body(&body);
        let run = build(&site, case);
        // Indented, each level is a line, and level 128 is 257 elements deep.
        let line = if case.starts_with("indented") { 128 } else { 0 };
        assert_too_deep(&run, case, &site, line);
    }
}

#[test]
fn ten_thousand_nested_block_quotes_are_a_located_error() {
    for (case, body) in [
        ("nested quotes", format!("{}diep\n", "> ".repeat(10_000))),
        (
            "nested quotes unspaced",
            format!("{} diep\n", ">".repeat(10_000)),
        ),
        (
            "nested quotes with raw HTML",
            format!("{}diep <i>schuin</i>\n", "> ".repeat(10_000)),
        ),
        (
            "nested raw HTML",
            format!(
                "{}diep{}\n",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            ),
        ),
        (
            "a million nested raw HTML elements",
            format!("{}diep\n", "<div>".repeat(1_000_000)),
        ),
    ] {
        let site = with_body(&body);
        let run = build(&site, case);
        // Indented, each level is a line, and level 128 is 257 elements deep.
        let line = if case.starts_with("indented") { 128 } else { 0 };
        assert_too_deep(&run, case, &site, line);
    }
}

#[test]
fn nesting_just_within_the_limit_builds_in_bulk() {
    // 200 levels of raw HTML (the sanitizer's worst case), repeated to 20 MB.
    let block = format!(
        "<div>{}tekst{}</div>\n\n",
        "<span>".repeat(200),
        "</span>".repeat(200)
    );
    let body = block.repeat((20 << 20) / block.len());
    let site = with_body(&body);
    let run = build(&site, "20 MB of HTML nested 200 deep");
    assert_built(&run, "20 MB of HTML nested 200 deep");
    // 120 levels of lists in Markdown.
    let site = with_body(&format!("{}diep\n", "- ".repeat(120)));
    let run = build(&site, "120 nested lists");
    assert_built(&run, "120 nested lists");
}

#[test]
fn a_yaml_alias_bomb_is_a_located_error() {
    // Billion laughs: nine levels of ten aliases each (10^9 strings if expanded), in keys the
    // schema knows, with valid values at the bottom so that reading goes as deep as it can.
    let mut bomb =
        String::from("legal_framework: &l0 [abw, abw, abw, abw, abw, abw, abw, abw, abw, abw]\n");
    let keys = [
        "target_groups",
        "themes",
        "instruments",
        "related",
        "partners",
        "results",
        "sources",
        "awards",
    ];
    for (n, key) in keys.iter().enumerate() {
        let aliases = vec![format!("*l{n}"); 10].join(", ");
        bomb.push_str(&format!("{key}: &l{} [{aliases}]\n", n + 1));
    }
    let head = "---\ntitle: Lachen\nsummary: Een miljard keer lol.\nmunicipality: Haarlem\nperiod: { start: 1997 }\nstatus: lopend\n";
    let site = fixture("pages/small");
    site.write(PRACTICE, format!("{head}{bomb}---\n\nTekst.\n"));
    let run = build(&site, "alias bomb");
    // `target_groups` (line 8) is a list of lists where strings are expected.
    assert_error(
        &run,
        "alias bomb",
        &format!("{PRACTICE}:8:"),
        "expected text, found a list",
    );
    // The same bomb before a syntax error: the error names the syntax, not the bomb.
    site.write(PRACTICE, format!("{head}{bomb}title: [\n---\n\nTekst.\n"));
    let run = build(&site, "alias bomb and a syntax error");
    assert_error(
        &run,
        "alias bomb and a syntax error",
        &format!("{PRACTICE}:1"),
        "",
    );
    assert!(
        !run.stderr.contains(&format!("{PRACTICE}:1:1:")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("repetition"), "{}", run.stderr);
}

#[test]
fn a_1_mb_front_matter_value_is_a_length_error() {
    let title = "x".repeat(1 << 20);
    let site = with_front_matter("title: Project SAMEN", &format!("title: {title}"));
    let run = build(&site, "1 MB title");
    assert_error(
        &run,
        "1 MB title",
        &format!("{PRACTICE}:2:8:"),
        "`title` is 1048576 characters long; at most 120 are allowed",
    );
}

#[test]
fn a_million_row_table_builds() {
    let mut body = String::from("| jaar | aantal |\n|---|---:|\n");
    for i in 0..1_000_000 {
        body.push_str(&format!("| {} | {i} |\n", 1990 + i % 40));
    }
    let site = with_body(&body);
    let run = build(&site, "million-row table");
    assert_built(&run, "million-row table");
}

#[test]
fn a_file_named_with_spaces_and_cyrillic_is_a_located_slug_error() {
    let site = fixture("pages/small");
    let name = "content/practices/Вода и werk.md";
    site.write(name, site.read(PRACTICE));
    let run = build(&site, "non-Latin file name");
    assert_error(
        &run,
        "non-Latin file name",
        &format!("{name}:1:1:"),
        "`Вода и werk` is not a valid slug",
    );
    // With a valid `slug:` the same file builds.
    let text = site.read(PRACTICE).replacen(
        "title: Project SAMEN",
        "title: Water en werk\nslug: water-en-werk",
        1,
    );
    site.write(name, text);
    let run = build(&site, "non-Latin file name with a slug");
    assert_built(&run, "non-Latin file name with a slug");
    assert!(site
        .tmp()
        .join("out/praktijken/water-en-werk/index.html")
        .is_file());
}

#[test]
fn a_symlink_out_of_the_site_is_a_located_error() {
    let site = fixture("pages/small");
    let outside = site.tmp().join("geheim.md");
    fs::write(&outside, site.read(PRACTICE)).unwrap();
    let link = "content/practices/geheim.md";
    std::os::unix::fs::symlink(&outside, site.path(link)).unwrap();
    let run = build(&site, "symlink");
    assert_error(&run, "symlink", &format!("{link}:1:1:"), "symbolic link");
    assert!(!site.tmp().join("out/praktijken/geheim").exists());
}
