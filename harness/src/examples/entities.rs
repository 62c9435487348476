//! Entity definitions for XEP sources: the internal subset of a XEP's
//! DOCTYPE and the shared `xep.ent`, resolved to plain text.
//!
//! XEP sources reference entities that `xep.ent` defines (`&xep0060;`,
//! `&NSVER;`), and their own (`&namespace;`). Values may hold markup and
//! further references; resolution expands references and keeps only text.

use std::collections::BTreeMap;

/// How deep entity values may nest before resolution gives up (a cycle).
const MAX_DEPTH: usize = 8;

/// Entity names and their declared (unexpanded) values.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    values: BTreeMap<String, String>,
}

impl Entities {
    /// Reads `<!ENTITY name "value">` declarations from DTD text (an
    /// internal subset or `xep.ent`); parameter entities are skipped.
    pub fn parse(dtd: &str) -> Self {
        let mut values = BTreeMap::new();
        for decl in dtd.split("<!ENTITY").skip(1) {
            let decl = decl.trim_start();
            if decl.starts_with('%') {
                continue;
            }
            let Some(name_end) = decl.find(char::is_whitespace) else {
                continue;
            };
            let (name, rest) = decl.split_at(name_end);
            let rest = rest.trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(close) = rest[1..].find(quote) {
                values
                    .entry(name.to_owned())
                    .or_insert_with(|| rest[1..1 + close].to_owned());
            }
        }
        Entities { values }
    }

    /// Adds `other`'s definitions where this set has none (the first
    /// declaration of an entity wins, as in XML).
    pub fn extend_from(&mut self, other: &Entities) {
        for (name, value) in &other.values {
            self.values
                .entry(name.clone())
                .or_insert_with(|| value.clone());
        }
    }

    /// Whether `name` is declared.
    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The text an entity reference stands for: one of XML's five, a
    /// character reference (`#60`, `#x3c`), or a declared entity with its
    /// references expanded and markup dropped. `None` when undeclared.
    pub fn resolve(&self, name: &str) -> Option<String> {
        self.resolve_at(name, 0)
    }

    fn resolve_at(&self, name: &str, depth: usize) -> Option<String> {
        if let Some(c) = predefined(name) {
            return Some(c.to_string());
        }
        if let Some(number) = name.strip_prefix('#') {
            return char_reference(number).map(String::from);
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        let value = self.values.get(name)?;
        Some(self.expand(&strip_markup(value), depth + 1))
    }

    /// Expands the references in `text` (an attribute's raw value, say); an
    /// undeclared one stays as written.
    pub fn expand_text(&self, text: &str) -> String {
        self.expand(text, 0)
    }

    fn expand(&self, text: &str, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let after = &rest[amp + 1..];
            match after.find(';') {
                Some(end) if end > 0 && !after[..end].contains(char::is_whitespace) => {
                    let name = &after[..end];
                    match self.resolve_at(name, depth) {
                        Some(value) => out.push_str(&value),
                        None => out.push_str(&rest[amp..amp + end + 2]),
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('&');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn char_reference(number: &str) -> Option<char> {
    let code = match number
        .strip_prefix('x')
        .or_else(|| number.strip_prefix('X'))
    {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    char::from_u32(code)
}

/// The text of a value that may hold markup: tags removed.
fn strip_markup(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declarations_and_skips_parameter_entities() {
        let e = Entities::parse(
            "<!ENTITY namespace \"urn:xmpp:bookmarks:1\">\n<!ENTITY % ents SYSTEM 'xep.ent'>\n<!ENTITY x 'y'>",
        );
        assert_eq!(
            e.resolve("namespace").as_deref(),
            Some("urn:xmpp:bookmarks:1")
        );
        assert_eq!(e.resolve("x").as_deref(), Some("y"));
        assert!(!e.contains("ents"));
    }

    #[test]
    fn expands_nested_values_and_drops_markup() {
        let e = Entities::parse(
            "<!ENTITY xep0060 \"<span class='ref'><link url='x'>Publish-Subscribe</link></span> <note>n</note>\">\n<!ENTITY tm \"&#153;\">\n<!ENTITY both '&tm;&xep0060;'>",
        );
        assert_eq!(e.resolve("xep0060").as_deref(), Some("Publish-Subscribe n"));
        assert_eq!(
            e.resolve("both").as_deref(),
            Some("\u{99}Publish-Subscribe n")
        );
    }

    #[test]
    fn character_and_predefined_references() {
        let e = Entities::default();
        assert_eq!(e.resolve("#60").as_deref(), Some("<"));
        assert_eq!(e.resolve("#x3E").as_deref(), Some(">"));
        assert_eq!(e.resolve("apos").as_deref(), Some("'"));
        assert_eq!(e.resolve("nope"), None);
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let e = Entities::parse("<!ENTITY a '&b;'><!ENTITY b '&a;'>");
        assert!(e.resolve("a").is_some());
    }
}
