//! Tab completion as bash does it: the word under the cursor (the end of the line) is completed
//! to the longest common prefix of its candidates; several candidates are listed.
//!
//! Candidates come from the session itself: program names, docker's commands and their flags (from
//! the CLI's own catalog), container, volume and image names, and paths in the host filesystem.

use layerbox_docker_cli as docker;
use layerbox_fstree::{FileSystem, FileType};
use layerbox_session::Session;

/// What Tab did.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Completion {
    /// The line after completing (unchanged when nothing could be added).
    pub line: String,
    /// Candidates to list when there is more than one.
    pub choices: Vec<String>,
}

/// Docker subcommands that take a container as their operand.
const TAKES_CONTAINER: &[&str] = &[
    "start", "stop", "restart", "kill", "rm", "exec", "logs", "diff", "commit", "inspect", "port",
    "top", "wait", "rename", "cp", "attach",
];

/// Completes the last word of `line`.
pub fn complete(line: &str, session: &Session) -> Completion {
    let start = line
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | '`'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (before, word) = line.split_at(start);
    let words: Vec<&str> = before
        .rsplit([';', '|', '&', '('])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let mut candidates = if words.is_empty() {
        commands(word, session)
    } else if words[0] == "docker" {
        docker_candidates(&words[1..], word, session)
    } else {
        Vec::new()
    };
    if candidates.is_empty() && !word.starts_with('-') {
        candidates = paths(word, session);
    }
    layerbox_order::sort(&mut candidates);
    candidates.dedup();
    match candidates.as_slice() {
        [] => Completion {
            line: line.to_string(),
            choices: Vec::new(),
        },
        [one] => {
            let space = if one.ends_with('/') || one.ends_with(':') {
                ""
            } else {
                " "
            };
            Completion {
                line: format!("{before}{one}{space}"),
                choices: Vec::new(),
            }
        }
        many => {
            let prefix = common_prefix(many);
            Completion {
                line: format!(
                    "{before}{}",
                    if prefix.len() > word.len() {
                        prefix
                    } else {
                        word
                    }
                ),
                choices: many.to_vec(),
            }
        }
    }
}

fn common_prefix(words: &[String]) -> &str {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    &first[..end]
}

fn commands(word: &str, session: &Session) -> Vec<String> {
    session
        .host_programs()
        .into_iter()
        .filter(|n| n.starts_with(word))
        .map(str::to_string)
        .collect()
}

fn docker_candidates(args: &[&str], word: &str, session: &Session) -> Vec<String> {
    let catalog: Vec<(&str, &[docker::opts::flags::Flag])> = docker::catalog().collect();
    let positional: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    // The command named so far: one word, or two for `volume ls`-style commands.
    let named = [2usize, 1]
        .into_iter()
        .filter(|&n| positional.len() >= n)
        .map(|n| positional[..n].join(" "))
        .find_map(|path| catalog.iter().find(|(p, _)| *p == path).copied());
    let Some((path, flags)) = named else {
        // Still naming the command.
        let typed = positional.join(" ");
        let prefix = if typed.is_empty() {
            word.to_string()
        } else {
            format!("{typed} {word}")
        };
        return catalog
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix))
            .filter_map(|(p, _)| p.split(' ').nth(positional.len()))
            .map(str::to_string)
            .collect();
    };
    if let Some(long) = word.strip_prefix("--") {
        return flags
            .iter()
            .filter(|f| f.long.starts_with(long))
            .map(|f| format!("--{}", f.long))
            .collect();
    }
    if word.starts_with('-') {
        return Vec::new();
    }
    let world = session.world();
    let last_flag = args.last().copied().unwrap_or("");
    let operands = positional.len() - path.split(' ').count();
    let names: Vec<String> = if matches!(last_flag, "-v" | "--volume") && !word.starts_with('/') {
        world
            .volumes()
            .volumes
            .keys()
            .map(|n| format!("{n}:"))
            .collect()
    } else if matches!(last_flag, "--volumes-from") {
        container_names(session)
    } else if path.starts_with("volume ") && path != "volume create" {
        world.volumes().volumes.keys().cloned().collect()
    } else if matches!(
        path,
        "run" | "create" | "container run" | "container create"
    ) && operands == 0
        || path.starts_with("image ") && path != "image ls"
    {
        world
            .images()
            .images
            .values()
            .flat_map(|i| &i.repo_tags)
            .map(|t| t.trim_end_matches(":latest").to_string())
            .collect()
    } else if TAKES_CONTAINER.contains(&path.rsplit(' ').next().unwrap_or(path))
        && (operands == 0 || !matches!(path, "exec" | "container exec" | "commit"))
    {
        container_names(session)
    } else {
        Vec::new()
    };
    names.into_iter().filter(|n| n.starts_with(word)).collect()
}

