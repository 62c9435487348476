//! `xepspec examples`: checks the examples of XEP sources (well-formedness,
//! namespaces, disco features, xmpp-parsers, data forms) against what the
//! XEP corpus itself defines, and turns examples into scenario skeletons.
//! Sits beside the pipeline and reuses `stanza/`.

pub mod check;
pub mod checks;
pub mod corpus;
pub mod entities;
pub mod errata;
pub mod finding;
pub mod flow;
pub mod fragment;
pub mod ids;
pub mod known;
pub mod parsers;
pub mod rejections;
pub mod render;
pub mod rules;
pub mod schema;
pub mod sessions;
pub mod skeleton;
pub mod sketches;
pub mod source;
pub mod suggest;
pub mod validate;

pub use checks::Checker;
pub use corpus::{Corpus, LoadedCorpus};
pub use finding::{Code, Finding, Severity};
pub use render::FileResult;
pub use source::{Example, SourceError, XepSource};
