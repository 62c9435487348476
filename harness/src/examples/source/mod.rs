//! Reading a XEP source: its header, its examples (number, caption, section
//! and text, with a map from every byte of the text back to the file), its
//! code blocks, and its prose.
//!
//! Examples hold CDATA, or text with `&lt;` escapes, or both, spliced with
//! entity references (`]]>&namespace;<![CDATA[`). Their text is the
//! concatenation with references resolved; an entity neither the XEP nor
//! `xep.ent` declares is kept by name and listed, so checks can go on.

use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::entities::Entities;

/// One XEP source file, read.
#[derive(Debug, Clone)]
pub struct XepSource {
    /// The file, as given.
    pub path: PathBuf,
    /// Its whole text, for line and column numbers.
    pub text: String,
    /// `<header><number>`, when it is a number.
    pub number: Option<u32>,
    /// `<header><title>`.
    pub title: String,
    /// `<header><status>` (`Draft`, `Deferred`, …).
    pub status: String,
    /// `<header><type>` (`Standards Track`, `Informational`, `Humorous`, …).
    pub kind: String,
    /// `<header><shortname>` (`cam`; `None` or `N/A` where it has none).
    pub shortname: String,
    /// The newest revision's version (the first `<revision>`).
    pub version: Option<String>,
    /// The `<example>` elements in document order, numbered from 1 as the
    /// rendered XEP numbers them.
    pub examples: Vec<Example>,
    /// The text of every `<code>` block (schemas, registry submissions).
    pub code_blocks: Vec<String>,
    /// The same code blocks with their map back to the file (numbered 0),
    /// so that those holding stanzas can be checked like examples.
    pub code_examples: Vec<Example>,
    /// The text outside the header, examples and code blocks.
    pub prose: String,
}

/// One example of a XEP.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its number in the rendered XEP ("Example 5").
    pub number: usize,
    /// Its caption, references resolved.
    pub caption: String,
    /// The number of the section holding it (`3.3`).
    pub section: String,
    /// Its text, references resolved.
    pub text: String,
    /// Entity references nobody declares, with their offset in `text`.
    pub unresolved: Vec<(String, usize)>,
    /// Byte offset in the file where the example's content starts.
    start: usize,
    pieces: Vec<Piece>,
}

/// A run of the example's text and where it comes from in the file.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Offset of the run in the example's text.
    at: usize,
    /// Offset in the file of the first byte (of the reference, if not
    /// verbatim).
    source: usize,
    /// Copied byte for byte from the file (CDATA or plain text), rather than
    /// standing for a reference.
    verbatim: bool,
}

impl Example {
    /// The byte offset in the XEP file of byte `offset` of the text.
    pub fn source_offset(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.at <= offset);
        match index.checked_sub(1).map(|i| self.pieces[i]) {
            Some(p) if p.verbatim => p.source + (offset - p.at),
            Some(p) => p.source,
            None => self.start,
        }
    }
}

/// Why a XEP source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not well-formed XML.
    #[error("{}:{line}:{column}: the XEP source is not well-formed XML: {message}", path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// The parser's message.
        message: String,
    },
}

mod walker;

use walker::Walker;

impl XepSource {
    /// Reads the file at `path`; entities it does not declare itself are
    /// looked up in `shared` (the definitions of `xep.ent`).
    pub fn read(path: &Path, shared: &Entities) -> Result<Self, SourceError> {
        let text = std::fs::read_to_string(path).map_err(|source| SourceError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, text, shared)
    }

