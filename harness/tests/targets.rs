//! One trial per default target: build its image if missing, start it,
//! make accounts, bind two resources, and check that the account's bare JID
//! reports the `pubsub/pep` identity (XEP-0163 §4). Needs a Docker Engine;
//! without one every trial fails, loudly.

use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use xepspec::commands::probe::probe;
use xepspec::target::images::{self, BaseSource, BuildOutcome};
use xepspec::target::{Catalog, LiveTarget, default_containers_dir, docker_api};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let catalog = match Catalog::load(&default_containers_dir()) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = docker_api::container_runtime().map(Arc::new);
    let trials = catalog
        .targets
        .iter()
        .map(|def| {
            let (catalog, def, runtime) = (catalog.clone(), def.clone(), runtime.clone());
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
    libtest_mimic::run(&args, trials).exit_code()
}
