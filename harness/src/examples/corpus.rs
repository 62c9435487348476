//! What the XEPs define, read from the XEP sources themselves: namespaces
//! (schema `targetNamespace`s, `<ns>` registry submissions, and the URIs a
//! XEP's prose names: many XEPs define their namespace only in a sentence
//! or in a registrar section's list), disco features (`<var>` submissions,
//! and those URIs), and FORM_TYPEs with their registered fields.
//!
//! Examples are never read for definitions: a name an example uses is what
//! is being checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::entities::Entities;
use super::schema::Schema;
use super::source::{SourceError, XepSource};

/// A registered FORM_TYPE.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormType {
    /// Field `var` → its registered `type` (empty when not given).
    pub fields: BTreeMap<String, String>,
    /// The XEPs that register it or add fields to it.
    pub xeps: BTreeSet<u32>,
}

/// The names the XEP corpus defines.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Namespace → the XEPs defining it (0 for a file without a number).
    pub namespaces: BTreeMap<String, BTreeSet<u32>>,
    /// Disco features registered in `<var>` submissions.
    pub features: BTreeSet<String>,
    /// FORM_TYPE → its fields.
    pub form_types: BTreeMap<String, FormType>,
    /// Namespace → its schema, from the XEPs' "XML Schema" sections.
    pub schemas: BTreeMap<String, Schema>,
}

/// The XEP sources of a corpus folder and what they define.
#[derive(Debug, Default)]
pub struct LoadedCorpus {
    /// What they define.
    pub corpus: Corpus,
    /// The sources that could be read, by canonical path.
    pub sources: BTreeMap<PathBuf, XepSource>,
    /// The files that could not be parsed, with why.
    pub broken: Vec<SourceError>,
    /// The definitions of `xep.ent`, for reading other files.
    pub entities: Entities,
}

impl Corpus {
    /// Reads every `xep-*.xml` in `dir` (not its subfolders), with the
    /// entities of `dir/xep.ent` when it is there.
    pub fn load(dir: &Path) -> Result<LoadedCorpus, SourceError> {
        let read_error = |source| SourceError::Read {
            path: dir.to_owned(),
            source,
        };
        let entities = match std::fs::read_to_string(dir.join("xep.ent")) {
            Ok(text) => Entities::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Entities::default(),
            Err(source) => return Err(read_error(source)),
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(read_error)?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| is_xep_file(p))
            .collect();
        paths.sort();
        let mut loaded = LoadedCorpus {
            entities,
            ..LoadedCorpus::default()
        };
        for path in paths {
            match XepSource::read(&path, &loaded.entities) {
                Ok(source) => {
                    loaded.corpus.add(&source);
                    let key = path.canonicalize().unwrap_or(path);
                    loaded.sources.insert(key, source);
                }
                Err(e @ SourceError::Xml { .. }) => loaded.broken.push(e),
                Err(e) => return Err(e),
            }
        }
        Ok(loaded)
    }

    /// Adds what `source` defines.
    pub fn add(&mut self, source: &XepSource) {
        let xep = source.number.unwrap_or(0);
        for code in &source.code_blocks {
            self.add_code(xep, code);
            if let Some((ns, schema)) = super::schema::read(code) {
                self.add_schema(xep, ns, schema);
            }
        }
        // Some XEPs print their registry submissions as examples. Those
        // adding fields to a registered form type count; a new form type
        // shown that way may be only partly listed, so it does not.
        for example in &source.examples {
            let head = example.text.trim_start();
            if ["<form_type", "<ns>", "<var>"]
                .iter()
                .any(|t| head.starts_with(t))
            {
                let known: Vec<String> = self.form_types.keys().cloned().collect();
                self.add_code(xep, &example.text);
                self.form_types.retain(|name, _| known.contains(name));
            }
        }
        for uri in uris(&source.prose) {
            self.add_namespace(xep, uri);
        }
    }

    /// Adds `schema` as (part of) `namespace`'s schema.
    fn add_schema(&mut self, xep: u32, namespace: String, schema: Schema) {
        let entry = self.schemas.entry(namespace).or_default();
        entry.xeps.insert(xep);
        for (name, decl) in schema.elements {
            match entry.elements.get_mut(&name) {
                Some(known) => super::schema::merge(known, decl),
                None => {
                    entry.elements.insert(name, decl);
                }
            }
        }
    }