fn container_names(session: &Session) -> Vec<String> {
    session
        .world()
        .containers()
        .values()
        .map(|c| c.name.trim_start_matches('/').to_string())
        .collect()
}

/// Paths in the host filesystem below the word's directory, as the host user sees them.
fn paths(word: &str, session: &Session) -> Vec<String> {
    let (dir_part, base) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let cwd = &session.shell.cwd;
    let home = session
        .shell
        .env
        .get("HOME")
        .cloned()
        .unwrap_or_else(|| "/".into());
    let dir = if let Some(rest) = dir_part.strip_prefix("~/") {
        format!("{home}/{rest}")
    } else if dir_part.starts_with('/') {
        dir_part.to_string()
    } else {
        format!("{cwd}/{dir_part}")
    };
    let cred = layerbox_engine::host::user_cred();
    let host = session.world().host();
    let Ok(entries) = host.read_dir(&cred, &dir) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|e| e.name.starts_with(base) && (base.starts_with('.') || !e.name.starts_with('.')))
        .map(|e| {
            let is_dir = e.kind == FileType::Dir
                || e.kind == FileType::Symlink
                    && host
                        .stat(&cred, &format!("{dir}/{}", e.name))
                        .is_ok_and(|s| s.kind == FileType::Dir);
            format!("{dir_part}{}{}", e.name, if is_dir { "/" } else { "" })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let mut s = Session::new();
        for line in [
            "docker volume create todo-list",
            "docker create --name todo1 diamol/ch06-todo-list",
            "mkdir -p site/html",
        ] {
            assert_eq!(s.run_line(line).code, 0, "{line}");
        }
        s
    }

    #[test]
    fn a_unique_command_completes_with_a_space() {
        assert_eq!(complete("dock", &session()).line, "docker ");
        assert_eq!(complete("docker vol", &session()).line, "docker volume ");
        assert_eq!(
            complete("docker volume cr", &session()).line,
            "docker volume create "
        );
    }

    #[test]
    fn program_names_are_the_ones_the_host_runs() {
        // curl and wget are the host side's own programs, not coreutils: they complete too.
        assert_eq!(complete("cur", &session()).line, "curl ");
        assert_eq!(complete("wge", &session()).line, "wget ");
        let s = session();
        for name in s.host_programs() {
            let result = complete(name, &s);
            assert!(result.line.starts_with(name), "{name}");
        }
    }

    #[test]
    fn several_candidates_extend_to_their_common_prefix_and_are_listed() {
        let c = complete("docker volume p", &session());
        assert_eq!(c.line, "docker volume prune ");
        let c = complete("docker r", &session());
        assert_eq!(c.line, "docker r");
        assert!(c.choices.contains(&"rm".to_string()));
        assert!(c.choices.contains(&"run".to_string()));
    }

    #[test]
    fn flags_come_from_the_command_s_own_flags() {
        let c = complete("docker run --volumes-f", &session());
        assert_eq!(c.line, "docker run --volumes-from ");
        let c = complete("docker run --volumes-from t", &session());
        assert_eq!(c.line, "docker run --volumes-from todo1 ");
    }

    #[test]
    fn names_of_containers_volumes_and_images_complete() {
        let s = session();
        assert_eq!(complete("docker rm to", &s).line, "docker rm todo1 ");
        assert_eq!(
            complete("docker volume inspect to", &s).line,
            "docker volume inspect todo-list "
        );
        assert_eq!(
            complete("docker run -v to", &s).line,
            "docker run -v todo-list:"
        );
        assert_eq!(
            complete("docker run --rm alp", &s).line,
            "docker run --rm alpine "
        );
    }

    #[test]
    fn a_wide_space_before_the_word_is_a_separator_too() {
        assert_eq!(
            complete("ls\u{3000}/et", &session()).line,
            "ls\u{3000}/etc/"
        );
    }

    #[test]
    fn paths_complete_relative_to_the_working_directory() {
        let s = session();
        assert_eq!(complete("ls si", &s).line, "ls site/");
        assert_eq!(complete("ls site/h", &s).line, "ls site/html/");
        assert_eq!(complete("cat /etc/host", &s).line, "cat /etc/hostname ");
        let c = complete("ls /", &s);
        assert_eq!(c.line, "ls /");
        assert!(c.choices.contains(&"/etc/".to_string()), "{:?}", c.choices);
        assert!(c.choices.contains(&"/home/".to_string()), "{:?}", c.choices);
    }
}
