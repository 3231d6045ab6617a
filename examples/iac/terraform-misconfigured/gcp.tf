resource "google_storage_bucket" "media" { # planted: gcp-storage-uniform-access gcp-storage-logging
  name     = "${local.name}-media"
  location = "EU"
}

resource "google_storage_bucket_iam_member" "media_public" {
  bucket = google_storage_bucket.media.name
  role   = "roles/storage.objectViewer"
  member = "allUsers" # planted: gcp-storage-public
}

resource "google_compute_firewall" "ssh" {
  name    = "allow-ssh"
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["22", "80"]
  }
  source_ranges = [var.admin_cidr] # planted: gcp-firewall-open-ingress
}

resource "google_sql_database_instance" "main" {
  name             = "${local.name}-pg"
  database_version = "POSTGRES_16"
  region           = "europe-west1"
  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ALLOW_UNENCRYPTED_AND_ENCRYPTED" # planted: gcp-sql-require-ssl
      authorized_networks {
        name  = "everyone"
        value = "0.0.0.0/0" # planted: gcp-sql-public-network
      }
    }
    backup_configuration {
      enabled = false # planted: gcp-sql-backups
    }
  }
}

resource "google_kms_key_ring" "main" {
  name     = "main"
  location = "europe"
}

resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = google_kms_key_ring.main.id
  rotation_period = "31536000s" # planted: gcp-kms-rotation
}

resource "google_container_cluster" "main" { # planted: gcp-gke-master-authorized-networks gcp-gke-private-nodes
  name               = local.name
  location           = "europe-west1"
  initial_node_count = 3
  enable_legacy_abac = true # planted: gcp-gke-legacy-abac
  logging_service    = "none" # planted: gcp-gke-logging
}

resource "google_project_iam_member" "contractor" {
  project = var.gcp_project
  role    = "roles/owner" # planted: gcp-iam-primitive-role
  member  = "user:contractor@example.com"
}

resource "google_compute_instance" "worker" {
  name         = "${local.name}-worker"
  machine_type = "e2-standard-2"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
  service_account {
    scopes = ["cloud-platform"] # planted: gcp-compute-default-sa-full-scope
  }
}

resource "google_project_iam_audit_config" "storage" {
  project = var.gcp_project
  service = "storage.googleapis.com"
  audit_log_config {
    log_type         = "DATA_READ"
    exempted_members = ["serviceAccount:etl@shopfront-prod.iam.gserviceaccount.com"] # planted: gcp-audit-logging
  }
}

resource "google_bigquery_dataset" "analytics" {
  dataset_id = "analytics"
  location   = "EU"
  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }
  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers" # planted: gcp-bigquery-public
  }
}
