//! `xepspec examples`: checks the examples of XEP sources, and turns them
//! into scenario skeletons. Sits beside the pipeline and reuses `stanza/`.

pub mod corpus;
pub mod entities;
pub mod finding;
pub mod fragment;
pub mod known;
pub mod parsers;
pub mod source;
pub mod suggest;
