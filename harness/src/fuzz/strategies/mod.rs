//! Proptest strategies for the payloads the specifications define, one
//! function per payload kind. They are written from the XEPs' grammar (and
//! XML Schema's for `xs:boolean`), not from any implementation, and each
//! value knows both its XML text and what that text means, so properties can
//! check a parser's reading against it.

mod bookmarks;
mod booleans;
mod disco;
mod foreign;
mod pubsub;
mod scenario_files;

pub use bookmarks::*;
pub use booleans::*;
pub use disco::*;
pub use foreign::*;
pub use pubsub::*;
pub use scenario_files::*;
