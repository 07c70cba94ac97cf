//! `docker version`: the client's version, and layerbox naming itself in place of a daemon.

use layerbox_sh::Output;

use crate::formatter::template::{ExecError, Template};
use crate::formatter::value::{field, s, Value};
use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::err_line;
use crate::{reply, Cli};

pub const VERSION: Command = Command {
    path: "version",
    args: Arity::Exact(0),
    usage: "docker version [OPTIONS]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &["kubeconfig"],
};

pub(crate) const CLIENT_VERSION: &str = "28.2.2";

pub(crate) const ENGINE: &str =
    "layerbox (a model of Docker Engine 20.10.24's storage; not a daemon)";

/// Executes a single-object `--format` (`version`, `info`): the text, or the template error.
pub(crate) fn format_one(out: &mut Output, format: &str, value: &Value, type_name: &str) {
    let template = match Template::parse(format) {
        Ok(t) => t,
        Err(e) => {
            err_line(out, format!("template parsing error: {e}"));
            out.code = 1;
            return;
        }
    };
    match template.execute_as(value, type_name) {
        Ok(text) => reply::line(out, text),
        Err(e) => {
            err_line(out, e.line("template parsing error: "));
            out.code = 1;
        }
    }
}

pub fn version(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let _ = cli;
    let mut out = Output::default();
    let client = Value::Struct(vec![
        field("Platform", Value::Struct(vec![field("Name", s(""))])),
        field("Version", s(CLIENT_VERSION)),
        field("ApiVersion", s("1.41")),
        field("DefaultAPIVersion", s("1.50")),
        field("GoVersion", s("")),
        field("GitCommit", s("")),
        field("BuildTime", s("")),
        field("Os", s("layerbox")),
        field("Arch", s(std::env::consts::ARCH)),
        field("Context", s("default")),
    ]);
    let server = Value::Struct(vec![
        field(
            "Platform",
            Value::Struct(vec![field("Name", s("layerbox"))]),
        ),
        field("Version", s(ENGINE)),
        field("ApiVersion", s("1.41")),
        field("MinAPIVersion", s("1.12")),
        field("Os", s("layerbox")),
        field("Arch", s(std::env::consts::ARCH)),
    ]);
    if let Some(format) = m.last("format").filter(|f| !f.is_empty()) {
        let v = Value::Struct(vec![field("Client", client), field("Server", server)]);
        // The CLI names this template "version" and prints a blank line before an error.
        let result = Template::parse(format)
            .map_err(ExecError::Go)
            .and_then(|t| t.execute_as(&v, "system.versionInfo"));
        match result {
            Ok(text) => reply::line(&mut out, text),
            Err(e) => {
                reply::line(&mut out, "");
                let line = match e {
                    ExecError::Go(e) => e
                        .replacen("template: :", "template: version:", 1)
                        .replacen("executing \"\"", "executing \"version\"", 1),
                    ExecError::Stopped(line) => line,
                };
                err_line(&mut out, line);
                out.code = 1;
            }
        }
        return out;
    }
    let text = format!(
        "Client:\n Version:           {CLIENT_VERSION}\n API version:       1.41 (downgraded from 1.50)\n OS/Arch:           layerbox/{arch}\n Context:           default\n\nServer: layerbox\n Engine:\n  Version:          {ENGINE}\n  API version:      1.41 (minimum version 1.12)\n",
        arch = std::env::consts::ARCH
    );
    out.stdout.extend_from_slice(text.as_bytes());
    out
}
