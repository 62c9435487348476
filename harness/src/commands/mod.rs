//! What the command line does, one module per command; `main.rs` only parses
//! arguments and calls these.

pub mod cases;
pub mod compare;
pub mod examples;
pub mod external_args;
pub mod fuzz;
pub mod probe;
pub mod run;
pub mod targets;
pub mod trace;
