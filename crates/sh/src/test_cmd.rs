//! The `test` and `[` builtins: POSIX's rules by argument count, file tests on the filesystem,
//! and each shell's wording of a malformed expression.

use layerbox_fstree::{Cred, FileSystem, FileType, Stat, Store, MAY_EXEC, MAY_READ, MAY_WRITE};

/// A malformed expression, worded by each shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestError {
    pub ash: String,
    pub bash: String,
}

fn err(ash: String, bash: String) -> TestError {
    TestError { ash, bash }
}

/// What file tests look at: the filesystem as the user, and the cwd for relative paths.
pub struct Files<'a> {
    pub fs: &'a dyn Store,
    pub cred: &'a Cred,
    pub cwd: &'a str,
}

impl Files<'_> {
    fn stat(&self, path: &str, follow: bool) -> Option<Stat> {
        if path.is_empty() {
            return None;
        }
        let abs = crate::absolute(self.cwd, path);
        if follow {
            self.fs.stat(self.cred, &abs).ok()
        } else {
            self.fs.lstat(self.cred, &abs).ok()
        }
    }
}

const UNARY: [&str; 17] = [
    "-e", "-f", "-d", "-s", "-L", "-h", "-r", "-w", "-x", "-z", "-n", "-b", "-c", "-p", "-S", "-t",
    "-g",
];
const BINARY: [&str; 14] = [
    "=", "==", "!=", "-eq", "-ne", "-lt", "-gt", "-le", "-ge", "<", ">", "-nt", "-ot", "-ef",
];

/// Evaluate `args` (without the closing `]`).
pub fn test(args: &[String], files: &Files<'_>) -> Result<bool, TestError> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    by_count(&a, files)
}

fn by_count(a: &[&str], files: &Files<'_>) -> Result<bool, TestError> {
    match a {
        [] => Ok(false),
        [x] => Ok(!x.is_empty()),
        ["!", x] => Ok(x.is_empty()),
        [op, x] if UNARY.contains(op) => Ok(unary(op, x, files)),
        [x, y] => Err(err(
            if BINARY.contains(y) {
                format!("{y}: argument expected")
            } else {
                format!("{y}: unknown operand")
            },
            format!("{x}: unary operator expected"),
        )),
        [x, op, y] if BINARY.contains(op) => binary(x, op, y, files),
        [x, "-a", y] => Ok(!x.is_empty() && !y.is_empty()),
        [x, "-o", y] => Ok(!x.is_empty() || !y.is_empty()),
        ["!", rest @ ..] if rest.len() <= 3 => by_count(rest, files).map(|b| !b),
        ["(", x, ")"] => Ok(!x.is_empty()),
        [_, y, _] => Err(err(
            format!("{y}: unknown operand"),
            format!("{y}: binary operator expected"),
        )),
        ["(", x, y, ")"] => by_count(&[x, y], files),
        _ => {
            let mut p = Expr { a, i: 0, files };
            let v = p.or()?;
            if p.i != a.len() {
                return Err(err(
                    format!("{}: unknown operand", a[p.i]),
                    "too many arguments".into(),
                ));
            }
            Ok(v)
        }
    }
}

/// The general grammar for long expressions: `-o` below `-a` below `!`, parentheses.
struct Expr<'x, 'f> {
    a: &'x [&'x str],
    i: usize,
    files: &'x Files<'f>,
}

impl Expr<'_, '_> {
    fn or(&mut self) -> Result<bool, TestError> {
        let mut v = self.and()?;
        while self.a.get(self.i) == Some(&"-o") {
            self.i += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, TestError> {
        let mut v = self.not()?;
        while self.a.get(self.i) == Some(&"-a") {
            self.i += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, TestError> {
        if self.a.get(self.i) == Some(&"!") {
            self.i += 1;
            return self.not().map(|b| !b);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, TestError> {
        let a = self.a;
        let Some(&x) = a.get(self.i) else {
            let last = a.last().copied().unwrap_or("");
            return Err(err(
                format!("{last}: argument expected"),
                "argument expected".into(),
            ));
        };
        if x == "(" && self.i + 1 < a.len() {
            self.i += 1;
            let v = self.or()?;
            if a.get(self.i) != Some(&")") {
                return Err(err("missing )".into(), "`)' expected".into()));
            }
            self.i += 1;
            return Ok(v);
        }
        // A binary operator next wins over a unary one here (`-f = a` compares strings), as
        // in BusyBox's test.c and bash's test.
        if let (Some(&op), Some(&y)) = (a.get(self.i + 1), a.get(self.i + 2)) {
            if BINARY.contains(&op) {
                self.i += 3;
                return binary(x, op, y, self.files);
            }
        }
        if UNARY.contains(&x) {
            if let Some(&y) = a.get(self.i + 1) {
                self.i += 2;
                return Ok(unary(x, y, self.files));
            }
        }
        self.i += 1;
        Ok(!x.is_empty())
    }
}

fn unary(op: &str, x: &str, files: &Files<'_>) -> bool {
    let may = |want| {
        files
            .stat(x, true)
            .is_some_and(|st| files.cred.may(&st, want))
    };
    match op {
        "-z" => x.is_empty(),
        "-n" => !x.is_empty(),
        "-e" => files.stat(x, true).is_some(),
        "-f" => files
            .stat(x, true)
            .is_some_and(|s| s.kind == FileType::File),
        "-d" => files.stat(x, true).is_some_and(|s| s.kind == FileType::Dir),
        "-s" => files.stat(x, true).is_some_and(|s| s.size > 0),
        "-L" | "-h" => files
            .stat(x, false)
            .is_some_and(|s| s.kind == FileType::Symlink),
        "-r" => may(MAY_READ),
        "-w" => may(MAY_WRITE),
        "-x" => may(MAY_EXEC),
        "-g" => files.stat(x, true).is_some_and(|s| s.mode & 0o2000 != 0),
        "-c" => files
            .stat(x, true)
            .is_some_and(|s| s.kind == FileType::CharDev),
        // Block devices, pipes, sockets and terminals do not exist here.
        _ => false,
    }
}

fn binary(x: &str, op: &str, y: &str, files: &Files<'_>) -> Result<bool, TestError> {
    let num = |s: &str| -> Result<i64, TestError> {
        s.trim().parse().map_err(|_| {
            err(
                format!("{s}: bad number"),
                format!("{s}: integer expression expected"),
            )
        })
    };
    Ok(match op {
        "=" | "==" => x == y,
        "!=" => x != y,
        "<" => x < y,
        ">" => x > y,
        "-nt" | "-ot" => {
            let (a, b) = (files.stat(x, true), files.stat(y, true));
            match (a, b, op) {
                (Some(a), Some(b), "-nt") => a.mtime > b.mtime,
                (Some(a), Some(b), _) => a.mtime < b.mtime,
                (Some(_), None, "-nt") | (None, Some(_), "-ot") => true,
                _ => false,
            }
        }
        "-ef" => match (files.stat(x, true), files.stat(y, true)) {
            (Some(a), Some(b)) => a.ino == b.ino,
            _ => false,
        },
        _ => {
            let (a, b) = (num(x)?, num(y)?);
            match op {
                "-eq" => a == b,
                "-ne" => a != b,
                "-lt" => a < b,
                "-gt" => a > b,
                "-le" => a <= b,
                _ => a >= b,
            }
        }
    })
}
