//! Walking the XML events of a XEP file and keeping what the checks need:
//! examples with their byte map, code blocks, prose, and the header.

use quick_xml::events::{BytesStart, Event};

use super::{Example, Piece};
use crate::examples::entities::Entities;

/// What is being collected at the moment.
enum Capture {
    Example(Example),
    Code(String, Example),
}

/// Walks the events of a XEP file and keeps what the checks need.
pub(super) struct Walker<'a> {
    entities: Entities,
    shared: &'a Entities,
    stack: Vec<String>,
    sections: Vec<usize>,
    capture: Option<(Capture, usize)>,
    pub(super) examples: Vec<Example>,
    pub(super) code_blocks: Vec<String>,
    pub(super) code_examples: Vec<Example>,
    pub(super) prose: String,
    pub(super) number: String,
    pub(super) title: String,
    pub(super) status: String,
    pub(super) shortname: String,
    pub(super) kind: String,
    pub(super) version: Option<String>,
    version_open: bool,
}

impl<'a> Walker<'a> {
    pub(super) fn new(shared: &'a Entities) -> Self {
        Walker {
            entities: Entities::default(),
            shared,
            stack: Vec::new(),
            sections: Vec::new(),
            capture: None,
            examples: Vec::new(),
            code_blocks: Vec::new(),
            code_examples: Vec::new(),
            prose: String::new(),
            number: String::new(),
            title: String::new(),
            status: String::new(),
            shortname: String::new(),
            kind: String::new(),
            version: None,
            version_open: false,
        }
    }

    pub(super) fn event(&mut self, event: Event<'_>, end: usize) {
        match event {
            Event::DocType(dtd) => {
                self.entities = Entities::parse(&dtd.into_inner());
                self.entities.extend_from(self.shared);
            }
            Event::Start(tag) => self.start(&tag, end),
            Event::Empty(tag) => {
                self.start(&tag, end);
                self.end();
            }
            Event::End(_) => self.end(),
            Event::Text(text) => {
                let raw = text.into_inner();
                self.text(&raw, end - raw.len(), true);
            }
            Event::CData(data) => {
                let raw = data.into_inner();
                if let Some((capture, _)) = &mut self.capture {
                    push(capture, &raw, end - 3 - raw.len(), true);
                }
            }
            Event::GeneralRef(reference) => {
                let name = reference.into_inner();
                let at = end - name.len() - 2;
                match self.entities.resolve(&name) {
                    Some(value) => self.text(&value, at, false),
                    None => {
                        if let Some((Capture::Example(example), _)) = &mut self.capture {
                            example
                                .unresolved
                                .push((name.to_string(), example.text.len()));
                        }
                        self.text(&name, at, false);
                    }
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &BytesStart<'_>, end: usize) {
        let name = tag.local_name().as_ref().to_owned();
        if let Some((_, depth)) = &mut self.capture {
            *depth += 1;
            self.stack.push(name);
            return;
        }
        if let Some(depth) = section_depth(&name) {
            self.sections.truncate(depth);
            self.sections.resize(depth, 0);
            self.sections[depth - 1] += 1;
        }
        match name.as_str() {
            "example" => {
                let example = Example {
                    number: self.examples.len() + 1,
                    caption: self.attribute(tag, "caption"),
                    section: self.section_number(),
                    text: String::new(),
                    unresolved: Vec::new(),
                    start: end,
                    pieces: Vec::new(),
                };
                self.capture = Some((Capture::Example(example), 0));
            }
            "code" => {
                let example = Example {
                    number: 0,
                    caption: format!(
                        "code block {} in section {}",
                        self.code_blocks.len() + 1,
                        self.section_number()
                    ),
                    section: self.section_number(),
                    text: String::new(),
                    unresolved: Vec::new(),
                    start: end,
                    pieces: Vec::new(),
                };
                self.capture = Some((Capture::Code(String::new(), example), 0));
            }
            "version"
                if self.version.is_none() && self.stack.last().is_some_and(|o| o == "revision") =>
            {
                self.version = Some(String::new());
                self.version_open = true;
            }
            _ => {}
        }
        self.stack.push(name);
    }

    fn end(&mut self) {
        let closed = self.stack.pop();
        if let Some((_, depth)) = &mut self.capture {
            if *depth > 0 {
                *depth -= 1;
                return;
            }
            match self.capture.take() {
                Some((Capture::Example(example), _)) => self.examples.push(example),
                Some((Capture::Code(code, example), _)) => {
                    self.code_blocks.push(code);
                    self.code_examples.push(example);
                }
                None => {}
            }
            return;
        }
        let closed = closed.unwrap_or_default();
        if closed == "version" {
            self.version_open = false;
        }
        if let Some(depth) = section_depth(&closed) {
            self.sections.truncate(depth);
        }
    }

    /// Text (or a resolved reference) at byte `at` of the file.
    fn text(&mut self, text: &str, at: usize, verbatim: bool) {
        if let Some((capture, _)) = &mut self.capture {
            push(capture, text, at, verbatim);
            return;
        }
        let in_header = self.stack.len() >= 2 && self.stack[1] == "header";
        match self.stack.last().map(String::as_str) {
            Some("number") if in_header && self.stack.len() == 3 => self.number.push_str(text),
            Some("title") if in_header && self.stack.len() == 3 => self.title.push_str(text),
            Some("status") if in_header && self.stack.len() == 3 => self.status.push_str(text),
            Some("type") if in_header && self.stack.len() == 3 => self.kind.push_str(text),
            Some("shortname") if in_header && self.stack.len() == 3 => {
                self.shortname.push_str(text)
            }
            Some("version") if self.version_open => {
                if let Some(v) = &mut self.version {
                    v.push_str(text);
                }
            }
            _ => {}
        }
        if !in_header {
            self.prose.push_str(text);
            self.prose.push(' ');
        }
    }

    fn attribute(&self, tag: &BytesStart<'_>, name: &str) -> String {
        match tag.try_get_attribute(name) {
            Ok(Some(a)) => self.entities.expand_text(&a.value),
            _ => String::new(),
        }
    }

    fn section_number(&self) -> String {
        self.sections
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
}

fn push(capture: &mut Capture, text: &str, source: usize, verbatim: bool) {
    match capture {
        Capture::Code(code, example) => {
            code.push_str(text);
            push_piece(example, text, source, verbatim);
        }
        Capture::Example(example) => push_piece(example, text, source, verbatim),
    }
}

fn push_piece(example: &mut Example, text: &str, source: usize, verbatim: bool) {
    example.pieces.push(Piece {
        at: example.text.len(),
        source,
        verbatim,
    });
    example.text.push_str(text);
}

/// `section2` → 2.
fn section_depth(name: &str) -> Option<usize> {
    name.strip_prefix("section")
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=6).contains(n))
}
