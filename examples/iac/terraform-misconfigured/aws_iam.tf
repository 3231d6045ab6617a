data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "Everything"
    actions   = ["*"] # planted: aws-iam-wildcard-policy
    resources = ["*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "${local.name}-deployer"
  policy = data.aws_iam_policy_document.deployer.json
}

resource "aws_iam_role_policy" "ci" {
  name = "ci-iam"
  role = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:*", "sts:AssumeRole"] # planted: aws-iam-service-wildcard
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "app-s3"
  role = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "${aws_s3_bucket.uploads.arn}/*"
    }]
  })
}
