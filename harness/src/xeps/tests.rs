use super::*;

/// A tree with a XEP folder, an empty folder, a checkout and `shared/xeps`
/// beside it, under a fresh temporary folder.
fn tree(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xepspec-xeps-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for dir in [
        "named",
        "cache",
        "empty",
        "repo/harness/src",
        "repo/scenarios",
        "shared/xeps",
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    for file in [
        "named/xep.ent",
        "cache/xep.ent",
        "shared/xeps/xep.ent",
        "repo/Cargo.toml",
    ] {
        std::fs::write(root.join(file), "").unwrap();
    }
    root
}

fn search(root: &Path) -> Search {
    Search {
        flag: None,
        env: None,
        cache: root.join("cache"),
        start: Some(root.join("repo/harness/src")),
    }
}

#[test]
fn the_flag_comes_first_then_the_environment() {
    let root = tree("order");
    let mut s = search(&root);
    s.flag = Some(root.join("named"));
    s.env = Some(root.join("cache"));
    assert_eq!(s.find().unwrap(), (root.join("named"), Origin::Flag));
    s.flag = None;
    s.env = Some(root.join("named"));
    assert_eq!(s.find().unwrap(), (root.join("named"), Origin::Env));
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn a_named_folder_without_xeps_fails_and_says_who_named_it() {
    let root = tree("named");
    let mut s = search(&root);
    s.flag = Some(root.join("empty"));
    let err = s.find().unwrap_err().to_string();
    assert!(
        err.contains("--xeps") && err.contains("xeps fetch"),
        "{err}"
    );
    s.flag = None;
    s.env = Some(root.join("empty"));
    let err = s.find().unwrap_err().to_string();
    assert!(err.contains(ENV) && err.contains("empty"), "{err}");
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn the_cache_comes_before_the_checkout() {
    let root = tree("cache");
    let s = search(&root);
    assert_eq!(s.find().unwrap(), (root.join("cache"), Origin::Cache));
    std::fs::remove_file(root.join("cache/xep.ent")).unwrap();
    let (dir, origin) = s.find().unwrap();
    assert_eq!(origin, Origin::Checkout);
    assert_eq!(dir, root.join("repo/../shared/xeps"));
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn nothing_found_names_every_fix_and_every_place() {
    let root = tree("none");
    std::fs::remove_file(root.join("cache/xep.ent")).unwrap();
    std::fs::remove_file(root.join("shared/xeps/xep.ent")).unwrap();
    let err = search(&root).find().unwrap_err().to_string();
    for needle in [
        "xepspec xeps fetch",
        "--xeps DIR",
        ENV,
        "cache",
        "shared/xeps",
    ] {
        assert!(err.contains(needle), "{needle} missing from: {err}");
    }
    std::fs::remove_dir_all(root).unwrap();
}
