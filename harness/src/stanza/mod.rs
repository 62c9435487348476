//! Stanzas as data: building, templates (and their own markup), matching
//! and canonical XML. Pure
//! functions only; nothing here touches a network.

pub mod build;
pub mod canonical;
pub mod diff;
pub mod matching;
pub mod normalise;
pub mod parse;
pub mod placeholder;
pub mod template;
