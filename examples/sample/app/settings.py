"""Application settings (sample project for secops: every credential here is fake and random)."""
import os

DEBUG = False
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://app@localhost/app")

# Wrong: credentials committed to source control.
AWS_ACCESS_KEY_ID = "AKIAPYCDYBK377OXTZQ6"
AWS_SECRET_ACCESS_KEY = "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"

# Right: read from the environment.
STRIPE_KEY = os.environ["STRIPE_KEY"]
