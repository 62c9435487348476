//! Renderers: they only read a [`Matrix`](crate::matrix::Matrix).

pub mod terminal;
