//! Building the server images from the recipes in `containers/`, skipping
//! those whose recipe has not changed since they were built.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, Semaphore};

use super::catalog::{Catalog, TargetDef};
use super::docker_cli::{docker, output, streamed};
use super::error::TargetError;

/// A lock per Debian suite, held while its base image is made.
static BASES: std::sync::LazyLock<Mutex<HashMap<String, Arc<Mutex<()>>>>> =
    std::sync::LazyLock::new(Default::default);

/// A lock per target, held while its image is checked and built: a mutant
/// builds its parent, which may be in the same batch.
static IMAGES: std::sync::LazyLock<Mutex<HashMap<String, Arc<Mutex<()>>>>> =
    std::sync::LazyLock::new(Default::default);

const RECIPE_LABEL: &str = "org.xepspec.recipe";
const VERSION_LABEL: &str = "org.xepspec.version";
/// On an image built from another target's image: that image's id.
const PARENT_LABEL: &str = "org.xepspec.parent";

/// Where the Debian base image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseSource {
    /// `debootstrap` on this machine, imported into Docker (no registry).
    Debootstrap,
    /// `debian:<suite>-slim` from a registry the engine can pull from.
    Registry,
}

/// What is known about a target's image.
#[derive(Debug, Clone, Serialize)]
pub struct ImageStatus {
    /// The image reference.
    pub image: String,
    /// Whether it exists locally.
    pub built: bool,
    /// Whether it was built from the current recipe.
    pub current: bool,
    /// The hash of the current recipe.
    #[serde(skip)]
    pub recipe: String,
    /// The server version read from the image when it was built.
    pub version: Option<String>,
}

/// The outcome of building one target.
#[derive(Debug)]
pub enum BuildOutcome {
    /// Built, in this much time.
    Built(Duration),
    /// Already built from the same recipe.
    UpToDate,
    /// Failed.
    Failed(TargetError),
}

