//! Interface strings folded into the templates once, when they are loaded.
//!
//! The interface strings are the same on every page of a build, yet a template that prints
//! `{{ t.practice.period }}` makes Tera look the words up in each page's context, copy them out
//! and escape them, on every page: a dossier does that sixty times. [`fold`] replaces every such
//! tag by its text, escaped as Tera would escape it, in the parsed templates (their nodes, block
//! definitions and macros), so a page costs only the lookups of its own data. It changes no
//! output: a tag is folded only where `t` is sure to be the table, which is never where any
//! template binds the name `t` itself (`set`, `for`), and inside a macro only when every call of
//! it passes the table on as `t=t`. Tags with filters, tests, keys the table lacks (left to fail
//! as before) and text whose escaping depends on the template it ends up in are left as they
//! are. [`uses`] then tells which strings a template still reads from its context.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use tera::ast::{Expr, ExprVal, MacroDefinition, Node};

use super::strings::Strings;

/// Strings by section: the keys named, or `None` for the whole section.
pub type Uses = BTreeMap<String, Option<BTreeSet<String>>>;

/// A macro: the template that defines it and its name.
type MacroId = (String, String);

/// Folds the interface strings into every template of `tera` and makes its tests cheap (see
/// the module's text). `escaped` tells whether Tera escapes a template of that name (its
/// autoescape suffixes).
pub fn fold(
    tera: &mut tera::Tera,
    strings: &Strings,
    escaped: &dyn Fn(&str) -> bool,
) -> tera::Result<()> {
    let (escaping, passing, binds) = {
        let templates: Vec<&tera::Template> = tera.templates.values().collect();
        let escaping: HashSet<bool> = templates.iter().map(|t| escaped(&t.name)).collect();
        let binds = templates.iter().any(|t| binds_t(&t.ast));
        (escaping, macros_passed_the_table(&templates), binds)
    };
    let text = |section: &str, key: &str| -> Option<String> {
        let s = strings.lookup(section, key)?;
        let e = super::escape::html(s);
        match (escaping.len(), escaping.contains(&true)) {
            _ if e == s => Some(e),
            (1, true) => Some(e),
            (1, false) => Some(s.to_string()),
            _ => None,
        }
    };
    for template in tera.templates.values_mut() {
        let name = template.name.clone();
        let table = |m: Option<&str>| {
            !binds && m.is_none_or(|m| passing.contains(&(name.clone(), m.to_string())))
        };
        let fold = Fold {
            table: &table,
            text: &text,
        };
        fold.nodes(&mut template.ast, None);
        for block in template.blocks.values_mut() {
            fold.nodes(&mut block.body, None);
        }
        for (macro_name, def) in template.macros.iter_mut() {
            fold.nodes(&mut def.body, Some(macro_name));
        }
    }
    // Block definitions are copies of the blocks, taken when the templates were added.
    tera.build_inheritance_chains()
}

/// One template's rewrite.
struct Fold<'a> {
    /// Whether `t` is the table in the template's body (`None`) or in a macro of it.
    table: &'a dyn Fn(Option<&str>) -> bool,
    /// The text a string tag prints, when it can be folded.
    text: &'a dyn Fn(&str, &str) -> Option<String>,
}

impl Fold<'_> {
    /// Rewrites `nodes`, which are in macro `in_macro` (or not in a macro), and joins
    /// neighbouring texts.
    fn nodes(&self, nodes: &mut Vec<Node>, in_macro: Option<&str>) {
        for node in nodes.iter_mut() {
            match node {
                Node::VariableBlock(_, expr) if (self.table)(in_macro) => {
                    if let Some(folded) = plain_key(expr).and_then(|(s, k)| (self.text)(s, k)) {
                        *node = Node::Text(folded);
                    }
                }
                Node::MacroDefinition(_, def, _) => {
                    let name = def.name.clone();
                    self.nodes(&mut def.body, Some(&name));
                }
                Node::If(i, _) => {
                    for (_, expr, _) in &mut i.conditions {
                        unescaped_test(expr);
                    }
                    each_body(node, &mut |body| self.nodes(body, in_macro));
                }
                _ => each_body(node, &mut |body| self.nodes(body, in_macro)),
            }
        }
        join_texts(nodes);
    }
}

