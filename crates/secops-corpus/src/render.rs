//! File contexts: each renders a group of instances into one realistic file (right extension,
//! right syntax, filler around), recording the line of every labelled value.

use crate::model::{Doc, Instance, Item, PathAlloc, Val};
use crate::text::{self, expand, Lang};
use crate::util::{
    b64, camel, chance, dotted, kebab, pascal, pick, pick_str, range, upper_snake, Rng,
};
use crate::CorpusFile;
use rand::seq::SliceRandom;

/// Where a credential is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Ctx {
    // Single-line values.
    PyAssign,
    PyDict,
    PyKwargs,
    JsConst,
    JsObject,
    JsTemplate,
    TsClass,
    GoConst,
    GoStruct,
    JavaConst,
    JavaSetter,
    Kotlin,
    CSharp,
    Php,
    Ruby,
    YamlK8s,
    Compose,
    GhActions,
    GitlabCi,
    YamlConfig,
    JsonConfig,
    Toml,
    Ini,
    DotEnv,
    Properties,
    Terraform,
    Tfvars,
    DockerEnv,
    DockerArg,
    ShellExport,
    ShellCmd,
    Xml,
    Markdown,
    NpmRc,
    /// Kubernetes `kind: Secret` with base64 `data:` values.
    K8sSecret,
    // Multi-line values.
    PemFile,
    SaJsonFile,
    YamlBlock,
    PyTriple,
    JsBacktick,
    GoRaw,
    TfHeredoc,
    ShellHeredoc,
    MdFence,
    JsonEscaped,
    DotEnvMulti,
    JavaTextBlock,
    RubyHeredoc,
    XmlBlock,
    TomlMulti,
    PhpHeredoc,
}

impl Ctx {
    /// Contexts for ordinary single-line credentials (the shell-command, npmrc and k8s-secret
    /// contexts are added per credential).
    pub(crate) const LINE: &'static [Ctx] = &[
        Ctx::PyAssign,
        Ctx::PyDict,
        Ctx::PyKwargs,
        Ctx::JsConst,
        Ctx::JsObject,
        Ctx::JsTemplate,
        Ctx::TsClass,
        Ctx::GoConst,
        Ctx::GoStruct,
        Ctx::JavaConst,
        Ctx::JavaSetter,
        Ctx::Kotlin,
        Ctx::CSharp,
        Ctx::Php,
        Ctx::Ruby,
        Ctx::YamlK8s,
        Ctx::Compose,
        Ctx::GhActions,
        Ctx::GitlabCi,
        Ctx::YamlConfig,
        Ctx::JsonConfig,
        Ctx::Toml,
        Ctx::Ini,
        Ctx::DotEnv,
        Ctx::Properties,
        Ctx::Terraform,
        Ctx::Tfvars,
        Ctx::DockerEnv,
        Ctx::DockerArg,
        Ctx::ShellExport,
        Ctx::Xml,
        Ctx::Markdown,
    ];

    /// Contexts for PEM private keys.
    pub(crate) const PEM: &'static [Ctx] = &[
        Ctx::PemFile,
        Ctx::YamlBlock,
        Ctx::PyTriple,
        Ctx::JsBacktick,
        Ctx::GoRaw,
        Ctx::TfHeredoc,
        Ctx::ShellHeredoc,
        Ctx::MdFence,
        Ctx::JsonEscaped,
        Ctx::DotEnvMulti,
        Ctx::JavaTextBlock,
        Ctx::RubyHeredoc,
        Ctx::XmlBlock,
        Ctx::TomlMulti,
        Ctx::PhpHeredoc,
        Ctx::K8sSecret,
    ];

    /// Contexts for a GCP service-account JSON document (only where its escapes survive as-is).
    pub(crate) const SA_JSON: &'static [Ctx] = &[
        Ctx::SaJsonFile,
        Ctx::YamlBlock,
        Ctx::GoRaw,
        Ctx::TfHeredoc,
        Ctx::ShellHeredoc,
        Ctx::MdFence,
        Ctx::RubyHeredoc,
        Ctx::TomlMulti,
        Ctx::K8sSecret,
        Ctx::DotEnv,
        Ctx::ShellExport,
    ];

    /// How many instances one file of this context may hold.
    pub(crate) fn max_per_file(self) -> usize {
        match self {
            Ctx::PemFile | Ctx::SaJsonFile => 1,
            Ctx::YamlBlock
            | Ctx::PyTriple
            | Ctx::JsBacktick
            | Ctx::GoRaw
            | Ctx::TfHeredoc
            | Ctx::ShellHeredoc
            | Ctx::MdFence
            | Ctx::JsonEscaped
            | Ctx::DotEnvMulti
            | Ctx::JavaTextBlock
            | Ctx::RubyHeredoc
            | Ctx::XmlBlock
            | Ctx::TomlMulti
            | Ctx::PhpHeredoc => 1,
            Ctx::NpmRc => 2,
            _ => 3,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Value syntax

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syn {
    Py,
    Js,
    Go,
    Java,
    Kotlin,
    CSharp,
    Php,
    Ruby,
    Yaml,
    Json,
    Toml,
    Ini,
    DotEnv,
    Props,
    Tf,
    Docker,
    Shell,
    Xml,
}

fn shell_safe(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with('~')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=+,@".contains(c))
}

fn yaml_plain_ok(v: &str) -> bool {
    let first_ok = v
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '/');
    first_ok
        && !text::is_numberish(v)
        && !v.contains(": ")
        && !v.contains(" #")
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=+@ ;".contains(c))
        && !v.ends_with(' ')
}

fn quote(rng: &mut Rng, v: &str, single_ok: bool) -> String {
    if single_ok && (v.contains('"') || chance(rng, 0.35)) && !v.contains('\'') {
        format!("'{v}'")
    } else {
        format!("\"{v}\"")
    }
}

/// Render a literal as it is written on the right-hand side in `syn`.
pub(crate) fn lit(rng: &mut Rng, syn: Syn, v: &str) -> String {
    match syn {
        Syn::Py | Syn::Js | Syn::Ruby => quote(rng, v, true),
        Syn::Php => {
            if v.contains('\'') {
                format!("\"{v}\"")
            } else {
                format!("'{v}'")
            }
        }
        Syn::Go | Syn::Java | Syn::Kotlin | Syn::CSharp | Syn::Json | Syn::Toml | Syn::Tf => {
            format!("\"{v}\"")
        }
        Syn::Yaml => {
            if yaml_plain_ok(v) && chance(rng, 0.6) {
                v.to_string()
            } else {
                quote(rng, v, true)
            }
        }
        Syn::DotEnv | Syn::Shell => {
            if v.contains('\'') {
                format!("\"{v}\"")
            } else if v.contains('"') || v.contains(' ') && chance(rng, 0.5) {
                format!("'{v}'")
            } else if !shell_safe(v) {
                if chance(rng, 0.5) || v.contains('!') || v.contains('$') {
                    format!("'{v}'")
                } else {
                    format!("\"{v}\"")
                }
            } else if chance(rng, 0.3) {
                format!("\"{v}\"")
            } else {
                v.to_string()
            }
        }
        Syn::Docker => {
            if shell_safe(v) && chance(rng, 0.7) {
                v.to_string()
            } else {
                format!("\"{v}\"")
            }
        }
        Syn::Xml => v
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
        Syn::Ini | Syn::Props => v.to_string(),
    }
}

/// An environment lookup in `syn`.
fn env_expr(rng: &mut Rng, syn: Syn, var: &str) -> String {
    match syn {
        Syn::Py => match range(rng, 0, 2) {
            0 => format!("os.environ[\"{var}\"]"),
            1 => format!("os.getenv(\"{var}\")"),
            _ => format!("os.environ.get(\"{var}\", \"\")"),
        },
        Syn::Js => {
            if chance(rng, 0.6) {
                format!("process.env.{var}")
            } else {
                format!("process.env[\"{var}\"]")
            }
        }
        Syn::Go => format!("os.Getenv(\"{var}\")"),
        Syn::Java | Syn::Kotlin => format!("System.getenv(\"{var}\")"),
        Syn::CSharp => format!("Environment.GetEnvironmentVariable(\"{var}\")"),
        Syn::Php => {
            if chance(rng, 0.5) {
                format!("getenv('{var}')")
            } else {
                format!("$_ENV['{var}'] ?? ''")
            }
        }
        Syn::Ruby => {
            if chance(rng, 0.5) {
                format!("ENV[\"{var}\"]")
            } else {
                format!("ENV.fetch(\"{var}\")")
            }
        }
        Syn::Yaml => format!("\"${{{var}}}\""),
        Syn::Json | Syn::Toml => format!("\"${{{var}}}\""),
        Syn::Ini | Syn::Props | Syn::DotEnv | Syn::Docker => format!("${{{var}}}"),
        Syn::Shell => {
            if chance(rng, 0.5) {
                format!("\"${{{var}}}\"")
            } else {
                format!("\"${{{var}:?{var} must be set}}\"")
            }
        }
        Syn::Tf => format!("var.{}", var.to_ascii_lowercase()),
        Syn::Xml => format!("${{env.{var}}}"),
    }
}

/// A run-time lookup (secret manager, config object, function call) in `syn`.
fn call_expr(rng: &mut Rng, syn: Syn, key: &str) -> String {
    let k = key;
    match syn {
        Syn::Py => match range(rng, 0, 4) {
            0 => format!("get_secret(\"{k}\")"),
            1 => format!("config.get(\"credentials\", \"{k}\")"),
            2 => format!("vault_client.secrets.kv.read_secret_version(path=\"app/{k}\")[\"data\"][\"data\"][\"value\"]"),
            3 => format!("keyring.get_password(\"{}\", \"{k}\")", text::project(rng)),
            _ => format!("settings.{}", upper_snake(k)),
        },
        Syn::Js => match range(rng, 0, 2) {
            0 => format!("await secrets.get(\"{k}\")"),
            1 => format!("config.get(\"{}\")", camel(k)),
            _ => format!("await getParameter(\"/prod/{}\")", kebab(k)),
        },
        Syn::Go => match range(rng, 0, 1) {
            0 => format!("viper.GetString(\"{}\")", dotted(k)),
            _ => format!("mustSecret(ctx, \"{k}\")"),
        },
        Syn::Java => match range(rng, 0, 2) {
            0 => format!("props.getProperty(\"{}\")", dotted(k)),
            1 => format!("env.getRequiredProperty(\"{}\")", dotted(k)),
            _ => format!("secretClient.getSecret(\"{}\").getValue()", kebab(k)),
        },
        Syn::Kotlin => format!("config.property(\"{}\").getString()", dotted(k)),
        Syn::CSharp => format!("_configuration[\"{}\"]", pascal(k)),
        Syn::Php => {
            if chance(rng, 0.5) {
                format!("config('services.{k}')")
            } else {
                format!("env('{}')", upper_snake(k))
            }
        }
        Syn::Ruby => {
            if chance(rng, 0.5) {
                format!("Rails.application.credentials.{k}")
            } else {
                format!("Settings.{k}")
            }
        }
        Syn::Yaml => format!("\"{{{{ .Values.{} }}}}\"", camel(k)),
        Syn::Json | Syn::Toml => format!("\"{{{{ {k} }}}}\""),
        Syn::Ini => format!("%({k})s"),
        Syn::Props => format!("${{{}}}", dotted(k)),
        Syn::DotEnv | Syn::Docker => format!("${{{}}}", upper_snake(k)),
        Syn::Shell => match range(rng, 0, 2) {
            0 => format!("\"$(vault kv get -field={k} secret/{})\"", text::project(rng)),
            1 => format!(
                "\"$(aws secretsmanager get-secret-value --secret-id prod/{} --query SecretString --output text)\"",
                kebab(k)
            ),
            _ => format!("\"$(cat /run/secrets/{k})\""),
        },
        Syn::Tf => match range(rng, 0, 1) {
            0 => format!("data.aws_secretsmanager_secret_version.{k}.secret_string"),
            _ => format!("random_password.{k}.result"),
        },
        Syn::Xml => format!("${{{}}}", dotted(k)),
    }
}

/// The right-hand side of an assignment of `val` in `syn`.
pub(crate) fn rhs(rng: &mut Rng, syn: Syn, val: &Val) -> String {
    match val {
        Val::Lit(v) | Val::Block(v) => lit(rng, syn, v),
        Val::Env(var) => env_expr(rng, syn, var),
        Val::Call(key) => call_expr(rng, syn, key),
    }
}

/// The right-hand side of a filler value: numbers and booleans bare where the syntax allows.
fn fill_rhs(rng: &mut Rng, syn: Syn, v: &str) -> String {
    if text::is_numberish(v) {
        match syn {
            Syn::Py if v == "true" => "True".into(),
            Syn::Py if v == "false" => "False".into(),
            _ => v.to_string(),
        }
    } else {
        lit(rng, syn, v)
    }
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Snake,
    Camel,
    Pascal,
}

fn case(c: Case, name: &str) -> String {
    match c {
        Case::Upper => upper_snake(name),
        Case::Snake => name.to_string(),
        Case::Camel => camel(name),
        Case::Pascal => pascal(name),
    }
}

// ---------------------------------------------------------------------------------------------
// Entries: filler settings interleaved with the instances' items.

enum Entry<'a> {
    Fill(String, String),
    Item(&'a Item),
    Comment,
}

fn entries<'a>(rng: &mut Rng, insts: &'a [Instance], lo: usize, hi: usize) -> Vec<Entry<'a>> {
    let taken: Vec<&str> = insts
        .iter()
        .flat_map(|i| i.items.iter().map(|it| it.name.as_str()))
        .collect();
    let mut groups: Vec<Vec<Entry<'a>>> = Vec::new();
    for (k, v) in text::config_pairs(rng, lo, hi) {
        if !taken.contains(&k.as_str()) {
            groups.push(vec![Entry::Fill(k, v)]);
        }
    }
    for inst in insts {
        let mut g = Vec::new();
        if chance(rng, 0.3) {
            g.push(Entry::Comment);
        }
        g.extend(inst.items.iter().map(Entry::Item));
        groups.push(g);
    }
    groups.shuffle(rng);
    groups.into_iter().flatten().collect()
}