    /// Reads a XEP from `text`, naming it `path` in messages.
    pub fn parse(path: &Path, text: String, shared: &Entities) -> Result<Self, SourceError> {
        let mut walker = Walker::new(shared);
        let mut reader = Reader::from_str(&text);
        loop {
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let offset = (reader.error_position() as usize).min(text.len());
                    let (line, column) = crate::stanza::parse::line_column(&text, offset);
                    return Err(SourceError::Xml {
                        path: path.to_owned(),
                        line,
                        column,
                        message: e.to_string(),
                    });
                }
            };
            let end = reader.buffer_position() as usize;
            if matches!(event, Event::Eof) {
                break;
            }
            walker.event(event, end);
        }
        Ok(XepSource {
            path: path.to_owned(),
            text,
            number: walker.number.trim().parse().ok(),
            title: walker.title.trim().to_owned(),
            status: walker.status.trim().to_owned(),
            shortname: walker.shortname.trim().to_owned(),
            kind: walker.kind.trim().to_owned(),
            version: walker.version.map(|v| v.trim().to_owned()),
            examples: walker.examples,
            code_blocks: walker.code_blocks,
            code_examples: walker.code_examples,
            prose: walker.prose,
        })
    }

    /// Line and column (from 1) in the file of byte `offset` of `example`'s
    /// text.
    pub fn position(&self, example: &Example, offset: usize) -> (usize, usize) {
        crate::stanza::parse::line_column(&self.text, example.source_offset(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XEP: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE xep SYSTEM 'xep.dtd' [
  <!ENTITY ns "urn:xmpp:fixture:1">
  <!ENTITY % ents SYSTEM 'xep.ent'>
%ents;
]>
<xep>
<header>
  <title>Fixture</title>
  <number>9999</number>
  <revision><version>1.2.0</version></revision>
  <revision><version>1.1.0</version></revision>
</header>
<section1 topic='Intro' anchor='intro'>
  <p>text</p>
  <section2 topic='Use' anchor='use'>
    <example caption='First &amp; &shared;'><![CDATA[<a xmlns=']]>&ns;<![CDATA['/>]]></example>
  </section2>
</section1>
<section1 topic='Registrar' anchor='registrar'>
  <p>Defines <tt>urn:xmpp:fixture:1</tt>.</p>
  <example>&lt;b&gt;&unknown;&lt;/b&gt;</example>
  <code><![CDATA[<ns><name>]]>&ns;<![CDATA[</name></ns>]]></code>
</section1>
</xep>
"#;

    fn read() -> XepSource {
        let shared = Entities::parse("<!ENTITY shared 'S'>");
        XepSource::parse(Path::new("x.xml"), XEP.to_owned(), &shared).unwrap()
    }

    #[test]
    fn header_and_examples() {
        let xep = read();
        assert_eq!(xep.number, Some(9999));
        assert_eq!(xep.title, "Fixture");
        assert_eq!(xep.version.as_deref(), Some("1.2.0"));
        assert_eq!(xep.examples.len(), 2);
        let first = &xep.examples[0];
        assert_eq!(first.caption, "First & S");
        assert_eq!(first.section, "1.1");
        assert_eq!(first.text, "<a xmlns='urn:xmpp:fixture:1'/>");
        let second = &xep.examples[1];
        assert_eq!(second.number, 2);
        assert_eq!(second.section, "2");
        assert_eq!(second.text, "<b>unknown</b>");
        assert_eq!(second.unresolved, vec![("unknown".to_owned(), 3)]);
        assert_eq!(
            xep.code_blocks,
            vec!["<ns><name>urn:xmpp:fixture:1</name></ns>"]
        );
        assert!(xep.prose.contains("urn:xmpp:fixture:1"));
        assert!(!xep.prose.contains("Fixture"));
    }

    #[test]
    fn offsets_map_back_to_the_file() {
        let xep = read();
        let first = &xep.examples[0];
        // `<a` starts the CDATA on line 17.
        let (line, column) = xep.position(first, 0);
        assert_eq!(line, 17);
        assert_eq!(&XEP.lines().nth(16).unwrap()[column - 1..column + 1], "<a");
        // The closing `'/>` comes after the reference, in the second CDATA.
        let slash = first.text.find("/>").unwrap();
        let (line, column) = xep.position(first, slash);
        assert_eq!(
            &XEP.lines().nth(line - 1).unwrap()[column - 1..column + 1],
            "/>"
        );
        // A byte of the resolved reference points at the `&`.
        let inside = first.text.find("fixture").unwrap();
        let (_, column) = xep.position(first, inside);
        assert_eq!(
            &XEP.lines().nth(16).unwrap()[column - 1..column + 3],
            "&ns;"
        );
        // An escaped example: `&lt;` stands at its own place.
        let second = &xep.examples[1];
        let (line, column) = xep.position(second, second.text.find("</b>").unwrap());
        assert_eq!(
            &XEP.lines().nth(line - 1).unwrap()[column - 1..column + 3],
            "&lt;"
        );
    }

    #[test]
    fn broken_source_names_line_and_column() {
        let err = XepSource::parse(
            Path::new("bad.xml"),
            "<xep>\n<p>a</q>\n</xep>".into(),
            &Entities::default(),
        )
        .unwrap_err();
        let SourceError::Xml { line, .. } = err else {
            panic!("{err}")
        };
        assert_eq!(line, 2);
    }
}
