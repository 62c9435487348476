//! Scenario files broken the ways people break them: a bundled scenario with
//! lines deleted, duplicated or swapped, cut short, random text, keys or
//! values inserted, its TOML quoting broken or the XML inside its
//! `xml = '''…'''` blocks broken; and arbitrary text. Each edit is chosen
//! by indices, so proptest shrinks towards fewer and earlier edits.

use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::bundled::SCENARIOS;

/// A scenario text to load, and how it was made.
#[derive(Debug, Clone)]
pub struct ScenarioMutant {
    /// The bundled file it started from (`(arbitrary)` for arbitrary text).
    pub file: &'static str,
    /// The edits applied, in order.
    pub edits: Vec<Edit>,
    /// The text after the edits.
    pub text: String,
}

/// One edit of a scenario file.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Deletes a line.
    DeleteLine(Index),
    /// Writes a line twice.
    DuplicateLine(Index),
    /// Swaps two lines.
    SwapLines(Index, Index),
    /// Cuts the text short.
    Truncate(Index),
    /// Inserts text at a character.
    Insert(Index, String),
    /// Inserts a `key = value` (or table header) line.
    InsertLine(Index, String),
    /// Deletes, doubles or swaps one of the quote characters.
    BreakQuote(Index, QuoteBreak),
    /// Deletes a character inside an `xml` block, or inserts XML there.
    BreakXml(Index, Option<&'static str>),
    /// Rewrites a `'''` block as a basic string with escapes (`\n`, `\"`,
    /// and every `<` as `\u003c`), so errors are located through them.
    EscapeBlock(Index),
}

/// What [`Edit::BreakQuote`] does to its quote.
#[derive(Debug, Clone, Copy)]
pub enum QuoteBreak {
    /// Deletes it.
    Delete,
    /// Writes it twice.
    Double,
    /// Writes the other kind of quote instead.
    Swap,
}

/// Keys and table headers of the format, and a few it does not have.
const KEYS: &[&str] = &[
    "id",
    "title",
    "comment",
    "send",
    "expect",
    "expect_none",
    "any_order",
    "in_order",
    "silence",
    "connect",
    "disconnect",
    "xml",
    "timeout_ms",
    "strict",
    "level",
    "note",
    "name",
    "presence",
    "notify",
    "connected",
    "setup",
    "requires",
    "xep",
    "versions",
    "section",
    "quote",
    "[[step]]",
    "[[actor]]",
    "[spec]",
    "[parameters]",
    "[equivalent]",
    "[[step.any_order]]",
    "[[step.in_order]]",
    "bogus",
];

/// Values of every TOML kind, and ones the loader must refuse.
const VALUES: &[&str] = &[
    "\"hamlet/denmark\"",
    "\"juliet/balcony\"",
    "'''<iq type='get' id='{id}'/>'''",
    "true",
    "-1",
    "0",
    "18446744073709551616",
    "1e400",
    "nan",
    "[]",
    "[[]]",
    "{}",
    "\"{id}\"",
    "\"{=x}\"",
    "\"{\"",
    "'''",
    "\"\\u0000\"",
    "\"MUST\"",
    "\"SHOULD\"",
    "\"bogus\"",
    "1979-05-27T07:32:00Z",
    "\"a/b/c\"",
    "'''<a>'''",
    "\"\"\"\n<x/>\n\"\"\"",
];

/// XML pieces inserted into `xml` blocks.
const XML_PIECES: &[&str] = &[
    "<",
    ">",
    "&",
    "&#0;",
    "&#xD800;",
    "&bogus;",
    "</x>",
    "<x>",
    "]]>",
    "<!--",
    "<?pi?>",
    "<![CDATA[",
    "{",
    "}",
    "{nope}",
    "{one-of:1|}",
    "{one-of:a|b}",
    " xmlns:t='urn:xepspec:template' t:strict='maybe'",
    " xmlns:t='urn:xepspec:template' t:absent=''",
    "<t:one-of xmlns:t='urn:xepspec:template'/>",
    "{=id}",
    "{any}",
    "{domain",
    "\u{0}",
    "\r",
    "ਖ਼",
    " xmlns:p='urn:p'",
    "p:",
    " a='1' a='2'",
    "'''",
    "<!DOCTYPE x>",
];

/// The bundled scenario files, as (path, text).
pub fn bundled_scenarios() -> &'static [(&'static str, &'static str)] {
    static FILES: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    FILES.get_or_init(|| {
        SCENARIOS
            .iter()
            .filter(|f| f.path.contains('/') && f.path.ends_with(".toml"))
            .filter_map(|f| Some((f.path, std::str::from_utf8(f.bytes).ok()?)))
            .collect()
    })
}

