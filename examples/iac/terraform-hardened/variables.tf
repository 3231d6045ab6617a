variable "env" {
  type    = string
  default = "prod"
}

variable "project" {
  default = "shopfront"
}

variable "admin_cidrs" {
  description = "Corporate egress ranges allowed to reach admin endpoints"
  default     = ["198.51.100.0/24"]
}

variable "gcp_project" {
  default = "shopfront-prod"
}

variable "location" {
  default = "westeurope"
}

variable "tenant_id" {
  default = "00000000-0000-0000-0000-000000000000"
}

locals {
  name    = "${var.project}-${var.env}"
  db_port = 5432
  tags = {
    project = var.project
    env     = var.env
  }
  tls_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}
