use super::*;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xepspec-fetch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn xep(version: &str, body: &str) -> String {
    format!("<xep><header><revision><version>{version}</version></revision></header>{body}</xep>")
}

fn run_git(repo: &Path, args: &[&str]) {
    let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@example.org"];
    all.extend_from_slice(args);
    git(repo, &all).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_plain_folder_is_copied_and_missing_versions_are_listed() {
    let root = temp("folder");
    let source = root.join("source");
    write(&source.join("xep.ent"), "").unwrap();
    write(&source.join("history/xep-0223-1.0.xml"), &xep("1.0", "")).unwrap();
    let dest = root.join("cache/xeps");
    write(&dest.join("stale.xml"), "").unwrap();
    let from = FetchFrom::parse(Some(&source.to_string_lossy()));
    assert_eq!(from, FetchFrom::Folder(source.clone()));
    let fetched = fetch(&from, &dest, &[(223, "1.0"), (402, "0.2.1")]).unwrap();
    assert!(dest.join("history/xep-0223-1.0.xml").is_file());
    assert!(!dest.join("stale.xml").exists(), "the old copy is replaced");
    assert!(fetched.from_history.is_empty());
    assert_eq!(fetched.missing, ["history/xep-0402-0.2.1.xml"]);
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn a_repository_is_cloned_and_old_versions_come_from_its_history() {
    let root = temp("repository");
    let repo = root.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    run_git(&repo, &["init", "-q"]);
    write(&repo.join("xep.ent"), "").unwrap();
    for (version, body) in [("0.1", "a"), ("0.2", "b"), ("0.2", "c"), ("1.0", "d")] {
        write(&repo.join("xep-0999.xml"), &xep(version, body)).unwrap();
        run_git(&repo, &["add", "."]);
        run_git(&repo, &["commit", "-q", "-m", version]);
    }
    let from = FetchFrom::parse(Some(&repo.to_string_lossy()));
    assert_eq!(from, FetchFrom::Repository(repo.clone()));
    let dest = root.join("xeps");
    let fetched = fetch(&from, &dest, &[(999, "0.2"), (999, "3.0")]).unwrap();
    let old = std::fs::read_to_string(dest.join("history/xep-0999-0.2.xml")).unwrap();
    assert_eq!(old, xep("0.2", "c"), "the last commit of that version");
    assert_eq!(fetched.from_history, ["history/xep-0999-0.2.xml"]);
    assert_eq!(fetched.missing, ["history/xep-0999-3.0.xml"]);
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn a_folder_without_xeps_is_refused_and_the_old_copy_kept() {
    let root = temp("refused");
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let dest = root.join("xeps");
    write(&dest.join("xep.ent"), "kept").unwrap();
    let err = fetch(&FetchFrom::Folder(empty), &dest, &[]).unwrap_err();
    assert!(err.to_string().contains("no XEP sources"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dest.join("xep.ent")).unwrap(),
        "kept"
    );
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn without_from_the_xsf_repository_is_cloned() {
    assert_eq!(FetchFrom::parse(None), FetchFrom::Url(XSF_XEPS.to_owned()));
    let url = "https://example.org/xeps.git";
    assert_eq!(FetchFrom::parse(Some(url)), FetchFrom::Url(url.to_owned()));
}
