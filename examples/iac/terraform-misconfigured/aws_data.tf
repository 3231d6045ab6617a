resource "aws_db_instance" "main" { # planted: aws-rds-storage-encrypted
  identifier              = "${local.name}-db"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.medium"
  allocated_storage       = 50
  username                = "app"
  password                = var.db_password
  publicly_accessible     = var.db_public # planted: aws-rds-public
  backup_retention_period = 1 # planted: aws-rds-backup-retention
  skip_final_snapshot     = true
}

resource "aws_rds_cluster" "reporting" { # planted: aws-rds-backup-retention
  cluster_identifier = "${local.name}-reporting"
  engine             = "aurora-postgresql"
  master_username    = "report"
  master_password    = var.db_password
  storage_encrypted  = false # planted: aws-rds-storage-encrypted
}

resource "aws_elasticache_replication_group" "sessions" { # planted: aws-elasticache-transit-encryption aws-elasticache-at-rest-encryption
  replication_group_id = "${local.name}-sessions"
  description          = "session cache"
  engine               = "redis"
  node_type            = "cache.t3.micro"
  num_cache_clusters   = 2
}

resource "aws_cloudtrail" "main" { # planted: aws-cloudtrail-multi-region aws-cloudtrail-log-validation
  name           = "${local.name}-trail"
  s3_bucket_name = aws_s3_bucket.uploads.id
  enable_logging = false # planted: aws-cloudtrail-logging
}
