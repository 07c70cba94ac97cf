//! POSIX error numbers the filesystem reports, with glibc's `strerror` texts.

/// An error number as Linux's VFS would return it (`errno(3)`); the `Display` text is glibc's
/// `strerror`, which is what coreutils and BusyBox print after the file name.
// The variant names are the C macro names on purpose: that is how the shell and the docs say them.
#[allow(clippy::upper_case_acronyms)]
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    thiserror::Error,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Errno {
    #[error("No such file or directory")]
    ENOENT,
    #[error("File exists")]
    EEXIST,
    #[error("Not a directory")]
    ENOTDIR,
    #[error("Is a directory")]
    EISDIR,
    #[error("Directory not empty")]
    ENOTEMPTY,
    #[error("Read-only file system")]
    EROFS,
    #[error("Invalid cross-device link")]
    EXDEV,
    #[error("Too many levels of symbolic links")]
    ELOOP,
    #[error("Permission denied")]
    EACCES,
    #[error("Operation not permitted")]
    EPERM,
    #[error("Operation not supported")]
    EOPNOTSUPP,
    #[error("Device or resource busy")]
    EBUSY,
    #[error("Invalid argument")]
    EINVAL,
    #[error("No space left on device")]
    ENOSPC,
    #[error("File name too long")]
    ENAMETOOLONG,
    #[error("No such device or address")]
    ENXIO,
}

impl Errno {
    /// Every error number, in declaration order.
    pub const ALL: [Errno; 16] = [
        Errno::ENOENT,
        Errno::EEXIST,
        Errno::ENOTDIR,
        Errno::EISDIR,
        Errno::ENOTEMPTY,
        Errno::EROFS,
        Errno::EXDEV,
        Errno::ELOOP,
        Errno::EACCES,
        Errno::EPERM,
        Errno::EOPNOTSUPP,
        Errno::EBUSY,
        Errno::EINVAL,
        Errno::ENOSPC,
        Errno::ENAMETOOLONG,
        Errno::ENXIO,
    ];

    /// glibc's `strerror(3)` text, e.g. `"No such file or directory"`.
    pub fn strerror(self) -> &'static str {
        match self {
            Errno::ENOENT => "No such file or directory",
            Errno::EEXIST => "File exists",
            Errno::ENOTDIR => "Not a directory",
            Errno::EISDIR => "Is a directory",
            Errno::ENOTEMPTY => "Directory not empty",
            Errno::EROFS => "Read-only file system",
            Errno::EXDEV => "Invalid cross-device link",
            Errno::ELOOP => "Too many levels of symbolic links",
            Errno::EACCES => "Permission denied",
            Errno::EPERM => "Operation not permitted",
            Errno::EOPNOTSUPP => "Operation not supported",
            Errno::EBUSY => "Device or resource busy",
            Errno::EINVAL => "Invalid argument",
            Errno::ENOSPC => "No space left on device",
            Errno::ENAMETOOLONG => "File name too long",
            Errno::ENXIO => "No such device or address",
        }
    }

    /// Go's `syscall.Errno` text, as the daemon's messages carry it: `"no such file or
    /// directory"` (glibc's text in lower case, for every errno modelled).
    pub fn go_text(self) -> String {
        self.strerror().to_lowercase()
    }

    /// The C macro name, e.g. `"ENOENT"`.
    pub fn name(self) -> &'static str {
        match self {
            Errno::ENOENT => "ENOENT",
            Errno::EEXIST => "EEXIST",
            Errno::ENOTDIR => "ENOTDIR",
            Errno::EISDIR => "EISDIR",
            Errno::ENOTEMPTY => "ENOTEMPTY",
            Errno::EROFS => "EROFS",
            Errno::EXDEV => "EXDEV",
            Errno::ELOOP => "ELOOP",
            Errno::EACCES => "EACCES",
            Errno::EPERM => "EPERM",
            Errno::EOPNOTSUPP => "EOPNOTSUPP",
            Errno::EBUSY => "EBUSY",
            Errno::EINVAL => "EINVAL",
            Errno::ENOSPC => "ENOSPC",
            Errno::ENAMETOOLONG => "ENAMETOOLONG",
            Errno::ENXIO => "ENXIO",
        }
    }
}

/// Result of a filesystem operation.
pub type FsResult<T> = Result<T, Errno>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_glibc_strerror() {
        for e in Errno::ALL {
            assert_eq!(e.to_string(), e.strerror());
        }
        assert_eq!(Errno::ELOOP.strerror(), "Too many levels of symbolic links");
    }
}