/// Marks the variables an `if` tests for truth (alone, or joined by `and` and `or`) `safe`.
/// Tera escapes a string it tests as it would escape it for printing, a copy of the whole text
/// (a page's JSON-LD, twice per page) only to see whether it is empty, which escaping never
/// changes. `safe` as the last filter skips that and nothing else.
fn unescaped_test(expr: &mut Expr) {
    match &mut expr.val {
        ExprVal::Ident(_) if expr.filters.is_empty() => {
            expr.filters.push(tera::ast::FunctionCall {
                name: "safe".to_string(),
                args: Default::default(),
            })
        }
        ExprVal::Logic(l)
            if matches!(
                l.operator,
                tera::ast::LogicOperator::And | tera::ast::LogicOperator::Or
            ) =>
        {
            unescaped_test(&mut l.lhs);
            unescaped_test(&mut l.rhs);
        }
        _ => {}
    }
}

/// `section` and `key` of a tag that prints `t.<section>.<key>` and nothing more.
fn plain_key(expr: &Expr) -> Option<(&str, &str)> {
    let ExprVal::Ident(id) = &expr.val else {
        return None;
    };
    if expr.negated || !expr.filters.is_empty() {
        return None;
    }
    let mut parts = id.strip_prefix("t.")?.split('.');
    let (section, key) = (parts.next()?, parts.next()?);
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (parts.next().is_none() && word(section) && word(key)).then_some((section, key))
}

fn join_texts(nodes: &mut Vec<Node>) {
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    for node in nodes.drain(..) {
        match (out.last_mut(), node) {
            (Some(Node::Text(a)), Node::Text(b)) => a.push_str(&b),
            (_, node) => out.push(node),
        }
    }
    *nodes = out;
}

/// Calls `f` on every list of nodes directly inside `node` (not inside macro definitions,
/// which the callers treat apart).
fn each_body(node: &mut Node, f: &mut dyn FnMut(&mut Vec<Node>)) {
    match node {
        Node::Block(_, b, _) => f(&mut b.body),
        Node::FilterSection(_, s, _) => f(&mut s.body),
        Node::Forloop(_, l, _) => {
            f(&mut l.body);
            if let Some(e) = &mut l.empty_body {
                f(e);
            }
        }
        Node::If(i, _) => {
            for (_, _, body) in &mut i.conditions {
                f(body);
            }
            if let Some((_, body)) = &mut i.otherwise {
                f(body);
            }
        }
        _ => {}
    }
}

/// Every list of nodes in `nodes`, macro bodies included, with the macro it is in.
fn walk<'a>(
    nodes: &'a [Node],
    in_macro: Option<&'a str>,
    f: &mut dyn FnMut(&'a Node, Option<&'a str>),
) {
    for node in nodes {
        f(node, in_macro);
        match node {
            Node::MacroDefinition(_, def, _) => walk(&def.body, Some(&def.name), f),
            Node::Block(_, b, _) => walk(&b.body, in_macro, f),
            Node::FilterSection(_, s, _) => walk(&s.body, in_macro, f),
            Node::Forloop(_, l, _) => {
                walk(&l.body, in_macro, f);
                if let Some(e) = &l.empty_body {
                    walk(e, in_macro, f);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    walk(body, in_macro, f);
                }
                if let Some((_, body)) = &i.otherwise {
                    walk(body, in_macro, f);
                }
            }
            _ => {}
        }
    }
}

/// The expressions of one node (not of the nodes inside it).
fn exprs(node: &Node) -> Vec<&Expr> {
    match node {
        Node::VariableBlock(_, e) => vec![e],
        Node::Set(_, s) => vec![&s.value],
        Node::Forloop(_, l, _) => vec![&l.container],
        Node::If(i, _) => i.conditions.iter().map(|(_, e, _)| e).collect(),
        Node::FilterSection(_, s, _) => s.filter.args.values().collect(),
        Node::MacroDefinition(_, def, _) => def.args.values().flatten().collect(),
        _ => Vec::new(),
    }
}