/// Scenario texts: mostly bundled files with one to four edits, else
/// arbitrary characters (controls included) or arbitrary bytes read as
/// UTF-8 with replacement.
pub fn scenario_mutant() -> impl Strategy<Value = ScenarioMutant> {
    let mutated = (any::<Index>(), vec(edit(), 1..5)).prop_map(|(file, edits)| {
        let files = bundled_scenarios();
        let (file, mut text) = match files.get(file.index(files.len().max(1))) {
            Some((path, text)) => (*path, (*text).to_owned()),
            None => ("(none bundled)", String::new()),
        };
        for e in &edits {
            text = apply(&text, e);
        }
        ScenarioMutant { file, edits, text }
    });
    let arbitrary = |text: String| ScenarioMutant {
        file: "(arbitrary)",
        edits: Vec::new(),
        text,
    };
    prop_oneof![
        8 => mutated,
        1 => vec(any::<char>(), 0..200).prop_map(move |c| arbitrary(c.into_iter().collect())),
        1 => vec(any::<u8>(), 0..200)
            .prop_map(move |b| arbitrary(String::from_utf8_lossy(&b).into_owned())),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let key = prop_oneof![select(KEYS).prop_map(str::to_owned), "[a-z_]{1,8}"];
    let value = prop_oneof![select(VALUES).prop_map(str::to_owned), "\\PC{0,8}"];
    let line = (key, value).prop_map(|(k, v)| {
        if k.starts_with('[') {
            format!("{k}\n")
        } else {
            format!("{k} = {v}\n")
        }
    });
    let quote = prop_oneof![
        Just(QuoteBreak::Delete),
        Just(QuoteBreak::Double),
        Just(QuoteBreak::Swap)
    ];
    let inserted = prop_oneof![
        "\\PC{0,8}",
        vec(any::<char>(), 1..4).prop_map(String::from_iter)
    ];
    prop_oneof![
        any::<Index>().prop_map(Edit::DeleteLine),
        any::<Index>().prop_map(Edit::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), inserted).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<Index>(), line).prop_map(|(at, l)| Edit::InsertLine(at, l)),
        (any::<Index>(), quote).prop_map(|(at, q)| Edit::BreakQuote(at, q)),
        (any::<Index>(), proptest::option::of(select(XML_PIECES)))
            .prop_map(|(at, p)| Edit::BreakXml(at, p)),
        any::<Index>().prop_map(Edit::EscapeBlock),
    ]
}

/// `text` with `edit` applied.
fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let pick = |i: &Index, n: usize| i.index(n.max(1)).min(n);
    match edit {
        Edit::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(pick(i, lines.len()));
        }
        Edit::DuplicateLine(i) if !lines.is_empty() => {
            let at = pick(i, lines.len());
            let line = lines[at];
            lines.insert(at, line);
        }
        Edit::SwapLines(a, b) if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(pick(a, n), pick(b, n));
        }
        Edit::InsertLine(i, line) => {
            let at = pick(i, lines.len() + 1);
            lines.insert(at, line);
        }
        Edit::Truncate(i) => return text[..boundary(text, i)].into(),
        Edit::Insert(i, s) => return splice(text, boundary(text, i), s),
        Edit::BreakQuote(i, how) => return break_quote(text, i, *how),
        Edit::BreakXml(i, piece) => return break_xml(text, i, *piece),
        Edit::EscapeBlock(i) => return escape_block(text, i.index(blocks(text).len().max(1))),
        _ => {}
    }
    lines.concat()
}

/// One of the char boundaries of `text`, its end included.
fn boundary(text: &str, i: &Index) -> usize {
    let count = text.chars().count() + 1;
    let nth = i.index(count);
    text.char_indices()
        .nth(nth)
        .map_or(text.len(), |(at, _)| at)
}

fn splice(text: &str, at: usize, insert: &str) -> String {
    format!("{}{insert}{}", &text[..at], &text[at..])
}

fn break_quote(text: &str, i: &Index, how: QuoteBreak) -> String {
    let quotes: Vec<usize> = text.match_indices(['\'', '"']).map(|(at, _)| at).collect();
    let Some(&at) = quotes.get(i.index(quotes.len().max(1))) else {
        return text.into();
    };
    let quote = &text[at..at + 1];
    let replacement = match how {
        QuoteBreak::Delete => "",
        QuoteBreak::Double if quote == "'" => "''",
        QuoteBreak::Double => "\"\"",
        QuoteBreak::Swap if quote == "'" => "\"",
        QuoteBreak::Swap => "'",
    };
    format!("{}{replacement}{}", &text[..at], &text[at + 1..])
}

/// The contents of the `'''…'''` blocks, as byte ranges.
fn blocks(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("'''").map(|s| from + s + 3) {
        let Some(end) = text[start..].find("'''").map(|e| start + e) else {
            break;
        };
        found.push(start..end);
        from = end + 3;
    }
    found
}

/// `text` with its `n`th `'''` block written as an escaped basic string
/// (unchanged when it has fewer blocks).
pub fn escape_block(text: &str, n: usize) -> String {
    let found = blocks(text);
    let Some(block) = found.get(n) else {
        return text.into();
    };
    let mut escaped = String::new();
    for c in text[block.clone()].chars() {
        match c {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '<' => escaped.push_str("\\u003c"),
            c => escaped.push(c),
        }
    }
    let (open, close) = (block.start - 3, block.end + 3);
    format!("{}\"{escaped}\"{}", &text[..open], &text[close..])
}

/// Deletes the character at, or inserts `piece` before, a position inside
/// one of the `xml = '''…'''` blocks.
fn break_xml(text: &str, i: &Index, piece: Option<&str>) -> String {
    let inside: Vec<usize> = blocks(text)
        .into_iter()
        .flat_map(|b| {
            text[b.clone()]
                .char_indices()
                .map(move |(c, _)| b.start + c)
        })
        .collect();
    let Some(&at) = inside.get(i.index(inside.len().max(1))) else {
        return text.into();
    };
    match piece {
        Some(piece) => splice(text, at, piece),
        None => {
            let next = text[at..].chars().next().map_or(0, char::len_utf8);
            format!("{}{}", &text[..at], &text[at + next..])
        }
    }
}
