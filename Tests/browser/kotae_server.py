"""Starts `kotae serve --demo` on a temporary SQLite database and talks to its REST API."""
import http.cookiejar
import http.server
import json
import threading
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

ADMIN = ("admin@demo.kotae", "kotae-demo")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookReceiver(http.server.BaseHTTPRequestHandler):
    """Where the API channel delivers replies: answers 200 and keeps what it got."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        WebhookReceiver.received.append(json.loads(body or b"{}"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class KotaeServer:
    def __init__(self, binary):
        self.data = tempfile.mkdtemp(prefix="kotae-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, KOTAE_BCRYPT_COST="4")
        self.log = open(os.path.join(self.data, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--demo", "--data-dir", self.data, "--port", str(self.port), "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1)
                break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("kotae serve exited; see " + self.log.name)
                time.sleep(0.1)
        else:
            raise RuntimeError("kotae serve did not become healthy")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        session = self.call("POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]})
        self.csrf = session["csrfToken"]
        self.token = self.call("POST", "/api/v1/auth/tokens", {"name": "browser-suite"})["token"]

    def call(self, method, path, payload=None, token=None):
        request = urllib.request.Request(self.base + path, method=method)
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        elif getattr(self, "csrf", None):
            request.add_header("X-CSRF-Token", self.csrf)
        with self.opener.open(request, data, timeout=10) as response:
            body = response.read()
            return json.loads(body) if body else None

    def api_inbox(self):
        """An API-channel inbox of the suite's own whose replies go to a local receiver."""
        if getattr(self, "_api_inbox", None) is None:
            receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
            threading.Thread(target=receiver.serve_forever, daemon=True).start()
            url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
            WebhookReceiver.url = url
            self._api_inbox = self.call("POST", "/api/v1/inboxes",
                                        {"name": "Website API", "channel": "api", "settings": {"webhookUrl": url}})["id"]
        return self._api_inbox

    def ingest(self, inbox_id, external_id, text, name, contact, html=None):
        body = {"contact": {"channel": "api", "externalId": contact, "name": name}, "externalId": external_id, "text": text}
        if html is not None:
            body["html"] = html
        return self.call("POST", f"/api/v1/inboxes/{inbox_id}/messages", body, token=self.token)

    def user_id(self, email):
        return next(u["id"] for u in self.call("GET", "/api/v1/users")["users"] if u["email"] == email)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