/// What an entry formatter gets: the cased name, the rendered right-hand side, and the raw value
/// (None for filler).
struct View<'a> {
    name: String,
    rhs: String,
    val: Option<&'a Val>,
}

/// Emit entries through a formatter that returns the entry's lines and which of them holds the
/// value.
fn emit<'a, F>(
    doc: &mut Doc,
    rng: &mut Rng,
    ents: &[Entry<'a>],
    syn: Syn,
    name_case: Case,
    comment_prefix: &str,
    mut fmt: F,
) where
    F: FnMut(&mut Rng, &View<'a>) -> (Vec<String>, usize),
{
    for e in ents {
        match e {
            Entry::Fill(k, v) => {
                let view = View {
                    name: case(name_case, k),
                    rhs: fill_rhs(rng, syn, v),
                    val: None,
                };
                let (lines, _) = fmt(rng, &view);
                doc.extend(lines);
            }
            Entry::Item(it) => {
                let view = View {
                    name: case(name_case, &it.name),
                    rhs: rhs(rng, syn, &it.val),
                    val: Some(&it.val),
                };
                let (lines, idx) = fmt(rng, &view);
                doc.item(lines, idx, it);
            }
            Entry::Comment => {
                if !comment_prefix.is_empty() {
                    let c = text::comment(rng, comment_prefix);
                    doc.push(c);
                }
            }
        }
    }
}

fn one(s: String) -> (Vec<String>, usize) {
    (vec![s], 0)
}

fn is_lit(v: &View<'_>) -> bool {
    matches!(v.val, None | Some(Val::Lit(_)) | Some(Val::Block(_)))
}

fn mod_name(rng: &mut Rng) -> String {
    text::noun(rng).to_string()
}

fn file_name(rng: &mut Rng, opts: &[&str]) -> String {
    let t = *pick(rng, opts);
    expand(rng, t)
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// Render instances into one file of context `ctx`.
pub(crate) fn render(
    ctx: Ctx,
    rng: &mut Rng,
    paths: &mut PathAlloc,
    insts: &[Instance],
) -> CorpusFile {
    let owned = dedupe_names(insts);
    let insts = &owned[..];
    let project = text::project(rng);
    let mut d = Doc::new();
    let (dir, file): (String, String) = match ctx {
        Ctx::PyAssign => {
            d.push(format!(
                "\"\"\"{}\"\"\"",
                expand(rng, "Settings for the {n} {m} integration.")
            ));
            d.extend(text::imports(rng, Lang::Py));
            d.blank();
            d.push("logger = logging.getLogger(__name__)");
            d.blank();
            let ents = entries(rng, insts, 1, 4);
            let c = if chance(rng, 0.7) {
                Case::Upper
            } else {
                Case::Snake
            };
            emit(&mut d, rng, &ents, Syn::Py, c, "#", |_, v| {
                one(format!("{} = {}", v.name, v.rhs))
            });
            d.extend(text::blocks(rng, Lang::Py, 1, 3));
            (
                pick_str(rng, &["app", "src/app", "", "service", "config"]),
                file_name(
                    rng,
                    &[
                        "settings.py",
                        "config.py",
                        "constants.py",
                        "{n}_client.py",
                        "{v}_{n}s.py",
                    ],
                ),
            )
        }
        Ctx::PyDict => {
            d.extend(text::imports(rng, Lang::Py));
            d.blank();
            let var = pick_str(
                rng,
                &["SETTINGS", "CONFIG", "DEFAULTS", "CREDENTIALS", "conf"],
            );
            d.push(format!("{var} = {{"));
            let ents = entries(rng, insts, 2, 5);
            let c = if chance(rng, 0.6) {
                Case::Snake
            } else {
                Case::Upper
            };
            emit(&mut d, rng, &ents, Syn::Py, c, "    #", |_, v| {
                one(format!("    \"{}\": {},", v.name, v.rhs))
            });
            d.push("}");
            d.extend(text::blocks(rng, Lang::Py, 1, 3));
            (
                pick_str(rng, &["app", "config", "src", "jobs"]),
                file_name(
                    rng,
                    &[
                        "settings.py",
                        "config.py",
                        "{n}_settings.py",
                        "local_settings.py",
                    ],
                ),
            )
        }
        Ctx::PyKwargs => {
            d.extend(text::imports(rng, Lang::Py));
            d.extend(text::blocks(rng, Lang::Py, 0, 2));
            d.blank();
            let n = mod_name(rng);
            d.push(format!("def make_{n}_client():"));
            d.push(format!("    return {}Client(", pascal(&n)));
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Py,
                Case::Snake,
                "        #",
                |_, v| one(format!("        {}={},", v.name, v.rhs)),
            );
            d.push("    )");
            d.extend(text::blocks(rng, Lang::Py, 1, 2));
            (
                pick_str(rng, &["app/clients", "src", "integrations", "workers"]),
                file_name(
                    rng,
                    &[
                        "{n}_client.py",
                        "clients.py",
                        "factory.py",
                        "integrations.py",
                    ],
                ),
            )
        }
        Ctx::JsConst => {
            d.extend(text::imports(rng, Lang::Js));
            d.blank();
            let ents = entries(rng, insts, 1, 3);
            let c = if chance(rng, 0.5) {
                Case::Upper
            } else {
                Case::Camel
            };
            let export = chance(rng, 0.4);
            emit(&mut d, rng, &ents, Syn::Js, c, "//", |_, v| {
                let kw = if export { "export const" } else { "const" };
                one(format!("{kw} {} = {};", v.name, v.rhs))
            });
            d.extend(text::blocks(rng, Lang::Js, 1, 3));
            (
                pick_str(rng, &["src", "lib", "server", "src/services"]),
                file_name(
                    rng,
                    &[
                        "config.js",
                        "constants.js",
                        "{n}Service.js",
                        "index.js",
                        "{n}.mjs",
                    ],
                ),
            )
        }
        Ctx::JsObject => {
            d.extend(text::imports(rng, Lang::Js));
            d.blank();
            d.push("const config = {");
            let ents = entries(rng, insts, 2, 5);
            emit(&mut d, rng, &ents, Syn::Js, Case::Camel, "  //", |_, v| {
                one(format!("  {}: {},", v.name, v.rhs))
            });
            d.push("};");
            d.extend(text::blocks(rng, Lang::Js, 0, 2));
            d.blank();
            d.push("module.exports = config;");
            (
                pick_str(rng, &["config", "src/config", "server"]),
                file_name(
                    rng,
                    &["default.js", "production.js", "config.js", "{n}.config.js"],
                ),
            )
        }
        Ctx::JsTemplate => {
            d.extend(text::imports(rng, Lang::Js));
            d.blank();
            let ents = entries(rng, insts, 1, 3);
            emit(&mut d, rng, &ents, Syn::Js, Case::Camel, "//", |_, v| {
                let r = match v.val {
                    Some(Val::Lit(s)) => format!("`{s}`"),
                    _ => v.rhs.clone(),
                };
                one(format!("const {} = {};", v.name, r))
            });
            d.extend(text::blocks(rng, Lang::Js, 1, 3));
            (
                pick_str(rng, &["src", "scripts", "src/api"]),
                file_name(rng, &["{n}Api.js", "http.js", "{v}{N}.js", "client.js"]),
            )
        }
        Ctx::TsClass => {
            d.extend(text::imports(rng, Lang::Ts));
            d.blank();
            let n = mod_name(rng);
            if chance(rng, 0.5) {
                d.push("@Injectable()");
                d.push(format!("export class {}Client {{", pascal(&n)));
                let ents = entries(rng, insts, 1, 3);
                emit(&mut d, rng, &ents, Syn::Js, Case::Camel, "  //", |_, v| {
                    one(format!("  private readonly {} = {};", v.name, v.rhs))
                });
                d.blank();
                d.push("  async ping(): Promise<boolean> {");
                d.push("    const res = await axios.get(\"/health\");");
                d.push("    return res.status === 200;");
                d.push("  }");
                d.push("}");
            } else {
                d.push(format!("export const {n}Config = {{"));
                let ents = entries(rng, insts, 2, 4);
                emit(&mut d, rng, &ents, Syn::Js, Case::Camel, "  //", |_, v| {
                    one(format!("  {}: {},", v.name, v.rhs))
                });
                d.push("} as const;");
            }
            d.extend(text::blocks(rng, Lang::Ts, 1, 2));
            (
                pick_str(rng, &["src", "src/services", "src/config", "apps/api/src"]),
                file_name(
                    rng,
                    &[
                        "{n}.service.ts",
                        "config.ts",
                        "{n}-client.ts",
                        "environment.prod.ts",
                    ],
                ),
            )
        }
        Ctx::GoConst => {
            let pkg = pick_str(rng, &["config", "client", "main", "internal"]);
            d.push(format!("package {pkg}"));
            d.blank();
            d.push("import (");
            d.extend(text::imports(rng, Lang::Go));
            d.push("\t\"os\"");
            d.push(")");
            d.blank();
            let all_lit = insts
                .iter()
                .all(|i| i.items.iter().all(|it| matches!(it.val, Val::Lit(_))));
            let ents = entries(rng, insts, 1, 3);
            if chance(rng, 0.35) {
                let f = mod_name(rng);
                d.push(format!("func new{}() *Client {{", pascal(&f)));
                emit(&mut d, rng, &ents, Syn::Go, Case::Camel, "\t//", |_, v| {
                    one(format!("\t{} := {}", v.name, v.rhs))
                });
                d.push("\treturn &Client{}");
                d.push("}");
            } else {
                let kw = if all_lit { "const" } else { "var" };
                d.push(format!("{kw} ("));
                emit(&mut d, rng, &ents, Syn::Go, Case::Camel, "\t//", |_, v| {
                    one(format!("\t{} = {}", v.name, v.rhs))
                });
                d.push(")");
            }
            d.extend(text::blocks(rng, Lang::Go, 1, 3));
            (
                pick_str(
                    rng,
                    &[
                        "internal/config",
                        "pkg/client",
                        "cmd/server",
                        "internal/platform",
                    ],
                ),
                file_name(rng, &["config.go", "constants.go", "{n}.go", "client.go"]),
            )
        }
        Ctx::GoStruct => {
            d.push(format!(
                "package {}",
                pick(rng, &["config", "app", "server"])
            ));
            d.blank();
            d.push("import (");
            d.extend(text::imports(rng, Lang::Go));
            d.push(")");
            d.extend(text::blocks(rng, Lang::Go, 0, 1));
            d.blank();
            d.push("func Default() *Config {");
            d.push("\treturn &Config{");
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Go,
                Case::Pascal,
                "\t\t//",
                |_, v| one(format!("\t\t{}: {},", v.name, v.rhs)),
            );
            d.push("\t}");
            d.push("}");
            d.extend(text::blocks(rng, Lang::Go, 1, 2));
            (
                pick_str(rng, &["internal/config", "pkg/settings", "app"]),
                file_name(rng, &["defaults.go", "config.go", "settings.go"]),
            )
        }
        Ctx::JavaConst => {
            let n = mod_name(rng);
            d.push(format!(
                "package com.{}.{n};",
                pick(rng, &["northwind", "acme", "globex", "initech"])
            ));
            d.blank();
            d.extend(text::imports(rng, Lang::Java));
            d.blank();
            d.push(format!("public final class {}Config {{", pascal(&n)));
            d.blank();
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Java,
                Case::Upper,
                "    //",
                |_, v| {
                    let ty = java_type(&v.rhs);
                    one(format!(
                        "    private static final {ty} {} = {};",
                        v.name, v.rhs
                    ))
                },
            );
            d.blank();
            d.push(format!("    private {}Config() {{}}", pascal(&n)));
            d.extend(text::blocks(rng, Lang::Java, 1, 2));
            d.push("}");
            (
                format!("src/main/java/com/{n}"),
                format!("{}Config.java", pascal(&n)),
            )
        }
        Ctx::JavaSetter => {
            let n = mod_name(rng);
            d.push(format!(
                "package com.{}.config;",
                pick(rng, &["northwind", "acme", "globex"])
            ));
            d.blank();
            d.extend(text::imports(rng, Lang::Java));
            d.blank();
            d.push("@Configuration");
            d.push(format!("public class {}Configuration {{", pascal(&n)));
            d.blank();
            let cls = pick_str(
                rng,
                &["HikariDataSource", "RestClient", "MailSender", "ApiClient"],
            );
            let var = {
                let mut c = cls.chars();
                c.next()
                    .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
                    .unwrap_or_default()
            };
            d.push("    @Bean");
            d.push(format!("    public {cls} {n}{cls}() {{"));
            d.push(format!("        {cls} {var} = new {cls}();"));
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Java,
                Case::Pascal,
                "        //",
                |_, v| one(format!("        {var}.set{}({});", v.name, v.rhs)),
            );
            d.push(format!("        return {var};"));
            d.push("    }");
            d.extend(text::blocks(rng, Lang::Java, 0, 2));
            d.push("}");
            (
                "src/main/java/com/app/config".to_string(),
                format!("{}Configuration.java", pascal(&n)),
            )
        }
        Ctx::Kotlin => {
            let n = mod_name(rng);
            d.push(format!(
                "package com.{}.{n}",
                pick(rng, &["northwind", "acme", "hooli"])
            ));
            d.blank();
            d.extend(text::imports(rng, Lang::Kotlin));
            d.blank();
            d.push(format!("object {}Settings {{", pascal(&n)));
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Kotlin,
                Case::Upper,
                "    //",
                |_, v| {
                    if is_lit(v) {
                        one(format!("    const val {} = {}", v.name, v.rhs))
                    } else {
                        one(format!("    val {}: String = {}", v.name, v.rhs))
                    }
                },
            );
            d.push("}");
            d.extend(text::blocks(rng, Lang::Kotlin, 1, 2));
            (
                format!("src/main/kotlin/com/{n}"),
                format!("{}Settings.kt", pascal(&n)),
            )
        }
        Ctx::CSharp => {
            let n = mod_name(rng);
            d.extend(text::imports(rng, Lang::CSharp));
            d.blank();
            d.push(format!(
                "namespace {}.{}",
                pascal(project).replace('-', ""),
                pascal(&n)
            ));
            d.push("{");
            d.push(format!("    public static class {}Settings", pascal(&n)));
            d.push("    {");
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::CSharp,
                Case::Pascal,
                "        //",
                |_, v| {
                    let ty = if v.rhs.starts_with('"') || v.val.is_some() {
                        "string"
                    } else {
                        "int"
                    };
                    let ty = if v.rhs == "true" || v.rhs == "false" {
                        "bool"
                    } else {
                        ty
                    };
                    if is_lit(v) {
                        one(format!("        public const {ty} {} = {};", v.name, v.rhs))
                    } else {
                        one(format!(
                            "        public static readonly string {} = {};",
                            v.name, v.rhs
                        ))
                    }
                },
            );
            d.push("    }");
            d.push("}");
            (
                format!("src/{}", pascal(project).replace('-', "")),
                format!("{}Settings.cs", pascal(&n)),
            )
        }
        Ctx::Php => {
            d.push("<?php");
            d.blank();
            if chance(rng, 0.5) {
                d.push("return [");
                let ents = entries(rng, insts, 2, 4);
                emit(
                    &mut d,
                    rng,
                    &ents,
                    Syn::Php,
                    Case::Snake,
                    "    //",
                    |_, v| one(format!("    '{}' => {},", v.name, v.rhs)),
                );
                d.push("];");
                (
                    "config".to_string(),
                    file_name(rng, &["services.php", "{n}.php", "app.php"]),
                )
            } else {
                d.extend(text::imports(rng, Lang::Php));
                d.blank();
                let ents = entries(rng, insts, 1, 3);
                emit(&mut d, rng, &ents, Syn::Php, Case::Upper, "//", |_, v| {
                    one(format!("define('{}', {});", v.name, v.rhs))
                });
                d.blank();
                d.push(format!("class {}Client", pascal(text::noun(rng))));
                d.push("{");
                d.extend(text::block(rng, Lang::Php));
                d.push("}");
                (
                    "src".to_string(),
                    file_name(rng, &["bootstrap.php", "constants.php", "{N}Client.php"]),
                )
            }
        }
        Ctx::Ruby => {
            d.push("# frozen_string_literal: true");
            d.blank();
            if chance(rng, 0.5) {
                d.push("Rails.application.configure do");
                let ents = entries(rng, insts, 1, 3);
                emit(&mut d, rng, &ents, Syn::Ruby, Case::Snake, "  #", |_, v| {
                    one(format!("  config.x.{} = {}", v.name, v.rhs))
                });
                d.push("end");
                (
                    "config/environments".to_string(),
                    pick_str(rng, &["production.rb", "staging.rb"]),
                )
            } else {
                d.extend(text::imports(rng, Lang::Ruby));
                d.blank();
                let n = mod_name(rng);
                d.push(format!("module {}", pascal(&n)));
                let ents = entries(rng, insts, 1, 3);
                emit(&mut d, rng, &ents, Syn::Ruby, Case::Upper, "  #", |_, v| {
                    one(format!("  {} = {}", v.name, v.rhs))
                });
                d.blank();
                d.extend(text::block(rng, Lang::Ruby));
                d.push("end");
                ("lib".to_string(), format!("{n}_client.rb"))
            }
        }
        Ctx::YamlK8s => {
            let app = format!(
                "{}-{}",
                text::noun(rng),
                pick(rng, &["api", "worker", "web", "cron"])
            );
            d.push("apiVersion: apps/v1");
            d.push("kind: Deployment");
            d.push("metadata:");
            d.push(format!("  name: {app}"));
            d.push(format!(
                "  namespace: {}",
                pick(rng, &["default", "prod", "platform", "payments"])
            ));
            d.push("spec:");
            d.push(format!("  replicas: {}", range(rng, 1, 6)));
            d.push("  selector:");
            d.push("    matchLabels:");
            d.push(format!("      app: {app}"));
            d.push("  template:");
            d.push("    metadata:");
            d.push("      labels:");
            d.push(format!("        app: {app}"));
            d.push("    spec:");
            d.push("      containers:");
            d.push(format!("        - name: {app}"));
            d.push(format!(
                "          image: registry.{}/{app}:{}.{}.{}",
                text::domain(rng),
                range(rng, 0, 3),
                range(rng, 0, 20),
                range(rng, 0, 9)
            ));
            d.push("          ports:");
            d.push(format!(
                "            - containerPort: {}",
                pick(rng, &["8080", "3000", "9000"])
            ));
            d.push("          env:");
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Yaml,
                Case::Upper,
                "            #",
                |rng, v| match v.val {
                    Some(Val::Env(_)) | Some(Val::Call(_)) => (
                        vec![
                            format!("            - name: {}", v.name),
                            "              valueFrom:".to_string(),
                            "                secretKeyRef:".to_string(),
                            format!(
                                "                  name: {}",
                                pick(rng, &["app-secrets", "db-credentials", "api-keys"])
                            ),
                            format!(
                                "                  key: {}",
                                v.name.to_ascii_lowercase().replace('_', "-")
                            ),
                        ],
                        4,
                    ),
                    _ => {
                        let r = if v.val.is_none() {
                            format!("\"{}\"", v.rhs.trim_matches(|c| c == '"' || c == '\''))
                        } else {
                            v.rhs.clone()
                        };
                        (
                            vec![
                                format!("            - name: {}", v.name),
                                format!("              value: {r}"),
                            ],
                            1,
                        )
                    }
                },
            );
            d.push("          resources:");
            d.push("            limits:");
            d.push(format!(
                "              memory: {}Mi",
                pick(rng, &["256", "512", "1024"])
            ));
            ("deploy/k8s".to_string(), format!("{app}-deployment.yaml"))
        }
        Ctx::Compose => {
            d.push("services:");
            let svc = pick_str(rng, &["api", "web", "worker", "app", "backend"]);
            d.push(format!("  {svc}:"));
            d.push(format!("    build: ./{svc}"));
            d.push("    ports:");
            d.push(format!(
                "      - \"{}:{}\"",
                pick(rng, &["8080", "3000"]),
                pick(rng, &["8080", "3000"])
            ));
            d.push("    environment:");
            let list = chance(rng, 0.4);
            let ents = entries(rng, insts, 1, 3);
            emit(
                &mut d,
                rng,
                &ents,
                Syn::Yaml,
                Case::Upper,
                "      #",
                |rng, v| {
                    let r = match v.val {
                        Some(Val::Env(var)) => format!("${{{var}}}"),
                        Some(Val::Call(_)) => format!("${{{}:?required}}", v.name),
                        Some(Val::Lit(s)) if list => s.clone(),
                        _ => v.rhs.clone(),
                    };
                    if list {
                        let _ = rng;
                        one(format!("      - {}={r}", v.name))
                    } else {
                        one(format!("      {}: {r}", v.name))
                    }
                },
            );
            d.push("    depends_on:");
            d.push("      - db");
            d.push("  db:");
            d.push(format!(
                "    image: postgres:{}",
                pick(rng, &["15", "16-alpine", "14"])
            ));
            d.push("    volumes:");
            d.push("      - db-data:/var/lib/postgresql/data");
            d.blank();
            d.push("volumes:");
            d.push("  db-data:");
            (
                "".to_string(),
                pick_str(
                    rng,
                    &[
                        "docker-compose.yml",
                        "docker-compose.prod.yml",
                        "compose.yaml",
                    ],
                ),
            )
        }
        Ctx::GhActions => {
            d.push(format!(
                "name: {}",
                pick(rng, &["deploy", "release", "ci", "nightly"])
            ));
            d.blank();
            d.push("on:");
            d.push("  push:");
            d.push("    branches: [main]");
            d.blank();
            d.push("env:");
            let ents = entries(rng, insts, 1, 2);
            emit(&mut d, rng, &ents, Syn::Yaml, Case::Upper, "  #", |_, v| {
                let r = match v.val {
                    Some(Val::Env(var)) => format!("${{{{ secrets.{var} }}}}"),
                    Some(Val::Call(_)) => format!("${{{{ vars.{} }}}}", v.name),
                    _ => v.rhs.clone(),
                };
                one(format!("  {}: {r}", v.name))
            });
            d.blank();
            d.push("jobs:");
            d.push("  build:");
            d.push("    runs-on: ubuntu-latest");
            d.push("    steps:");
            d.push("      - uses: actions/checkout@v4");
            d.push("      - uses: actions/setup-node@v4");
            d.push("        with:");
            d.push("          node-version: 20");
            d.push("      - run: npm ci");
            d.push(format!(
                "      - run: npm run {}",
                pick(rng, &["build", "deploy", "test:e2e"])
            ));
            (
                ".github/workflows".to_string(),
                file_name(
                    rng,
                    &["deploy.yml", "release.yml", "ci.yml", "{n}-sync.yml"],
                ),
            )
        }
        Ctx::GitlabCi => {
            d.push("stages:");
            d.push("  - build");
            d.push("  - deploy");
            d.blank();
            d.push("variables:");
            let ents = entries(rng, insts, 1, 3);
            emit(&mut d, rng, &ents, Syn::Yaml, Case::Upper, "  #", |_, v| {
                let r = match v.val {
                    Some(Val::Env(var)) => format!("${var}"),
                    Some(Val::Call(_)) => format!("$CI_{}", v.name),
                    _ => v.rhs.clone(),
                };
                one(format!("  {}: {r}", v.name))
            });
            d.blank();
            d.push("build:");
            d.push("  stage: build");
            d.push(format!(
                "  image: {}",
                pick(rng, &["node:20", "golang:1.22", "python:3.12"])
            ));
            d.push("  script:");
            d.push("    - make build");
            d.blank();
            d.push("deploy:");
            d.push("  stage: deploy");
            d.push("  script:");
            d.push("    - ./scripts/deploy.sh");
            d.push("  only:");
            d.push("    - main");
            ("".to_string(), ".gitlab-ci.yml".to_string())
        }
        Ctx::YamlConfig => {
            let ents = entries(rng, insts, 2, 5);
            d.push(format!(
                "{}:",
                pick(rng, &["app", "service", "integrations"])
            ));
            d.push(format!("  name: {}", project));
            d.push(format!(
                "  {}:",
                pick(rng, &["credentials", "providers", "settings", "clients"])
            ));
            let c = if chance(rng, 0.6) {
                Case::Snake
            } else {
                Case::Camel
            };
            emit(&mut d, rng, &ents, Syn::Yaml, c, "    #", |_, v| {
                one(format!("    {}: {}", v.name, v.rhs))
            });
            d.push("logging:");
            d.push(format!(
                "  level: {}",
                pick(rng, &["INFO", "DEBUG", "WARN"])
            ));
            (
                pick_str(rng, &["config", "", "helm/values", "ansible/group_vars"]),
                file_name(
                    rng,
                    &[
                        "application.yml",
                        "config.yaml",
                        "values.yaml",
                        "settings.yml",
                        "all.yml",
                    ],
                ),
            )
        }
        Ctx::JsonConfig => {
            let ents = entries(rng, insts, 2, 5);
            d.push("{");
            d.push(format!("  \"name\": \"{project}\","));
            d.push(format!(
                "  \"{}\": {{",
                pick(
                    rng,
                    &["settings", "credentials", "integrations", "AppSettings"]
                )
            ));
            let c = if chance(rng, 0.6) {
                Case::Camel
            } else {
                Case::Snake
            };
            let n = ents.iter().filter(|e| !matches!(e, Entry::Comment)).count();
            let mut k = 0;
            emit(&mut d, rng, &ents, Syn::Json, c, "", |_, v| {
                k += 1;
                let comma = if k < n { "," } else { "" };
                one(format!("    \"{}\": {}{comma}", v.name, v.rhs))
            });
            d.push("  },");
            d.push(format!(
                "  \"version\": \"{}.{}.{}\"",
                range(rng, 0, 4),
                range(rng, 0, 30),
                range(rng, 0, 9)
            ));
            d.push("}");
            (
                pick_str(rng, &["config", "", "src/main/resources"]),
                file_name(
                    rng,
                    &[
                        "config.json",
                        "appsettings.json",
                        "appsettings.Production.json",
                        "settings.json",
                        "{n}.json",
                    ],
                ),
            )
        }
        Ctx::Toml => {
            d.push(format!("title = \"{project}\""));
            d.blank();
            d.push(format!("[{}]", pick(rng, &["server", "service", "app"])));
            d.push(format!("port = {}", pick(rng, &["8080", "3000"])));
            d.blank();
            d.push(format!(
                "[{}]",
                pick(rng, &["credentials", "integrations", "auth", "providers"])
            ));
            let ents = entries(rng, insts, 1, 3);
            emit(&mut d, rng, &ents, Syn::Toml, Case::Snake, "#", |_, v| {
                one(format!("{} = {}", v.name, v.rhs))
            });
            (
                pick_str(rng, &["", "config", "deploy"]),
                file_name(
                    rng,
                    &["config.toml", "settings.toml", "{n}.toml", "app.toml"],
                ),
            )
        }
        Ctx::Ini => {
            let aws = insts
                .iter()
                .all(|i| i.items.iter().all(|it| it.name.starts_with("aws_")));
            if aws && chance(rng, 0.7) {
                d.push(format!("[{}]", pick(rng, &["default", "prod", "deploy"])));
                for inst in insts {
                    for it in &inst.items {
                        let r = rhs(rng, Syn::Ini, &it.val);
                        d.item(vec![format!("{} = {r}", it.name)], 0, it);
                    }
                }
                d.push(format!(
                    "region = {}",
                    pick(rng, &["us-east-1", "eu-west-1"])
                ));
                (".aws".to_string(), "credentials".to_string())
            } else {
                d.push(format!("[{}]", pick(rng, &["main", "server", "app"])));
                d.push(format!("debug = {}", pick(rng, &["false", "no"])));
                d.blank();
                d.push(format!(
                    "[{}]",
                    pick(rng, &["credentials", "auth", "database", "api"])
                ));
                let ents = entries(rng, insts, 1, 3);
                emit(&mut d, rng, &ents, Syn::Ini, Case::Snake, ";", |_, v| {
                    one(format!("{} = {}", v.name, v.rhs))
                });
                (
                    pick_str(rng, &["", "config", "etc"]),
                    file_name(rng, &["app.ini", "settings.cfg", "{n}.conf", "setup.cfg"]),
                )
            }
        }
        Ctx::DotEnv => {
            d.push(text::comment(rng, "#"));
            let ents = entries(rng, insts, 2, 6);
            emit(&mut d, rng, &ents, Syn::DotEnv, Case::Upper, "#", |_, v| {
                one(format!("{}={}", v.name, v.rhs))
            });
            (
                pick_str(rng, &["", "backend", "deploy", "services/api"]),
                pick_str(
                    rng,
                    &[
                        ".env",
                        ".env.production",
                        ".env.local",
                        ".env.staging",
                        "prod.env",
                    ],
                ),
            )
        }
        Ctx::Properties => {
            d.push(text::comment(rng, "#"));
            let prefix = pick_str(rng, &["app", "spring.datasource", "integration", "service"]);
            let ents = entries(rng, insts, 2, 5);
            let kebab_style = chance(rng, 0.5);
            emit(&mut d, rng, &ents, Syn::Props, Case::Snake, "#", |_, v| {
                let key = if kebab_style {
                    kebab(&v.name)
                } else {
                    dotted(&v.name)
                };
                one(format!("{prefix}.{key}={}", v.rhs))
            });
            (
                "src/main/resources".to_string(),
                pick_str(
                    rng,
                    &[
                        "application.properties",
                        "application-prod.properties",
                        "config.properties",
                    ],
                ),
            )
        }
        Ctx::Terraform => {
            d.push("terraform {");
            d.push("  required_version = \">= 1.5\"");
            d.push("}");
            d.blank();
            let ents = entries(rng, insts, 1, 3);
            match range(rng, 0, 2) {
                0 => {
                    d.push("locals {");
                    emit(&mut d, rng, &ents, Syn::Tf, Case::Snake, "  #", |_, v| {
                        one(format!("  {} = {}", v.name, v.rhs))
                    });
                    d.push("}");
                }
                1 => {
                    let m = mod_name(rng);
                    d.push(format!("module \"{m}\" {{"));
                    d.push(format!("  source = \"./modules/{m}\""));
                    emit(&mut d, rng, &ents, Syn::Tf, Case::Snake, "  #", |_, v| {
                        one(format!("  {} = {}", v.name, v.rhs))
                    });
                    d.push("}");
                }
                _ => {
                    emit(&mut d, rng, &ents, Syn::Tf, Case::Snake, "#", |_, v| {
                        (
                            vec![
                                format!("variable \"{}\" {{", v.name),
                                "  type    = string".to_string(),
                                format!("  default = {}", v.rhs),
                                "}".to_string(),
                                String::new(),
                            ],
                            2,
                        )
                    });
                }
            }
            d.blank();
            d.push(format!(
                "resource \"aws_s3_bucket\" \"{}\" {{",
                text::noun(rng)
            ));
            d.push(format!("  bucket = \"{project}-{}\"", text::noun(rng)));
            d.push("}");
            (
                pick_str(rng, &["infra", "terraform", "infra/envs/prod"]),
                file_name(rng, &["main.tf", "variables.tf", "{n}.tf", "providers.tf"]),
            )
        }
        Ctx::Tfvars => {
            let ents = entries(rng, insts, 2, 4);
            emit(&mut d, rng, &ents, Syn::Tf, Case::Snake, "#", |_, v| {
                one(format!("{} = {}", v.name, v.rhs))
            });
            (
                pick_str(rng, &["infra", "terraform/envs/prod", "infra/live"]),
                pick_str(
                    rng,
                    &["terraform.tfvars", "prod.tfvars", "secrets.auto.tfvars"],
                ),
            )
        }
        Ctx::DockerEnv | Ctx::DockerArg => {
            d.push(format!(
                "FROM {}",
                pick(
                    rng,
                    &[
                        "node:20-alpine",
                        "python:3.12-slim",
                        "golang:1.22",
                        "eclipse-temurin:21-jre"
                    ]
                )
            ));
            d.push("WORKDIR /app");
            let kw = if ctx == Ctx::DockerArg { "ARG" } else { "ENV" };
            let ents = entries(rng, insts, 1, 3);
            let space_form = ctx == Ctx::DockerEnv && chance(rng, 0.3);
            emit(&mut d, rng, &ents, Syn::Docker, Case::Upper, "#", |_, v| {
                if space_form {
                    one(format!("{kw} {} {}", v.name, v.rhs))
                } else {
                    one(format!("{kw} {}={}", v.name, v.rhs))
                }
            });
            d.push("COPY . .");
            d.push(format!(
                "RUN {}",
                pick(
                    rng,
                    &[
                        "npm ci --omit=dev",
                        "pip install --no-cache-dir -r requirements.txt",
                        "go build -o /bin/app ./cmd/app"
                    ]
                )
            ));
            d.push(format!("EXPOSE {}", pick(rng, &["8080", "3000"])));
            d.push(format!(
                "CMD [\"{}\"]",
                pick(rng, &["/bin/app", "node", "python"])
            ));
            (
                pick_str(rng, &["", "docker", "services/api"]),
                pick_str(rng, &["Dockerfile", "Dockerfile.prod", "worker.Dockerfile"]),
            )
        }
        Ctx::ShellExport => {
            d.push("#!/usr/bin/env bash");
            d.push("set -euo pipefail");
            d.blank();
            let ents = entries(rng, insts, 1, 3);
            emit(&mut d, rng, &ents, Syn::Shell, Case::Upper, "#", |_, v| {
                one(format!("export {}={}", v.name, v.rhs))
            });
            d.extend(text::blocks(rng, Lang::Shell, 1, 2));
            (
                pick_str(rng, &["scripts", "bin", "deploy", ""]),
                file_name(
                    rng,
                    &["deploy.sh", "env.sh", "setup.sh", "{v}-{n}s.sh", "run.sh"],
                ),
            )
        }
        Ctx::ShellCmd => {
            d.push("#!/bin/sh");
            d.push("set -e");
            for inst in insts {
                d.blank();
                d.push(text::comment(rng, "#"));
                for it in &inst.items {
                    if let Some(c) = &it.cmd {
                        d.item(vec![c.clone()], 0, it);
                    }
                }
            }
            d.extend(text::blocks(rng, Lang::Shell, 0, 1));
            (
                pick_str(rng, &["scripts", "tools", "ops"]),
                file_name(
                    rng,
                    &["smoke.sh", "check-{n}.sh", "call-api.sh", "bootstrap.sh"],
                ),
            )
        }
        Ctx::Xml => {
            let style = range(rng, 0, 2);
            let ents = entries(rng, insts, 1, 3);
            d.push("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            match style {
                0 => {
                    d.push("<configuration>");
                    d.push("  <appSettings>");
                    emit(&mut d, rng, &ents, Syn::Xml, Case::Pascal, "", |_, v| {
                        let r = v.rhs.trim_matches('"').to_string();
                        one(format!("    <add key=\"{}\" value=\"{r}\" />", v.name))
                    });
                    d.push("  </appSettings>");
                    d.push("</configuration>");
                    (
                        "".to_string(),
                        pick_str(rng, &["Web.config", "App.config", "web.Release.config"]),
                    )
                }
                1 => {
                    d.push("<beans xmlns=\"http://www.springframework.org/schema/beans\">");
                    d.push(format!(
                        "  <bean id=\"{}Client\" class=\"com.acme.{}Client\">",
                        text::noun(rng),
                        pascal(text::noun(rng))
                    ));
                    emit(&mut d, rng, &ents, Syn::Xml, Case::Camel, "", |_, v| {
                        let r = v.rhs.trim_matches('"').to_string();
                        one(format!("    <property name=\"{}\" value=\"{r}\"/>", v.name))
                    });
                    d.push("  </bean>");
                    d.push("</beans>");
                    (
                        "src/main/resources".to_string(),
                        pick_str(rng, &["applicationContext.xml", "beans.xml"]),
                    )
                }
                _ => {
                    d.push("<settings>");
                    d.push("  <servers>");
                    d.push("    <server>");
                    d.push(format!(
                        "      <id>{}</id>",
                        pick(rng, &["releases", "nexus", "internal"])
                    ));
                    emit(&mut d, rng, &ents, Syn::Xml, Case::Camel, "", |_, v| {
                        let r = v.rhs.trim_matches('"').to_string();
                        one(format!("      <{0}>{r}</{0}>", v.name))
                    });
                    d.push("    </server>");
                    d.push("  </servers>");
                    d.push("</settings>");
                    (
                        ".m2".to_string(),
                        pick_str(rng, &["settings.xml", "settings-ci.xml"]),
                    )
                }
            }
        }
        Ctx::Markdown => {
            d.push(format!("# {}", project));
            d.blank();
            d.push(text::expand(
                rng,
                "Internal service that {v}s {n}s for the {m} team.",
            ));
            d.blank();
            d.extend(text::block(rng, Lang::Md));
            d.blank();
            d.push("## Configuration");
            d.blank();
            d.push("Set these before running locally:");
            d.blank();
            let dotenv = chance(rng, 0.5);
            d.push(if dotenv { "```env" } else { "```bash" });
            let ents = entries(rng, insts, 1, 3);
            emit(&mut d, rng, &ents, Syn::Shell, Case::Upper, "#", |_, v| {
                if dotenv {
                    one(format!("{}={}", v.name, v.rhs))
                } else {
                    one(format!("export {}={}", v.name, v.rhs))
                }
            });
            d.push("```");
            d.blank();
            d.extend(text::block(rng, Lang::Md));
            (
                pick_str(rng, &["", "docs", "docs/setup"]),
                file_name(
                    rng,
                    &[
                        "README.md",
                        "SETUP.md",
                        "{n}-integration.md",
                        "local-dev.md",
                    ],
                ),
            )
        }
        Ctx::NpmRc => {
            for inst in insts {
                for it in &inst.items {
                    let v = it.lit().unwrap_or_default().to_string();
                    if it.secret.starts_with("ghp_") || it.secret.starts_with("gho_") {
                        d.push(format!(
                            "@{}:registry=https://npm.pkg.github.com",
                            text::project(rng).split('-').next().unwrap_or("acme")
                        ));
                        d.item(vec![format!("//npm.pkg.github.com/:_authToken={v}")], 0, it);
                    } else {
                        d.item(vec![format!("//registry.npmjs.org/:_authToken={v}")], 0, it);
                    }
                }
            }
            if chance(rng, 0.5) {
                d.push("save-exact=true");
            }
            d.push(format!("engine-strict={}", pick(rng, &["true", "false"])));
            (
                pick_str(rng, &["", "frontend", "packages/ui"]),
                ".npmrc".to_string(),
            )
        }
        Ctx::K8sSecret => {
            let name = format!(
                "{}-{}",
                text::noun(rng),
                pick(rng, &["credentials", "secrets", "api-keys", "tls"])
            );
            d.push("apiVersion: v1");
            d.push("kind: Secret");
            d.push("metadata:");
            d.push(format!("  name: {name}"));
            d.push(format!(
                "  namespace: {}",
                pick(rng, &["default", "prod", "platform"])
            ));
            d.push("type: Opaque");
            d.push("data:");
            if chance(rng, 0.4) {
                let user = pick_str(rng, &["admin", "svc-deploy", "app", "reporting"]);
                d.push(format!("  username: {}", b64(user.as_bytes())));
            }
            let mut used_keys: Vec<String> = Vec::new();
            for inst in insts {
                for it in &inst.items {
                    let raw = it.lit().unwrap_or_default();
                    let enc = b64(raw.as_bytes());
                    let mut key = k8s_key(&it.name, raw);
                    let mut k = 2;
                    while used_keys.contains(&key) {
                        key = match k8s_key(&it.name, raw).rsplit_once('.') {
                            Some((stem, ext)) => format!("{stem}-{k}.{ext}"),
                            None => format!("{}-{k}", k8s_key(&it.name, raw)),
                        };
                        k += 1;
                    }
                    used_keys.push(key.clone());
                    let mut enc_item = it.clone();
                    enc_item.secret = enc.clone();
                    d.item(vec![format!("  {key}: {enc}")], 0, &enc_item);
                }
            }
            ("deploy/k8s/secrets".to_string(), format!("{name}.yaml"))
        }
        // -------------------------------------------------------------------------------- blocks
        _ => return render_block(ctx, rng, paths, insts, project),
    };
    d.finish(paths.alloc(project, &dir, &file))
}

