//! What the example checks report: a stable code, a severity, a message, and
//! where in the XEP source the problem is.

use serde::Serialize;

use super::suggest::Suggestion;

/// How bad a finding is; an error makes `xepspec examples` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The example is wrong whatever the reader's software.
    Error,
    /// Very likely a mistake, but the checker's knowledge may be incomplete.
    Warning,
    /// Not a mistake of the example: something a reader should know (a
    /// library stricter than the specification).
    Info,
}

impl Severity {
    /// The word printed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The checks' codes. The list is stable: codes are never renumbered or
/// reused; the README documents each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// E000: the XEP source itself is not well-formed XML.
    SourceNotWellFormed,
    /// E001: an example is not well-formed XML (alone or as a sequence).
    NotWellFormed,
    /// W002: an entity neither the XEP nor `xep.ent` declares.
    UnresolvedEntity,
    /// W101: a namespace no XEP and no RFC defines.
    UnknownNamespace,
    /// I104: a namespace no XEP or RFC defines, used again and again in
    /// one XEP's examples and near no known one: the XEP's own, left
    /// unregistered, rather than a slip.
    OwnNamespace,
    /// W102: a disco feature no XEP registers or mentions.
    UnknownFeature,
    /// W201: xmpp-parsers rejects a payload in a namespace it implements
    /// (no longer given: the refusal alone is I202).
    ParserRejected,
    /// I202: xmpp-parsers refuses a payload for a reason of its own (it is
    /// stricter than the specification), or panics on it.
    ParserStricter,
    /// W301: a data-form field that its registered FORM_TYPE does not list.
    UnregisteredField,
    /// E302: a boolean field value that is not an xs:boolean lexical form.
    InvalidBoolean,
    /// W103: an attribute named like a misspelled `xmlns`.
    MisspelledXmlns,
    /// E401: a stanza carrying `<error>` whose type is not `error`.
    ErrorStanzaType,
    /// W402: an error condition with another type than XEP-0086 gives it.
    ErrorConditionType,
    /// W403: a legacy error code that does not go with the condition.
    ErrorConditionCode,
    /// E303: a data form without a valid `type`.
    FormType,
    /// E304: several values in a field whose type holds one.
    SingleFieldValues,
    /// I305: a `<reported>` field without a type.
    ReportedUntyped,
    /// E306: a data form with `<item>` but no `<reported>`.
    ItemWithoutReported,
    /// W501: an element its namespace's schema does not declare.
    UndeclaredElement,
    /// I502: an attribute the element's schema does not declare.
    UndeclaredAttribute,
    /// I503: an attribute the schema requires is missing.
    MissingAttribute,
    /// I504: an attribute value outside the schema's enumeration.
    InvalidValue,
    /// W505: a child the parent's schema does not allow there.
    ChildNotAllowed,
    /// I601: a request reusing the id of an earlier, answered request.
    IdReused,
    /// I602: an error answering an already answered request while another
    /// waits.
    StaleResponse,
    /// W603: an answer (same id, parties swapped) typed as a request.
    AnswerTypedAsRequest,
    /// W404: a stanza error condition RFC 6120 does not define.
    UndefinedCondition,
    /// E405: an iq without `id` or `type`.
    IqAttributes,
    /// W506: an attribute its schema types `xs:dateTime` whose value is
    /// not an XEP-0082 DateTime.
    NotDateTime,
    /// W003: text right after a start tag that reads like its attributes
    /// (the tag was closed too early).
    AttributesAsText,
    /// W604: a stage of an ad-hoc command session naming another node.
    SessionNodeChanged,
    /// W605: a form submitted in a session with a field the session's
    /// offered form did not have.
    FieldNotOffered,
}

impl Code {
    /// Every code, in order.
    pub const ALL: [Code; 32] = [
        Code::SourceNotWellFormed,
        Code::NotWellFormed,
        Code::UnresolvedEntity,
        Code::UnknownNamespace,
        Code::OwnNamespace,
        Code::UnknownFeature,
        Code::ParserRejected,
        Code::ParserStricter,
        Code::UnregisteredField,
        Code::InvalidBoolean,
        Code::MisspelledXmlns,
        Code::ErrorStanzaType,
        Code::ErrorConditionType,
        Code::ErrorConditionCode,
        Code::FormType,
        Code::SingleFieldValues,
        Code::ReportedUntyped,
        Code::ItemWithoutReported,
        Code::UndeclaredElement,
        Code::UndeclaredAttribute,
        Code::MissingAttribute,
        Code::InvalidValue,
        Code::ChildNotAllowed,
        Code::IdReused,
        Code::StaleResponse,
        Code::AnswerTypedAsRequest,
        Code::SessionNodeChanged,
        Code::FieldNotOffered,
        Code::UndefinedCondition,
        Code::IqAttributes,
        Code::NotDateTime,
        Code::AttributesAsText,
    ];

