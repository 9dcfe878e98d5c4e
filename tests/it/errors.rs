//! Every class of user-facing error: the full diagnostic list is snapshotted, and each test
//! asserts that the error points at the offending key or value (found in the fixture text, so
//! the expectation cannot drift from the file).

use insta::assert_snapshot;

use crate::harness::{assert_error_at, assert_warning_at, fixture, lines, Site};
use etalage::Diagnostic;

const HAARLEM: &str = "content/practices/haarlem.md";

fn case(name: &str) -> (Site, Vec<Diagnostic>) {
    let site = fixture(&format!("errors/{name}"));
    let diags = site.errors();
    (site, diags)
}

#[test]
fn unknown_top_level_key_suggests_the_nearest() {
    let (site, diags) = case("unknown-key");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|partnrs:"),
        "unknown key `partnrs` (did you mean `partners`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn an_unknown_key_does_not_hide_wrong_values_in_the_same_file() {
    let (site, diags) = case("unknown-key-and-bad-values");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|instrumenten:"),
        "unknown key `instrumenten` (did you mean `instruments`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "status: |lopnd"),
        "unknown value `lopnd` (did you mean `lopend`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "role: |trekkker"),
        "unknown value `trekkker` (did you mean `trekker`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |veel"),
        "expected a number, found the text \"veel\"",
    );
    assert_eq!(diags.len(), 4, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_value_that_stops_the_file_does_not_hide_its_other_mistakes() {
    let (site, diags) = case("bad-value-and-vocabulary");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "start: |negentig"),
        "`negentig` is not a valid date",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "municipality: |Harlem"),
        "`Harlem` is not a municipality in content/data/municipalities.yaml (did you mean `Haarlem`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "bijstand, |jongren"),
        "unknown target_groups key `jongren`",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "[|machting]"),
        "unknown themes key `machting` (did you mean `matching`?)",
    );
    // A value still to be filled in is reported as such, not also as an unknown key.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "[|TODO]"),
        "item 1 of `instruments` still has to be filled in",
    );
    // The checks that need the whole file run on what could be read of it.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |1.550"),
        "`1.550` is read as 1.55",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "of: |klantn"),
        "no result in this file has the id `klantn` (did you mean `klanten`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "source: |s2"),
        "unknown source `s2`",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|zwolle-werkloket]"),
        "no practice has the slug `zwolle-werkloket`",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|[Zwolle](zwole.md)"),
        "the link target `zwole.md` is not a practice, award or page in content/",
    );
    // Nothing that follows from the unreadable start: its period is not compared with 1990.
    assert!(
        !diags.iter().any(|d| d.message.contains("before it starts")),
        "{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn every_missing_required_key_is_named_in_one_run() {
    let (site, diags) = case("title-only");
    let at = site.locate(HAARLEM, "|title:");
    for key in [
        "summary",
        "municipality",
        "period",
        "status",
        "target_groups",
        "themes",
        "partners",
        "sources",
    ] {
        assert_error_at(&diags, &at, &format!("required key `{key}` is missing"));
    }
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_nested_keys_in_partners_and_results() {
    let (site, diags) = case("unknown-nested-key");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|rol: trekker"),
        "unknown key `rol` (did you mean `role`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|sorce: s1"),
        "unknown key `sorce` (did you mean `source`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn yaml_syntax_error() {
    let (site, diags) = case("yaml-syntax");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "Aanpak|: direct"),
        "a colon and a space inside a value start a new key: put the value in quotes, `summary: \"Aanpak: direct een traject: meteen aan de slag.\"`",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let (site, diags) = case("yaml-unclosed-quote");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "title: |\"Werkplaats"),
        "the quote \" that opens this value is not closed: add \" at the end of the value",
    );
    assert_eq!(diags.len(), 1, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_missing_space_and_a_deeper_line_are_named_in_plain_words() {
    let (site, diags) = case("yaml-slips");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|status:lopend"),
        "a key needs a space after its colon: write `status: lopend`",
    );
    assert!(
        diags
            .iter()
            .any(|d| d.location.path == "content/practices/zwolle.md"
                && d.message
                    .starts_with("this line is indented further than the line above it")),
        "{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn text_after_a_closing_quote_and_a_tag_are_named_in_plain_words() {
    let (site, diags) = case("yaml-quote-slips");
    let at = |file: &str, needle: &str| site.locate(&format!("content/practices/{file}"), needle);
    assert_error_at(
        &diags,
        &at("dubbel.md", "title: |\"Werk\" eerst"),
        "text follows the closing \" of this value: put the whole value in quotes of the other kind, `title: '\"Werk\" eerst'`",
    );
    assert_error_at(
        &diags,
        &at("enkel.md", "title: |'Werk' eerst"),
        "text follows the closing ' of this value: put the whole value in quotes of the other kind, `title: \"'Werk' eerst\"`",
    );
    assert_error_at(
        &diags,
        &at("tag.md", "title: |!Werk"),
        "a value cannot start with `!` unless it is in quotes: write `title: \"!Werk\"`",
    );
    assert_eq!(diags.len(), 3, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_value_starting_with_a_yaml_indicator_is_asked_to_be_quoted() {
    let (site, diags) = case("yaml-indicator-slips");
    let cases = [
        ("apenstaart", "@Werk eerst", "\"@Werk eerst\""),
        ("backtick", "`Werk`", "\"`Werk`\""),
        ("procent", "% uitstroom", "\"% uitstroom\""),
        ("alias", "*werk", "\"*werk\""),
        ("anker", "&werk x", "\"&werk x\""),
        ("streepje", "- Werk", "\"- Werk\""),
        ("lijst", "[Werk] eerst", "\"[Werk] eerst\""),
        ("accolade", "{Werk} eerst", "\"{Werk} eerst\""),
        ("blok", "|Werk", "\"|Werk\""),
        ("gevouwen", ">Werk", "\">Werk\""),
    ];
    for (file, value, quoted) in cases {
        let first = value.chars().next().unwrap();
        assert_error_at(
            &diags,
            &site.locate(
                &format!("content/practices/{file}.md"),
                &format!("title: |{value}"),
            ),
            &if first == '`' {
                format!("a value cannot start with `` ` `` unless it is in quotes: write `` title: {quoted} ``")
            } else {
                format!("a value cannot start with `{first}` unless it is in quotes: write `title: {quoted}`")
            },
        );
    }
    // Valid flow values and a block scalar written correctly are not touched.
    assert!(
        !diags.iter().any(|d| d.location.path.ends_with("goed.md")),
        "{}",
        lines(&diags)
    );
    assert_eq!(diags.len(), cases.len(), "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_key_one_column_short_in_a_list_item_is_aligned_with_the_key_above() {
    let (site, diags) = case("yaml-short-indent");
    assert_error_at(
        &diags,
        &site.locate("content/practices/zwolle.md", "   |role: trekker"),
        "`role` is indented 3 spaces; to belong to the entry above, align it with `name` (4 spaces)",
    );
    assert_eq!(diags.len(), 1, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn unclosed_flow_sequence_is_a_syntax_error() {
    let (_, diags) = case("yaml-unclosed-flow");
    assert!(
        diags.iter().any(|d| d.is_error()
            && d.location.path == HAARLEM
            && d.message.contains("did not find expected ',' or ']'")),
        "{}",
        lines(&diags)
    );
}

#[test]

fn unclosed_flow_sequence_points_at_its_opening_bracket() {
    let (site, diags) = case("yaml-unclosed-flow");
    let opening = site.locate(HAARLEM, "themes: |[matching");
    let line = opening.split(':').nth(1).unwrap().to_string();
    for d in &diags {
        assert!(
            !d.message.contains(" at line "),
            "the message repeats a position: {d}"
        );
    }
    assert!(
        diags
            .iter()
            .any(|d| d.location.to_string() == opening
                || d.message.contains(&format!("line {line}"))),
        "nothing points at the unclosed `[` ({opening}):\n{}",
        lines(&diags)
    );
}

#[test]
fn duplicate_key_names_the_first_line() {
    let (site, diags) = case("duplicate-key");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|title: Nogmaals"),
        "duplicate key `title` (first given on line 2)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn missing_closing_fence() {
    let (_, diags) = case("missing-closing-fence");
    assert_error_at(
        &diags,
        &format!("{HAARLEM}:1:1"),
        "the front matter opened here is never closed",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn missing_opening_fence() {
    let (_, diags) = case("missing-opening-fence");
    assert_error_at(
        &diags,
        &format!("{HAARLEM}:1:1"),
        "the file must start with a line `---`",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn empty_file() {
    let (site, diags) = case("empty-file");
    assert_eq!(site.read(HAARLEM), "", "the fixture must be empty");
    assert_error_at(&diags, &format!("{HAARLEM}:1:1"), "the file is empty");
    assert_snapshot!(lines(&diags));
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let site = fixture("errors/invalid-utf8");
    // The editor saved the file as Latin-1: "Café" becomes the single byte 0xE9.
    let text = site.read(HAARLEM);
    assert!(text.contains("Café"));
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    site.write(HAARLEM, &latin1);
    let diags = site.errors();
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "Caf|\u{fffd}"),
        "the file is not valid UTF-8 text; save it with UTF-8 encoding",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_closed_enum_value_suggests_the_nearest() {
    let (site, diags) = case("unknown-enum");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "status: |lopnd"),
        "unknown value `lopnd` (did you mean `lopend`?); allowed: lopend, afgerond, gestopt, onbekend",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_nested_closed_enum_value_suggests_the_nearest() {
    let (_, diags) = case("unknown-enum-nested");
    assert!(
        diags.iter().any(|d| d.is_error()
            && d.location.path == HAARLEM
            && d.message
                .starts_with("unknown value `uitvoerdr` (did you mean `uitvoerder`?)")),
        "{}",
        lines(&diags)
    );
}

#[test]

fn unknown_nested_closed_enum_value_is_located_at_the_value() {
    let (site, diags) = case("unknown-enum-nested");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "role: |uitvoerdr"),
        "unknown value `uitvoerdr` (did you mean `uitvoerder`?)",
    );
    assert_snapshot!("unknown_nested_closed_enum_value", lines(&diags));
}

#[test]
fn bad_partial_date_is_rejected() {
    let (_, diags) = case("bad-partial-date");
    assert!(
        diags.iter().any(|d| d.is_error()
            && d.location.path == HAARLEM
            && d.message.starts_with("`2009-13` is not a valid date")),
        "{}",
        lines(&diags)
    );
}

#[test]

fn bad_partial_date_is_located_at_the_value() {
    let (site, diags) = case("bad-partial-date");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "end: |2009-13"),
        "`2009-13` is not a valid date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD",
    );
    assert_snapshot!("bad_partial_date", lines(&diags));
}

#[test]
fn unknown_vocabulary_keys_suggest_the_nearest() {
    let (site, diags) = case("unknown-vocabulary-key");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|sluitende-aanpk"),
        "unknown themes key `sluitende-aanpk` (did you mean `sluitende-aanpak`?); see content/data/themes.yaml",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|jobcoach]"),
        "unknown instruments key `jobcoach` (did you mean `jobcoaching`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_municipality_suggests_the_near_miss() {
    let (site, diags) = case("unknown-municipality");
    // Haarlemmermeer is in the list too: the nearest name must win.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "municipality: [|Haarlm"),
        "`Haarlm` is not a municipality in content/data/municipalities.yaml (did you mean `Haarlem`?)",
    );
    // A name two municipalities share: both, with their provinces.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|Bergen]"),
        "`Bergen` is not a municipality in content/data/municipalities.yaml (did you mean `Bergen (L.)` (Limburg) or `Bergen (NH.)` (Noord-Holland)?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn province_contradicting_the_lead_municipality() {
    let (site, diags) = case("province-contradiction");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "province: |Gelderland"),
        "`province: Gelderland` contradicts the lead municipality Zwolle (in Overijssel)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn result_base_referencing_a_missing_id() {
    let (site, diags) = case("result-of-missing-id");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "of: |klantn"),
        "no result in this file has the id `klantn` (did you mean `klanten`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_result_id_used_twice_is_one_error_and_bases_naming_it_say_nothing_more() {
    let (site, diags) = case("duplicate-result-id");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "- { id: |klanten, label: Trajecten"),
        "the result id `klanten` is used twice",
    );
    // Not "a result cannot be its own base", nor a base for "Aan het werk": which result
    // `klanten` means is what the editor must decide.
    assert_eq!(diags.len(), 1, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn results_that_cannot_be_true() {
    let (site, diags) = case("impossible-results");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |300"),
        "`300` personen is more than its base (238): a share cannot be larger than what it is a share of",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "unit: personen, of: |duur"),
        "the base `duur` is in dagen: a share of personen needs a base that counts people, trajectories or benefits",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |43.7"),
        "`43.7` personen is not a whole number: a count of personen has no fractions",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |150, unit: procent"),
        "`150` procent is more than the whole of its base: a share is at most 100 procent",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: 900, unit: euro, of: |afgesloten"),
        "the base `afgesloten` is in trajecten and this result in euro: a rate compares like with like",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "of: |12.5"),
        "the base `12.5` of a count of personen is not a whole number",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |-5"),
        "a result `value` must be a number of zero or more",
    );
    // Euro of euro may be more than its base (a saving larger than the cost); a base that is
    // not a number of zero or more is not also "zero".
    assert_eq!(diags.len(), 7, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn dutch_thousands_separators_in_numbers() {
    let (site, diags) = case("thousands-separator");
    // A count cannot be 1.55 people: an error.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "value: |1.550"),
        "`1.550` is read as 1.55: in front matter a dot is the decimal point; if you meant 1550, write `1550` without the thousands separator",
    );
    // A base of a count, written the same way.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "of: |1.200"),
        "`1.200` is read as 1.2: in front matter a dot is the decimal point; if you meant 1200, write `1200` without the thousands separator",
    );
    // Two separators do not read as a number at all.
    assert_error_at(
        &diags,
        &site.locate("content/practices/zwolle.md", "value: |12.500.000"),
        "expected a number, found the text \"12.500.000\" (write the number without thousands separators: `12500000`)",
    );
    // Euro 2.5 is possible: a warning.
    assert_warning_at(
        &diags,
        &site.locate(HAARLEM, "value: |2.500"),
        "`2.500` is read as 2.5: in front matter a dot is the decimal point; if you meant 2500, write `2500` without the thousands separator",
    );
    // A decimal that is not three digits is left alone, and so is a percentage (33.333).
    assert!(!lines(&diags).contains("1.5,"), "{}", lines(&diags));
    assert!(!lines(&diags).contains("33.333"), "{}", lines(&diags));
    // A base written that way is an error whatever the result's unit.
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "of: |1.000"),
        "`1.000` is read as 1: in front matter a dot is the decimal point",
    );
    // Two separators in a base: a hint rather than only "no such id".
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "of: |12.500.000"),
        "no result in this file has the id `12.500.000` (a number? write it without thousands separators: `12500000`)",
    );
    // A result whose base is such a slip gets no second error.
    assert!(
        !lines(&diags).contains("more than its base (1.55)"),
        "{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn the_same_award_edition_entered_twice() {
    let (site, diags) = case("duplicate-award-entry");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "edition: |\"2002\", rank: winnaar"),
        "the practice already entered `werksleutel` edition `2002` (line 14): one entry per edition, with its best rank",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn one_broken_file_gives_one_error_not_one_per_file_that_refers_to_it() {
    let site = fixture("errors/one-error-per-broken-file");
    // Saved as Latin-1: the practice cannot be read at all.
    let latin1: Vec<u8> = site
        .read(HAARLEM)
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    site.write(HAARLEM, &latin1);
    let diags = site.errors();
    let paths: Vec<&str> = diags.iter().map(|d| d.location.path.as_str()).collect();
    // Zwolle links to the practice, the award and the page, is related to the practice,
    // enters the award and uses a theme: none of that is an error of its own.
    assert_eq!(
        paths,
        [
            "content/awards/werksleutel.md",
            "content/data/themes.yaml",
            "content/pages/over.md",
            HAARLEM,
        ],
        "{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_common_name_of_a_municipality_points_at_its_official_name() {
    let (site, diags) = case("municipality-common-name");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "municipality: |Den Haag"),
        "`Den Haag` is not a municipality in content/data/municipalities.yaml (did you mean `'s-Gravenhage`? the official name)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_markdown_file_with_an_upper_case_extension_is_read() {
    // Not passed over in silence: read, and its name is not a valid slug.
    let (_, diags) = case("upper-case-extension");
    assert_error_at(
        &diags,
        "content/practices/Kopie.MD:1:1",
        "`Kopie` is not a valid slug: use lowercase letters, digits and `-` (set `slug:` or rename the file)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn an_editors_slips_are_named_in_their_words() {
    let (site, diags) = case("editor-slips");
    let at = |file: &str, needle: &str| site.locate(&format!("content/practices/{file}"), needle);
    assert_error_at(
        &diags,
        &at("comma.md", "value: |85,5"),
        "expected a number, found the text \"85,5\" (numbers take a decimal point: `85.5`)",
    );
    assert_error_at(
        &diags,
        &at("quoted.md", "value: |\"12\""),
        "expected a number, found the text \"12\" (write the number without quotes)",
    );
    assert!(
        diags.iter().any(|d| d.location.path.ends_with("tab.md")
            && d.message
                .ends_with("(this line has a tab: YAML indents and separates with spaces only)")),
        "{}",
        lines(&diags)
    );
    assert!(
        diags.iter().any(|d| d.location.path.ends_with("list.md")
            && d.message == "expected keys with values (`key: value`), found a list"),
        "{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_misspelt_link_suggests_the_file_meant() {
    let (site, diags) = case("misspelt-md-link");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|[Zwolle](zwole.md#aanpak)"),
        "the link target `zwole.md#aanpak` is not a practice, award or page in content/ (did you mean `zwolle.md`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn relative_links_and_images_without_text_are_reported() {
    let site = fixture("errors/relative-links");
    let diags = match site.check() {
        Err(etalage::Error::Content(d)) => d,
        other => panic!("expected content errors, got {other:?}"),
    };
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|[Zwolle](./zwolle)"),
        "the link target `./zwolle` is a relative path, which leads to no page of the site (did you mean `zwolle.md`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|![](foto.png)"),
        "the link target `foto.png` is a relative path",
    );
    assert_warning_at(
        &diags,
        &site.locate(HAARLEM, "|![](foto.png)"),
        "this image has no text alternative",
    );
    // A site path is not relative (and is given the site's base path).
    assert!(!diags.iter().any(|d| d.message.contains("logo.png")));
    assert_snapshot!(lines(&diags));
}

#[test]
fn every_bad_value_in_a_file_is_reported_in_one_run() {
    let (site, diags) = case("several-bad-values");
    for (needle, message) in [
        ("start: |2009-13", "2009-13"),
        ("status: |afgelopen", "unknown value `afgelopen`"),
        (
            "role: |uitvoering",
            "unknown value `uitvoering` (did you mean `uitvoerder`?)",
        ),
        (
            "value: |twaalf",
            "expected a number, found the text \"twaalf\"",
        ),
    ] {
        assert_error_at(&diags, &site.locate(HAARLEM, needle), message);
    }
    assert_eq!(diags.len(), 4, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn percentage_without_base() {
    let (site, diags) = case("procent-without-of");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|unit: procent"),
        "a percentage needs its base: add `of`",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_source_id() {
    let (site, diags) = case("unknown-source");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "source: |jaarverslg"),
        "unknown source `jaarverslg` (did you mean `jaarverslag`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_related_slug() {
    let (site, diags) = case("unknown-related");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|zwolle-werkloket]"),
        "no practice has the slug `zwolle-werkloket` (did you mean `zwolle-werkloket-de-lure`?)",
    );
    assert_eq!(
        diags.len(),
        1,
        "the existing slug is accepted:\n{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn unknown_award_and_unknown_edition() {
    let (site, diags) = case("unknown-award");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "award: |werksleutl"),
        "no award `werksleutl` in content/awards/ (did you mean `werksleutel`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "edition: |2003"),
        "the award `werksleutel` has no edition `2003` (did you mean `2002`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn duplicate_slug_across_two_files() {
    let (site, diags) = case("duplicate-slug");
    assert_error_at(
        &diags,
        &site.locate("content/practices/zwolle.md", "slug: |werkplaats"),
        "the practice slug `werkplaats` is already used by content/practices/haarlem.md",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn duplicate_slug_is_reported_at_the_slug_key_that_makes_it() {
    // `haarlem-kopie.md` comes first but takes the slug `haarlem.md` has by its name.
    let (site, diags) = case("duplicate-slug-by-file-name");
    assert_error_at(
        &diags,
        &site.locate("content/practices/haarlem-kopie.md", "slug: |haarlem"),
        "the practice slug `haarlem` is already used by content/practices/haarlem.md",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn title_over_120_characters() {
    let (site, diags) = case("title-too-long");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "title: |Werkplaats"),
        "`title` is 134 characters long; at most 120 are allowed",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn summary_over_300_characters() {
    let (site, diags) = case("summary-too-long");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, ">-\n  |Een samenvatting"),
        "`summary` is 317 characters long; at most 300 are allowed",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn no_partners() {
    let (site, diags) = case("no-partners");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|partners: []"),
        "`partners` needs at least one entry",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn no_sources() {
    let (site, diags) = case("no-sources");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|sources: []"),
        "`sources` needs at least one entry",
    );
    assert_warning_at(
        &diags,
        &site.locate(HAARLEM, "- |{ label: Aan het werk"),
        "the result `Aan het werk` has no `source`",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn missing_required_key() {
    let (_, diags) = case("missing-required-key");
    assert!(
        diags
            .iter()
            .any(|d| d.location.path == HAARLEM && d.message == "required key `status` is missing"),
        "{}",
        lines(&diags)
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_site_path_to_a_practice_or_award_that_is_not_there_is_reported() {
    let (site, diags) = case("broken-site-link");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "Zie ook |[Zwolle]"),
        "the link target `/praktijken/zwolle-werkloket-de-luree/` is not a practice, award or page in content/ (did you mean `/praktijken/zwolle-werkloket-de-lure/`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "en |[de prijs]"),
        "the link target `/prijzen/werksleutl/` is not a practice, award or page in content/",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "Fout gespeld: |[gemeenten]"),
        "the link target `/gemeente/zwolle/` is not a practice, award or page in content/ (did you mean `/gemeenten/zwolle/`?)",
    );
    // A page written inside a folder: the page is meant, never an internal folder (`/pagefind/`).
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "en |[over]"),
        "the link target `/pagina/over-deze-sit/` is not a practice, award or page in content/ (did you mean `/over-deze-site/`?)",
    );
    assert_eq!(diags.len(), 4, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn link_to_a_missing_md_file_is_reported_at_the_body_line() {
    let (site, diags) = case("broken-md-link");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|[de aanpak in Lelystad](lelystad.md)"),
        "the link target `lelystad.md` is not a practice, award or page in content/",
    );
    // `zwolle.md#aanpak` names an existing file: no error for it.
    assert_eq!(diags.len(), 1, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn recognition_mixing_the_national_scheme_with_another() {
    let (site, diags) = case("recognition-mixed");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "scheme: |Deskundigenpanel SZW"),
        "the level `goed-onderbouwd` belongs to the national scheme",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "level: |gecertificeerd"),
        "`gecertificeerd` is not a level of the national scheme",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn page_with_a_reserved_slug() {
    let (site, diags) = case("reserved-page-slug");
    assert_error_at(
        &diags,
        "content/pages/praktijken.md:1:1",
        "the page slug `praktijken` is taken by a generated section of the site",
    );
    assert_error_at(
        &diags,
        &site.locate("content/pages/over-de-prijzen.md", "slug: |prijzen"),
        "the page slug `prijzen` is taken by a generated section of the site",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn site_toml_unknown_key() {
    let (site, diags) = case("site-toml-unknown-key");
    assert_error_at(
        &diags,
        &site.locate("site.toml", "|per_pagina"),
        "unknown key `per_pagina` (did you mean `per_page`?)",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_template_that_fails_to_render_is_located() {
    let (site, diags) = case("template-render-error");
    assert_error_at(
        &diags,
        &site.locate("templates/practice.html", "<p>{{ |p.nonexistent.field"),
        "template error: Failed to render 'practice.html': Variable `p.nonexistent.field` not found",
    );
    assert_eq!(diags.len(), 1, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}

#[test]
fn an_error_in_a_parent_template_is_located_there() {
    let (site, diags) = case("template-base-error");
    assert_error_at(
        &diags,
        &site.locate("templates/base.html", "<footer>{{ |site.nope"),
        "Variable `site.nope` not found",
    );
    assert_eq!(diags.len(), 1, "{}", lines(&diags));
    // Pages render in parallel: which page meets the error first varies.
    let page = |m: &str| {
        let start = m.find("render '").map_or(0, |i| i + "render '".len());
        m[start..].split('\'').next().unwrap_or("").to_string()
    };
    let text = lines(&diags).replace(&page(&diags[0].message), "PAGE.html");
    assert_snapshot!(text);
}

#[test]
fn a_template_that_does_not_parse_is_located() {
    let (_, diags) = case("template-syntax-error");
    // Line 3, `<h1>{{ p.title | }}`: where the filter's name should be.
    assert_error_at(
        &diags,
        "templates/practice.html:3:18",
        "template error: Failed to parse 'practice.html'",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn site_toml_values_in_plain_words() {
    let (site, diags) = case("site-toml-bad-values");
    assert_error_at(
        &diags,
        &site.locate("site.toml", "language = |\"fr\""),
        "unknown value `fr`; allowed: nl, en",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn site_toml_missing_base_url() {
    let (_, diags) = case("site-toml-missing-base-url");
    assert_error_at(
        &diags,
        "site.toml:1:1",
        "required key `base_url` is missing",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn site_toml_base_url_without_scheme_is_reported_at_its_value() {
    let (site, diags) = case("site-toml-bad-base-url");
    assert_error_at(
        &diags,
        &site.locate("site.toml", "base_url = |\"etalage"),
        "`base_url` must start with https:// or http://, got `etalage.example.nl`",
    );
    assert_snapshot!(lines(&diags));
}

#[test]
fn all_files_are_reported_in_one_run() {
    let (site, diags) = case("all-files-one-run");
    let broken = [
        "content/awards/werksleutel.md",
        "content/pages/over.md",
        "content/practices/a-onbekende-sleutel.md",
        "content/practices/b-syntaxfout.md",
        "content/practices/c-gemeente.md",
        "content/practices/e-leeg.md",
    ];
    for path in broken {
        assert!(
            diags
                .iter()
                .any(|d| d.is_error() && d.location.path == path),
            "no error for {path}:\n{}",
            lines(&diags)
        );
    }
    assert!(
        !diags.iter().any(|d| d.location.path.ends_with("d-goed.md")),
        "the good file has no problems:\n{}",
        lines(&diags)
    );
    assert_error_at(
        &diags,
        &site.locate("content/awards/werksleutel.md", "|organisator"),
        "unknown key `organisator` (did you mean `organiser`?)",
    );
    assert_error_at(
        &diags,
        &site.locate("content/practices/c-gemeente.md", "municipality: |Zwole"),
        "(did you mean `Zwolle`?)",
    );
    assert_error_at(
        &diags,
        &site.locate("content/pages/over.md", "|[de praktijk]"),
        "the link target `bestaat-niet.md`",
    );
    // Sorted by file, line and column, so the output is stable across parallel runs.
    let mut sorted = diags.clone();
    etalage::diagnostic::sort(&mut sorted);
    assert_eq!(sorted, diags);
    assert_snapshot!(lines(&diags));
}

#[test]
fn a_link_to_a_facet_term_or_edition_the_site_does_not_have_is_reported() {
    let (site, diags) = case("broken-term-link");
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "Meer over |[matching]"),
        "the link `/themas/matchng/` leads to no page: `/themas/` has no `matchng` (a term gets a page when a published practice has it) (did you mean `/themas/matching/`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|[Zwolle](/gemeenten/zwole/)"),
        "the link `/gemeenten/zwole/` leads to no page: `/gemeenten/` has no `zwole` (a term gets a page when a published practice has it) (did you mean `/gemeenten/zwolle/`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "|[2003]"),
        "the link `/prijzen/werksleutel/2003/` leads to no page: Werksleutel has no edition `2003` on this site (did you mean `/prijzen/werksleutel/2002/`?)",
    );
    assert_error_at(
        &diags,
        &site.locate(HAARLEM, "het thema |[handhaving]"),
        "the link `/themas/handhaving/` leads to no page: `/themas/` has no `handhaving` (a term gets a page when a published practice has it)",
    );
    assert_eq!(diags.len(), 4, "{}", lines(&diags));
    assert_snapshot!(lines(&diags));
}