/// Calls `f` on `expr` and every expression inside it.
fn each_expr<'a>(expr: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(expr);
    for filter in &expr.filters {
        filter.args.values().for_each(|e| each_expr(e, f));
    }
    match &expr.val {
        ExprVal::Math(m) => {
            each_expr(&m.lhs, f);
            each_expr(&m.rhs, f);
        }
        ExprVal::Logic(l) => {
            each_expr(&l.lhs, f);
            each_expr(&l.rhs, f);
        }
        ExprVal::In(i) => {
            each_expr(&i.lhs, f);
            each_expr(&i.rhs, f);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|e| each_expr(e, f)),
        ExprVal::MacroCall(c) => c.args.values().for_each(|e| each_expr(e, f)),
        ExprVal::FunctionCall(c) => c.args.values().for_each(|e| each_expr(e, f)),
        ExprVal::Array(items) => items.iter().for_each(|e| each_expr(e, f)),
        _ => {}
    }
}

/// Whether any node binds the name `t` (`set`, `set_global`, a loop variable).
fn binds_t(nodes: &[Node]) -> bool {
    let mut found = false;
    walk(nodes, None, &mut |node, _| match node {
        Node::Set(_, s) if s.key == "t" => found = true,
        Node::Forloop(_, l, _) if l.value == "t" || l.key.as_deref() == Some("t") => found = true,
        _ => {}
    });
    found
}

fn is_t(expr: &Expr) -> bool {
    matches!(&expr.val, ExprVal::Ident(id) if id == "t") && !expr.negated && expr.filters.is_empty()
}

/// The macros whose `t` is the table wherever they are called: their parameter `t` has no
/// default and every call of them passes `t=t` from a place where `t` is the table (a template
/// body, or another such macro). A call's namespace is resolved to every file imported under
/// that name anywhere (or the caller's own file for `self`), which can only add calls.
fn macros_passed_the_table(templates: &[&tera::Template]) -> HashSet<MacroId> {
    let mut passing: HashSet<MacroId> = HashSet::new();
    for t in templates {
        for (name, def) in &t.macros {
            if takes_the_table(def) {
                passing.insert((t.name.clone(), name.clone()));
            }
        }
    }
    // Every call: the macro it is in (if any), the files it may reach, and whether it passes
    // `t=t`.
    let mut calls: Vec<(Option<MacroId>, Vec<MacroId>, bool)> = Vec::new();
    for t in templates {
        walk(&t.ast, None, &mut |node, in_macro| {
            for expr in exprs(node) {
                each_expr(expr, &mut |e| {
                    if let ExprVal::MacroCall(c) = &e.val {
                        let targets = if c.namespace == "self" {
                            vec![t.name.clone()]
                        } else {
                            imported_as(templates, &c.namespace)
                        };
                        calls.push((
                            in_macro.map(|m| (t.name.clone(), m.to_string())),
                            targets.into_iter().map(|f| (f, c.name.clone())).collect(),
                            c.args.get("t").is_some_and(is_t),
                        ));
                    }
                });
            }
        });
    }
    loop {
        let before = passing.len();
        for (caller, targets, passes) in &calls {
            let from_table = caller.as_ref().is_none_or(|c| passing.contains(c));
            if !(*passes && from_table) {
                for target in targets {
                    passing.remove(target);
                }
            }
        }
        if passing.len() == before {
            return passing;
        }
    }
}

fn takes_the_table(def: &MacroDefinition) -> bool {
    matches!(def.args.get("t"), Some(None))
}

/// The files imported as `namespace` by any template.
fn imported_as(templates: &[&tera::Template], namespace: &str) -> Vec<String> {
    let mut files: Vec<String> = templates
        .iter()
        .flat_map(|t| &t.imported_macro_files)
        .filter(|(_, ns)| ns == namespace)
        .map(|(file, _)| file.clone())
        .collect();
    files.sort_unstable();
    files.dedup();
    files
}

