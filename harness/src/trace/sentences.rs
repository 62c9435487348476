//! Sentences and their RFC 2119 keywords: splitting a paragraph into
//! sentences and keeping those that state a requirement.

use crate::scenario::Level;

/// One normative sentence of a XEP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Section number as the XSF renders it (`3.2`), or `?` when the source
    /// does not show it.
    pub section: String,
    /// The strongest keyword's level.
    pub level: Level,
    /// The sentence, whitespace collapsed.
    pub text: String,
}

/// Words that make a sentence normative, with their levels.
const KEYWORDS: &[(&str, Level)] = &[
    ("MUST", Level::Must),
    ("SHALL", Level::Must),
    ("REQUIRED", Level::Must),
    ("SHOULD", Level::Should),
    ("RECOMMENDED", Level::Should),
    ("MAY", Level::May),
    ("OPTIONAL", Level::May),
];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &["e.g", "i.e", "cf", "vs", "etc"];

/// Collapses runs of whitespace into one space and trims.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The strongest RFC 2119 level among the capitalised keywords of
/// `sentence`, or `None` if it has none.
pub fn level_of(sentence: &str) -> Option<Level> {
    sentence
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|word| KEYWORDS.iter().find(|(k, _)| *k == word))
        .map(|(_, level)| *level)
        .min()
}

/// Splits a paragraph into sentences: a sentence ends at `.`, `!` or `?`
/// (with any closing brackets or quotes) followed by whitespace and a
/// capital letter, a digit or an opening bracket, unless the word before
/// is an abbreviation such as `e.g`.
pub fn split_sentences(paragraph: &str) -> Vec<String> {
    let text = collapse(paragraph);
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '.' | '!' | '?') {
            let mut end = i + 1;
            while end < chars.len() && matches!(chars[end], ')' | '"' | '\'' | ']') {
                end += 1;
            }
            let next = chars.get(end + 1).copied();
            let breaks = chars.get(end) == Some(&' ')
                && next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '(')
                && !ends_with_abbreviation(&chars[start..i]);
            if breaks {
                sentences.push(chars[start..end].iter().collect::<String>());
                start = end + 1;
                i = end;
            }
        }
        i += 1;
    }
    if start < chars.len() {
        sentences.push(chars[start..].iter().collect::<String>());
    }
    sentences.retain(|s| !s.trim().is_empty());
    sentences
}

fn ends_with_abbreviation(before: &[char]) -> bool {
    let before: String = before.iter().collect();
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    ABBREVIATIONS.contains(&last.to_ascii_lowercase().as_str())
}

/// The normative sentences of one paragraph or list item of `section`.
pub fn statements(section: &str, paragraph: &str) -> Vec<Statement> {
    split_sentences(paragraph)
        .into_iter()
        .filter_map(|text| {
            level_of(&text).map(|level| Statement {
                section: section.to_owned(),
                level,
                text,
            })
        })
        .collect()
}
