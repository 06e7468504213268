//! The ffmpeg/ffprobe runner: every external media program the engine starts goes through here, so that each one
//! runs with a wall-clock timeout (killed when it passes), a cap on the size of any file it writes, no stdin, and a
//! working directory of our choosing (filter strings then name only our own relative files, never user text).

mod probe;
mod run;

pub use probe::{Count, MediaInfo, StreamInfo, StreamKind};
pub use run::ToolOutput;

pub(crate) use probe::file_url;

use std::path::PathBuf;
use std::time::Duration;

/// Where the programs are and the limits every run gets.
#[derive(Debug, Clone)]
pub struct Ffmpeg {
    /// The ffmpeg program.
    pub ffmpeg: PathBuf,
    /// The ffprobe program.
    pub ffprobe: PathBuf,
    /// Wall-clock limit for one run; the child is killed when it passes.
    pub timeout: Duration,
    /// Largest file a child may write (RLIMIT_FSIZE through util-linux `prlimit`); past it the kernel stops the
    /// write, so a runaway encode cannot fill the disk.
    pub max_file_bytes: u64,
    /// The util-linux `prlimit` program; `None` runs the tools without the file-size limit.
    pub prlimit: Option<PathBuf>,
}

impl Default for Ffmpeg {
    fn default() -> Self {
        let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        Ffmpeg {
            ffmpeg: PathBuf::from("ffmpeg"),
            ffprobe: PathBuf::from("ffprobe"),
            timeout: Duration::from_secs(300),
            max_file_bytes: 512 * 1024 * 1024,
            prlimit,
        }
    }
}

/// Which program a run starts (names it in errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `ffmpeg`.
    Ffmpeg,
    /// `ffprobe`.
    Ffprobe,
}

impl Tool {
    /// The program's name, as errors print it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Ffmpeg => "ffmpeg",
            Tool::Ffprobe => "ffprobe",
        }
    }
}
