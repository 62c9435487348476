//! The checks, one function each, over one example. Each returns problems
//! located by byte offset in the example's text.

use std::cell::RefCell;
use std::collections::HashMap;

use minidom::Element;

use super::corpus::Corpus;
use super::finding::{Code, Problem};
use super::fragment::{self, Fragment, Parsed, Tag};
use super::known::{RFC_NAMESPACES, is_foreign, is_placeholder, rfc_namespace};
use super::source::Example;
use super::suggest::{Suggestion, suggest};
use crate::ns::{DATA_FORMS, DISCO_INFO};

const BOOLEANS: &[&str] = &["true", "false", "1", "0"];

/// What the checks know, and suggestions already computed.
pub struct Checker<'a> {
    corpus: &'a Corpus,
    namespace_hints: RefCell<HashMap<String, Option<Suggestion>>>,
    feature_hints: RefCell<HashMap<String, Option<Suggestion>>>,
}

/// What became of one example.
#[derive(Debug, Default)]
pub struct Checked {
    /// Whether its text is XML (else it was not checked further).
    pub is_xml: bool,
    /// What is wrong with it.
    pub problems: Vec<Problem>,
    /// Its iq stanzas, for the checks across examples.
    pub iqs: Vec<super::ids::Iq>,
    /// Its ad-hoc commands in sessions, for the checks across examples.
    pub commands: Vec<super::sessions::Command>,
}

impl<'a> Checker<'a> {
    /// A checker knowing what `corpus` defines.
    pub fn new(corpus: &'a Corpus) -> Self {
        Checker {
            corpus,
            namespace_hints: RefCell::default(),
            feature_hints: RefCell::default(),
        }
    }

    /// What the checks know.
    pub fn corpus(&self) -> &Corpus {
        self.corpus
    }

    /// Runs every check on `example`.
    pub fn check(&self, example: &Example) -> Checked {
        self.check_in(example, None)
    }

    /// Runs every check on `example` of XEP `xep` (whose own schemas do
    /// not judge its examples' element names: its text is newer than its
    /// schema more often than not).
    pub fn check_in(&self, example: &Example, xep: Option<u32>) -> Checked {
        self.check_after(example, xep, &[])
    }

    /// [`Self::check_in`] for an example that continues earlier ones, whose
    /// namespace prefixes (prefix, namespace) it may use undeclared.
    pub fn check_after(
        &self,
        example: &Example,
        xep: Option<u32>,
        bound: &[(String, String)],
    ) -> Checked {
        let mut problems = unresolved_entities(example);
        let mut iqs = Vec::new();
        let mut commands = Vec::new();
        let is_xml = match fragment::parse_after(&example.text, bound) {
            Fragment::NotXml => false,
            Fragment::Broken(broken) => {
                for error in broken.errors {
                    problems.push(Problem::new(
                        Code::NotWellFormed,
                        error.offset,
                        error.message,
                    ));
                }
                if let Some(parsed) = &broken.rest {
                    problems.extend(self.parsed(parsed, xep));
                    iqs = super::ids::iqs(parsed);
                    commands = super::sessions::commands(parsed);
                }
                if let Some(mended) = &broken.mended {
                    let sure = |p: &Problem| !broken.guessed.iter().any(|g| g.contains(&p.offset));
                    problems.extend(self.mended(mended, xep).into_iter().filter(sure));
                }
                true
            }
            Fragment::Parsed(parsed) => {
                problems.extend(self.parsed(&parsed, xep));
                iqs = super::ids::iqs(&parsed);
                commands = super::sessions::commands(&parsed);
                true
            }
        };
        super::sketches::drop_what_sketches_leave_out(example, &mut problems);
        problems.sort_by_key(|p| p.offset);
        Checked {
            is_xml,
            problems,
            iqs,
            commands,
        }
    }

    /// The checks of well-formed elements.
    fn parsed(&self, parsed: &Parsed, xep: Option<u32>) -> Vec<Problem> {
        let mut out = duplicate_attributes(parsed);
        out.extend(super::rejections::parser_rejections(parsed));
        out.extend(self.mended(parsed, xep));
        out
    }

