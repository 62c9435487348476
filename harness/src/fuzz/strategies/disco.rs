//! Entity-capabilities disco#info results: identities, features and
//! extended forms, in any order.

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

use super::foreign::unicode_text;
use super::pubsub::{FormField, form_xml};
use crate::fuzz::xml::escape_attr;
use crate::ns;

/// A disco#info identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Identity {
    /// `category`.
    pub category: String,
    /// `type`.
    pub kind: String,
    /// `xml:lang`, when present.
    pub lang: Option<String>,
    /// `name`, when present.
    pub name: Option<String>,
}

/// A disco#info result as an entity advertising caps would answer.
#[derive(Debug, Clone)]
pub struct DiscoInfo {
    /// Identities, unique by category/type/lang, in the order written.
    pub identities: Vec<Identity>,
    /// Features, unique, in the order written.
    pub features: Vec<String>,
    /// XEP-0128 forms (each with a hidden `FORM_TYPE` first or elsewhere),
    /// unique by `FORM_TYPE`, in the order written.
    pub forms: Vec<Vec<FormField>>,
}

impl DiscoInfo {
    /// The `<query xmlns='http://jabber.org/protocol/disco#info'/>` element.
    pub fn xml(&self) -> String {
        let mut out = format!("<query xmlns='{}'>", ns::DISCO_INFO);
        for i in &self.identities {
            out += &format!(
                "<identity category='{}' type='{}'",
                escape_attr(&i.category),
                escape_attr(&i.kind)
            );
            if let Some(lang) = &i.lang {
                out += &format!(" xml:lang='{}'", escape_attr(lang));
            }
            if let Some(name) = &i.name {
                out += &format!(" name='{}'", escape_attr(name));
            }
            out += "/>";
        }
        for f in &self.features {
            out += &format!("<feature var='{}'/>", escape_attr(f));
        }
        for form in &self.forms {
            out += &form_xml("result", form);
        }
        out + "</query>"
    }
}

/// Names in the shape of disco categories, types, features and field vars,
/// drawn from a small alphabet that includes characters sorting before and
/// after `<` and `/` so that prefix and separator orderings get exercised.
fn token() -> impl Strategy<Value = String> {
    "[a-c][a-c#+:/=-]{0,4}"
}

/// An entity-capabilities disco#info result: identities, features and
/// extended forms, each list shuffled.
pub fn disco_info() -> impl Strategy<Value = DiscoInfo> {
    // Categories and types are registry names ([a-z-]); '-' sorts before
    // the '/' that separates them in S.
    let name = "[a-c][a-c-]{0,3}";
    let identities = btree_map(
        (name, name, option::of("[a-z]{2}(-[A-Z]{2})?")),
        option::of(unicode_text(6)),
        1..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|((category, kind, lang), name)| Identity {
                category,
                kind,
                lang,
                name,
            })
            .collect::<Vec<_>>()
    });
    let features = proptest::collection::btree_set(token(), 0..6)
        .prop_map(|s| s.into_iter().collect::<Vec<_>>());
    let values = vec(unicode_text(5), 0..3);
    let fields = btree_map(
        token().prop_filter("not FORM_TYPE", |v| v != "FORM_TYPE"),
        values,
        0..4,
    );
    let forms = btree_map(token(), fields, 0..3).prop_map(|forms| {
        forms
            .into_iter()
            .map(|(form_type, fields)| {
                let mut out = vec![FormField {
                    var: "FORM_TYPE".into(),
                    kind: Some("hidden"),
                    values: vec![form_type],
                }];
                out.extend(fields.into_iter().map(|(var, values)| FormField {
                    var,
                    kind: None,
                    values,
                }));
                out
            })
            .collect::<Vec<_>>()
    });
    (identities, features, forms)
        .prop_flat_map(|(identities, features, forms)| {
            let forms = forms
                .into_iter()
                .map(|f| Just(f).prop_shuffle())
                .collect::<Vec<_>>();
            (
                Just(identities).prop_shuffle(),
                Just(features).prop_shuffle(),
                forms.prop_shuffle(),
            )
        })
        .prop_map(|(identities, features, forms)| DiscoInfo {
            identities,
            features,
            forms,
        })
}
