//! The fake host the shell runs against: the golden files' recording directory (with a
//! read-only mount at `ro`) in an fstree `Tree`, and `echo` and `cat` as its programs.

use std::collections::BTreeMap;

use layerbox_fstree::{
    Attr, Content, Cred, DirEntry, FileSystem, FsResult, Meta, NewNode, Stat, Store, Tree,
};
use layerbox_sh::{Dialect, Host, Output, RunResult, Shell};

/// A tree whose paths under `ro` are on a read-only mount.
pub struct Fs {
    tree: Tree,
    ro: &'static str,
}

impl Store for Fs {
    fn node(&self, path: &str) -> Option<Stat> {
        self.tree.node(path)
    }
    fn entries(&self, path: &str) -> FsResult<Vec<DirEntry>> {
        self.tree.entries(path)
    }
    fn content(&self, path: &str) -> FsResult<Content> {
        self.tree.content(path)
    }
    fn link_target(&self, path: &str) -> FsResult<String> {
        self.tree.link_target(path)
    }
    fn read_only(&self, path: &str) -> bool {
        path == self.ro || path.starts_with(&format!("{}/", self.ro))
    }
    fn insert(&mut self, path: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        self.tree.insert(path, node, meta, now)
    }
    fn delete(&mut self, path: &str, now: u64) -> FsResult<()> {
        self.tree.delete(path, now)
    }
    fn replace_content(&mut self, path: &str, content: Content, now: u64) -> FsResult<()> {
        self.tree.replace_content(path, content, now)
    }
    fn set_attr(&mut self, path: &str, attr: Attr) -> FsResult<()> {
        self.tree.set_attr(path, attr)
    }
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.tree.move_node(from, to, now)
    }
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.tree.add_link(from, to, now)
    }
}

/// The recording directory of the golden files, with `echo` and `cat` as programs.
pub struct FakeHost {
    pub fs: Fs,
    cred: Cred,
    dialect: Dialect,
    /// Every program run: argv and the environment's `A`, to check assignments.
    pub log: Vec<(Vec<String>, Option<String>)>,
}

impl FakeHost {
    pub fn new(dialect: Dialect) -> FakeHost {
        let mut tree = Tree::new();
        let root = Cred::root();
        for dir in ["/tmp/rs/w/sub", "/tmp/rs/w/ro", "/tmp/rs/home", "/bin"] {
            tree.mkdir_all(&root, dir, 0o755, 0).unwrap();
        }
        for file in ["a.txt", "b.txt", "c.log", "sub/x"] {
            tree.write_file(&root, &format!("/tmp/rs/w/{file}"), b"", 0o644, 0)
                .unwrap();
        }
        // The program the recording machine runs for `cat`, where `type` finds it.
        tree.mkdir_all(&root, "/usr/bin", 0o755, 0).unwrap();
        tree.write_file(&root, "/usr/bin/cat", b"", 0o755, 0)
            .unwrap();
        FakeHost {
            fs: Fs {
                tree,
                ro: "/tmp/rs/w/ro",
            },
            cred: root,
            dialect,
            log: Vec::new(),
        }
    }
}

impl Host for FakeHost {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        self.log.push((argv.to_vec(), env.get("A").cloned()));
        let mut out = Output::default();
        match argv[0].as_str() {
            "echo" => {
                let (newline, args) = match argv.get(1).map(String::as_str) {
                    Some("-n") => (false, &argv[2..]),
                    _ => (true, &argv[1..]),
                };
                out.stdout = args.join(" ").into_bytes();
                if newline {
                    out.stdout.push(b'\n');
                }
            }
            "cat" if argv.len() == 1 => out.stdout = stdin.to_vec(),
            "cat" => {
                for name in &argv[1..] {
                    let path = if name.starts_with('/') {
                        name.clone()
                    } else {
                        format!("{cwd}/{name}")
                    };
                    match self.fs.read_file(&self.cred, &path) {
                        Ok(c) => out.stdout.extend_from_slice(&c),
                        Err(e) => {
                            let msg = match self.dialect {
                                Dialect::BusyBoxAsh => format!("cat: can't open '{name}': {e}\n"),
                                Dialect::Bash => format!("cat: {name}: {e}\n"),
                            };
                            out.stderr.extend_from_slice(msg.as_bytes());
                            out.code = 1;
                        }
                    }
                }
            }
            _ => return None,
        }
        Some(out)
    }

    fn fs(&mut self) -> (&mut dyn Store, &Cred, u64) {
        (&mut self.fs, &self.cred, 1)
    }
}

pub fn shell(dialect: Dialect) -> Shell {
    let env = BTreeMap::from([
        ("HOME".to_string(), "/tmp/rs/home".to_string()),
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
    ]);
    Shell::new(dialect, env, "/tmp/rs/w")
}

pub fn run(dialect: Dialect, input: &str) -> (RunResult, FakeHost) {
    let mut host = FakeHost::new(dialect);
    let mut sh = shell(dialect);
    let result = sh.run(input, &mut host);
    (result, host)
}
