"""Runs schemathesis against a running `kotae serve --demo`: generated requests for every
operation in /openapi.json, signed in with an admin's API token, checking that nothing
answers 5xx and every answer matches the document. Bounded in examples and time."""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "browser"))
from kotae_server import free_port, ADMIN  # noqa: E402

EXAMPLES = os.environ.get("KOTAE_FUZZ_EXAMPLES", "25")


def main():
    port = free_port()
    data = tempfile.mkdtemp(prefix="kotae-fuzz-")
    binary = os.path.join(ROOT, ".build", "debug", "kotae")
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen([binary, "serve", "--demo", "--port", str(port), "--data-dir", data], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        jar = urllib.request.HTTPCookieProcessor()
        opener = urllib.request.build_opener(jar)
        login = urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": ADMIN[0], "password": ADMIN[1]}).encode(),
                                       headers={"Content-Type": "application/json"})
        csrf = json.load(opener.open(login))["csrfToken"]
        issue = urllib.request.Request(base + "/api/v1/auth/tokens", data=json.dumps({"name": "schemathesis"}).encode(),
                                       headers={"Content-Type": "application/json", "X-CSRF-Token": csrf})
        token = json.load(opener.open(issue))["token"]
        command = ["schemathesis", "run", base + "/openapi.json", "--header", f"Authorization: Bearer {token}",
                   "--max-examples", EXAMPLES, "--seed", "20261201", "--workers", "2",
                   "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
                   # The live stream is a WebSocket, not a request/response operation.
                   "--exclude-path", "/api/v1/stream",
                   # Disabling the signed-in admin or revoking its token would end the run's credentials.
                   "--exclude-operation-id", "patch/api/v1/users/{id}", "--exclude-operation-id", "delete/api/v1/auth/tokens/{id}",
                   "--request-timeout", "20", "--suppress-health-check", "all"]
        print("== " + " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer …" for c in command), flush=True)
        result = subprocess.run(command, timeout=1200)
        if result.returncode != 0:
            log.flush()
            print(open(os.path.join(data, "server.log")).read()[-5000:])
        return result.returncode
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
