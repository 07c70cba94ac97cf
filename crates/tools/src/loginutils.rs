//! BusyBox's user administration, as Alpine builds it: `adduser`, `addgroup`, `deluser`,
//! `delgroup`, writing `/etc/passwd`, `/etc/group` and `/etc/shadow` the way BusyBox's
//! `update_passwd()` does (a `FILE+` written beside the old file, renamed over it, the old one
//! kept as the hard link `FILE-`).
//!
//! These applets are missing from Debian's `busybox`, so nothing here is recorded: every rule,
//! message and exit status follows BusyBox 1.36.1's source (`loginutils/adduser.c`,
//! `addgroup.c`, `deluser.c`, `passwd.c`, `libbb/update_passwd.c`) with Alpine's build
//! configuration (`FEATURE_SHADOWPASSWDS`, `FEATURE_CHECK_NAMES`, `FEATURE_ADDUSER_TO_GROUP`,
//! `FEATURE_DEL_USER_FROM_GROUP`, `FIRST_SYSTEM_ID=100`, `LAST_SYSTEM_ID=999`,
//! `LAST_ID=256000`) and Alpine's patch that gives system users `/sbin/nologin`.
//! Only the BusyBox flavour exists: Debian's `adduser` is an interactive Perl script.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, Errno, FileSystem, FileType};

use crate::cli::{busybox_usage, opt_error, parse, Spec, BUSYBOX_BANNER};
use crate::{Ctx, Output};

/// The first uid or gid of a system account (`-S`).
const FIRST_SYSTEM_ID: u32 = 100;
/// The last uid or gid of a system account.
const LAST_SYSTEM_ID: u32 = 999;
/// The highest uid or gid the applets give out.
const LAST_ID: u32 = 256_000;

const PASSWD: &str = "/etc/passwd";
const GROUP: &str = "/etc/group";
const SHADOW: &str = "/etc/shadow";
const GSHADOW: &str = "/etc/gshadow";

/// How many entries `adduser` copies from the skeleton directory before it stops.
/// Emulation note: the real applet copies any tree; this bounds the work of one run.
const MAX_SKEL_ENTRIES: usize = 10_000;

/// These applets read their options with `getopt_long`, which musl lets follow the operands
/// (`adduser -S app -G app`), as GNU's does.
const PERMUTE: crate::Flavor = crate::Flavor::Coreutils;

/// The exit status of a part that layerbox does not model (the runtime's `NOT_MODELLED`).
const NOT_MODELLED: i32 = 69;

/// The usage texts of the applets Debian's BusyBox lacks, from their `//usage:` lines in
/// BusyBox 1.36.1 (`bb_show_usage()` prints them after the banner).
fn usage(prog: &str) -> String {
    let body = match prog {
        "adduser" => {
            "Usage: adduser [OPTIONS] USER [GROUP]\n\n\
             Create new user, or add USER to GROUP\n\n\
             \t-h DIR\t\tHome directory\n\
             \t-g GECOS\tGECOS field\n\
             \t-s SHELL\tLogin shell\n\
             \t-G GRP\t\tGroup\n\
             \t-S\t\tCreate a system user\n\
             \t-D\t\tDon't assign a password\n\
             \t-H\t\tDon't create home directory\n\
             \t-u UID\t\tUser id\n\
             \t-k SKEL\t\tSkeleton directory (/etc/skel)\n"
        }
        "addgroup" => {
            "Usage: addgroup [-g GID] [-S] [USER] GROUP\n\n\
             Add a group or add a user to a group\n\n\
             \t-g GID\tGroup id\n\
             \t-S\tCreate a system group\n"
        }
        "deluser" => "Usage: deluser [--remove-home] USER\n\nDelete USER from the system\n",
        "delgroup" => {
            "Usage: delgroup [USER] GROUP\n\n\
             Delete group GROUP from the system or user USER from group GROUP\n"
        }
        _ => return busybox_usage(prog),
    };
    format!("{BUSYBOX_BANNER}\n{body}")
}

