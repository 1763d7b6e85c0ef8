"""Starts `kotae serve --demo` on a temporary SQLite database and talks to its REST API."""
import hashlib
import hmac
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


class FakeGraph(http.server.BaseHTTPRequestHandler):
    """A local stand-in for graph.facebook.com: answers the Send API, private replies, comment
    replies, likes and hides as documented, and keeps every request (path and JSON body)."""
    requests = []
    sent = 0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        path = self.path.split("?")[0]
        FakeGraph.requests.append({"path": path, "json": body})
        FakeGraph.sent += 1
        if path.endswith("/messages"):
            recipient = body.get("recipient", {})
            # A private reply reaches the commenter's Messenger id, which Graph returns.
            answer = {"recipient_id": recipient.get("id", "6100000000000001"), "message_id": f"m_browser_{FakeGraph.sent}"}
        elif path.endswith("/comments"):
            answer = {"id": f"reply_{FakeGraph.sent}"}
        else:
            answer = {"success": True}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class KotaeServer:
    def __init__(self, binary):
        self.data = tempfile.mkdtemp(prefix="kotae-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        graph = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGraph)
        threading.Thread(target=graph.serve_forever, daemon=True).start()
        self.graph_base = f"http://127.0.0.1:{graph.server_address[1]}/v21.0"
        env = dict(os.environ, KOTAE_BCRYPT_COST="4", KOTAE_GRAPH_API_BASE=self.graph_base,
                   KOTAE_PUBLIC_URL="https://kotae.example",
                   # The suite speaks plain http to 127.0.0.1: cookies must not be https-only here.
                   KOTAE_SECURE_COOKIES="false")
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

    def call(self, method, path, payload=None, token=None, raw=None, content_type=None):
        """JSON `payload`, or `raw` bytes of `content_type` (a raw mail for the MIME route)."""
        request = urllib.request.Request(self.base + path, method=method)
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            request.add_header("Content-Type", "application/json")
        elif raw is not None:
            data = raw
            request.add_header("Content-Type", content_type)
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

    def facebook_webhook(self, inbox_id, app_secret, payload):
        """Delivers a Page webhook signed the way Meta signs it (X-Hub-Signature-256)."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        signature = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.base + f"/webhooks/facebook/{inbox_id}", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def user_id(self, email):
        return next(u["id"] for u in self.call("GET", "/api/v1/users")["users"] if u["email"] == email)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
