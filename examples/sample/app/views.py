"""Sample Flask views with planted flaws (for `secops scan examples/sample`)."""
import hashlib
import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


def find_user(name):
    db = sqlite3.connect("app.db")
    query = "SELECT id, email FROM users WHERE name = '" + name + "'"
    return db.execute(query).fetchall()  # SQL injection when name is user input


def find_user_safely(name):
    db = sqlite3.connect("app.db")
    return db.execute("SELECT id, email FROM users WHERE name = ?", (name,)).fetchall()


@app.route("/users")
def users():
    name = request.args.get("name", "")
    rows = find_user(name)
    same = find_user_safely(name)
    return {"rows": rows, "same": same}


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.check_output("ping -c 1 " + host, shell=True)
    return out


@app.route("/checksum")
def checksum():
    return hashlib.md5(request.get_data()).hexdigest()
