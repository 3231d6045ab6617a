//! Stack detection: languages (by extension), web frameworks (imports and manifests), IaC
//! kinds, CI systems, and facts such as "stores passwords" or "uses JWTs". A control whose
//! `applies_if` facts are all false is n/a.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Source languages the code probes know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Go,
    Java,
    Kotlin,
    Rust,
    Ruby,
    Php,
    CSharp,
}

impl Lang {
    pub const ALL: [Lang; 10] = [
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Go,
        Lang::Java,
        Lang::Kotlin,
        Lang::Rust,
        Lang::Ruby,
        Lang::Php,
        Lang::CSharp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::Kotlin => "kotlin",
            Lang::Rust => "rust",
            Lang::Ruby => "ruby",
            Lang::Php => "php",
            Lang::CSharp => "csharp",
        }
    }

    pub fn from_name(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.name() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The language of a path, by extension.
    pub fn of_path(rel_path: &str) -> Option<Lang> {
        let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        if name.ends_with(".d.ts") || name.ends_with(".min.js") {
            return None;
        }
        let ext = name.rsplit_once('.')?.1;
        Some(match ext {
            "py" | "pyw" => Lang::Python,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "tsx" | "mts" | "cts" => Lang::TypeScript,
            "go" => Lang::Go,
            "java" => Lang::Java,
            "kt" | "kts" => Lang::Kotlin,
            "rs" => Lang::Rust,
            "rb" => Lang::Ruby,
            "php" => Lang::Php,
            "cs" => Lang::CSharp,
            _ => return None,
        })
    }
}

/// A stack fact: its id (used in `applies_if`) and what it means (used in n/a reasons).
#[derive(Debug, Clone, Copy)]
pub struct Fact {
    pub id: &'static str,
    pub description: &'static str,
}

/// Every fact a control can depend on.
pub const FACTS: &[Fact] = &[
    Fact {
        id: "code",
        description: "application source code",
    },
    Fact {
        id: "web-server",
        description: "web server or web framework",
    },
    Fact {
        id: "user-auth",
        description: "user authentication (login code or an identity pool)",
    },
    Fact {
        id: "password-storage",
        description: "password storage",
    },
    Fact {
        id: "jwt",
        description: "JWT or OIDC token handling",
    },
    Fact {
        id: "sessions",
        description: "cookie sessions",
    },
    Fact {
        id: "tls-config",
        description: "TLS configuration in code, server config or IaC",
    },
    Fact {
        id: "outbound-tls",
        description: "outbound HTTPS/TLS clients or downloads",
    },
    Fact {
        id: "datastore",
        description: "database, cache or message broker connections",
    },
    Fact {
        id: "data-models",
        description: "data models or schemas",
    },
    Fact {
        id: "personal-data",
        description: "personal data fields in models or schemas",
    },
    Fact {
        id: "analytics",
        description: "analytics or tracking scripts",
    },
    Fact {
        id: "cors",
        description: "CORS configuration",
    },
    Fact {
        id: "app-config",
        description: "application configuration files",
    },
    Fact {
        id: "logging",
        description: "logging or error reporting",
    },
    Fact {
        id: "monitoring",
        description: "monitoring or alerting configuration",
    },
    Fact {
        id: "crypto",
        description: "use of cryptography or random tokens",
    },
    Fact {
        id: "iac",
        description: "infrastructure as code",
    },
    Fact {
        id: "terraform",
        description: "Terraform",
    },
    Fact {
        id: "kubernetes",
        description: "Kubernetes manifests",
    },
    Fact {
        id: "helm",
        description: "Helm charts",
    },
    Fact {
        id: "dockerfile",
        description: "Dockerfiles",
    },
    Fact {
        id: "containers",
        description: "Dockerfiles, Kubernetes manifests or Helm charts",
    },
    Fact {
        id: "github-actions",
        description: "GitHub Actions workflows",
    },
    Fact {
        id: "gitlab-ci",
        description: "GitLab CI configuration",
    },
    Fact {
        id: "ci",
        description: "CI configuration",
    },
    Fact {
        id: "deploy",
        description: "deployment jobs in CI",
    },
    Fact {
        id: "release",
        description: "a release or publish workflow",
    },
    Fact {
        id: "manifests",
        description: "dependency manifests",
    },
    Fact {
        id: "tests",
        description: "test files",
    },
    Fact {
        id: "tf-cloud",
        description: "cloud resources in Terraform",
    },
    Fact {
        id: "tf-storage",
        description: "storage buckets, volumes or file systems in IaC",
    },
    Fact {
        id: "tf-datastore",
        description: "databases, caches, search or queues in IaC",
    },
    Fact {
        id: "tf-network",
        description: "firewalls, security groups or clusters in IaC",
    },
    Fact {
        id: "tf-public-endpoint",
        description: "load balancers, CDNs, API gateways or web apps in IaC",
    },
    Fact {
        id: "tf-kms",
        description: "KMS keys or key vaults in IaC",
    },
    Fact {
        id: "tf-iam",
        description: "IAM roles, policies or bindings in IaC",
    },
    Fact {
        id: "tf-logs",
        description: "log groups, trails or log sinks in IaC",
    },
    Fact {
        id: "tf-user-pool",
        description: "user pools or identity providers in IaC",
    },
    Fact {
        id: "k8s-rbac",
        description: "Kubernetes RBAC objects",
    },
];