/// `bb_show_usage()`: the usage text on stderr, exit 1.
fn show_usage(prog: &str) -> Output {
    let mut o = Output::default();
    o.err(usage(prog));
    o.code = 1;
    o
}

/// A refused command line in BusyBox's words, with these applets' own usage texts.
fn refused(ctx: &Ctx<'_>, prog: &str, e: crate::cli::OptError) -> Output {
    let mut o = opt_error(ctx, prog, e, 1);
    let generic = busybox_usage(prog);
    if let Some(msg) = String::from_utf8_lossy(&o.stderr).strip_suffix(generic.as_str()) {
        o.stderr = format!("{msg}{}", usage(prog)).into_bytes();
    }
    o
}

/// `bb_error_msg_and_die()`: `prog: msg` on stderr, exit 1.
fn die(prog: &str, msg: impl std::fmt::Display) -> Output {
    let mut o = Output::default();
    o.fail(prog, msg, 1);
    o
}

/// `bb_msg_perm_denied_are_you_root`: every one of these applets needs root first.
fn not_root(prog: &str) -> Output {
    die(prog, "permission denied (are you root?)")
}

/// `xatou_range(s, 0, LAST_ID)`.
fn id_number(prog: &str, s: &str) -> Result<u32, Output> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match s.parse::<u64>() {
        Ok(n) if digits && n <= u64::from(LAST_ID) => Ok(n as u32),
        Ok(_) if digits => Err(die(
            prog,
            format!("number {s} is not in 0..{LAST_ID} range"),
        )),
        _ => Err(die(prog, format!("invalid number '{s}'"))),
    }
}

/// `die_if_bad_username()` (Alpine sets `FEATURE_CHECK_NAMES`): letters, digits and `_`,
/// then also `-` and `.`, and a `$` only at the end; the first character may be none of those.
fn check_name(prog: &str, name: &str) -> Result<(), Output> {
    let bytes = name.as_bytes();
    let mut i = 0;
    loop {
        let ch = bytes.get(i).copied().unwrap_or(0);
        let later = i > 0 && (ch == b'-' || ch == b'.' || (ch == b'$' && i + 1 == bytes.len()));
        if !(later || ch == b'_' || ch.is_ascii_alphanumeric()) {
            return Err(die(
                prog,
                format!("illegal character with code {ch} at position {i}"),
            ));
        }
        i += 1;
        if i >= bytes.len() {
            break;
        }
    }
    if bytes.len() >= 256 {
        return Err(die(prog, "name is too long"));
    }
    Ok(())
}

/// What `update_passwd()` is asked to do to one line of a file, as its applet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Applet {
    /// `adduser`, `addgroup`: add a line, or a member to a group.
    Add,
    /// `deluser`, `delgroup`: drop a line, or a member from a group.
    Del,
}

