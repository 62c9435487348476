//! xepspec: a conformance test harness for XMPP servers.
//!
//! Data flows one way: scenarios are loaded and expanded into a plan, the
//! engine runs each case on a target through sessions, verdicts are collected
//! into a matrix, and reports render it.

pub mod bundled;
pub mod cache;
pub mod checkout;
pub mod commands;
pub mod engine;
pub mod examples;
pub mod fuzz;
pub mod import;
pub mod judge;
pub mod matrix;
pub mod mutants;
pub mod ns;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod server;
pub mod session;
pub mod snapshot;
pub mod stanza;
pub mod trace;
pub mod verdict;
pub mod xeps;
