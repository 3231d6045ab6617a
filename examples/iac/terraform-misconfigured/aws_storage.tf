resource "aws_s3_bucket" "assets" { # planted: aws-s3-public-access-block aws-s3-versioning aws-s3-access-logging
  bucket = "${local.name}-assets"
  tags   = local.tags
}

resource "aws_s3_bucket_acl" "assets" {
  bucket = aws_s3_bucket.assets.id
  acl    = local.bucket_acl # planted: aws-s3-public-acl
}

resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256" # planted: aws-s3-sse-kms
    }
  }
}

resource "aws_s3_bucket" "uploads" { # planted: aws-s3-access-logging
  bucket = "${local.name}-uploads"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = false # planted: aws-s3-public-access-block
  ignore_public_acls      = true
  restrict_public_buckets = false
}

resource "aws_s3_bucket_versioning" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  versioning_configuration {
    status = "Suspended" # planted: aws-s3-versioning
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.arn
    }
  }
}

resource "aws_s3_bucket_policy" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*" # planted: aws-s3-public-policy
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.uploads.arn}/*"
      },
    ]
  })
}

resource "aws_ebs_volume" "scratch" { # planted: aws-ebs-encryption
  availability_zone = "eu-west-1a"
  size              = 100
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = false # planted: aws-ebs-default-encryption
}

resource "aws_kms_key" "main" { # planted: aws-kms-rotation
  description = "application data"
}

resource "aws_dynamodb_table" "orders" { # planted: aws-dynamodb-pitr
  name         = "${local.name}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_sqs_queue" "jobs" {
  name                    = "${local.name}-jobs"
  sqs_managed_sse_enabled = false # planted: aws-sqs-encryption
}

resource "aws_sns_topic" "alerts" { # planted: aws-sns-encryption
  name = "${local.name}-alerts"
}