/// `update_passwd(filename, name, new, member)` of BusyBox's libbb, run by root: the number of
/// lines changed, or `None` after its message. `name` `None` with a member drops the member
/// from every group. A missing shadow file (`shadow` or `gshadow`) is no error. Its arguments
/// are libbb's, plus the run's context, output, applet name and kind.
#[allow(clippy::too_many_arguments)]
fn update_passwd(
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    prog: &str,
    applet: Applet,
    file: &str,
    name: Option<&str>,
    new: Option<&str>,
    member: Option<&str>,
) -> Option<usize> {
    let cred = ctx.cred.clone();
    let now = ctx.now;
    let shadow = file.contains("shadow");
    let file = match ctx.fs.resolve(&cred, file, true) {
        Ok(found) => found.path,
        Err(_) => file.to_string(),
    };
    let old = match ctx.fs.read_file(&cred, &file) {
        Ok(c) => String::from_utf8_lossy(&c).into_owned(),
        Err(_) if shadow => return Some(0),
        Err(e) => {
            out.err(format!("{prog}: can't open '{file}': {}\n", e.strerror()));
            return None;
        }
    };
    let st = ctx.fs.stat(&cred, &file).ok();
    let plus = format!("{file}+");
    let minus = format!("{file}-");
    match ctx.fs.create_file(&cred, &plus, 0o600, now) {
        Ok(true) => {}
        Ok(false) => {
            // Emulation note: the real applet waits 3 seconds for the lock file to go first.
            out.err(format!("{prog}: can't create '{plus}': File exists\n"));
            return None;
        }
        Err(e) => {
            out.err(format!("{prog}: can't create '{plus}': {}\n", e.strerror()));
            return None;
        }
    }
    if let Some(st) = &st {
        let _ = ctx.fs.chmod(&cred, &plus, st.mode & 0o777);
        let _ = ctx.fs.chown(&cred, &plus, Some(st.uid), Some(st.gid));
    }
    let backup = match ctx.fs.unlink(&cred, &minus, now) {
        Ok(()) | Err(Errno::ENOENT) => ctx.fs.link(&cred, &file, &minus, now),
        Err(e) => Err(e),
    };
    if let Err(e) = backup {
        out.err(format!(
            "{prog}: warning: can't create backup copy '{minus}': {}\n",
            e.strerror()
        ));
    }
    let name_colon = format!("{}:", name.unwrap_or(""));
    let mut text = String::new();
    let mut changed = 0usize;
    for line in old.lines() {
        if let (None, Some(m)) = (name, member) {
            // Drop `m` from the member list (after the last ':') of every line.
            let (head, list) = match line.rfind(':') {
                Some(i) => line.split_at(i + 1),
                None => (line, ""),
            };
            let kept: Vec<&str> = list.split(',').filter(|x| *x != m).collect();
            if list.split(',').any(|x| x == m) {
                changed += 1;
            }
            text += &format!("{head}{}\n", kept.join(","));
            continue;
        }
        let Some(_) = line.strip_prefix(name_colon.as_str()) else {
            text += &format!("{line}\n");
            continue;
        };
        match (member, applet) {
            (Some(m), Applet::Add) => {
                let sep = if line.ends_with(':') { "" } else { "," };
                text += &format!("{line}{sep}{m}\n");
                changed += 1;
            }
            (Some(m), Applet::Del) => {
                let i = line.rfind(':').unwrap_or(line.len());
                let (head, list) = (&line[..i], line.get(i + 1..).unwrap_or(""));
                let mut kept = Vec::new();
                for x in list.split(',') {
                    if x == m {
                        changed += 1;
                    } else {
                        kept.push(x);
                    }
                }
                text += &format!("{head}:{}\n", kept.join(","));
            }
            // Adding or deleting a user or group: the old line goes.
            (None, _) => {}
        }
    }
    if changed == 0 {
        if let Some(m) = member {
            match applet {
                Applet::Add => out.err(format!(
                    "{prog}: can't find {} in {file}\n",
                    name.unwrap_or("")
                )),
                Applet::Del if name.is_some() => {
                    out.err(format!("{prog}: can't find {m} in {file}\n"))
                }
                Applet::Del => {}
            }
        }
        if applet == Applet::Add && member.is_none() {
            text += &format!("{name_colon}{}\n", new.unwrap_or(""));
            changed += 1;
        }
    }
    let written = ctx
        .fs
        .write_file(&cred, &plus, text.as_bytes(), 0o600, now)
        .and_then(|()| ctx.fs.rename(&cred, &plus, &file, now));
    if let Err(e) = written {
        out.err(format!("{prog}: {}\n", e.strerror()));
        let _ = ctx.fs.unlink(&cred, &plus, now);
        return None;
    }
    Some(changed)
}

