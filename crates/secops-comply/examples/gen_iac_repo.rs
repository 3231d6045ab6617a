//! Generate a deterministic repository for the IaC benchmark: application code, docs and
//! config (most of the files) plus Terraform modules built from varied AWS, GCP and Azure
//! resource templates, with variables, locals, companion resources, good and bad settings.
//!
//!   cargo run --release -p secops-comply --example gen_iac_repo -- \
//!       --out DIR [--files 20000] [--tf 600] [--seed 7]
//!
//! `--files` is the total number of files, `--tf` the number of `.tf` files among them. The
//! same arguments always give the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// splitmix64: small, deterministic, good enough for choosing templates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs.get(self.below(xs.len())).copied().unwrap_or("")
    }
}

struct Args {
    out: PathBuf,
    files: usize,
    tf: usize,
    seed: u64,
}

fn args() -> Args {
    let mut a = Args {
        out: PathBuf::from("bench-out/iac-repo"),
        files: 20_000,
        tf: 600,
        seed: 7,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let val = v.get(i + 1).cloned().unwrap_or_default();
        match v.get(i).map(String::as_str) {
            Some("--out") => a.out = PathBuf::from(val),
            Some("--files") => a.files = val.parse().unwrap_or(a.files),
            Some("--tf") => a.tf = val.parse().unwrap_or(a.tf),
            Some("--seed") => a.seed = val.parse().unwrap_or(a.seed),
            other => {
                eprintln!("unknown argument {other:?}");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    a
}

fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(d) {
            eprintln!("{}: {e}", d.display());
            std::process::exit(1);
        }
    }
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("{}: {e}", path.display());
        std::process::exit(1);
    }
}

// ---------------------------------------------------------------------------------------------
// Terraform

/// Per-module state: names already used, and what companions can refer to.
struct Ctx {
    n: usize,
    buckets: Vec<String>,
    kms: Vec<String>,
    sgs: Vec<String>,
    lbs: Vec<String>,
}

impl Ctx {
    fn name(&mut self, base: &str) -> String {
        self.n += 1;
        format!("{base}_{}", self.n)
    }
}

const WORLD: &str = "0.0.0.0/0";

fn cidr(r: &mut Rng) -> String {
    match r.below(5) {
        0 => WORLD.to_string(),
        1 => "var.admin_cidr".to_string(),
        2 => "\"10.0.0.0/8\"".to_string(),
        3 => "\"172.16.0.0/12\"".to_string(),
        _ => format!("\"198.51.{}.0/24\"", r.below(255)),
    }
}

fn quoted_cidr(r: &mut Rng) -> String {
    let c = cidr(r);
    if c == WORLD {
        format!("\"{WORLD}\"")
    } else {
        c
    }
}

fn bool_s(r: &mut Rng, p_true: usize) -> &'static str {
    if r.chance(p_true) {
        "true"
    } else {
        "false"
    }
}