    /// The code as printed (`E001`).
    pub fn id(self) -> &'static str {
        match self {
            Code::SourceNotWellFormed => "E000",
            Code::NotWellFormed => "E001",
            Code::UnresolvedEntity => "W002",
            Code::UnknownNamespace => "W101",
            Code::OwnNamespace => "I104",
            Code::UnknownFeature => "W102",
            Code::ParserRejected => "W201",
            Code::ParserStricter => "I202",
            Code::UnregisteredField => "W301",
            Code::InvalidBoolean => "E302",
            Code::MisspelledXmlns => "W103",
            Code::ErrorStanzaType => "E401",
            Code::ErrorConditionType => "W402",
            Code::ErrorConditionCode => "W403",
            Code::FormType => "E303",
            Code::SingleFieldValues => "E304",
            Code::ReportedUntyped => "I305",
            Code::ItemWithoutReported => "E306",
            Code::UndeclaredElement => "W501",
            Code::UndeclaredAttribute => "I502",
            Code::MissingAttribute => "I503",
            Code::InvalidValue => "I504",
            Code::ChildNotAllowed => "W505",
            Code::IdReused => "I601",
            Code::StaleResponse => "I602",
            Code::AnswerTypedAsRequest => "W603",
            Code::NotDateTime => "W506",
            Code::AttributesAsText => "W003",
            Code::UndefinedCondition => "W404",
            Code::IqAttributes => "E405",
            Code::SessionNodeChanged => "W604",
            Code::FieldNotOffered => "W605",
        }
    }

    /// The code's name (`not-well-formed`).
    pub fn name(self) -> &'static str {
        match self {
            Code::SourceNotWellFormed => "source-not-well-formed",
            Code::NotWellFormed => "not-well-formed",
            Code::UnresolvedEntity => "unresolved-entity",
            Code::UnknownNamespace => "unknown-namespace",
            Code::OwnNamespace => "own-namespace",
            Code::UnknownFeature => "unknown-feature",
            Code::ParserRejected => "parser-rejected",
            Code::ParserStricter => "parser-stricter",
            Code::UnregisteredField => "unregistered-field",
            Code::InvalidBoolean => "invalid-boolean",
            Code::MisspelledXmlns => "misspelled-xmlns",
            Code::ErrorStanzaType => "error-stanza-type",
            Code::ErrorConditionType => "error-condition-type",
            Code::ErrorConditionCode => "error-condition-code",
            Code::FormType => "form-type",
            Code::SingleFieldValues => "single-field-values",
            Code::ReportedUntyped => "reported-untyped",
            Code::ItemWithoutReported => "item-without-reported",
            Code::UndeclaredElement => "undeclared-element",
            Code::UndeclaredAttribute => "undeclared-attribute",
            Code::MissingAttribute => "missing-attribute",
            Code::InvalidValue => "invalid-value",
            Code::ChildNotAllowed => "child-not-allowed",
            Code::IdReused => "id-reused",
            Code::StaleResponse => "stale-response",
            Code::AnswerTypedAsRequest => "answer-typed-as-request",
            Code::NotDateTime => "not-a-datetime",
            Code::AttributesAsText => "attributes-as-text",
            Code::UndefinedCondition => "undefined-condition",
            Code::IqAttributes => "iq-attributes",
            Code::SessionNodeChanged => "session-node-changed",
            Code::FieldNotOffered => "field-not-offered",
        }
    }

    /// Whether the code judges an example by other specifications as they
    /// stand today (namespaces, features and form fields other XEPs
    /// define, their schemas, xmpp-parsers, RFC 6120's error pairs), rather
    /// than by XML or the example's own consistency.
    pub fn judges_by_other_specs(self) -> bool {
        matches!(
            self,
            Code::UnknownNamespace
                | Code::UnknownFeature
                | Code::ParserRejected
                | Code::UnregisteredField
                | Code::ErrorConditionType
                | Code::ErrorConditionCode
                | Code::UndefinedCondition
                | Code::IqAttributes
                | Code::NotDateTime
                | Code::UndeclaredElement
                | Code::ChildNotAllowed
        )
    }

    /// Whether the code reports what a schema says of one element.
    pub fn judges_by_schema(self) -> bool {
        matches!(
            self,
            Code::UndeclaredElement
                | Code::UndeclaredAttribute
                | Code::MissingAttribute
                | Code::InvalidValue
                | Code::ChildNotAllowed
                | Code::NotDateTime
        )
    }

    /// How bad a finding of this code is.
    pub fn severity(self) -> Severity {
        match self.id().as_bytes()[0] {
            b'E' => Severity::Error,
            b'I' => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One problem in one example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The XEP source file, as given on the command line.
    pub file: String,
    /// The example's number ("Example 5"); 0 for the file as a whole.
    pub example: usize,
    /// The example's caption.
    pub caption: String,
    /// Line in the source file, from 1.
    pub line: usize,
    /// Column in the source file, from 1 (characters).
    pub column: usize,
    /// How bad it is.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// The code's name.
    pub name: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// A finding's message and where it is in the example's text, before the
/// file and line are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The check's code.
    pub code: Code,
    /// Byte offset into the example's text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// For an unknown name: what the check knew of it.
    pub unknown: Option<Unknown>,
}

/// The unknown name a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The name (a namespace, a feature, a form field).
    pub name: String,
    /// The message without a guess by spelling alone (a name a XEP uses
    /// again and again is meant, not mistyped).
    pub plain: String,
    /// The known name offered in its place, if any.
    pub guess: Option<Suggestion>,
}

impl Problem {
    /// A problem of `code` at `offset`.
    pub fn new(code: Code, offset: usize, message: impl Into<String>) -> Self {
        Problem {
            code,
            offset,
            message: message.into(),
            unknown: None,
        }
    }

    /// The same, about the unknown `name`; `plain` is the message without
    /// a guess by spelling alone, `guess` the known name offered.
    pub fn about(mut self, name: &str, plain: String, guess: Option<Suggestion>) -> Self {
        self.unknown = Some(Unknown {
            name: name.to_owned(),
            plain,
            guess,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_their_letter_is_their_severity() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Code::ALL.len());
        assert_eq!(Code::NotWellFormed.severity(), Severity::Error);
        assert_eq!(Code::UnknownNamespace.severity(), Severity::Warning);
        assert_eq!(Code::InvalidBoolean.severity(), Severity::Error);
    }
}