/// `addgroup [-g GID] [-S] [USER] GROUP`: a new group with the first free gid (from 1000, or
/// from 100 to 999 for `-S`), or `USER` added to the members of `GROUP`.
pub fn addgroup(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    if ctx.cred.uid != 0 {
        return not_root(prog);
    }
    let spec = Spec {
        short: "g:S",
        long: &[("gid", 'g'), ("system", 'S')],
    };
    let o = match parse(args, &spec, PERMUTE) {
        Ok(o) => o,
        Err(e) => return refused(ctx, prog, e),
    };
    if o.operands.is_empty() || o.operands.len() > 2 {
        return show_usage(prog);
    }
    let mut out = Output::default();
    let accounts = Accounts::read(&*ctx.fs, &Cred::root());
    if let [user, group] = o.operands.as_slice() {
        if o.has('g') {
            return show_usage(prog);
        }
        if accounts.getpwnam(user).is_none() {
            return die(prog, format!("unknown user {user}"));
        }
        let Some(gr) = accounts.getgrnam(group) else {
            return die(prog, format!("unknown group {group}"));
        };
        if gr.members.iter().any(|m| m == user) {
            return out;
        }
        if update_passwd(
            ctx,
            &mut out,
            prog,
            Applet::Add,
            GROUP,
            Some(group),
            None,
            Some(user),
        )
        .is_none()
        {
            out.code = 1;
            return out;
        }
        update_passwd(
            ctx,
            &mut out,
            prog,
            Applet::Add,
            GSHADOW,
            Some(group),
            None,
            Some(user),
        );
        return out;
    }
    let group = &o.operands[0];
    if let Err(e) = check_name(prog, group) {
        return e;
    }
    let gid = match id_number(prog, o.value('g').unwrap_or("0")) {
        Ok(g) => g,
        Err(e) => return e,
    };
    new_group(
        ctx,
        &mut out,
        prog,
        &accounts,
        group,
        gid,
        o.has('g'),
        o.has('S'),
    );
    out
}

/// `new_group()` of `addgroup.c`: check the name and the gid, then add `NAME:x:GID:`.
#[allow(clippy::too_many_arguments)]
fn new_group(
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    prog: &str,
    accounts: &Accounts,
    group: &str,
    gid: u32,
    fixed: bool,
    system: bool,
) {
    if accounts.getgrnam(group).is_some() {
        out.fail(prog, format!("group '{group}' in use"), 1);
        return;
    }
    let (mut gid, max) = match (fixed, system) {
        (true, _) => (gid, LAST_ID),
        (false, true) => (FIRST_SYSTEM_ID, LAST_SYSTEM_ID),
        (false, false) => (LAST_SYSTEM_ID + 1, LAST_ID),
    };
    while accounts.getgrgid(gid).is_some() {
        if fixed {
            out.fail(prog, format!("gid '{gid}' in use"), 1);
            return;
        }
        if gid >= max {
            out.fail(prog, "no gids left", 1);
            return;
        }
        gid += 1;
    }
    let line = format!("x:{gid}:");
    if update_passwd(
        ctx,
        out,
        prog,
        Applet::Add,
        GROUP,
        Some(group),
        Some(&line),
        None,
    )
    .is_none()
    {
        out.code = 1;
        return;
    }
    update_passwd(
        ctx,
        out,
        prog,
        Applet::Add,
        GSHADOW,
        Some(group),
        Some("!::"),
        None,
    );
}