    /// Whether `namespace` is defined by some XEP.
    pub fn defines_namespace(&self, namespace: &str) -> bool {
        self.namespaces.contains_key(namespace)
    }

    /// Whether `feature` is a registered feature or a defined namespace.
    pub fn defines_feature(&self, feature: &str) -> bool {
        self.features.contains(feature) || self.namespaces.contains_key(feature)
    }

    /// Whether `form_type` describes an entity (`…#roominfo`,
    /// `…#meta-data`) and `var` is registered for another FORM_TYPE of the
    /// same protocol (the part before `#`): XEP-0045 lets room information
    /// show `muc#roomconfig` fields, XEP-0060 lets node meta-data show
    /// `pubsub#node_config` ones.
    pub fn registered_beside(&self, form_type: &str, var: &str) -> bool {
        let Some((protocol, kind)) = form_type.split_once('#') else {
            return false;
        };
        if !(kind.ends_with("info") || kind == "meta-data") {
            return false;
        }
        self.form_types.iter().any(|(name, other)| {
            name != form_type
                && name.split_once('#').is_some_and(|(p, _)| p == protocol)
                && other.fields.contains_key(var)
        })
    }

    fn add_namespace(&mut self, xep: u32, namespace: &str) {
        let namespace = namespace.trim();
        if namespace.is_empty() {
            return;
        }
        self.namespaces
            .entry(namespace.to_owned())
            .or_default()
            .insert(xep);
    }

    /// Reads a code block as XML as far as it is XML: schemas'
    /// `targetNamespace`, and `<ns>`, `<var>` and `<form_type>` registry
    /// submissions.
    fn add_code(&mut self, xep: u32, code: &str) {
        let mut reader = Reader::from_str(code);
        let mut stack: Vec<String> = Vec::new();
        let mut form: Option<(String, FormType)> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(tag)) => {
                    self.open(xep, &tag, &stack, &mut form);
                    stack.push(local_name(&tag));
                }
                Ok(Event::Empty(tag)) => self.open(xep, &tag, &stack, &mut form),
                Ok(Event::End(_)) => {
                    if stack.pop().as_deref() == Some("form_type")
                        && let Some((name, fields)) = form.take()
                    {
                        self.add_form_type(xep, name, fields);
                    }
                }
                Ok(Event::Text(text)) => {
                    let text = text.into_inner();
                    let text = text.trim();
                    let n = stack.len();
                    let parent = n.checked_sub(2).map(|i| stack[i].as_str());
                    if n == 0 || stack[n - 1] != "name" {
                        continue;
                    }
                    match parent {
                        Some("ns") => self.add_namespace(xep, text),
                        Some("var") => {
                            self.features.insert(text.to_owned());
                        }
                        Some("form_type") => {
                            if let Some((name, _)) = &mut form {
                                name.push_str(text);
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }

    fn open(
        &mut self,
        xep: u32,
        tag: &BytesStart<'_>,
        stack: &[String],
        form: &mut Option<(String, FormType)>,
    ) {
        let name = local_name(tag);
        let attribute = |key: &str| match tag.try_get_attribute(key) {
            Ok(Some(a)) => Some(a.value.into_owned()),
            _ => None,
        };
        match name.as_str() {
            "schema" => {
                if let Some(ns) = attribute("targetNamespace") {
                    self.add_namespace(xep, &ns);
                }
            }
            "form_type" => *form = Some((String::new(), FormType::default())),
            "field" if stack.last().map(String::as_str) == Some("form_type") => {
                if let (Some((_, fields)), Some(var)) = (form.as_mut(), attribute("var")) {
                    let kind = attribute("type").unwrap_or_default();
                    fields.fields.insert(var, kind);
                }
            }
            _ => {}
        }
    }

    fn add_form_type(&mut self, xep: u32, name: String, fields: FormType) {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return;
        }
        let entry = self.form_types.entry(name).or_default();
        entry.xeps.insert(xep);
        for (var, kind) in fields.fields {
            let slot = entry.fields.entry(var).or_default();
            if slot.is_empty() {
                *slot = kind;
            }
        }
    }
}

/// Whether a path names a XEP source (`xep-0402.xml`).
pub fn is_xep_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("xep-") && n.ends_with(".xml"))
}