/// The strings `template` reads from its context as `t.<section>.<key>` (or whole sections, as
/// `t.<section>`); `None` if it uses `t` otherwise. A macro's parameter named `t` and the
/// argument `t=t` only pass the table on under its own name, so the macro's own uses (in its
/// file) tell.
pub fn uses(template: &tera::Template) -> Option<Uses> {
    let mut found = Some(Uses::new());
    // The `t=t` arguments seen so far (a call is seen before its arguments).
    let mut passed_on: HashSet<*const Expr> = HashSet::new();
    walk(&template.ast, None, &mut |node, _| {
        for expr in exprs(node) {
            each_expr(expr, &mut |e| {
                if passed_on.contains(&(e as *const Expr)) {
                    return;
                }
                let mut idents: Vec<&str> = Vec::new();
                match &e.val {
                    ExprVal::Ident(id) => idents.push(id),
                    ExprVal::Test(t) => idents.push(&t.ident),
                    ExprVal::StringConcat(s) => {
                        idents.extend(s.values.iter().filter_map(|v| match v {
                            ExprVal::Ident(id) => Some(id.as_str()),
                            _ => None,
                        }))
                    }
                    ExprVal::MacroCall(c) => {
                        // `t=t` passes the table on; that argument is not a use of its own.
                        if let Some(arg) = c.args.get("t").filter(|a| is_t(a)) {
                            passed_on.insert(arg as *const Expr);
                        }
                    }
                    _ => {}
                }
                for id in idents {
                    match ident_use(id) {
                        Use::None => {}
                        Use::All => found = None,
                        Use::Some(section, key) => {
                            if let Some(acc) = found.as_mut() {
                                merge(acc, section, key);
                            }
                        }
                    }
                }
            });
        }
    });
    found
}

/// What an identifier reads of `t`.
enum Use<'a> {
    None,
    All,
    Some(&'a str, Option<&'a str>),
}

fn ident_use(id: &str) -> Use<'_> {
    if id == "t" || id.starts_with("t[") {
        return Use::All;
    }
    let Some(rest) = id.strip_prefix("t.") else {
        return Use::None;
    };
    let word_len = |s: &str| {
        s.bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count()
    };
    let n = word_len(rest);
    if n == 0 {
        return Use::All;
    }
    let (section, after) = rest.split_at(n);
    let key = after.strip_prefix('.').and_then(|k| {
        let m = word_len(k);
        (m > 0).then(|| &k[..m])
    });
    Use::Some(section, key)
}

/// Adds a use to `acc`: a whole section stays whole.
fn merge(acc: &mut Uses, section: &str, key: Option<&str>) {
    let keys = acc
        .entry(section.to_string())
        .or_insert_with(|| Some(BTreeSet::new()));
    match (keys.as_mut(), key) {
        (Some(have), Some(k)) => {
            have.insert(k.to_string());
        }
        (_, None) => *keys = None,
        (None, Some(_)) => {}
    }
}

/// Adds `more` to `acc`: a whole section stays whole.
pub fn merge_all(acc: &mut Uses, more: Uses) {
    for (section, keys) in more {
        match keys {
            None => merge(acc, &section, None),
            Some(keys) if keys.is_empty() => {
                acc.entry(section).or_insert_with(|| Some(BTreeSet::new()));
            }
            Some(keys) => keys.iter().for_each(|k| merge(acc, &section, Some(k))),
        }
    }
}