/// `adduser [OPTIONS] USER [GROUP]`: a passwd line `USER:x:UID:GID:GECOS:HOME:SHELL`, a shadow
/// line `USER:!:DAYS:0:99999:7:::`, a group of the user's own (or membership of `-G GRP`), and
/// a home directory (`drwxr-sr-x`, owned by the user) filled from `/etc/skel`. Without `-D` the
/// applet then runs `passwd USER`.
pub fn adduser(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    if ctx.cred.uid != 0 {
        return not_root(prog);
    }
    let spec = Spec {
        short: "h:g:s:G:DSHu:k:",
        long: &[
            ("home", 'h'),
            ("gecos", 'g'),
            ("shell", 's'),
            ("ingroup", 'G'),
            ("disabled-password", 'D'),
            ("empty-password", 'D'),
            ("system", 'S'),
            ("no-create-home", 'H'),
            ("uid", 'u'),
            ("skel", 'k'),
        ],
    };
    let o = match parse(args, &spec, PERMUTE) {
        Ok(o) => o,
        Err(e) => return refused(ctx, prog, e),
    };
    if o.operands.is_empty() || o.operands.len() > 2 {
        return show_usage(prog);
    }
    let name = o.operands[0].clone();
    let fixed_uid = match o.value('u').map(|u| id_number(prog, u)) {
        Some(Ok(u)) => Some(u),
        Some(Err(e)) => return e,
        None => None,
    };
    let mut out = Output::default();
    if o.flags.is_empty() {
        if let Some(group) = o.operands.get(1) {
            // `adduser USER GROUP`: `addgroup -- USER GROUP`.
            return addgroup("addgroup", &["--".into(), name, group.clone()], ctx);
        }
    }
    if let Err(e) = check_name(prog, &name) {
        return e;
    }
    let system = o.has('S');
    let home = o
        .value('h')
        .map(str::to_string)
        .unwrap_or_else(|| format!("/home/{name}"));
    let gecos = o.value('g').unwrap_or("Linux User,,,").to_string();
    let accounts = Accounts::read(&*ctx.fs, &Cred::root());
    let shell = match (o.value('s'), system) {
        (Some(s), _) => s.to_string(),
        (None, true) => "/sbin/nologin".to_string(),
        // `get_shell_name()`: `$SHELL`, else the caller's own login shell, else `/bin/sh`.
        (None, false) => ctx
            .env
            .get("SHELL")
            .filter(|s| !s.is_empty())
            .cloned()
            .or_else(|| {
                accounts
                    .getpwuid(ctx.cred.uid)
                    .map(|p| p.shell.clone())
                    .filter(|s| !s.is_empty())
            })
            .unwrap_or_else(|| "/bin/sh".to_string()),
    };
    let usegroup = o
        .value('G')
        .map(str::to_string)
        .or_else(|| system.then(|| "nogroup".to_string()));
    let gid = match &usegroup {
        Some(g) => match accounts.getgrnam(g) {
            Some(gr) => Some(gr.gid),
            None => return die(prog, format!("unknown group {g}")),
        },
        None => None,
    };
    // `passwd_study()`: the name, then the first free uid (and gid, for a group of its own).
    if accounts.getpwnam(&name).is_some() {
        return die(prog, format!("user '{name}' in use"));
    }
    let (mut uid, max) = match (fixed_uid, system) {
        (Some(u), _) => (u, LAST_ID),
        (None, true) => (FIRST_SYSTEM_ID, LAST_SYSTEM_ID),
        (None, false) => (LAST_SYSTEM_ID + 1, LAST_ID),
    };
    while accounts.getpwuid(uid).is_some() || (gid.is_none() && accounts.getgrgid(uid).is_some()) {
        if fixed_uid.is_some() {
            return die(prog, format!("uid '{uid}' in use"));
        }
        if uid >= max {
            return die(prog, "no uids left");
        }
        uid += 1;
    }
    let gid = match gid {
        Some(g) => g,
        None => {
            if accounts.getgrnam(&name).is_some() {
                return die(prog, format!("group '{name}' in use"));
            }
            uid
        }
    };
    let line = format!("x:{uid}:{gid}:{gecos}:{home}:{shell}");
    if update_passwd(
        ctx,
        &mut out,
        prog,
        Applet::Add,
        PASSWD,
        Some(&name),
        Some(&line),
        None,
    )
    .is_none()
    {
        out.code = 1;
        return out;
    }
    let days = ctx.now / (24 * 60 * 60);
    let shadow = format!("!:{days}:0:99999:7:::");
    update_passwd(
        ctx,
        &mut out,
        prog,
        Applet::Add,
        SHADOW,
        Some(&name),
        Some(&shadow),
        None,
    );
    // `addgroup_wrapper()`: a child `addgroup`, whose failure adduser ignores.
    let child = match &usegroup {
        Some(g) => addgroup("addgroup", &["--".into(), name.clone(), g.clone()], ctx),
        None => addgroup(
            "addgroup",
            &["--gid".into(), gid.to_string(), "--".into(), name.clone()],
            ctx,
        ),
    };
    out.out(child.stdout);
    out.err(child.stderr);
    if !o.has('H') {
        make_home(ctx, &mut out, prog, &home, uid, gid, o.value('k'));
    }
    if !(o.has('D') || system) {
        passwd_on_eof(ctx, &mut out, &name);
    }
    out
}