/// The fact with this id.
pub fn fact(id: &str) -> Option<&'static Fact> {
    FACTS.iter().find(|f| f.id == id)
}

/// Where a stack signal pattern is looked for.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Langs(&'static [Lang]),
    Glob(&'static str),
}

/// What a matching signal says.
#[derive(Debug, Clone, Copy)]
pub enum Says {
    Fact(&'static str),
    /// A web framework (implies `web-server`).
    Framework(&'static str),
    /// A CI system (implies `ci`).
    Ci(&'static str),
}

/// A content signal: a regex in some files. `if_file` restricts it to files that also match
/// that regex.
#[derive(Debug, Clone, Copy)]
pub struct Signal {
    pub scope: Scope,
    pub re: &'static str,
    pub if_file: Option<&'static str>,
    pub says: Says,
}

use Lang::*;

const PY: &[Lang] = &[Python];
const JS: &[Lang] = &[JavaScript, TypeScript];
const JVM: &[Lang] = &[Java, Kotlin];
const GO: &[Lang] = &[Go];
const RS: &[Lang] = &[Rust];
const RB: &[Lang] = &[Ruby];
const PHP: &[Lang] = &[Php];
const CS: &[Lang] = &[CSharp];
const ALL: &[Lang] = &Lang::ALL;

const fn sig(scope: Scope, re: &'static str, says: Says) -> Signal {
    Signal {
        scope,
        re,
        if_file: None,
        says,
    }
}

const PY_MANIFESTS: &str = "**/{requirements*.txt,pyproject.toml,Pipfile,setup.py,setup.cfg}";
const TF: &str = "**/*.tf";
const CI_FILES: &str =
    "{.github/workflows/*.{yml,yaml},**/.gitlab-ci.yml,.circleci/config.yml,**/Jenkinsfile,**/azure-pipelines.yml,bitbucket-pipelines.yml,.travis.yml,.drone.yml,.buildkite/*.{yml,yaml}}";
const PII: &str = r"(?i)\b(e_?mail(_?address)?|phone(_?number)?|mobile|date_?of_?birth|birth_?date|dob|first_?name|last_?name|full_?name|surname|street|postal_?code|zip_?code|ssn|national_id|passport|ip_?address|address_line)\b";
const MODELS: &str = r"models\.Model|db\.Model|declarative_base|DeclarativeBase|SQLModel|mapped_column|\bColumn\(|mongoose\.Schema|new Schema\(|sequelize\.define|DataTypes\.|@Entity|@Table\(|@Column|gorm\.Model|gorm:|diesel::table!|derive\([^)]*(Queryable|Insertable|FromRow)|(?i)create\s+table|ActiveRecord::(Base|Migration)|class\s+\w+\s*\(\s*BaseModel\s*\)";

/// The signal table.
pub const SIGNALS: &[Signal] = &[
    // Web frameworks: imports.
    sig(Scope::Langs(PY), r"(?m)^[ \t]*(?:from|import)\s+flask\b", Says::Framework("Flask")),
    sig(Scope::Langs(PY), r"(?m)^[ \t]*(?:from|import)\s+django\b", Says::Framework("Django")),
    sig(Scope::Langs(PY), r"(?m)^[ \t]*(?:from|import)\s+fastapi\b", Says::Framework("FastAPI")),
    sig(Scope::Langs(PY), r"(?m)^[ \t]*(?:from|import)\s+starlette\b", Says::Framework("Starlette")),
    sig(Scope::Langs(PY), r"(?m)^[ \t]*(?:from\s+aiohttp\s+import\s+web|import\s+aiohttp\.web)", Says::Framework("aiohttp")),
    sig(Scope::Langs(PY), r"(?m)^[ \t]*(?:from|import)\s+tornado\.web\b", Says::Framework("Tornado")),
    sig(Scope::Langs(JS), r#"(?:require\(\s*|from\s+)['"]express['"]"#, Says::Framework("Express")),
    sig(Scope::Langs(JS), r#"(?:require\(\s*|from\s+)['"]koa['"]"#, Says::Framework("Koa")),
    sig(Scope::Langs(JS), r#"(?:require\(\s*|from\s+)['"]@nestjs/(?:core|common)['"]"#, Says::Framework("NestJS")),
    sig(Scope::Langs(JS), r#"(?:require\(\s*|from\s+)['"]fastify['"]"#, Says::Framework("Fastify")),
    sig(Scope::Langs(JS), r#"(?:require\(\s*|from\s+)['"]@hapi/hapi['"]"#, Says::Framework("hapi")),
    sig(Scope::Langs(JS), r#"(?:require\(\s*|from\s+)['"]next(?:/[a-z]+)?['"]"#, Says::Framework("Next.js")),
    sig(Scope::Langs(JVM), r"org\.springframework\.(?:boot|web|security)|@SpringBootApplication|@RestController", Says::Framework("Spring")),
    sig(Scope::Langs(JVM), r"(?:javax|jakarta)\.servlet\.", Says::Framework("Servlet")),
    sig(Scope::Langs(JVM), r"io\.ktor\.server", Says::Framework("Ktor")),
    sig(Scope::Langs(GO), r#""github\.com/gin-gonic/gin""#, Says::Framework("Gin")),
    sig(Scope::Langs(GO), r#""github\.com/labstack/echo(?:/v\d+)?""#, Says::Framework("Echo")),
    sig(Scope::Langs(GO), r#""github\.com/gofiber/fiber(?:/v\d+)?""#, Says::Framework("Fiber")),
    sig(Scope::Langs(GO), r#""github\.com/go-chi/chi(?:/v\d+)?""#, Says::Framework("chi")),
    sig(Scope::Langs(GO), r#""github\.com/gorilla/mux""#, Says::Framework("gorilla/mux")),
    sig(Scope::Langs(GO), r"http\.(?:ListenAndServe(?:TLS)?|HandleFunc|NewServeMux)\(", Says::Framework("net/http")),
    sig(Scope::Langs(RS), r"\bactix_web::", Says::Framework("actix-web")),
    sig(Scope::Langs(RS), r"\baxum::", Says::Framework("axum")),
    sig(Scope::Langs(RS), r"\brocket::|#\[(?:get|post|launch)\b", Says::Framework("Rocket")),
    sig(Scope::Langs(RS), r"\bwarp::Filter\b|\bwarp::serve\b", Says::Framework("warp")),
    sig(Scope::Langs(RB), r"Rails\.application|<\s*ApplicationController\b", Says::Framework("Rails")),
    sig(Scope::Langs(RB), r#"require\s+['"]sinatra['"]"#, Says::Framework("Sinatra")),
    sig(Scope::Langs(PHP), r"Illuminate\\|Laravel\\", Says::Framework("Laravel")),
    sig(Scope::Langs(PHP), r"Symfony\\Component\\HttpFoundation", Says::Framework("Symfony")),
    sig(Scope::Langs(CS), r"Microsoft\.AspNetCore|WebApplication\.CreateBuilder", Says::Framework("ASP.NET Core")),
    // Web frameworks: manifests.
    sig(Scope::Glob("**/package.json"), r#""express"\s*:"#, Says::Framework("Express")),
    sig(Scope::Glob("**/package.json"), r#""koa"\s*:"#, Says::Framework("Koa")),
    sig(Scope::Glob("**/package.json"), r#""@nestjs/core"\s*:"#, Says::Framework("NestJS")),
    sig(Scope::Glob("**/package.json"), r#""fastify"\s*:"#, Says::Framework("Fastify")),
    sig(Scope::Glob("**/package.json"), r#""next"\s*:"#, Says::Framework("Next.js")),
    sig(Scope::Glob(PY_MANIFESTS), r"(?im)^[ \t]*['\x22]?flask\b", Says::Framework("Flask")),
    sig(Scope::Glob(PY_MANIFESTS), r"(?im)^[ \t]*['\x22]?django\b", Says::Framework("Django")),
    sig(Scope::Glob(PY_MANIFESTS), r"(?im)^[ \t]*['\x22]?fastapi\b", Says::Framework("FastAPI")),
    sig(Scope::Glob("**/{pom.xml,build.gradle,build.gradle.kts}"), r"spring-boot-starter-web|spring-boot-starter-webflux", Says::Framework("Spring")),
    sig(Scope::Glob("**/go.mod"), r"github\.com/gin-gonic/gin\b", Says::Framework("Gin")),
    sig(Scope::Glob("**/Cargo.toml"), r"(?m)^[ \t]*(?:actix-web|axum|rocket|warp)\s*=", Says::Fact("web-server")),
    sig(Scope::Glob("**/Gemfile"), r#"gem\s+['"]rails['"]"#, Says::Framework("Rails")),
    sig(Scope::Glob("**/{nginx.conf,*.nginx,nginx/**/*.conf,sites-enabled/*,sites-available/*,conf.d/*.conf}"), r"\bserver\s*\{|\blisten\s+\d+", Says::Framework("nginx")),
    sig(Scope::Glob("**/{httpd.conf,apache2.conf,.htaccess}"), r"(?i)<VirtualHost|\bListen\s+\d+", Says::Framework("Apache httpd")),
    // CI systems.
    sig(Scope::Glob(".github/workflows/*.{yml,yaml}"), r"(?m)^[ \t]*(?:on|jobs)\s*:", Says::Ci("GitHub Actions")),
    sig(Scope::Glob("**/.gitlab-ci.yml"), r"\S", Says::Ci("GitLab CI")),
    sig(Scope::Glob(".circleci/config.yml"), r"\S", Says::Ci("CircleCI")),
    sig(Scope::Glob("**/Jenkinsfile"), r"\S", Says::Ci("Jenkins")),
    sig(Scope::Glob("**/azure-pipelines.yml"), r"\S", Says::Ci("Azure Pipelines")),
    sig(Scope::Glob("bitbucket-pipelines.yml"), r"\S", Says::Ci("Bitbucket Pipelines")),
    sig(Scope::Glob(".travis.yml"), r"\S", Says::Ci("Travis CI")),
    sig(Scope::Glob(".drone.yml"), r"\S", Says::Ci("Drone")),
    sig(Scope::Glob(".buildkite/*.{yml,yaml}"), r"\S", Says::Ci("Buildkite")),
    sig(Scope::Glob("**/.gitlab-ci.yml"), r"\S", Says::Fact("gitlab-ci")),
    sig(Scope::Glob(CI_FILES), r"(?i)\b(?:deploy|kubectl\s+apply|helm\s+(?:upgrade|install)|terraform\s+apply|serverless\s+deploy|gcloud\s+\w+\s+deploy|az\s+webapp|flyctl\s+deploy|aws\s+(?:ecs\s+update-service|s3\s+sync|lambda\s+update-function-code|cloudformation\s+deploy))\b", Says::Fact("deploy")),
    sig(Scope::Glob(CI_FILES), r"(?i)\b(?:npm\s+publish|yarn\s+(?:npm\s+)?publish|pnpm\s+publish|twine\s+upload|uv\s+publish|poetry\s+publish|cargo\s+publish|docker\s+push|docker/build-push-action|goreleaser|gh\s+release\s+create|action-gh-release|mvn\s+(?:\S+\s+)*deploy|gradle\w*\s+publish|gh-action-pypi-publish)\b", Says::Fact("release")),
    // Helm and container files.
    sig(Scope::Glob("**/Chart.yaml"), r"(?m)^[ \t]*(?:apiVersion|name)\s*:", Says::Fact("helm")),
    sig(Scope::Glob("**/{docker-compose*.yml,docker-compose*.yaml,compose.yml,compose.yaml}"), r"(?m)^[ \t]*services\s*:", Says::Fact("containers")),
    // Kubernetes RBAC.
    sig(Scope::Glob("**/*.{yml,yaml}"), r"(?m)^kind:\s*(?:Cluster)?Role(?:Binding)?\s*$", Says::Fact("k8s-rbac")),
    // Passwords, logins, tokens, sessions.
    sig(Scope::Langs(ALL), r"(?i)\b(?:set_password|check_password|make_password|generate_password_hash|check_password_hash|hash_?password|hashed_?password|password_?hash(?:er)?|passwordEncoder|PasswordEncoder|passlib|bcrypt|argon2|scrypt|pbkdf2)\b", Says::Fact("password-storage")),
    sig(Scope::Langs(ALL), r"(?i)\b(?:md5|sha1|sha256|sha512|sha-?1|sha-?256|digest|createHash)\b[^\n]{0,60}\bpass(?:word|wd)?\b", Says::Fact("password-storage")),
    sig(Scope::Glob("**/settings*.py"), r"PASSWORD_HASHERS|AUTH_PASSWORD_VALIDATORS", Says::Fact("password-storage")),
    sig(Scope::Langs(ALL), r#"(?i)['"/]login\b|\bdef\s+login\b|\bfunction\s+login\b|\blogin\s*[:(]|passport\.authenticate|flask_login|LoginManager|django\.contrib\.auth|formLogin|UserDetailsService|next-auth|\bauthenticate\(|\bsign_?in\b|\bsignIn\b"#, Says::Fact("user-auth")),
    sig(Scope::Langs(ALL), r"(?i)\bjwt\b|jsonwebtoken|\bjose\b|JwtDecoder|JWTVerifier|Jwts\.|golang-jwt|jwt-go|\bPyJWT\b", Says::Fact("jwt")),
    sig(Scope::Langs(PY), r"SESSION_COOKIE_|\bsession\[|django\.contrib\.sessions|SessionMiddleware|from\s+flask\s+import[^\n]*\bsession\b|set_cookie\(", Says::Fact("sessions")),
    sig(Scope::Langs(JS), r"express-session|cookie-session|iron-session|res\.cookie\(|cookies\(\)\.set|document\.cookie|@fastify/(?:session|cookie)|koa-session|localStorage\.setItem", Says::Fact("sessions")),
    sig(Scope::Langs(JVM), r"HttpSession|new\s+Cookie\(|ResponseCookie|SessionCreationPolicy|JSESSIONID", Says::Fact("sessions")),
    sig(Scope::Langs(GO), r"http\.Cookie\{|http\.SetCookie|gorilla/sessions|alexedwards/scs|gin-contrib/sessions", Says::Fact("sessions")),
    sig(Scope::Langs(RS), r"tower_sessions|actix_session|Cookie::build|CookieJar|cookie::Cookie", Says::Fact("sessions")),
    sig(Scope::Langs(RB), r"\bsession\[|cookies\[", Says::Fact("sessions")),
    sig(Scope::Langs(PHP), r"session_start\(|setcookie\(", Says::Fact("sessions")),
    sig(Scope::Glob("**/{application*.properties,application*.yml,application*.yaml}"), r"server\.servlet\.session|spring\.session", Says::Fact("sessions")),
    sig(Scope::Glob("**/settings*.py"), r"django\.contrib\.sessions|SESSION_", Says::Fact("sessions")),
    // TLS.
    sig(Scope::Langs(ALL), r"tls\.Config\{|\bssl\.(?:SSLContext|create_default_context|PROTOCOL_\w+|wrap_socket)|https\.createServer|tls\.(?:createServer|connect)\(|SSLContext\.getInstance|secureProtocol|minVersion|MinVersion|rustls|native_tls|openssl::ssl|SslConnector|SslAcceptor|SSLSocketFactory|TLSv1", Says::Fact("tls-config")),
    sig(Scope::Glob("**/{nginx.conf,*.nginx,nginx/**/*.conf,sites-enabled/*,sites-available/*,conf.d/*.conf,httpd.conf,apache2.conf,ssl.conf,haproxy.cfg,traefik.y*ml}"), r"(?i)ssl_protocols|ssl_certificate|SSLProtocol|SSLEngine|ssl-min-ver|minVersion", Says::Fact("tls-config")),
    sig(Scope::Glob("**/{application*.properties,application*.yml,application*.yaml}"), r"server\.ssl\.|ssl:\s*$|enabled-protocols", Says::Fact("tls-config")),
    sig(Scope::Glob(TF), r"\b(?:ssl_policy|minimum_protocol_version|min_tls_version|minimum_tls_version|security_policy|tls_version|ssl_minimal_tls_version_enforced|min_tls)\s*=|google_compute_ssl_policy", Says::Fact("tls-config")),
    sig(Scope::Langs(ALL), r#"(?i)\brequests\.(?:get|post|put|delete|Session)\b|\bhttpx\b|urllib|aiohttp\.ClientSession|\baxios\b|\bfetch\(|https\.(?:get|request)\(|http\.Client\{|http\.(?:Get|Post)\(|HttpClient|RestTemplate|WebClient|OkHttpClient|reqwest::|hyper::Client|Net::HTTP|curl_init|new\s+HttpClient"#, Says::Fact("outbound-tls")),
    sig(Scope::Glob("**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.sh,Makefile}"), r"\b(?:curl|wget|pip3?\s+install|npm\s+(?:install|ci)|git\s+clone)\b", Says::Fact("outbound-tls")),
    sig(Scope::Glob(CI_FILES), r"\b(?:curl|wget|pip3?\s+install|npm\s+(?:install|ci)|git\s+clone)\b", Says::Fact("outbound-tls")),
    // Data stores.
    sig(Scope::Langs(ALL), r"(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)://|sslmode=|\bpsycopg2?\b|\bpymysql\b|mysql\.connector|\bsqlalchemy\b|create_engine\(|\bmongoose\b|MongoClient|\bioredis\b|\bredis\b|new\s+Pool\(|\bknex\b|typeorm|PrismaClient|sequelize|\bgorm\b|sql\.Open\(|\bsqlx\b|\bdiesel\b|DriverManager\.getConnection|KafkaProducer|KafkaConsumer|kafkajs|confluent_kafka|DATABASES\s*=", Says::Fact("datastore")),
    sig(Scope::Glob("**/{application*.properties,application*.yml,application*.yaml,.env,.env.*,*.env,docker-compose*.yml,compose.yml,config/*.yml,config/*.yaml,config/*.json}"), r"(?i)spring\.(?:datasource|redis|data|kafka)|DATABASE_URL|REDIS_URL|MONGO(?:DB)?_UR[IL]|(?:postgres(?:ql)?|mysql|mongodb|rediss?)://|image:\s*['\x22]?(?:postgres|mysql|mariadb|redis|mongo|rabbitmq|bitnami/kafka)", Says::Fact("datastore")),
    // Data models and personal data.
    sig(Scope::Langs(ALL), MODELS, Says::Fact("data-models")),
    sig(Scope::Glob("**/*.{sql,prisma}"), r"(?i)create\s+table|(?m)^[ \t]*model\s+\w+\s*\{", Says::Fact("data-models")),
    Signal { scope: Scope::Langs(ALL), re: PII, if_file: Some(MODELS), says: Says::Fact("personal-data") },
    Signal { scope: Scope::Glob("**/*.{sql,prisma,graphql,gql}"), re: PII, if_file: None, says: Says::Fact("personal-data") },
    // Analytics and trackers.
    sig(Scope::Langs(JS), r"gtag\(|googletagmanager|google-analytics\.com|analytics\.load\(|mixpanel|amplitude|posthog|hotjar|\bfbq\(|plausible|_paq\.push|@segment/", Says::Fact("analytics")),
    sig(Scope::Glob("**/*.{html,htm,jinja,jinja2,j2,hbs,ejs,erb,vue,svelte,astro}"), r"gtag\(|googletagmanager|google-analytics\.com|analytics\.load\(|mixpanel|amplitude|posthog|hotjar|\bfbq\(|plausible|_paq\.push", Says::Fact("analytics")),
    sig(Scope::Langs(PY), r"\bmixpanel\b|\banalytics\.track\(|\bposthog\b", Says::Fact("analytics")),
    // CORS.
    sig(Scope::Langs(ALL), r#"flask_cors|\bCORS\(|corsheaders|CORS_ALLOW|CORS_ORIGIN|(?:require\(\s*|from\s+)['"]cors['"]|enableCors|@CrossOrigin|CorsRegistry|allowedOrigin|CorsConfiguration|AllowOrigins|AllowAllOrigins|gin-contrib/cors|rs/cors|CorsLayer|actix_cors|Access-Control-Allow-Origin|CORSMiddleware|@fastify/cors"#, Says::Fact("cors")),
    sig(Scope::Glob("**/{settings*.py,application*.properties,application*.yml,application*.yaml,nginx.conf,*.nginx,conf.d/*.conf}"), r"(?i)cors|Access-Control-Allow-Origin", Says::Fact("cors")),
    // Application configuration.
    sig(Scope::Glob("**/{settings.py,settings/*.py,*settings*.py,config.py,application*.properties,application*.yml,application*.yaml,appsettings*.json,.env,.env.*,*.env,docker-compose*.yml,docker-compose*.yaml,compose.yml,compose.yaml,config/*.js,config/*.ts,config/*.json,config/*.yml,config/*.yaml,next.config.*,nuxt.config.*,web.config}"), r"\S", Says::Fact("app-config")),
    // Logging and monitoring.
    sig(Scope::Langs(ALL), r"(?i)\blogging\.|\blogger\b|\blog\.(?:info|warn|warning|error|debug|Print)|\bconsole\.(?:log|error|warn|info)\b|\bslog\.|\bzap\.|\blogrus\b|\bpino\b|\bwinston\b|\bstructlog\b|LoggerFactory|\btracing::|\blog::(?:info|warn|error|debug)|Sentry|sentry_sdk|\bprint\(", Says::Fact("logging")),
    sig(Scope::Langs(ALL), r"sentry_sdk|@sentry/|Sentry\.init|sentry-go|io\.sentry|pagerduty|opsgenie|datadog|newrelic|prometheus_client|prom-client", Says::Fact("monitoring")),
    sig(Scope::Glob("**/*.{yml,yaml}"), r"(?m)^[ \t]*-?\s*alert\s*:\s*\S|alertmanager|(?m)^[ \t]*-\s*rule\s*:\s*\S[^\n]*\n\s*desc\s*:", Says::Fact("monitoring")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_guardduty_detector|aws_securityhub_account|aws_config_configuration_recorder|aws_cloudwatch_metric_alarm|azurerm_security_center_\w+|google_scc_\w+|datadog_monitor|pagerduty_\w+|newrelic_\w+|google_monitoring_alert_policy|azurerm_monitor_metric_alert)""#, Says::Fact("monitoring")),
    // Crypto and random tokens.
    sig(Scope::Langs(ALL), r"(?i)\bcrypto\b|\bcryptography\b|\bCipher\b|\bAES\b|\bDES\b|\bRC4\b|\bhashlib\b|MessageDigest|\bhmac\b|\brandom\.|Math\.random|math/rand|java\.util\.Random|\bsecrets\.token|\bOsRng\b|\bring::|\bRSA\b|KeyPairGenerator|\bnonce\b|\bIV\b", Says::Fact("crypto")),
    // Manifests and tests.
    sig(Scope::Glob("**/{package.json,requirements*.txt,pyproject.toml,Pipfile,setup.py,go.mod,pom.xml,build.gradle,build.gradle.kts,Cargo.toml,Gemfile,composer.json,*.csproj,packages.config}"), r"\S", Says::Fact("manifests")),
    sig(Scope::Glob("**/{test_*.py,*_test.py,*_test.go,*.test.js,*.test.ts,*.test.jsx,*.test.tsx,*.spec.js,*.spec.ts,*Test.java,*Tests.java,*Test.kt,*_spec.rb,*Test.php,*Tests.cs,tests/**/*.rs,conftest.py}"), r"\S", Says::Fact("tests")),
    sig(Scope::Langs(RS), r"#\[(?:tokio::)?test\]", Says::Fact("tests")),
    // Terraform resources.
    sig(Scope::Glob(TF), r#"(?m)^[ \t]*(?:provider\s+"(?:aws|google|azurerm|google-beta)"|resource\s+"(?:aws|google|azurerm)_)"#, Says::Fact("tf-cloud")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_s3_bucket|aws_ebs_volume|aws_efs_file_system|aws_launch_template|aws_launch_configuration|aws_instance|aws_ebs_encryption_by_default|google_storage_bucket|google_compute_disk|azurerm_storage_account|azurerm_storage_container|azurerm_managed_disk)""#, Says::Fact("tf-storage")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_db_instance|aws_rds_cluster|aws_elasticache_\w+|aws_elasticsearch_domain|aws_opensearch_domain|aws_redshift_cluster|aws_dynamodb_table|aws_docdb_cluster|aws_neptune_cluster|aws_sqs_queue|aws_sns_topic|aws_msk_cluster|aws_mq_broker|aws_kinesis_stream|google_sql_database_instance|google_bigquery_dataset|google_bigquery_table|google_redis_instance|google_spanner_instance|azurerm_(?:mssql|sql|postgresql|mysql|mariadb)_\w+|azurerm_cosmosdb_account|azurerm_redis_cache|azurerm_servicebus_namespace)""#, Says::Fact("tf-datastore")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_security_group|aws_security_group_rule|aws_vpc_security_group_ingress_rule|aws_default_security_group|aws_network_acl\w*|aws_eks_cluster|google_compute_firewall|google_container_cluster|azurerm_network_security_group|azurerm_network_security_rule|azurerm_kubernetes_cluster)""#, Says::Fact("tf-network")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_lb|aws_alb|aws_elb|aws_lb_listener|aws_alb_listener|aws_cloudfront_distribution|aws_api_gateway_\w+|aws_apigatewayv2_\w+|azurerm_application_gateway|azurerm_frontdoor\w*|azurerm_cdn_\w+|azurerm_app_service|azurerm_(?:linux|windows)_web_app|azurerm_function_app|azurerm_(?:linux|windows)_function_app|google_compute_backend_service|google_compute_global_forwarding_rule|google_compute_url_map|google_cloud_run_service|google_cloud_run_v2_service)""#, Says::Fact("tf-public-endpoint")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_kms_key|google_kms_crypto_key|google_kms_key_ring|azurerm_key_vault\w*)""#, Says::Fact("tf-kms")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_iam_\w+|google_\w+_iam_\w+|azurerm_role_\w+)""#, Says::Fact("tf-iam")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_cloudwatch_log_group|aws_cloudtrail|aws_flow_log|aws_s3_bucket_logging|azurerm_log_analytics_workspace|azurerm_monitor_diagnostic_setting|azurerm_monitor_log_profile|google_logging_\w+|google_project_iam_audit_config)""#, Says::Fact("tf-logs")),
    sig(Scope::Glob(TF), r#"resource\s+"(?:aws_cognito_user_pool|okta_\w+|auth0_\w+|keycloak_\w+|azuread_conditional_access_policy|google_identity_platform_config)""#, Says::Fact("tf-user-pool")),
];

/// Facts implied by other facts.
const IMPLIES: &[(&str, &str)] = &[
    ("password-storage", "user-auth"),
    ("tf-user-pool", "user-auth"),
    ("jwt", "user-auth"),
    ("tf-datastore", "datastore"),
    ("terraform", "iac"),
    ("kubernetes", "iac"),
    ("helm", "iac"),
    ("dockerfile", "iac"),
    ("github-actions", "iac"),
    ("dockerfile", "containers"),
    ("kubernetes", "containers"),
    ("helm", "containers"),
    ("helm", "kubernetes"),
    ("github-actions", "ci"),
    ("gitlab-ci", "ci"),
    ("k8s-rbac", "kubernetes"),
];

/// What stack detection found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stack {
    /// Language → number of source files (tests included).
    pub languages: BTreeMap<String, usize>,
    pub frameworks: BTreeSet<String>,
    pub iac: BTreeSet<String>,
    pub ci: BTreeSet<String>,
    pub facts: BTreeSet<String>,
}

impl Stack {
    /// Build from raw signals: `fact:<id>`, `framework:<name>`, `ci:<name>`, `iac:<kind>`.
    pub fn from_signals(signals: &BTreeSet<String>, languages: &BTreeMap<String, usize>) -> Stack {
        let mut s = Stack {
            languages: languages.clone(),
            ..Stack::default()
        };
        for sig in signals {
            if let Some(f) = sig.strip_prefix("fact:") {
                s.facts.insert(f.to_string());
            } else if let Some(f) = sig.strip_prefix("framework:") {
                s.frameworks.insert(f.to_string());
                s.facts.insert("web-server".into());
            } else if let Some(c) = sig.strip_prefix("ci:") {
                s.ci.insert(c.to_string());
                s.facts.insert("ci".into());
            } else if let Some(k) = sig.strip_prefix("iac:") {
                s.iac.insert(k.to_string());
                s.facts.insert(k.to_string());
            }
        }
        if s.facts.contains("helm") {
            s.iac.insert("helm".into());
        }
        if s.facts.contains("github-actions") {
            s.ci.insert("GitHub Actions".into());
        }
        if s.facts.contains("gitlab-ci") {
            s.ci.insert("GitLab CI".into());
        }
        if !s.languages.is_empty() {
            s.facts.insert("code".into());
        }
        // Implications until nothing changes (the table is short and acyclic).
        loop {
            let before = s.facts.len();
            for (from, to) in IMPLIES {
                if s.facts.contains(*from) {
                    s.facts.insert((*to).to_string());
                }
            }
            if s.facts.len() == before {
                break;
            }
        }
        s
    }

    pub fn has(&self, fact: &str) -> bool {
        self.facts.contains(fact)
    }

    /// Whether any of `conds` holds (`!fact` negated); an empty list always holds.
    pub fn any(&self, conds: &[String]) -> bool {
        conds.is_empty()
            || conds.iter().any(|c| match c.strip_prefix('!') {
                Some(f) => !self.has(f),
                None => self.has(c),
            })
    }
}

/// Path segments of vendored or generated code: never examined.
const VENDORED: &[&str] = &[
    "node_modules",
    "bower_components",
    "vendor",
    "third_party",
    "third-party",
    ".venv",
    "venv",
    "site-packages",
    "__pycache__",
    ".terraform",
    ".git",
    ".tox",
    ".next",
    ".nuxt",
];

/// Whether a path is vendored or generated (skipped by every probe and by detection).
pub fn is_vendored(rel_path: &str) -> bool {
    rel_path.split('/').any(|seg| VENDORED.contains(&seg))
        || rel_path.ends_with(".min.js")
        || rel_path.ends_with(".map")
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__mocks__",
    "spec",
    "specs",
    "testdata",
    "test-data",
    "testing",
    "fixtures",
    "fixture",
    "e2e",
    "examples",
    "example",
    "samples",
    "sample",
];

/// Whether a path is under a documentation folder (`docs/`, `doc/`).
pub fn is_doc_path(rel_path: &str) -> bool {
    let mut segs = rel_path.split('/');
    segs.next_back();
    segs.any(|s| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "docs" | "doc" | "documentation"
        )
    })
}

/// Whether a path is test, fixture or example code.
pub fn is_test_path(rel_path: &str) -> bool {
    let mut segs: Vec<&str> = rel_path.split('/').collect();
    let name = segs.pop().unwrap_or("");
    if segs
        .iter()
        .any(|s| TEST_DIRS.contains(&s.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    // File-name conventions apply to source files only (`test.yml` is a CI workflow).
    if Lang::of_path(name).is_none() {
        return false;
    }
    let stem = name.split('.').next().unwrap_or(name);
    let lower = name.to_ascii_lowercase();
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_spec")
        || lower.contains(".test.")
        || lower.contains(".spec.")
        || stem == "test"
        || stem == "tests"
        || stem == "conftest"
        || ((stem.ends_with("Test") || stem.ends_with("Tests") || stem.ends_with("IT"))
            && (lower.ends_with(".java") || lower.ends_with(".kt") || lower.ends_with(".cs")))
}

/// Whether a path is development-only configuration (`settings/dev.py`, `.env.development`,
/// `docker-compose.override.yml`, `application-dev.yml`).
pub fn is_dev_path(rel_path: &str) -> bool {
    let lower = rel_path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let words: Vec<&str> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let dev_word = |w: &&str| {
        matches!(
            *w,
            "dev" | "development" | "local" | "debug" | "override" | "sample" | "example"
        )
    };
    words.iter().any(dev_word)
        || lower
            .split('/')
            .any(|seg| matches!(seg, "dev" | "development" | "local"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_extension() {
        assert_eq!(Lang::of_path("a/b.py"), Some(Lang::Python));
        assert_eq!(Lang::of_path("web/x.tsx"), Some(Lang::TypeScript));
        assert_eq!(Lang::of_path("types/x.d.ts"), None);
        assert_eq!(Lang::of_path("static/app.min.js"), None);
        assert_eq!(Lang::of_path("Makefile"), None);
    }

    #[test]
    fn test_and_dev_paths() {
        assert!(is_test_path("tests/test_app.py"));
        assert!(is_test_path("src/app_test.go"));
        assert!(is_test_path("web/src/app.spec.ts"));
        assert!(is_test_path("src/test/java/com/x/AppTest.java"));
        assert!(is_test_path("examples/app.py"));
        assert!(is_doc_path("docs/guide/x.md"));
        assert!(!is_doc_path("docs.md"));
        assert!(!is_test_path("src/contest.py"));
        assert!(!is_test_path("src/latest/app.py"));
        assert!(!is_test_path(".github/workflows/test.yml"));
        assert!(is_test_path("proj/settings/test.py"));
        assert!(is_dev_path("proj/settings/dev.py"));
        assert!(is_dev_path(".env.development"));
        assert!(is_dev_path("docker-compose.override.yml"));
        assert!(is_dev_path("src/main/resources/application-dev.yml"));
        assert!(!is_dev_path("proj/settings/production.py"));
        assert!(!is_dev_path("src/devices/app.py"));
        assert!(is_vendored("web/node_modules/x/index.js"));
        assert!(!is_vendored("src/vendors.py"));
    }

    #[test]
    fn facts_imply_and_negate() {
        let mut sig = BTreeSet::new();
        sig.insert("framework:Flask".to_string());
        sig.insert("fact:password-storage".to_string());
        sig.insert("iac:dockerfile".to_string());
        let mut langs = BTreeMap::new();
        langs.insert("python".to_string(), 3);
        let s = Stack::from_signals(&sig, &langs);
        for f in [
            "web-server",
            "user-auth",
            "code",
            "iac",
            "containers",
            "dockerfile",
        ] {
            assert!(s.has(f), "{f}");
        }
        assert!(!s.has("terraform"));
        assert!(s.any(&["terraform".into(), "!ci".into()]));
        assert!(!s.any(&["terraform".into(), "ci".into()]));
        assert!(s.any(&[]));
        for f in FACTS {
            assert!(fact(f.id).is_some());
        }
    }
}
