//! What the command line does, one module per command. The command-line
//! types (clap) live here and in `main.rs` only; the library below takes
//! plain structs.

pub mod bench;
pub mod bench_figures;
pub mod cases;
pub mod cli;
pub mod compare;
pub mod examples;
pub mod external_args;
pub mod fuzz;
pub mod import;
pub mod mutants;
pub mod policies;
pub mod probe;
pub mod report;
pub mod run;
pub mod scenario_folder;
mod signals;
pub mod targets;
pub mod trace;
pub mod xeps;