/// A hash of everything that goes into a target's image: the recipe folder,
/// the base script and the suite, and the parent's hash for a target built
/// from another target's image.
pub fn recipe_hash(catalog: &Catalog, def: &TargetDef) -> Result<String, TargetError> {
    let mut hasher = Sha256::new();
    hasher.update(def.suite.as_bytes());
    for (key, value) in &def.build_args {
        hasher.update(format!("--build-arg {key}={value}\n").as_bytes());
    }
    if let Some(parent) = catalog.parent_of(def) {
        hasher.update(recipe_hash(catalog, parent)?.as_bytes());
    }
    for folder in [def.recipe.as_str(), "base"] {
        for (name, bytes) in catalog.recipe_files(folder)? {
            hasher.update(name.as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
    }
    let digest = hasher.finalize();
    Ok(digest.iter().take(12).map(|b| format!("{b:02x}")).collect())
}

/// Reads the labels of `image`, or `None` when it does not exist.
async fn labels(image: &str) -> Result<Option<HashMap<String, String>>, TargetError> {
    let mut command = docker();
    command.args([
        "image",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        image,
    ]);
    match output(command).await {
        Ok(text) => Ok(Some(serde_json::from_str(text.trim()).unwrap_or_default())),
        Err(e) if e.contains("No such image") || e.contains("No such object") => Ok(None),
        Err(e) => Err(TargetError::Docker(e)),
    }
}

/// The id of `image`, or `None` when it does not exist.
async fn image_id(image: &str) -> Result<Option<String>, TargetError> {
    let mut command = docker();
    command.args(["image", "inspect", "--format", "{{.Id}}", image]);
    match output(command).await {
        Ok(text) => Ok(Some(text.trim().to_owned())),
        Err(e) if e.contains("No such image") || e.contains("No such object") => Ok(None),
        Err(e) => Err(TargetError::Docker(e)),
    }
}

/// The state of `def`'s image. One built from another target's image is
/// current only while that image is the one it was built from.
pub async fn status(catalog: &Catalog, def: &TargetDef) -> Result<ImageStatus, TargetError> {
    let image = format!("{}:{}", def.image(), TargetDef::TAG);
    let labels = labels(&image).await?;
    let hash = recipe_hash(catalog, def)?;
    let same_parent = match catalog.parent_of(def) {
        Some(parent) => {
            let id = image_id(&format!("{}:{}", parent.image(), TargetDef::TAG)).await?;
            id.is_some() && labels.as_ref().and_then(|l| l.get(PARENT_LABEL)) == id.as_ref()
        }
        None => true,
    };
    Ok(ImageStatus {
        built: labels.is_some(),
        current: same_parent && labels.as_ref().and_then(|l| l.get(RECIPE_LABEL)) == Some(&hash),
        version: labels.and_then(|l| l.get(VERSION_LABEL).cloned()),
        image,
        recipe: hash,
    })
}

/// Builds the images of `defs` that are missing or out of date (all of them
/// with `force`), `jobs` at a time, showing progress. Never fails as a whole:
/// each target gets its own outcome.
pub async fn build(
    catalog: &Catalog,
    defs: &[TargetDef],
    base: BaseSource,
    force: bool,
    jobs: usize,
) -> Vec<(String, BuildOutcome)> {
    let progress = MultiProgress::new();
    let limit = Arc::new(Semaphore::new(jobs.max(1)));
    let work = defs.iter().map(|def| {
        let bar = progress.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:16} {wide_msg}")
                .expect("valid template"),
        );
        bar.set_prefix(def.name.clone());
        bar.enable_steady_tick(Duration::from_millis(120));
        let limit = limit.clone();
        async move {
            let _permit = limit.acquire().await;
            let outcome = build_one(catalog, def, base, force, &bar).await;
            let summary = match &outcome {
                BuildOutcome::Built(took) => format!("built in {:.1} s", took.as_secs_f64()),
                BuildOutcome::UpToDate => "up to date".to_owned(),
                BuildOutcome::Failed(e) => format!("FAILED: {e}"),
            };
            bar.finish_with_message(summary.clone());
            if bar.is_hidden() {
                eprintln!("{}: {summary}", def.name);
            }
            (def.name.clone(), outcome)
        }
    });
    futures::future::join_all(work).await
}

async fn build_one(
    catalog: &Catalog,
    def: &TargetDef,
    base: BaseSource,
    force: bool,
    bar: &ProgressBar,
) -> BuildOutcome {
    let lock = IMAGES
        .lock()
        .await
        .entry(def.name.clone())
        .or_default()
        .clone();
    let _guard = lock.lock().await;
    let started = Instant::now();
    let fail = |reason: String| {
        BuildOutcome::Failed(TargetError::Build {
            target: def.name.clone(),
            reason,
        })
    };
    let current = match status(catalog, def).await {
        Ok(s) => s,
        Err(e) => return BuildOutcome::Failed(e),
    };
    if current.current && current.version.is_some() && !force {
        return BuildOutcome::UpToDate;
    }
    let base_image = match (catalog.parent_of(def), base) {
        (Some(parent), _) => match parent_image(catalog, parent, base, bar).await {
            Ok(image) => image,
            Err(e) => return fail(e),
        },
        (None, BaseSource::Registry) => format!("debian:{}-slim", def.suite),
        (None, BaseSource::Debootstrap) => {
            // One debootstrap per suite, however many builds want it.
            let lock = BASES
                .lock()
                .await
                .entry(def.suite.clone())
                .or_default()
                .clone();
            let _guard = lock.lock().await;
            match ensure_debootstrap_base(catalog, &def.suite, bar).await {
                Ok(image) => image,
                Err(e) => return fail(e),
            }
        }
    };
    let hash = current.recipe;
    let image = current.image;
    let parent_id = match catalog.parent_of(def) {
        Some(_) => match image_id(&base_image).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => return fail(format!("{base_image} is missing after its build")),
            Err(e) => return fail(e.to_string()),
        },
        None => None,
    };
    bar.set_message(format!("docker build from {base_image}"));
    let recipes = match catalog.recipes_dir() {
        Ok(dir) => dir,
        Err(e) => return fail(e.to_string()),
    };
    let mut command = docker();
    command
        .args(["build", "--build-arg", &format!("BASE={base_image}")])
        .args(["--label", &format!("{RECIPE_LABEL}={hash}")])
        .args(["--label", &format!("org.xepspec.target={}", def.name)]);
    for (key, value) in &def.build_args {
        command.args(["--build-arg", &format!("{key}={value}")]);
    }
    if let Some(id) = parent_id {
        command.args(["--label", &format!("{PARENT_LABEL}={id}")]);
    }
    command.args(["-t", &image]).arg(recipes.join(&def.recipe));
    if let Err(e) = streamed(command, |line| bar.set_message(line.to_owned())).await {
        return fail(e);
    }
    bar.set_message("reading the server version");
    let version = match read_version(def, &image).await {
        Ok(v) => v,
        Err(e) => return fail(format!("reading the version: {e}")),
    };
    if let Err(e) = add_label(&image, VERSION_LABEL, &version).await {
        return fail(format!("labelling the version: {e}"));
    }
    BuildOutcome::Built(started.elapsed())
}

