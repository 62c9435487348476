//! The snapshot folder stays in step with the suite: every accepted
//! snapshot belongs to a case × target that still exists (a renamed or
//! removed scenario leaves none behind), every graded cell has one, and the
//! volatile rules load.
//!
//! This test lives in `snapshots/` on purpose: cargo-insta looks for pending
//! snapshots in the folders of a package's targets, so having a target here
//! is what lets `cargo insta review` find the `.snap.new` files the
//! trials leave.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use xepspec::scenario::{load_dir, plan};
use xepspec::server::Catalog;
use xepspec::snapshot::{SnapshotStore, Volatile};

/// This folder: the accepted snapshots, beside this file.
fn default_snapshots_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots")
}

fn snap_files(dir: &Path, into: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            snap_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "snap") {
            into.insert(path);
        }
    }
}

#[test]
fn every_snapshot_belongs_to_a_case_and_target_and_none_is_missing() {
    let root = default_snapshots_dir();
    let store = SnapshotStore::new(&root);
    let scenarios = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios"))
        .expect("the scenarios load");
    let cases = plan(&scenarios, None);
    let catalog = Catalog::default_catalog().expect("the catalog loads");
    let targets = catalog.select(&[]).expect("the default targets");
    let expected: BTreeSet<PathBuf> = targets
        .iter()
        .flat_map(|t| cases.iter().map(|c| store.path(&t.name, &c.id)))
        .collect();
    let mut found = BTreeSet::new();
    snap_files(&root, &mut found);
    let orphans: Vec<&PathBuf> = found.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "snapshots of no current case × target (remove them): {orphans:#?}"
    );
    // A cell graded `error` has no snapshot, so a few may be missing only
    // while a target is broken; none is missing in a healthy tree.
    let missing: Vec<&PathBuf> = expected.difference(&found).collect();
    assert!(
        missing.is_empty(),
        "cells without an accepted snapshot (run INSTA_UPDATE=always cargo test --test scenarios): {missing:#?}"
    );
}

#[test]
fn the_volatile_rules_load() {
    let volatile = Volatile::load(&default_snapshots_dir()).expect("volatile.toml loads");
    assert!(
        !volatile.keys_for("Prosody").is_empty(),
        "the Prosody rule of volatile.toml is gone; update this test if that is meant"
    );
}
