resource "aws_db_instance" "main" {
  identifier                  = "${local.name}-db"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t3.medium"
  allocated_storage           = 50
  username                    = "app"
  manage_master_user_password = true
  publicly_accessible         = false
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.main.arn
  backup_retention_period     = 14
  deletion_protection         = true
}

resource "aws_rds_cluster" "reporting" {
  cluster_identifier          = "${local.name}-reporting"
  engine                      = "aurora-postgresql"
  master_username             = "report"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 35
}

resource "aws_rds_cluster_instance" "reporting" {
  identifier         = "${local.name}-reporting-1"
  cluster_identifier = aws_rds_cluster.reporting.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.reporting.engine
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "${local.name}-sessions"
  description                = "session cache"
  engine                     = "redis"
  node_type                  = "cache.t3.micro"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.main.arn
}

resource "aws_cloudtrail" "main" {
  name                       = "${local.name}-trail"
  s3_bucket_name             = aws_s3_bucket.logs.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.main.arn
}