/// The image of `parent`, built first if missing or out of date (never
/// forced: rebuilding a mutant does not rebuild the target it starts from).
async fn parent_image(
    catalog: &Catalog,
    parent: &TargetDef,
    base: BaseSource,
    bar: &ProgressBar,
) -> Result<String, String> {
    bar.set_message(format!("the image of {} first", parent.name));
    let outcome = Box::pin(build_one(catalog, parent, base, false, bar)).await;
    match outcome {
        BuildOutcome::Failed(e) => Err(format!("{}: {e}", parent.name)),
        _ => Ok(format!("{}:{}", parent.image(), TargetDef::TAG)),
    }
}

async fn ensure_debootstrap_base(
    catalog: &Catalog,
    suite: &str,
    bar: &ProgressBar,
) -> Result<String, String> {
    let image = format!("xepspec-base:{suite}");
    if labels(&image).await.map_err(|e| e.to_string())?.is_some() {
        return Ok(image);
    }
    bar.set_message(format!("debootstrap {suite}"));
    let recipes = catalog.recipes_dir().map_err(|e| e.to_string())?;
    let mut command = tokio::process::Command::new("bash");
    command
        .arg(recipes.join("base/debootstrap.sh"))
        .args([suite, &image])
        .env("DOCKER_HOST", super::docker_api::engine_host())
        .kill_on_drop(true);
    streamed(command, |line| bar.set_message(format!("{suite}: {line}"))).await?;
    Ok(image)
}

async fn read_version(def: &TargetDef, image: &str) -> Result<String, String> {
    let (program, args) = def
        .version_command
        .split_first()
        .ok_or("version_command is empty")?;
    let mut command = docker();
    command
        .args([
            "run",
            "--rm",
            "--network",
            "none",
            "--entrypoint",
            program,
            image,
        ])
        .args(args);
    let text = output(command).await?;
    let version = text.trim().to_owned();
    if version.is_empty() {
        return Err("the version command printed nothing".into());
    }
    Ok(version)
}

/// Adds a label to an existing image (a one-line rebuild from it).
async fn add_label(image: &str, key: &str, value: &str) -> Result<(), String> {
    let mut command = docker();
    command
        .args([
            "build",
            "--label",
            &format!("{key}={value}"),
            "-t",
            image,
            "-",
        ])
        .stdin(std::process::Stdio::piped());
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        use tokio::io::AsyncWriteExt;
        stdin
            .write_all(format!("FROM {image}\n").as_bytes())
            .await
            .map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().await.map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
