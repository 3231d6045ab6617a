variable "env" {
  type    = string
  default = "prod"
}

variable "project" {
  default = "shopfront"
}

# "Temporary" wide-open admin access that never got narrowed.
variable "admin_cidr" {
  default = "0.0.0.0/0"
}

variable "db_public" {
  default = true
}

variable "db_password" {
  sensitive = true
}

variable "gcp_project" {
  default = "shopfront-prod"
}

variable "location" {
  default = "westeurope"
}

locals {
  name       = "${var.project}-${var.env}"
  bucket_acl = var.env == "prod" ? "public-read" : "private"
  db_port    = 5432
  tags = {
    project = var.project
    env     = var.env
  }
  office_ranges = ["198.51.100.0/24"]
  min_tls       = "TLS1_0"
}