/// The home directory: made `0755` (umask cleared) and, when new, filled from the skeleton
/// (silently when it is missing, unless `-k` named it) and owned by the user throughout; then
/// owned by the user and `02755` in any case.
fn make_home(
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    prog: &str,
    home: &str,
    uid: u32,
    gid: u32,
    skel: Option<&str>,
) {
    let cred = ctx.cred.clone();
    let now = ctx.now;
    let path = ctx.abs(home);
    let made = ctx.fs.mkdir(&cred, &path, 0o755, now);
    if made.is_ok() {
        let mut copied = Vec::new();
        copy_skel(
            ctx,
            out,
            skel.unwrap_or("/etc/skel"),
            &path,
            skel.is_some(),
            &mut copied,
        );
        for p in copied.iter().rev() {
            let _ = ctx.fs.lchown(&cred, p, Some(uid), Some(gid));
        }
    }
    let fixed = match made {
        Ok(()) | Err(Errno::EEXIST) => ctx
            .fs
            .chown(&cred, &path, Some(uid), Some(gid))
            .and_then(|()| ctx.fs.chmod(&cred, &path, 0o2755)),
        Err(e) => Err(e),
    };
    if let Err(e) = fixed {
        out.err(format!("{prog}: {home}: {}\n", e.strerror()));
    }
}

/// `copy_file(skel, home, FILEUTILS_RECUR)` into the new, existing home: each entry with its
/// own mode (the umask is 0), symlinks as symlinks. Every path made is pushed to `made`.
fn copy_skel(
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    skel: &str,
    home: &str,
    loud: bool,
    made: &mut Vec<String>,
) {
    let cred = ctx.cred.clone();
    let now = ctx.now;
    let src = ctx.abs(skel);
    match ctx.fs.lstat(&cred, &src) {
        Ok(st) if st.kind == FileType::Dir => {}
        Ok(_) => {
            if loud {
                out.err(format!("adduser: target '{home}' is not a directory\n"));
            }
            return;
        }
        Err(e) => {
            if loud {
                out.err(format!("adduser: can't stat '{skel}': {}\n", e.strerror()));
            }
            return;
        }
    }
    made.push(home.to_string());
    let mut stack = vec![(src, home.to_string())];
    while let Some((from, to)) = stack.pop() {
        let Ok(entries) = ctx.fs.read_dir(&cred, &from) else {
            continue;
        };
        for entry in entries {
            if made.len() >= MAX_SKEL_ENTRIES {
                return;
            }
            let s = layerbox_fstree::path::join(&from, &entry.name);
            let d = layerbox_fstree::path::join(&to, &entry.name);
            let Ok(st) = ctx.fs.lstat(&cred, &s) else {
                continue;
            };
            let done = match st.kind {
                FileType::Dir => ctx
                    .fs
                    .mkdir(&cred, &d, st.mode & 0o7777, now)
                    .map(|()| stack.push((s.clone(), d.clone()))),
                FileType::Symlink => ctx
                    .fs
                    .readlink(&cred, &s)
                    .and_then(|target| ctx.fs.symlink(&cred, &target, &d, now)),
                // A skeleton holds no device nodes.
                FileType::CharDev => continue,
                FileType::File => ctx.fs.read_file(&cred, &s).and_then(|c| {
                    let data = c.to_vec();
                    ctx.fs
                        .write_file(&cred, &d, &data, st.mode & 0o7777, now)
                        .and_then(|()| ctx.fs.chmod(&cred, &d, st.mode & 0o7777))
                }),
            };
            match done {
                Ok(()) => made.push(d),
                Err(e) => {
                    if loud {
                        out.err(format!("adduser: can't create '{d}': {}\n", e.strerror()));
                    }
                }
            }
        }
    }
}