fn tf_resource(kind: usize, r: &mut Rng, c: &mut Ctx) -> String {
    let mut s = String::new();
    match kind {
        0 => {
            let b = c.name("bucket");
            let _ = writeln!(
                s,
                "resource \"aws_s3_bucket\" \"{b}\" {{\n  bucket = \"${{local.prefix}}-{b}\"\n  tags   = local.tags\n}}\n"
            );
            if r.chance(60) {
                let _ = writeln!(
                    s,
                    "resource \"aws_s3_bucket_public_access_block\" \"{b}\" {{\n  bucket                  = aws_s3_bucket.{b}.id\n  block_public_acls       = true\n  block_public_policy     = {}\n  ignore_public_acls      = true\n  restrict_public_buckets = {}\n}}\n",
                    bool_s(r, 80),
                    bool_s(r, 80)
                );
            }
            if r.chance(50) {
                let _ = writeln!(
                    s,
                    "resource \"aws_s3_bucket_versioning\" \"{b}\" {{\n  bucket = aws_s3_bucket.{b}.id\n  versioning_configuration {{\n    status = \"{}\"\n  }}\n}}\n",
                    r.pick(&["Enabled", "Enabled", "Suspended"])
                );
            }
            if r.chance(40) {
                let algo = r.pick(&["aws:kms", "AES256"]);
                let key = match c.kms.first() {
                    Some(k) if algo == "aws:kms" => {
                        format!("\n      kms_master_key_id = aws_kms_key.{k}.arn")
                    }
                    _ => String::new(),
                };
                let _ = writeln!(
                    s,
                    "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"{b}\" {{\n  bucket = aws_s3_bucket.{b}.bucket\n  rule {{\n    apply_server_side_encryption_by_default {{\n      sse_algorithm = \"{algo}\"{key}\n    }}\n  }}\n}}\n"
                );
            }
            if r.chance(25) {
                let _ = writeln!(
                    s,
                    "resource \"aws_s3_bucket_acl\" \"{b}\" {{\n  bucket = aws_s3_bucket.{b}.id\n  acl    = \"{}\"\n}}\n",
                    r.pick(&["private", "private", "public-read", "log-delivery-write"])
                );
            }
            if let Some(t) = c.buckets.first().cloned() {
                if r.chance(40) {
                    let _ = writeln!(
                        s,
                        "resource \"aws_s3_bucket_logging\" \"{b}\" {{\n  bucket        = aws_s3_bucket.{b}.id\n  target_bucket = aws_s3_bucket.{t}.id\n  target_prefix = \"{b}/\"\n}}\n"
                    );
                }
            }
            if r.chance(20) {
                let principal = if r.chance(50) {
                    "\"*\"".to_string()
                } else {
                    "{ AWS = \"arn:aws:iam::111122223333:root\" }".to_string()
                };
                let _ = writeln!(
                    s,
                    "resource \"aws_s3_bucket_policy\" \"{b}\" {{\n  bucket = aws_s3_bucket.{b}.id\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = {principal}\n      Action    = \"s3:GetObject\"\n      Resource  = \"${{aws_s3_bucket.{b}.arn}}/*\"\n    }}]\n  }})\n}}\n"
                );
            }
            c.buckets.push(b);
        }
        1 => {
            let n = c.name("sg");
            let _ = write!(
                s,
                "resource \"aws_security_group\" \"{n}\" {{\n  name        = \"${{local.prefix}}-{n}\"\n  description = \"managed by terraform\"\n  vpc_id      = var.vpc_id\n"
            );
            for _ in 0..1 + r.below(3) {
                let port = *[22u32, 80, 443, 3306, 5432, 3389, 8080, 6379]
                    .get(r.below(8))
                    .unwrap_or(&443);
                let _ = write!(
                    s,
                    "\n  ingress {{\n    description = \"port {port}\"\n    from_port   = {port}\n    to_port     = {port}\n    protocol    = \"tcp\"\n    cidr_blocks = [{}]\n  }}\n",
                    quoted_cidr(r)
                );
            }
            let _ = writeln!(
                s,
                "\n  egress {{\n    from_port   = 0\n    to_port     = 0\n    protocol    = \"-1\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }}\n\n  tags = local.tags\n}}\n"
            );
            c.sgs.push(n);
        }
        2 => {
            let n = c.name("rule");
            let sg = c.sgs.first().cloned().unwrap_or_else(|| "shared".into());
            if r.chance(50) {
                let port = r.pick(&["22", "443", "5432", "3389"]);
                let _ = writeln!(
                    s,
                    "resource \"aws_security_group_rule\" \"{n}\" {{\n  type              = \"ingress\"\n  from_port         = {port}\n  to_port           = {port}\n  protocol          = \"tcp\"\n  cidr_blocks       = [{}]\n  security_group_id = aws_security_group.{sg}.id\n}}\n",
                    quoted_cidr(r)
                );
            } else {
                let _ = writeln!(
                    s,
                    "resource \"aws_vpc_security_group_ingress_rule\" \"{n}\" {{\n  security_group_id = aws_security_group.{sg}.id\n  cidr_ipv4         = {}\n  from_port         = local.app_port\n  to_port           = local.app_port\n  ip_protocol       = \"tcp\"\n}}\n",
                    quoted_cidr(r)
                );
            }
        }
        3 => {
            let n = c.name("db");
            let _ = writeln!(
                s,
                "resource \"aws_db_instance\" \"{n}\" {{\n  identifier              = \"${{local.prefix}}-{}\"\n  engine                  = \"{}\"\n  instance_class          = \"db.t3.{}\"\n  allocated_storage       = {}\n  username                = \"app\"\n  password                = var.db_password\n  publicly_accessible     = {}\n  storage_encrypted       = {}\n  backup_retention_period = {}\n  skip_final_snapshot     = true\n  tags                    = local.tags\n}}\n",
                n.replace('_', "-"),
                r.pick(&["postgres", "mysql", "mariadb"]),
                r.pick(&["micro", "small", "medium"]),
                20 + r.below(200),
                if r.chance(20) { "true" } else { "var.db_public" },
                bool_s(r, 70),
                r.pick(&["0", "1", "7", "14", "35"])
            );
        }
        4 => {
            let n = c.name("cluster");
            let _ = writeln!(
                s,
                "resource \"aws_rds_cluster\" \"{n}\" {{\n  cluster_identifier = \"${{local.prefix}}-{}\"\n  engine             = \"aurora-postgresql\"\n  master_username    = \"app\"\n  master_password    = var.db_password\n  storage_encrypted  = {}\n  backup_retention_period = {}\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 60),
                r.pick(&["1", "7", "30"])
            );
        }
        5 => {
            let n = c.name("volume");
            let enc = if r.chance(60) {
                "\n  encrypted         = true"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "resource \"aws_ebs_volume\" \"{n}\" {{\n  availability_zone = \"${{var.region}}a\"\n  size              = {}{enc}\n  tags              = local.tags\n}}\n",
                10 + r.below(500)
            );
        }
        6 => {
            let n = c.name("key");
            let _ = writeln!(
                s,
                "resource \"aws_kms_key\" \"{n}\" {{\n  description             = \"{n}\"\n  deletion_window_in_days = 30\n  enable_key_rotation     = {}\n}}\n\nresource \"aws_kms_alias\" \"{n}\" {{\n  name          = \"alias/${{local.prefix}}-{n}\"\n  target_key_id = aws_kms_key.{n}.key_id\n}}\n",
                bool_s(r, 70)
            );
            c.kms.push(n);
        }
        7 => {
            let n = c.name("trail");
            let bucket = c
                .buckets
                .first()
                .map(|b| format!("aws_s3_bucket.{b}.id"))
                .unwrap_or_else(|| "\"audit-logs\"".into());
            let _ = writeln!(
                s,
                "resource \"aws_cloudtrail\" \"{n}\" {{\n  name                       = \"{n}\"\n  s3_bucket_name             = {bucket}\n  is_multi_region_trail      = {}\n  enable_log_file_validation = {}\n  include_global_service_events = true\n}}\n",
                bool_s(r, 60),
                bool_s(r, 60)
            );
        }
        8 => {
            let n = c.name("policy");
            let action = r.pick(&[
                "\"*\"",
                "[\"s3:GetObject\"]",
                "\"ec2:Describe*\"",
                "[\"sqs:SendMessage\", \"sqs:ReceiveMessage\"]",
            ]);
            if r.chance(50) {
                let _ = writeln!(
                    s,
                    "resource \"aws_iam_policy\" \"{n}\" {{\n  name = \"${{local.prefix}}-{n}\"\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect   = \"Allow\"\n      Action   = {action}\n      Resource = \"*\"\n    }}]\n  }})\n}}\n"
                );
            } else {
                let _ = writeln!(
                    s,
                    "data \"aws_iam_policy_document\" \"{n}\" {{\n  statement {{\n    sid       = \"Main\"\n    actions   = [{}]\n    resources = [\"*\"]\n  }}\n}}\n\nresource \"aws_iam_role_policy\" \"{n}\" {{\n  name   = \"{n}\"\n  role   = var.role_name\n  policy = data.aws_iam_policy_document.{n}.json\n}}\n",
                    action.trim_start_matches('[').trim_end_matches(']')
                );
            }
        }
        9 => {
            let lb = c.name("alb");
            let _ = writeln!(
                s,
                "resource \"aws_lb\" \"{lb}\" {{\n  name               = \"{}\"\n  load_balancer_type = \"application\"\n  internal           = {}\n  subnets            = var.subnet_ids\n}}\n",
                lb.replace('_', "-"),
                bool_s(r, 30)
            );
            if r.chance(50) {
                let _ = writeln!(
                    s,
                    "resource \"aws_lb_listener\" \"{lb}_http\" {{\n  load_balancer_arn = aws_lb.{lb}.arn\n  port              = 80\n  protocol          = \"HTTP\"\n  default_action {{\n    type = \"redirect\"\n    redirect {{\n      port        = \"443\"\n      protocol    = \"HTTPS\"\n      status_code = \"HTTP_301\"\n    }}\n  }}\n}}\n"
                );
            } else {
                let _ = writeln!(
                    s,
                    "resource \"aws_lb_listener\" \"{lb}_http\" {{\n  load_balancer_arn = aws_lb.{lb}.arn\n  port              = 80\n  protocol          = \"HTTP\"\n  default_action {{\n    type             = \"forward\"\n    target_group_arn = var.target_group_arn\n  }}\n}}\n"
                );
            }
            let _ = writeln!(
                s,
                "resource \"aws_lb_listener\" \"{lb}_https\" {{\n  load_balancer_arn = aws_lb.{lb}.arn\n  port              = 443\n  protocol          = \"HTTPS\"\n  ssl_policy        = \"{}\"\n  certificate_arn   = var.certificate_arn\n  default_action {{\n    type             = \"forward\"\n    target_group_arn = var.target_group_arn\n  }}\n}}\n",
                r.pick(&[
                    "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    "ELBSecurityPolicy-2016-08",
                    "ELBSecurityPolicy-FS-1-2-Res-2020-10"
                ])
            );
            c.lbs.push(lb);
        }
        10 => {
            let n = c.name("cdn");
            let origin = c
                .lbs
                .first()
                .map(|l| format!("aws_lb.{l}.dns_name"))
                .unwrap_or_else(|| "\"origin.example.com\"".into());
            let _ = writeln!(
                s,
                "resource \"aws_cloudfront_distribution\" \"{n}\" {{\n  enabled = true\n  origin {{\n    domain_name = {origin}\n    origin_id   = \"main\"\n  }}\n  default_cache_behavior {{\n    target_origin_id       = \"main\"\n    viewer_protocol_policy = \"{}\"\n    allowed_methods        = [\"GET\", \"HEAD\"]\n    cached_methods         = [\"GET\", \"HEAD\"]\n  }}\n  restrictions {{\n    geo_restriction {{\n      restriction_type = \"none\"\n    }}\n  }}\n  viewer_certificate {{\n    acm_certificate_arn      = var.certificate_arn\n    ssl_support_method       = \"sni-only\"\n    minimum_protocol_version = \"{}\"\n  }}\n}}\n",
                r.pick(&["redirect-to-https", "https-only", "allow-all"]),
                r.pick(&["TLSv1.2_2021", "TLSv1.2_2019", "TLSv1_2016"])
            );
        }
        11 => {
            let n = c.name("eks");
            let cidrs = if r.chance(50) {
                "\n    public_access_cidrs = var.admin_cidrs".to_string()
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "resource \"aws_eks_cluster\" \"{n}\" {{\n  name     = \"${{local.prefix}}-{n}\"\n  role_arn = var.cluster_role_arn\n  vpc_config {{\n    subnet_ids              = var.subnet_ids\n    endpoint_private_access = true\n    endpoint_public_access  = {}{cidrs}\n  }}\n}}\n",
                bool_s(r, 60)
            );
        }
        12 => {
            let n = c.name("cache");
            let _ = writeln!(
                s,
                "resource \"aws_elasticache_replication_group\" \"{n}\" {{\n  replication_group_id       = \"{}\"\n  description                = \"cache\"\n  engine                     = \"redis\"\n  node_type                  = \"cache.t3.micro\"\n  num_cache_clusters         = 2\n  transit_encryption_enabled = {}\n  at_rest_encryption_enabled = {}\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 60),
                bool_s(r, 60)
            );
        }
        13 => {
            let n = c.name("table");
            let pitr = if r.chance(50) {
                "\n  point_in_time_recovery {\n    enabled = true\n  }"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "resource \"aws_dynamodb_table\" \"{n}\" {{\n  name         = \"${{local.prefix}}-{n}\"\n  billing_mode = \"PAY_PER_REQUEST\"\n  hash_key     = \"pk\"\n  attribute {{\n    name = \"pk\"\n    type = \"S\"\n  }}{pitr}\n}}\n"
            );
        }
        14 => {
            let n = c.name("queue");
            let _ = writeln!(
                s,
                "resource \"aws_sqs_queue\" \"{n}\" {{\n  name                    = \"${{local.prefix}}-{n}\"\n  sqs_managed_sse_enabled = {}\n}}\n\nresource \"aws_sns_topic\" \"{n}\" {{\n  name = \"${{local.prefix}}-{n}\"{}\n}}\n",
                bool_s(r, 80),
                if r.chance(50) {
                    "\n  kms_master_key_id = \"alias/aws/sns\""
                } else {
                    ""
                }
            );
        }
        15 => {
            let b = c.name("gcs");
            let _ = writeln!(
                s,
                "resource \"google_storage_bucket\" \"{b}\" {{\n  name                        = \"${{local.prefix}}-{}\"\n  location                    = \"EU\"\n  uniform_bucket_level_access = {}\n  versioning {{\n    enabled = true\n  }}\n}}\n",
                b.replace('_', "-"),
                bool_s(r, 70)
            );
            if r.chance(30) {
                let _ = writeln!(
                    s,
                    "resource \"google_storage_bucket_iam_member\" \"{b}\" {{\n  bucket = google_storage_bucket.{b}.name\n  role   = \"roles/storage.objectViewer\"\n  member = \"{}\"\n}}\n",
                    r.pick(&["allUsers", "group:readers@example.com", "serviceAccount:app@p.iam.gserviceaccount.com"])
                );
            }
        }
        16 => {
            let n = c.name("fw");
            let _ = writeln!(
                s,
                "resource \"google_compute_firewall\" \"{n}\" {{\n  name    = \"{}\"\n  network = var.network\n  allow {{\n    protocol = \"tcp\"\n    ports    = [\"{}\"]\n  }}\n  source_ranges = [{}]\n  target_tags   = [\"{n}\"]\n}}\n",
                n.replace('_', "-"),
                r.pick(&["22", "443", "80", "3389", "8000-9000"]),
                quoted_cidr(r)
            );
        }
        17 => {
            let n = c.name("sql");
            let net = if r.chance(40) {
                "\n      authorized_networks {\n        name  = \"all\"\n        value = \"0.0.0.0/0\"\n      }"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "resource \"google_sql_database_instance\" \"{n}\" {{\n  name             = \"{}\"\n  database_version = \"POSTGRES_15\"\n  region           = var.region\n  settings {{\n    tier = \"db-f1-micro\"\n    ip_configuration {{\n      ipv4_enabled = {}\n      ssl_mode     = \"{}\"{net}\n    }}\n    backup_configuration {{\n      enabled = {}\n    }}\n  }}\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 50),
                r.pick(&["ENCRYPTED_ONLY", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"]),
                bool_s(r, 70)
            );
        }
        18 => {
            let n = c.name("gke");
            let man = if r.chance(60) {
                "\n  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block = \"10.0.0.0/8\"\n    }\n  }"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "resource \"google_container_cluster\" \"{n}\" {{\n  name               = \"{}\"\n  location           = var.region\n  initial_node_count = 1\n  enable_legacy_abac = {}\n  private_cluster_config {{\n    enable_private_nodes   = {}\n    master_ipv4_cidr_block = \"172.16.0.0/28\"\n  }}{man}\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 10),
                bool_s(r, 70)
            );
        }
        19 => {
            let n = c.name("binding");
            let _ = writeln!(
                s,
                "resource \"google_project_iam_member\" \"{n}\" {{\n  project = var.project\n  role    = \"{}\"\n  member  = \"serviceAccount:{n}@p.iam.gserviceaccount.com\"\n}}\n",
                r.pick(&["roles/editor", "roles/viewer", "roles/storage.admin", "roles/owner", "roles/logging.logWriter"])
            );
        }
        20 => {
            let n = c.name("vm");
            let _ = writeln!(
                s,
                "resource \"google_compute_instance\" \"{n}\" {{\n  name         = \"{}\"\n  machine_type = \"e2-small\"\n  zone         = \"${{var.region}}-b\"\n  boot_disk {{\n    initialize_params {{\n      image = \"debian-cloud/debian-12\"\n    }}\n  }}\n  network_interface {{\n    network = var.network\n  }}\n  service_account {{\n    scopes = [\"{}\"]\n  }}\n}}\n",
                n.replace('_', "-"),
                r.pick(&["cloud-platform", "logging-write"])
            );
        }
        21 => {
            let n = c.name("gkey");
            let _ = writeln!(
                s,
                "resource \"google_kms_crypto_key\" \"{n}\" {{\n  name            = \"{n}\"\n  key_ring        = var.key_ring\n  rotation_period = \"{}\"\n}}\n",
                r.pick(&["7776000s", "2592000s", "31536000s"])
            );
        }
        22 => {
            let a = c.name("sa");
            let _ = writeln!(
                s,
                "resource \"azurerm_storage_account\" \"{a}\" {{\n  name                            = \"st{}\"\n  resource_group_name             = var.resource_group\n  location                        = var.location\n  account_tier                    = \"Standard\"\n  account_replication_type        = \"{}\"\n  min_tls_version                 = \"{}\"\n  https_traffic_only_enabled      = {}\n  allow_nested_items_to_be_public = {}\n  tags                            = local.tags\n}}\n",
                a.replace('_', ""),
                r.pick(&["LRS", "GRS", "ZRS"]),
                r.pick(&["TLS1_2", "TLS1_2", "TLS1_0"]),
                bool_s(r, 85),
                bool_s(r, 40)
            );
            if r.chance(50) {
                let _ = writeln!(
                    s,
                    "resource \"azurerm_storage_container\" \"{a}\" {{\n  name                  = \"data\"\n  storage_account_name  = azurerm_storage_account.{a}.name\n  container_access_type = \"{}\"\n}}\n",
                    r.pick(&["private", "private", "blob"])
                );
            }
        }
        23 => {
            let n = c.name("nsg");
            let _ = writeln!(
                s,
                "resource \"azurerm_network_security_group\" \"{n}\" {{\n  name                = \"{n}\"\n  location            = var.location\n  resource_group_name = var.resource_group\n\n  security_rule {{\n    name                       = \"inbound\"\n    priority                   = 100\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"{}\"\n    source_address_prefix      = \"{}\"\n    destination_address_prefix = \"*\"\n  }}\n}}\n",
                r.pick(&["22", "3389", "443", "80"]),
                r.pick(&["*", "Internet", "10.0.0.0/8", "VirtualNetwork"])
            );
        }
        24 => {
            let n = c.name("sqlsrv");
            let _ = writeln!(
                s,
                "resource \"azurerm_mssql_server\" \"{n}\" {{\n  name                          = \"{}\"\n  resource_group_name           = var.resource_group\n  location                      = var.location\n  version                       = \"12.0\"\n  administrator_login           = \"sqladmin\"\n  administrator_login_password  = var.db_password\n  minimum_tls_version           = \"{}\"\n  public_network_access_enabled = {}\n}}\n",
                n.replace('_', "-"),
                r.pick(&["1.2", "1.2", "1.0"]),
                bool_s(r, 40)
            );
            if r.chance(40) {
                let _ = writeln!(
                    s,
                    "resource \"azurerm_mssql_firewall_rule\" \"{n}\" {{\n  name             = \"clients\"\n  server_id        = azurerm_mssql_server.{n}.id\n  start_ip_address = \"{}\"\n  end_ip_address   = \"255.255.255.255\"\n}}\n",
                    r.pick(&["0.0.0.0", "203.0.113.0"])
                );
            }
        }
        25 => {
            let n = c.name("kv");
            let _ = writeln!(
                s,
                "resource \"azurerm_key_vault\" \"{n}\" {{\n  name                       = \"{}\"\n  location                   = var.location\n  resource_group_name        = var.resource_group\n  tenant_id                  = var.tenant_id\n  sku_name                   = \"standard\"\n  purge_protection_enabled   = {}\n  soft_delete_retention_days = 30\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 60)
            );
            if r.chance(50) {
                let _ = writeln!(
                    s,
                    "resource \"azurerm_monitor_diagnostic_setting\" \"{n}\" {{\n  name                       = \"audit\"\n  target_resource_id         = azurerm_key_vault.{n}.id\n  log_analytics_workspace_id = var.workspace_id\n  enabled_log {{\n    category_group = \"audit\"\n  }}\n}}\n"
                );
            }
        }
        26 => {
            let n = c.name("aks");
            let _ = writeln!(
                s,
                "resource \"azurerm_kubernetes_cluster\" \"{n}\" {{\n  name                              = \"{n}\"\n  location                          = var.location\n  resource_group_name               = var.resource_group\n  dns_prefix                        = \"{}\"\n  role_based_access_control_enabled = {}\n  default_node_pool {{\n    name       = \"default\"\n    node_count = 2\n    vm_size    = \"Standard_D2s_v3\"\n  }}\n  identity {{\n    type = \"SystemAssigned\"\n  }}\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 85)
            );
        }
        _ => {
            let n = c.name("pg");
            let _ = writeln!(
                s,
                "resource \"azurerm_postgresql_server\" \"{n}\" {{\n  name                             = \"{}\"\n  location                         = var.location\n  resource_group_name              = var.resource_group\n  sku_name                         = \"GP_Gen5_2\"\n  version                          = \"11\"\n  ssl_enforcement_enabled          = {}\n  ssl_minimal_tls_version_enforced = \"TLS1_2\"\n  public_network_access_enabled    = {}\n}}\n",
                n.replace('_', "-"),
                bool_s(r, 80),
                bool_s(r, 30)
            );
        }
    }
    s
}

const TF_KINDS: usize = 28;

const VARIABLES_TF: &str = r#"variable "env" {
  type    = string
  default = "prod"
}

variable "region" {
  default = "eu-west-1"
}

variable "location" {
  default = "westeurope"
}

variable "project" {
  default = "acme-prod"
}

variable "admin_cidr" {
  default = "0.0.0.0/0"
}

variable "admin_cidrs" {
  default = ["198.51.100.0/24"]
}

variable "db_public" {
  default = false
}

variable "db_password" {
  sensitive = true
}

variable "vpc_id" {}
variable "subnet_ids" {}
variable "role_name" {}
variable "certificate_arn" {}
variable "target_group_arn" {}
variable "cluster_role_arn" {}
variable "network" {}
variable "key_ring" {}
variable "resource_group" {}
variable "tenant_id" {}
variable "workspace_id" {}
"#;

fn tf_module(dir: &Path, idx: usize, files: usize, r: &mut Rng) -> usize {
    let mut c = Ctx {
        n: 0,
        buckets: Vec::new(),
        kms: Vec::new(),
        sgs: Vec::new(),
        lbs: Vec::new(),
    };
    write(&dir.join("variables.tf"), VARIABLES_TF);
    let locals = format!(
        "locals {{\n  prefix   = \"svc{idx}-${{var.env}}\"\n  app_port = {}\n  tags = {{\n    service = \"svc{idx}\"\n    env     = var.env\n  }}\n}}\n",
        *[8080u32, 5432, 22, 443].get(r.below(4)).unwrap_or(&8080)
    );
    write(&dir.join("locals.tf"), &locals);
    let mut written = 2;
    // A focus per module (which cloud), so that companions find each other.
    let focus = r.below(3);
    let kinds: Vec<usize> = (0..TF_KINDS)
        .filter(|k| match focus {
            0 => *k <= 14,
            1 => (15..=21).contains(k) || *k == 0 || *k == 6,
            _ => *k >= 22 || *k == 0 || *k == 15,
        })
        .collect();
    for f in 0..files.saturating_sub(2) {
        let mut text = String::new();
        let n = 2 + r.below(5);
        for _ in 0..n {
            let k = *kinds.get(r.below(kinds.len())).unwrap_or(&0);
            text.push_str(&tf_resource(k, r, &mut c));
        }
        let name = [
            "storage", "network", "data", "compute", "iam", "edge", "security",
        ]
        .get(f % 7)
        .copied()
        .unwrap_or("main");
        write(&dir.join(format!("{name}_{f}.tf")), &text);
        written += 1;
    }
    written
}

// ---------------------------------------------------------------------------------------------
// Everything else

fn ident(r: &mut Rng) -> String {
    let a = r.pick(&[
        "user", "order", "item", "cart", "invoice", "account", "session", "report", "event", "task",
    ]);
    let b = r.pick(&[
        "service", "handler", "store", "client", "manager", "util", "model", "view", "job", "api",
    ]);
    format!("{a}_{b}_{}", r.below(1000))
}

fn code_file(ext: &str, r: &mut Rng) -> String {
    let mut s = String::new();
    let fns = 2 + r.below(12);
    match ext {
        "py" => {
            s.push_str("import os\nimport json\nfrom typing import Any\n\n");
            for _ in 0..fns {
                let f = ident(r);
                let _ = writeln!(s, "def {f}(payload: dict[str, Any]) -> dict[str, Any]:\n    \"\"\"Handle {f}.\"\"\"\n    value = payload.get(\"{f}\", {})\n    if value > {}:\n        return {{\"status\": \"ok\", \"value\": value}}\n    return json.loads(os.environ.get(\"DEFAULT_{}\", \"{{}}\"))\n", r.below(100), r.below(1000), r.below(50));
            }
        }
        "js" | "ts" => {
            for _ in 0..fns {
                let f = ident(r);
                let _ = writeln!(s, "export async function {f}(req, res) {{\n  const value = Number(req.query.{f} ?? {});\n  if (value > {}) {{\n    return res.json({{ status: 'ok', value }});\n  }}\n  return res.status(404).end();\n}}\n", r.below(100), r.below(1000));
            }
        }
        "go" => {
            s.push_str("package main\n\nimport (\n\t\"encoding/json\"\n\t\"net/http\"\n)\n\n");
            for _ in 0..fns {
                let f = ident(r).replace('_', "");
                let _ = writeln!(s, "func {f}(w http.ResponseWriter, r *http.Request) {{\n\tv := r.URL.Query().Get(\"{f}\")\n\tif len(v) > {} {{\n\t\t_ = json.NewEncoder(w).Encode(map[string]string{{\"value\": v}})\n\t\treturn\n\t}}\n\tw.WriteHeader(http.StatusNotFound)\n}}\n", r.below(20));
            }
        }
        "java" => {
            let cls = format!("Service{}", r.below(100_000));
            let _ = writeln!(s, "package com.example.app;\n\npublic class {cls} {{");
            for _ in 0..fns {
                let f = ident(r).replace('_', "");
                let _ = writeln!(s, "    public int {f}(int value) {{\n        if (value > {}) {{\n            return value * {};\n        }}\n        return {};\n    }}\n", r.below(1000), r.below(10), r.below(100));
            }
            s.push_str("}\n");
        }
        "md" => {
            let _ = writeln!(s, "# {}\n", ident(r));
            for _ in 0..fns {
                let _ = writeln!(
                    s,
                    "The {} component talks to {} over HTTPS and stores results for {} days.\n",
                    ident(r),
                    ident(r),
                    r.below(400)
                );
            }
        }
        "json" => {
            s.push_str("{\n");
            for i in 0..fns {
                let _ = writeln!(
                    s,
                    "  \"{}\": {}{}",
                    ident(r),
                    r.below(10_000),
                    if i + 1 < fns { "," } else { "" }
                );
            }
            s.push_str("}\n");
        }
        _ => {
            for _ in 0..fns {
                let _ = writeln!(s, "{} = {}", ident(r), r.below(10_000));
            }
        }
    }
    s
}

fn main() {
    let a = args();
    let mut r = Rng(a.seed);
    if a.out.exists() {
        if let Err(e) = std::fs::remove_dir_all(&a.out) {
            eprintln!("{}: {e}", a.out.display());
            std::process::exit(1);
        }
    }
    // Terraform: modules of 4 to 10 files under infra/<env>/<module>.
    let mut tf_written = 0usize;
    let mut module = 0usize;
    while tf_written < a.tf {
        let files = (4 + r.below(7)).min(a.tf - tf_written).max(3);
        let env = r.pick(&["prod", "staging", "dev", "shared"]);
        let dir = a.out.join(format!("infra/{env}/module-{module:04}"));
        tf_written += tf_module(&dir, module, files, &mut r);
        module += 1;
    }
    // The rest: services with code, docs and config.
    let mut others = a.files.saturating_sub(tf_written);
    let mut svc = 0usize;
    while others > 0 {
        let dir = a.out.join(format!("services/svc-{svc:04}"));
        let n = (10 + r.below(40)).min(others);
        for i in 0..n {
            let ext = r.pick(&["py", "py", "js", "ts", "go", "java", "md", "json", "cfg"]);
            let sub = r.pick(&["src", "src", "lib", "docs", "config", "tests"]);
            let text = code_file(ext, &mut r);
            write(&dir.join(format!("{sub}/file_{i:03}.{ext}")), &text);
        }
        others -= n;
        svc += 1;
    }
    eprintln!(
        "wrote {} files ({} Terraform in {} modules, {} services) to {}",
        a.files.max(tf_written),
        tf_written,
        module,
        svc,
        a.out.display()
    );
}