/// Two instances in one file must not assign the same name: suffix repeats with `_2`, `_3`...
fn dedupe_names(insts: &[Instance]) -> Vec<Instance> {
    let mut seen = std::collections::HashSet::new();
    let mut out = insts.to_vec();
    for inst in &mut out {
        for it in &mut inst.items {
            if !seen.insert(it.name.clone()) {
                let mut k = 2;
                loop {
                    let n = format!("{}_{k}", it.name);
                    if seen.insert(n.clone()) {
                        it.name = n;
                        break;
                    }
                    k += 1;
                }
            }
        }
    }
    out
}

fn k8s_key(name: &str, raw: &str) -> String {
    if raw.starts_with("-----BEGIN OPENSSH") {
        "ssh-privatekey".into()
    } else if raw.starts_with("-----BEGIN") {
        "tls.key".into()
    } else if raw.starts_with('{') {
        "key.json".into()
    } else {
        kebab(name)
    }
}

fn java_type(rhs: &str) -> &'static str {
    if rhs == "true" || rhs == "false" {
        "boolean"
    } else if rhs.parse::<i64>().is_ok() {
        "int"
    } else if rhs.parse::<f64>().is_ok() {
        "double"
    } else {
        "String"
    }
}

fn json_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Multi-line contexts: one block item per file (plus filler).
fn render_block(
    ctx: Ctx,
    rng: &mut Rng,
    paths: &mut PathAlloc,
    insts: &[Instance],
    project: &str,
) -> CorpusFile {
    let mut d = Doc::new();
    let mut dir = String::new();
    let mut file = String::new();
    for inst in insts {
        for it in &inst.items {
            let v = it.lit().unwrap_or_default().to_string();
            let is_json = v.starts_with('{');
            let vlines: Vec<String> = v.lines().map(str::to_string).collect();
            let n = vlines.len();
            let nm = if is_json {
                pick_str(
                    rng,
                    &[
                        "gcp_credentials",
                        "google_credentials",
                        "service_account_json",
                    ],
                )
            } else {
                pick_str(
                    rng,
                    &[
                        "private_key",
                        "signing_key",
                        "tls_key",
                        "ssh_private_key",
                        "jwt_private_key",
                    ],
                )
            };
            match ctx {
                Ctx::PemFile => {
                    let bundle = v.contains("PRIVATE KEY-----")
                        && !v.contains("OPENSSH")
                        && !v.contains("PGP")
                        && chance(rng, 0.3);
                    if bundle {
                        d.extend(
                            crate::keys::certificate_pem(rng)
                                .lines()
                                .map(str::to_string)
                                .collect(),
                        );
                    }
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    let (dd, ff) = pem_path(rng, &v);
                    dir = dd;
                    file = ff;
                }
                Ctx::SaJsonFile => {
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    dir = pick_str(rng, &["", "config", "secrets", "deploy", "keys"]);
                    file = file_name(
                        rng,
                        &[
                            "service-account.json",
                            "credentials.json",
                            "gcp-key.json",
                            "{p}-sa.json",
                            "firebase-adminsdk.json",
                        ],
                    );
                }
                Ctx::YamlBlock => {
                    let key = if is_json {
                        pick_str(
                            rng,
                            &[
                                "credentials.json",
                                "service-account.json",
                                "gcp_credentials",
                            ],
                        )
                    } else {
                        pick_str(
                            rng,
                            &[
                                "tls.key",
                                "private_key",
                                "signing_key",
                                "ssh_private_key",
                                "jwt_private_key",
                            ],
                        )
                    };
                    if chance(rng, 0.5) {
                        d.push("apiVersion: v1");
                        d.push("kind: ConfigMap");
                        d.push("metadata:");
                        d.push(format!("  name: {}-config", text::noun(rng)));
                        d.push("data:");
                        d.push(format!("  {key}: |"));
                        let start = d.len();
                        d.extend(vlines.iter().map(|l| format!("    {l}")).collect());
                        d.mark(start, start + n - 1, it);
                        dir = "deploy/k8s".into();
                        file = file_name(rng, &["{n}-configmap.yaml", "configmap.yaml"]);
                    } else {
                        d.push(format!("{}:", pick(rng, &["app", "deploy", "signing"])));
                        d.push("  enabled: true");
                        d.push(format!("  {key}: |"));
                        let start = d.len();
                        d.extend(vlines.iter().map(|l| format!("    {l}")).collect());
                        d.mark(start, start + n - 1, it);
                        d.push(format!("  rotate_days: {}", range(rng, 30, 365)));
                        dir = pick_str(rng, &["helm/values", "ansible/group_vars", "config"]);
                        file = file_name(rng, &["values-prod.yaml", "all.yml", "secrets.yml"]);
                    }
                }
                Ctx::PyTriple => {
                    d.extend(text::imports(rng, Lang::Py));
                    d.blank();
                    let start = d.len();
                    let mut lines = vlines.clone();
                    lines[0] = format!("{} = \"\"\"{}", upper_snake(&nm), lines[0]);
                    lines[n - 1] = format!("{}\"\"\"", lines[n - 1]);
                    d.extend(lines);
                    d.mark(start, start + n - 1, it);
                    d.extend(text::blocks(rng, Lang::Py, 1, 2));
                    dir = pick_str(rng, &["app", "auth", "src"]);
                    file = file_name(
                        rng,
                        &["keys.py", "jwt_utils.py", "signing.py", "{n}_auth.py"],
                    );
                }
                Ctx::JsBacktick => {
                    d.extend(text::imports(rng, Lang::Js));
                    d.blank();
                    let start = d.len();
                    let mut lines = vlines.clone();
                    lines[0] = format!("const {} = `{}", camel(&nm), lines[0]);
                    lines[n - 1] = format!("{}`;", lines[n - 1]);
                    d.extend(lines);
                    d.mark(start, start + n - 1, it);
                    d.extend(text::blocks(rng, Lang::Js, 1, 2));
                    dir = pick_str(rng, &["src", "lib", "server/auth"]);
                    file = file_name(rng, &["keys.js", "jwt.js", "sign.js", "{n}Auth.js"]);
                }
                Ctx::GoRaw => {
                    d.push("package auth");
                    d.blank();
                    let start = d.len();
                    let mut lines = vlines.clone();
                    lines[0] = format!("const {} = `{}", camel(&nm), lines[0]);
                    lines[n - 1] = format!("{}`", lines[n - 1]);
                    d.extend(lines);
                    d.mark(start, start + n - 1, it);
                    d.extend(text::blocks(rng, Lang::Go, 1, 2));
                    dir = pick_str(rng, &["internal/auth", "pkg/signing", "cmd/tool"]);
                    file = file_name(rng, &["keys.go", "signing.go", "credentials.go"]);
                }
                Ctx::TfHeredoc => {
                    d.push(format!(
                        "resource \"{}\" \"{}\" {{",
                        pick(
                            rng,
                            &[
                                "kubernetes_secret",
                                "vault_generic_secret",
                                "aws_secretsmanager_secret_version"
                            ]
                        ),
                        text::noun(rng)
                    ));
                    d.push(format!("  {nm} = <<-EOT"));
                    let start = d.len();
                    d.extend(vlines.iter().map(|l| format!("    {l}")).collect());
                    d.mark(start, start + n - 1, it);
                    d.push("  EOT");
                    d.push("}");
                    dir = pick_str(rng, &["infra", "terraform"]);
                    file = file_name(rng, &["secrets.tf", "{n}.tf", "main.tf"]);
                }
                Ctx::ShellHeredoc => {
                    d.push("#!/usr/bin/env bash");
                    d.push("set -euo pipefail");
                    d.blank();
                    let target = if is_json {
                        "/tmp/gcp-key.json"
                    } else if v.contains("OPENSSH") {
                        "~/.ssh/id_ed25519"
                    } else {
                        "/etc/ssl/private/server.key"
                    };
                    d.push(format!("cat > {target} <<'EOF'"));
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    d.push("EOF");
                    d.push(format!("chmod 600 {target}"));
                    d.extend(text::blocks(rng, Lang::Shell, 0, 1));
                    dir = pick_str(rng, &["scripts", "provision", "ci"]);
                    file = file_name(rng, &["bootstrap.sh", "install-keys.sh", "provision.sh"]);
                }
                Ctx::MdFence => {
                    d.push(format!("# {}", expand(rng, "{N} deployment notes")));
                    d.blank();
                    d.extend(text::block(rng, Lang::Md));
                    d.blank();
                    d.push("Use this key for the staging box:");
                    d.blank();
                    d.push(if is_json { "```json" } else { "```" });
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    d.push("```");
                    dir = pick_str(rng, &["docs", "", "notes"]);
                    file = file_name(rng, &["DEPLOY.md", "onboarding.md", "{n}-setup.md"]);
                }
                Ctx::JsonEscaped => {
                    let esc = json_escape(&(v.clone() + "\n"));
                    let mut it2 = it.clone();
                    it2.secret = json_escape(&it.secret);
                    d.push("{");
                    d.push(format!(
                        "  \"issuer\": \"https://auth.{}\",",
                        text::domain(rng)
                    ));
                    d.item(vec![format!("  \"{}\": \"{esc}\",", camel(&nm))], 0, &it2);
                    d.push(format!(
                        "  \"algorithm\": \"{}\"",
                        pick(rng, &["RS256", "ES256"])
                    ));
                    d.push("}");
                    dir = pick_str(rng, &["config", "secrets", ""]);
                    file = file_name(rng, &["jwt.json", "signing.json", "{n}-keys.json"]);
                }
                Ctx::DotEnvMulti => {
                    d.push(format!(
                        "NODE_ENV={}",
                        pick(rng, &["production", "staging"])
                    ));
                    let start = d.len();
                    let mut lines = vlines.clone();
                    lines[0] = format!("{}=\"{}", upper_snake(&nm), lines[0]);
                    lines[n - 1] = format!("{}\"", lines[n - 1]);
                    d.extend(lines);
                    d.mark(start, start + n - 1, it);
                    d.push(format!("PORT={}", pick(rng, &["3000", "8080"])));
                    dir = pick_str(rng, &["", "api", "backend"]);
                    file = pick_str(rng, &[".env", ".env.production", ".env.local"]);
                }
                Ctx::JavaTextBlock => {
                    d.push("package com.acme.security;");
                    d.blank();
                    d.push("public final class Keys {");
                    d.push(format!(
                        "    static final String {} = \"\"\"",
                        upper_snake(&nm)
                    ));
                    let start = d.len();
                    d.extend(vlines.iter().map(|l| format!("        {l}")).collect());
                    d.mark(start, start + n - 1, it);
                    d.push("        \"\"\";");
                    d.push("}");
                    dir = "src/main/java/com/acme/security".into();
                    file = "Keys.java".into();
                }
                Ctx::RubyHeredoc => {
                    d.push("# frozen_string_literal: true");
                    d.blank();
                    let tag = if is_json { "JSON" } else { "PEM" };
                    d.push(format!("{} = <<~'{tag}'", upper_snake(&nm)));
                    let start = d.len();
                    d.extend(vlines.iter().map(|l| format!("  {l}")).collect());
                    d.mark(start, start + n - 1, it);
                    d.push(tag);
                    dir = pick_str(rng, &["config/initializers", "lib"]);
                    file = file_name(rng, &["keys.rb", "{n}_signing.rb"]);
                }
                Ctx::XmlBlock => {
                    d.push("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
                    d.push("<keystore>");
                    d.push(format!("  <alias>{}</alias>", text::noun(rng)));
                    d.push(format!("  <{}>", camel(&nm)));
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    d.push(format!("  </{}>", camel(&nm)));
                    d.push("</keystore>");
                    dir = pick_str(rng, &["config", "src/main/resources"]);
                    file = file_name(rng, &["keystore.xml", "signing.xml"]);
                }
                Ctx::TomlMulti => {
                    d.push(format!(
                        "[{}]",
                        pick(rng, &["signing", "tls", "auth", "gcp"])
                    ));
                    d.push("enabled = true");
                    d.push(format!("{nm} = '''"));
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    d.push("'''");
                    dir = pick_str(rng, &["", "config"]);
                    file = file_name(rng, &["secrets.toml", "config.toml", "{n}.toml"]);
                }
                Ctx::PhpHeredoc => {
                    d.push("<?php");
                    d.blank();
                    d.push(format!("${} = <<<'EOT'", camel(&nm)));
                    let start = d.len();
                    d.extend(vlines);
                    d.mark(start, start + n - 1, it);
                    d.push("EOT;");
                    d.blank();
                    d.push(format!("return ['{nm}' => ${}];", camel(&nm)));
                    dir = "config".into();
                    file = file_name(rng, &["keys.php", "jwt.php"]);
                }
                _ => {
                    d.extend(vlines);
                }
            }
        }
    }
    if file.is_empty() {
        file = "key.txt".into();
    }
    d.finish(paths.alloc(project, &dir, &file))
}

fn pem_path(rng: &mut Rng, v: &str) -> (String, String) {
    if v.contains("OPENSSH") {
        (
            pick_str(rng, &[".ssh", "deploy", "ci/keys", "ansible/files"]),
            pick_str(
                rng,
                &["id_ed25519", "id_rsa", "deploy_key", "github_deploy_key"],
            ),
        )
    } else if v.contains("PGP") {
        (
            pick_str(rng, &["release", "keys", ".gnupg"]),
            pick_str(
                rng,
                &["signing-key.asc", "private.asc", "release-private.gpg.asc"],
            ),
        )
    } else {
        (
            pick_str(rng, &["certs", "ssl", "keys", "config/tls", "secrets"]),
            pick_str(
                rng,
                &[
                    "server.key",
                    "private.pem",
                    "tls.key",
                    "key.pem",
                    "jwt-private.pem",
                    "api.key",
                ],
            ),
        )
    }
}
