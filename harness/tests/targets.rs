//! One trial per default target: build its image if missing, start it,
//! make accounts, bind two resources, and check that the account's bare JID
//! reports the `pubsub/pep` identity (XEP-0163 §4). Needs a Docker Engine;
//! without one every trial fails, loudly.

use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use xepspec::commands::probe::probe;
use xepspec::server::images::{self, BaseSource, BuildOutcome};
use xepspec::server::{Catalog, LiveTarget, docker_api};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let catalog = match Catalog::default_catalog() {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = docker_api::container_runtime().map(Arc::new);
    let trials = catalog
        .defaults()
        .into_iter()
        .map(|def| {
            let (catalog, runtime) = (catalog.clone(), runtime.clone());
            Trial::test(format!("{}::probe", def.name), move || {
                let runtime = runtime.map_err(|e| Failed::from(format!("Docker Engine: {e}")))?;
                runtime.block_on(async {
                    let built = images::build(&catalog, std::slice::from_ref(&def), BaseSource::Debootstrap, false, 1).await;
                    if let Some((_, BuildOutcome::Failed(e))) = built.first() {
                        return Err(Failed::from(e.to_string()));
                    }
                    // STARTTLS and SCRAM here; the case trials log in the fast way.
                    let target = LiveTarget::start(&catalog, &def).await.map_err(|e| e.to_string())?.secured();
                    let report = probe(&target).await.map_err(|e| format!("{}: {e}", def.name))?;
                    for (kind, category, type_) in [("pubsub", "pubsub", "service"), ("muc", "conference", "text")] {
                        let found = report.services.get(kind);
                        if !found.is_some_and(|info| info.has_identity(category, type_)) {
                            return Err(format!(
                                "{}: the {kind} service does not report identity {category}/{type_}: {found:?}",
                                def.name
                            )
                            .into());
                        }
                    }
                    if report.premade.len() != def.accounts.len() {
                        return Err(format!("{}: pre-made accounts logged in: {:?}", def.name, report.premade).into());
                    }
                    if !report.account.has_identity("pubsub", "pep") {
                        return Err(format!(
                            "{}: the account's bare JID does not report identity pubsub/pep; it reports {:?}",
                            def.name, report.account.identities
                        )
                        .into());
                    }
                    Ok(())
                })
            })
        })
        .collect();
    let mut trials: Vec<Trial> = trials;
    trials.push(broken_target_trial(catalog.clone(), runtime.clone()));
    libtest_mimic::run(&args, trials).exit_code()
}

/// A target whose image is missing, and one whose server dies at start, each
/// give an error that names the target and the cause.
fn broken_target_trial(
    catalog: Arc<Catalog>,
    runtime: Result<Arc<tokio::runtime::Runtime>, String>,
) -> Trial {
    Trial::test("broken-targets::errors-name-target-and-cause", move || {
        let runtime = runtime.map_err(|e| Failed::from(format!("Docker Engine: {e}")))?;
        let mut ghost = catalog.targets[0].clone();
        ghost.name = "xepspec-test-ghost".into();
        let mut dead = ghost.clone();
        dead.name = "xepspec-test-dead".into();
        runtime.block_on(async {
            let missing = LiveTarget::start(&catalog, &ghost)
                .await
                .err()
                .ok_or("a missing image started")?;
            let text = missing.to_string();
            if !(text.contains("xepspec-test-ghost") && text.contains("not built")) {
                return Err(format!("unclear error for a missing image: {text}").into());
            }
            // An image whose command exits at once: the base image under another
            // name (built with the first target's image when missing).
            let first = std::slice::from_ref(&catalog.targets[0]);
            images::build(&catalog, first, BaseSource::Debootstrap, false, 1).await;
            let image = format!("{}:{}", dead.image(), xepspec::server::TargetDef::TAG);
            let base = format!("xepspec-base:{}", dead.suite);
            let tagged = std::process::Command::new("docker")
                .args(["tag", &base, &image])
                .status();
            if !tagged.is_ok_and(|s| s.success()) {
                return Err(format!("cannot tag {base} as {image}").into());
            }
            let started = std::time::Instant::now();
            let result = LiveTarget::start(&catalog, &dead).await;
            let _ = std::process::Command::new("docker")
                .args(["rmi", &image])
                .output();
            let text = result
                .err()
                .ok_or("a server that exits came up")?
                .to_string();
            if !(text.contains("xepspec-test-dead") && text.contains("exited")) {
                return Err(format!("unclear error for a server that dies: {text}").into());
            }
            if started.elapsed() > std::time::Duration::from_secs(20) {
                return Err(
                    format!("a dead server took {:?} to be noticed", started.elapsed()).into(),
                );
            }
            Ok(())
        })
    })
}