fn local_name(tag: &BytesStart<'_>) -> String {
    tag.local_name().as_ref().to_owned()
}

/// The URI-like words of prose: `urn:…`, `http(s)://…`, `jabber:…`,
/// `storage:…`, `vcard-temp…`, without trailing punctuation.
pub fn uris(text: &str) -> impl Iterator<Item = &str> {
    const STARTS: &[&str] = &[
        "urn:",
        "http://",
        "https://",
        "jabber:",
        "storage:",
        "vcard-temp",
    ];
    text.split(|c: char| c.is_whitespace() || "\"'<>()[]{},;`‘’“”«»".contains(c))
        .map(|w| w.trim_end_matches(['.', ':', '!', '?']))
        .filter(|w| STARTS.iter().any(|s| w.starts_with(s)) && w.len() > 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(code: &[&str], registrar: &str) -> XepSource {
        let mut text = String::from("<xep><header><number>0999</number></header>");
        text.push_str("<section1 topic='XMPP Registrar Considerations' anchor='registrar'><p>");
        text.push_str(registrar);
        text.push_str("</p>");
        for c in code {
            text.push_str(&format!("<code><![CDATA[{c}]]></code>"));
        }
        text.push_str("</section1></xep>");
        XepSource::parse(Path::new("t.xml"), text, &Entities::default()).unwrap()
    }

    #[test]
    fn reads_schemas_submissions_and_registrar_prose() {
        let mut corpus = Corpus::default();
        corpus.add(&source(
            &[
                "<?xml version='1.0'?><xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:xmpp:a:1'/>",
                "<ns><name>urn:xmpp:b:0</name><doc>x</doc></ns><var><name>urn:xmpp:b:0#feat</name></var>",
                "<form_type><name>urn:xmpp:b:0#form</name><field var='b#flag' type='boolean' label='l'/><field var='b#text'/></form_type>",
            ],
            "This defines urn:xmpp:c:2. See http://jabber.org/protocol/d#e, too.",
        ));
        for ns in [
            "urn:xmpp:a:1",
            "urn:xmpp:b:0",
            "urn:xmpp:c:2",
            "http://jabber.org/protocol/d#e",
        ] {
            assert!(
                corpus.defines_namespace(ns),
                "{ns}: {:?}",
                corpus.namespaces
            );
        }
        assert!(!corpus.defines_namespace("http://www.w3.org/2001/XMLSchema"));
        assert_eq!(corpus.namespaces["urn:xmpp:a:1"], BTreeSet::from([999]));
        assert!(corpus.defines_feature("urn:xmpp:b:0#feat"));
        assert!(corpus.defines_feature("urn:xmpp:a:1"));
        let form = &corpus.form_types["urn:xmpp:b:0#form"];
        assert_eq!(form.fields["b#flag"], "boolean");
        assert_eq!(form.fields["b#text"], "");
    }

    #[test]
    fn a_form_type_gathers_fields_from_several_xeps() {
        let mut corpus = Corpus::default();
        corpus.add(&source(
            &["<form_type><name>f</name><field var='a'/></form_type>"],
            "",
        ));
        corpus.add(&source(
            &["<form_type><name>f</name><field var='b' type='boolean'/></form_type>"],
            "",
        ));
        assert_eq!(corpus.form_types["f"].fields.len(), 2);
    }

    #[test]
    fn information_forms_may_show_their_protocols_configuration_fields() {
        let mut corpus = Corpus::default();
        corpus.add(&source(
            &[
                "<form_type><name>urn:p#config</name><field var='p#size'/></form_type>",
                "<form_type><name>urn:p#meta-data</name><field var='p#owner'/></form_type>",
                "<form_type><name>urn:q#roominfo</name><field var='q#topic'/></form_type>",
            ],
            "",
        ));
        assert!(corpus.registered_beside("urn:p#meta-data", "p#size"));
        assert!(!corpus.registered_beside("urn:p#config", "p#owner"));
        assert!(!corpus.registered_beside("urn:q#roominfo", "p#size"));
    }
}