    /// The checks that still mean something on elements mended from a
    /// broken example (see [`fragment::Broken::mended`]): not the stanza
    /// parser's verdict, which a guessed end tag could sway, nor ids.
    fn mended(&self, parsed: &Parsed, xep: Option<u32>) -> Vec<Problem> {
        let mut out = self.namespaces(parsed);
        out.extend(self.features(parsed));
        out.extend(self.forms(parsed));
        let field_type = |form_type: &str, var: &str| {
            self.corpus
                .form_types
                .get(form_type)
                .and_then(|t| t.fields.get(var))
                .cloned()
        };
        out.extend(super::rules::check(parsed, &field_type));
        out.extend(super::validate::validate(parsed, &self.corpus.schemas, xep));
        out
    }

    /// W101: every namespace declared (`xmlns`, `xmlns:p`) is defined by a
    /// XEP or an XMPP RFC, is a placeholder, or is another body's and not
    /// a near miss of a known one.
    pub fn namespaces(&self, parsed: &Parsed) -> Vec<Problem> {
        let mut out = Vec::new();
        for tag in &parsed.tags {
            for attr in &tag.attributes {
                let declares = attr.name == "xmlns" || attr.name.starts_with("xmlns:");
                let ns = attr.value.trim();
                if !declares
                    || ns.is_empty()
                    || self.knows_namespace(ns)
                    || is_placeholder(ns)
                    || is_made_up(ns)
                {
                    continue;
                }
                let hint = self.namespace_hint(ns);
                if is_foreign(ns) && hint.is_none() {
                    continue;
                }
                let message = format!("namespace '{ns}' is not defined by any XEP or XMPP RFC");
                out.push(self.unknown(Code::UnknownNamespace, attr.offset, ns, message, hint));
            }
        }
        out
    }

    /// W102: every disco#info `<feature var>` is a registered feature or a
    /// defined namespace (`+notify` interests count as their namespace).
    pub fn features(&self, parsed: &Parsed) -> Vec<Problem> {
        let mut out = Vec::new();
        for (index, (element, _)) in fragment::walk(&parsed.roots).into_iter().enumerate() {
            if !element.is("feature", DISCO_INFO) {
                continue;
            }
            let Some(attr) = parsed.tags.get(index).and_then(|t| t.attribute("var")) else {
                continue;
            };
            let var = attr.value.trim();
            let base = var.strip_suffix("+notify").unwrap_or(var);
            // `namespace?action=drop` (XEP-0079) names a feature of a
            // defined namespace.
            let base = base.split_once('?').map_or(base, |(ns, _)| ns);
            if var.is_empty()
                || self.corpus.defines_feature(base)
                || rfc_namespace(base).is_some()
                || is_placeholder(base)
            {
                continue;
            }
            let hint = self.feature_hint(base);
            if is_foreign(base) && hint.is_none() {
                continue;
            }
            let message = format!("feature '{var}' is not registered or named by any XEP");
            out.push(self.unknown(Code::UnknownFeature, attr.offset, var, message, hint));
        }
        out
    }

    /// W301 and E302: the fields of a form with a registered FORM_TYPE are
    /// registered ones (XEP-0068's unregistered forms excepted: `x-` names
    /// and `{namespace}name` extensions), and boolean fields' values are
    /// xs:boolean lexical forms.
    pub fn forms(&self, parsed: &Parsed) -> Vec<Problem> {
        let walk = fragment::walk(&parsed.roots);
        let offset_of = |el: &Element| {
            walk.iter()
                .position(|(e, _)| std::ptr::eq(*e, el))
                .and_then(|i| parsed.tags.get(i))
                .map_or(0, |t: &Tag| t.offset)
        };
        let mut out = Vec::new();
        for (form, _) in walk.iter().filter(|(e, _)| e.is("x", DATA_FORMS)) {
            let fields: Vec<&Element> = form
                .children()
                .filter(|c| c.is("field", DATA_FORMS))
                .collect();
            let registered = fields
                .iter()
                .find(|f| f.attr("var") == Some("FORM_TYPE"))
                .and_then(|f| f.get_child("value", DATA_FORMS))
                .and_then(|v| self.corpus.form_types.get_key_value(v.text().trim()));
            for field in &fields {
                let var = field.attr("var").unwrap_or("");
                let known = registered.and_then(|(_, t)| t.fields.get(var));
                if let Some((name, form_type)) = registered
                    && known.is_none()
                    && !form_type.fields.is_empty()
                    && var != "FORM_TYPE"
                    && !var.is_empty()
                    && !var.starts_with("x-")
                    && !var.starts_with('{')
                    && !self.corpus.registered_beside(name, var)
                {
                    let hint = suggest(var, form_type.fields.keys().map(String::as_str), false);
                    let message = format!("field '{var}' is not registered for FORM_TYPE '{name}'");
                    out.push(self.unknown(
                        Code::UnregisteredField,
                        offset_of(field),
                        var,
                        message,
                        hint,
                    ));
                }
                let kind = field.attr("type").or(known.map(String::as_str));
                if kind != Some("boolean") {
                    continue;
                }
                for value in field.children().filter(|c| c.is("value", DATA_FORMS)) {
                    let text = value.text();
                    if !BOOLEANS.contains(&text.trim()) {
                        out.push(Problem::new(
                            Code::InvalidBoolean,
                            offset_of(value),
                            format!(
                                "value '{}' of boolean field '{var}' is not an xs:boolean (true, false, 1 or 0)",
                                text.trim()
                            ),
                        ));
                    }
                }
            }
        }
        out
    }

