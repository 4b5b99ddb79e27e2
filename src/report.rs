//! `flowproof report` on disk: where the page may be written (never over a policy file,
//! nor over a file flowproof did not write) and writing it whole. The page itself is
//! [`crate::render::html`].

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

use crate::verify::Verified;

/// Why a report cannot be written.
#[derive(Debug, Error, Diagnostic)]
pub enum ReportError {
    #[error("`{path}` is one of the policy files being reported on")]
    #[diagnostic(
        code(flowproof::report::would_overwrite_input),
        help("give `--out` a new file name, such as report.html")
    )]
    WouldOverwriteInput { path: String },
    #[error("`{path}` already exists and is not a flowproof report")]
    #[diagnostic(
        code(flowproof::report::exists),
        help(
            "flowproof replaces only pages it wrote itself; move the file away or choose another name with `--out`"
        )
    )]
    Exists { path: String },
    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(
        code(flowproof::report::unwritable),
        help("check that the directory exists and is writable")
    )]
    Unwritable { path: String, reason: String },
}

/// Whether `out` may be written: it is none of the inputs (or what they import), and
/// it does not exist or is a page flowproof wrote.
pub fn check_out(out: &Path, verified: &[Verified]) -> Result<(), ReportError> {
    let shown = out.display().to_string();
    if let Ok(target) = std::fs::canonicalize(out) {
        let inputs = verified.iter().flat_map(|v| v.checked.sources.iter());
        for (_, file) in inputs {
            if std::fs::canonicalize(&file.path).is_ok_and(|p| p == target) {
                return Err(ReportError::WouldOverwriteInput { path: shown });
            }
        }
        let head = std::fs::read(&target).unwrap_or_default();
        let head = String::from_utf8_lossy(&head[..head.len().min(4096)]).into_owned();
        if !head.contains(crate::render::html::GENERATOR) {
            return Err(ReportError::Exists { path: shown });
        }
    }
    Ok(())
}

/// Writes the page (through a temporary file beside it, so a failed write leaves any
/// earlier report whole).
pub fn write(out: &Path, html: &str) -> Result<(), ReportError> {
    let unwritable = |e: std::io::Error| ReportError::Unwritable {
        path: out.display().to_string(),
        reason: e.to_string(),
    };
    let mut tmp = PathBuf::from(out);
    tmp.set_extension("html.partial");
    std::fs::write(&tmp, html).map_err(unwritable)?;
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        unwritable(e)
    })
}

/// What a report shows: the verified files (dated versions oldest first, then the files
/// without a date), the paths that named no policy file, and the timeline when two or
/// more dated versions of one policy checked.
pub struct Gathered {
    pub files: Vec<Verified>,
    pub path_errors: Vec<crate::diagnostic::Diagnostic>,
    pub timeline: Option<crate::timeline::Timeline>,
}

/// Verifies every policy file the paths name, for the report; with `why`, also finds
/// why each proof holds.
pub fn gather(paths: &[PathBuf], options: &crate::solve::Options, why: bool) -> Gathered {
    let (files, path_errors) = crate::check::expand_paths(paths);
    let one = |f: &PathBuf| {
        let mut v = crate::verify::verify_file(f, options, crate::verify::Engine::Z3);
        if why {
            v.explain(options);
        }
        v
    };
    // the files are independent: as many at once as there are cores, each taken from a
    // shared queue (explaining the proofs asks the solver again for each, so this halves
    // the wait on two cores)
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len().max(1));
    let mut done: Vec<(usize, Verified)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        mine.push((i, one(f)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    let mut files: Vec<Verified> = done.into_iter().map(|(_, v)| v).collect();
    let date = |v: &Verified| {
        v.model()
            .and_then(|m| m.policy.as_ref())
            .and_then(|p| p.date)
    };
    files.sort_by_key(|v| {
        let date = date(v);
        (
            date.is_none(),
            date.map(|d| d.to_string()),
            v.checked.path.clone(),
        )
    });
    let dated: Vec<&Verified> = files
        .iter()
        .filter(|v| !v.has_errors() && date(v).is_some())
        .collect();
    // a timeline only for versions of one policy: dated files of different policies (the
    // tutorial's lessons, say) are not a sequence
    fn name(v: &Verified) -> Option<&str> {
        v.model()
            .and_then(|m| m.policy.as_ref())
            .map(|p| p.name.as_str())
    }
    let one_policy = dated.windows(2).all(|w| name(w[0]) == name(w[1]));
    let timeline =
        (dated.len() >= 2 && one_policy).then(|| crate::timeline::build(&files, options));
    Gathered {
        files,
        path_errors,
        timeline,
    }
}