/// Whether any template includes another (`{% include %}`).
pub fn includes(template: &tera::Template) -> bool {
    let mut found = false;
    walk(&template.ast, None, &mut |node, _| {
        found |= matches!(node, Node::Include(..));
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;
    use crate::load::SourceFile;
    use crate::render::chain;

    fn strings() -> Strings {
        let toml = "[nav]\nhome = \"Thuis\"\nthemes = \"Thema's & <doelen>\"\n\
                    [list]\npages = \"Pagina's\"\nempty = \"Leeg\"\n";
        Strings::load_for(
            &[SourceFile::new("themes/x/i18n/nl.toml".into(), toml.into())],
            Language::Nl,
        )
        .unwrap()
    }

    fn tera(files: &[(&str, &str)]) -> tera::Tera {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(files.to_vec()).unwrap();
        tera
    }

    /// How many tests the rewrite marked `safe`.
    fn quiet_tests(tera: &tera::Tera) -> usize {
        let mut n = 0;
        for t in tera.templates.values() {
            walk(&t.ast, None, &mut |node, _| {
                if let Node::If(i, _) = node {
                    for (_, e, _) in &i.conditions {
                        each_expr(e, &mut |e| {
                            n += e.filters.iter().any(|f| f.name == "safe") as usize
                        });
                    }
                }
            });
        }
        n
    }

    /// How many tags still print a `t.…` string, in every template's nodes, blocks and macros.
    fn string_tags(tera: &tera::Tera) -> usize {
        let mut n = 0;
        for t in tera.templates.values() {
            walk(&t.ast, None, &mut |node, _| {
                n += matches!(node, Node::VariableBlock(_, e) if plain_key(e).is_some()) as usize;
            });
        }
        n
    }

    /// Renders every template of `files` (except macro files) before and after folding, with
    /// the strings as `t`; asserts the pages are the same and returns how many tags were
    /// folded.
    fn same_pages(files: &[(&str, &str)]) -> usize {
        let strings = strings();
        let plain = tera(files);
        let mut folded = tera(files);
        fold(&mut folded, &strings, &|n| n.ends_with(".html")).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("t", &strings);
        ctx.insert("items", &["a", "b"]);
        for (name, _) in files.iter().filter(|(n, _)| !n.starts_with("macros")) {
            let before = plain.render(name, &ctx).map_err(|e| chain(&e));
            let after = folded.render(name, &ctx).map_err(|e| chain(&e));
            assert_eq!(before, after, "{name}");
        }
        string_tags(&plain) - string_tags(&folded)
    }

    #[test]
    fn strings_become_text_in_pages_blocks_and_macros_passed_the_table() {
        let files = [
            (
                "base.html",
                "<nav>{{ t.nav.home }}</nav>{% block main %}[{{ t.list.empty }}]{% endblock main %}",
            ),
            (
                "macros.html",
                "{% macro m(t, x) %}{{ t.nav.themes }}:{{ x }}{% endmacro m %}\
                 {% macro outer(t) %}{{ self::m(t=t, x=1) }}{% endmacro outer %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% import \"macros.html\" as m %}\
                 {% block main %}{{ super() }}{% for i in items %}{{- t.list.pages -}} {{ i }}\
                 {% endfor %}{% if items %}{{ t.nav.themes }}{% else %}{{ t.nav.home }}{% endif %}\
                 {% filter upper %}{{ t.nav.home }}{% endfilter %}{% raw %}{{ t.nav.home }}{% endraw %}\
                 {{ m::outer(t=t) }}{{ t.nav.home | upper }}{{ t.nav }}\
                 {% if t.nav.themes %}y{% endif %}{% if items and t.nav.home or x %}z{% endif %}\
                 {% if not nothing %}n{% endif %}{% if nothing %}-{% elif t.list %}l{% endif %}\
                 {% endblock main %}",
            ),
        ];
        // base: 2; macros: 1; page: 4 (in the loop, the if's two branches, the filter).
        assert_eq!(same_pages(&files), 7);
        // Tests marked: `items` (twice), `t.nav.themes`, `t.nav.home`, `x`, `not nothing`,
        // `nothing` and `t.list`.
        let mut folded = tera(&files);
        fold(&mut folded, &strings(), &|n| n.ends_with(".html")).unwrap();
        assert_eq!(quiet_tests(&folded), 8);
    }

    #[test]
    fn a_macro_not_always_passed_the_table_keeps_its_tags() {
        let files = [
            (
                "macros.html",
                "{% macro m(t) %}{{ t.nav.home }}{% endmacro m %}\
                 {% macro d(t=1) %}{{ t.nav.home }}{% endmacro d %}",
            ),
            (
                "a.html",
                "{% import \"macros.html\" as m %}{{ m::m(t=t) }}{{ m::d(t=t) }}{{ t.list.empty }}",
            ),
            (
                "b.html",
                "{% import \"macros.html\" as m %}{{ m::m(t=items) }}",
            ),
        ];
        let strings = strings();
        let mut folded = tera(&files);
        fold(&mut folded, &strings, &|n| n.ends_with(".html")).unwrap();
        // Only a.html's own tag: `m` is once called with something else, `d` has a default.
        assert_eq!(string_tags(&folded), 2);
    }

    #[test]
    fn nothing_is_folded_where_a_template_binds_t() {
        for binding in [
            "{% set t = 1 %}",
            "{% set_global t = 1 %}",
            "{% for t in items %}{% endfor %}",
            "{% for t, v in items %}{% endfor %}",
        ] {
            let files = [("a.html", "{{ t.nav.home }}"), ("b.html", binding)];
            let strings = strings();
            let mut folded = tera(&files);
            fold(&mut folded, &strings, &|n| n.ends_with(".html")).unwrap();
            assert_eq!(string_tags(&folded), 1, "{binding}");
        }
    }

    #[test]
    fn text_is_escaped_as_the_templates_are_and_left_when_they_differ() {
        // Every template escapes: the escaped text.
        assert_eq!(
            same_pages(&[("a.html", "{{ t.nav.themes }}{{ t.nav.home }}")]),
            2
        );
        // Mixed: text that escaping changes stays a tag; the rest is folded.
        let files = [
            ("a.html", "{{ t.nav.themes }}{{ t.nav.home }}"),
            ("b.txt", "{{ t.nav.themes }}{{ t.nav.home }}"),
        ];
        assert_eq!(same_pages(&files), 2);
    }

    #[test]
    fn missing_keys_are_left_to_fail_as_before() {
        let files = [("a.html", "{{ t.nav.nothing }}")];
        assert_eq!(same_pages(&files), 0);
    }

    fn uses_of(text: &str) -> Option<Uses> {
        let t = tera(&[("x.html", text)]);
        uses(&t.templates["x.html"])
    }

    #[test]
    fn uses_are_read_from_the_parsed_template_and_unclear_uses_mean_all() {
        let sections = |t: &str| uses_of(t).map(|s| s.into_keys().collect::<Vec<_>>());
        assert_eq!(
            sections("<p>Don't {{ t.nav.home }}</p>{% if x %}{{ t.list.pages | upper }}{% endif %}{{ p.t.x }}"),
            Some(vec!["list".to_string(), "nav".to_string()])
        );
        assert_eq!(sections("{{ m::card(c=c, t=t) }}"), Some(vec![]));
        assert_eq!(
            sections("{% macro card(c, t, level=3) %}{{ t.practice.x }}{% endmacro %}"),
            Some(vec!["practice".to_string()])
        );
        assert_eq!(sections("{{ m::card(c=c, x=t) }}"), None);
        assert_eq!(sections("{% if t == 1 %}{% endif %}"), None);
        assert_eq!(sections("{% set x = t %}"), None);
        assert_eq!(sections("{{ t[\"nav\"] }}"), None);
        assert_eq!(sections("{{ title }} {{ at }}"), Some(vec![]));
        assert_eq!(
            sections("{% if t.a.b is defined %}{% endif %}{{ f(x=t.c.d) }}{{ y | default(value=t.e.f) }}"),
            Some(vec!["a".to_string(), "c".to_string(), "e".to_string()])
        );
    }

    #[test]
    fn keys_are_read_too_and_a_bare_section_means_all_of_it() {
        let keys = |t: &str| {
            uses_of(t).map(|u| {
                u.into_iter()
                    .map(|(s, k)| (s, k.map(|k| k.into_iter().collect::<Vec<_>>())))
                    .collect::<Vec<_>>()
            })
        };
        let owned = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            keys("{{ t.nav.home }}{{ t.nav.data | lower }}{% if t.list.x %}{% endif %}"),
            Some(vec![
                ("list".to_string(), owned(&["x"])),
                ("nav".to_string(), owned(&["data", "home"])),
            ])
        );
        assert_eq!(
            keys("{{ t.nav.home }}{% for k in t.nav %}{% endfor %}{{ t.list[x] }}"),
            Some(vec![("list".to_string(), None), ("nav".to_string(), None)])
        );
        let mut acc = Uses::new();
        merge_all(&mut acc, uses_of("{{ t.a.x }}").unwrap());
        merge_all(&mut acc, uses_of("{{ t.a.y }}{{ t.b }}").unwrap());
        merge_all(&mut acc, uses_of("{{ t.b.z }}").unwrap());
        assert_eq!(acc["a"], Some(BTreeSet::from(["x".into(), "y".into()])));
        assert_eq!(acc["b"], None);
    }
}