    fn knows_namespace(&self, ns: &str) -> bool {
        self.corpus.defines_namespace(ns) || rfc_namespace(ns).is_some()
    }

    fn unknown(
        &self,
        code: Code,
        offset: usize,
        name: &str,
        message: String,
        hint: Option<Suggestion>,
    ) -> Problem {
        let plain = match &hint {
            Some(s) if !s.typo => format!("{message}{}", self.did_you_mean(Some(&s.name))),
            _ => message.clone(),
        };
        let full = format!(
            "{message}{}",
            self.did_you_mean(hint.as_ref().map(|s| s.name.as_str()))
        );
        Problem::new(code, offset, full).about(name, plain, hint)
    }

    fn namespace_hint(&self, ns: &str) -> Option<Suggestion> {
        let strict = is_foreign(ns);
        self.namespace_hints
            .borrow_mut()
            .entry(ns.to_owned())
            .or_insert_with(|| {
                let known = self
                    .corpus
                    .namespaces
                    .keys()
                    .map(String::as_str)
                    .chain(RFC_NAMESPACES.iter().map(|(n, _)| *n));
                suggest(ns, known, strict)
            })
            .clone()
    }

    fn feature_hint(&self, feature: &str) -> Option<Suggestion> {
        let strict = is_foreign(feature);
        self.feature_hints
            .borrow_mut()
            .entry(feature.to_owned())
            .or_insert_with(|| {
                let known = self
                    .corpus
                    .features
                    .iter()
                    .chain(self.corpus.namespaces.keys())
                    .map(String::as_str);
                suggest(feature, known, strict)
            })
            .clone()
    }

    fn did_you_mean(&self, hint: Option<&str>) -> String {
        let Some(hint) = hint else {
            return String::new();
        };
        let by = match (rfc_namespace(hint), self.corpus.namespaces.get(hint)) {
            (Some(rfc), _) => format!(" ({rfc})"),
            (None, Some(xeps)) if !xeps.is_empty() => {
                let names: Vec<String> = xeps.iter().map(|n| format!("XEP-{n:04}")).collect();
                format!(" ({})", names.join(", "))
            }
            _ => String::new(),
        };
        format!("; did you mean '{hint}'{by}?")
    }
}

/// E001: an attribute given twice in one start tag (the stanza parser lets
/// it through; XML does not).
fn duplicate_attributes(parsed: &Parsed) -> Vec<Problem> {
    let mut out = Vec::new();
    for tag in &parsed.tags {
        for (i, attr) in tag.attributes.iter().enumerate() {
            if tag.attributes[..i].iter().any(|a| a.name == attr.name) {
                out.push(Problem::new(
                    Code::NotWellFormed,
                    attr.start,
                    format!("attribute '{}' appears twice", attr.name),
                ));
            }
        }
    }
    out
}

/// Whether a namespace is a made-up stand-in (`foo`, `namespace:1`,
/// `imaginary`, `webtab:prefs`) rather than a name meant to be defined:
/// no URI scheme an XMPP namespace uses, no dot, no slash.
fn is_made_up(ns: &str) -> bool {
    const SCHEMES: &[&str] = &[
        "urn:",
        "jabber:",
        "http:",
        "https:",
        "storage:",
        "vcard-temp",
    ];
    !SCHEMES.iter().any(|s| ns.starts_with(s)) && !ns.contains('.') && !ns.contains('/')
}

/// W002: entity references nobody declares.
pub fn unresolved_entities(example: &Example) -> Vec<Problem> {
    example
        .unresolved
        .iter()
        .map(|(name, offset)| {
            Problem::new(
                Code::UnresolvedEntity,
                *offset,
                format!("entity '&{name};' is declared neither in this XEP nor in xep.ent"),
            )
        })
        .collect()
}
