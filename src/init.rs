//! `flowproof init`: a new policy directory with a commented starter file that checks,
//! verifies (one claim proved, one refuted) and is already formatted.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The starter file; `DIR/` in its comments stands for the directory it is written to.
const STARTER: &str = include_str!("init/starter.flow");

/// The name of the starter file in the new directory.
pub const FILE_NAME: &str = "policy.flow";

/// The starter policy as written into `dir`.
pub fn starter(dir: &Path) -> String {
    let shown = dir.display().to_string();
    let shown = shown.trim_end_matches('/');
    STARTER.replace("DIR/", &format!("{shown}/"))
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("`{path}` already exists")]
    #[diagnostic(
        code(flowproof::init::exists),
        help(
            "flowproof init never overwrites a file; choose another directory, or move the file away"
        )
    )]
    Exists { path: String },
    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(
        code(flowproof::init::unwritable),
        help("check that the directory can be created and written to")
    )]
    Unwritable { path: String, reason: String },
}

/// Creates `dir` (and its parents) if needed and writes the starter file into it;
/// returns the file's path. An existing file is never overwritten.
pub fn init(dir: &Path) -> Result<PathBuf, Diagnostic> {
    let path = dir.join(FILE_NAME);
    let unwritable = |err: std::io::Error| {
        Diagnostic::without_file(InitError::Unwritable {
            path: path.display().to_string(),
            reason: err.to_string(),
        })
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Diagnostic::without_file(InitError::Exists {
                path: path.display().to_string(),
            }));
        }
        Err(err) => return Err(unwritable(err)),
    };
    file.write_all(starter(dir).as_bytes())
        .map_err(unwritable)?;
    Ok(path)
}