/// `passwd USER`, which adduser becomes without `-D`: with nothing on stdin (a `RUN` step, a
/// pipe that ended) it asks once, reads end of file and fails.
fn passwd_on_eof(ctx: &Ctx<'_>, out: &mut Output, name: &str) {
    if ctx.tty || !ctx.stdin.is_empty() {
        out.err("layerbox: passwd is not modelled (BusyBox applet)\n");
        out.code = NOT_MODELLED;
        return;
    }
    out.out(format!("Changing password for {name}\nNew password: \n"));
    out.fail("passwd", format!("password for {name} is unchanged"), 1);
}

/// `deluser [--remove-home] USER` and `delgroup [USER] GROUP`: a user's passwd and shadow
/// lines, its memberships and its own group go; a group goes unless it is still someone's
/// primary group; or a member leaves a group.
pub fn deluser(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let is_deluser = prog == "deluser";
    let mut args: Vec<String> = args.to_vec();
    let mut remove_home = false;
    if is_deluser {
        let spec = Spec {
            short: "",
            long: &[("remove-home", '\u{ff}')],
        };
        match parse(&args, &spec, PERMUTE) {
            Ok(o) => {
                remove_home = o.has('\u{ff}');
                args = o.operands;
            }
            Err(e) => return refused(ctx, prog, e),
        }
    } else if args == ["--help"] {
        // `delgroup` reads no options: only the multi-call binary's own `--help`.
        return refused(ctx, prog, crate::cli::OptError::Help);
    }
    if ctx.cred.uid != 0 {
        return not_root(prog);
    }
    let mut out = Output::default();
    let accounts = Accounts::read(&*ctx.fs, &Cred::root());
    let (name, member) = match args.as_slice() {
        [name] => (name.clone(), None),
        [user, group] if !is_deluser => (group.clone(), Some(user.clone())),
        _ => return show_usage(prog),
    };
    if is_deluser {
        let Some(pw) = accounts.getpwnam(&name) else {
            return die(prog, format!("unknown user {name}"));
        };
        if remove_home {
            let cred = ctx.cred.clone();
            if ctx.fs.stat(&cred, &pw.home).is_ok_and(|s| s.is_dir()) {
                if let Err(e) = ctx.fs.remove_all(&cred, &pw.home, ctx.now) {
                    out.err(format!(
                        "{prog}: can't remove '{}': {}\n",
                        pw.home,
                        e.strerror()
                    ));
                }
            }
        }
        for file in [PASSWD, SHADOW] {
            if update_passwd(
                ctx,
                &mut out,
                prog,
                Applet::Del,
                file,
                Some(&name),
                None,
                None,
            )
            .is_none()
            {
                out.code = 1;
                return out;
            }
        }
        if update_passwd(
            ctx,
            &mut out,
            prog,
            Applet::Del,
            GROUP,
            None,
            None,
            Some(&name),
        )
        .is_none()
        {
            out.code = 1;
            return out;
        }
        // Then `delgroup USER`, quietly when there is no such group.
        let accounts = Accounts::read(&*ctx.fs, &Cred::root());
        if accounts.getgrnam(&name).is_none() {
            return out;
        }
        delgroup(ctx, &mut out, prog, &accounts, &name, None);
        return out;
    }
    delgroup(ctx, &mut out, prog, &accounts, &name, member.as_deref());
    out
}

/// The `delgroup` half of `deluser.c`.
fn delgroup(
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    prog: &str,
    accounts: &Accounts,
    name: &str,
    member: Option<&str>,
) {
    let Some(gr) = accounts.getgrnam(name) else {
        out.fail(prog, format!("unknown group {name}"), 1);
        return;
    };
    if member.is_none() {
        if let Some(pw) = accounts.users().iter().find(|p| p.gid == gr.gid) {
            out.fail(
                prog,
                format!("'{}' still has '{name}' as their primary group!", pw.name),
                1,
            );
            return;
        }
    }
    for file in [GROUP, GSHADOW] {
        if update_passwd(ctx, out, prog, Applet::Del, file, Some(name), None, member).is_none() {
            out.code = 1;
            return;
        }
    }
}
