"""A real IMAP server for Kotae's tests: Dovecot (Debian's dovecot-imapd) with a temporary
configuration in --dir, listening on loopback with STARTTLS (imap) and implicit TLS (imaps)
on the test's certificate. Sign-in: user "shop" with a password, or an OAuth 2.0 token
(XOAUTH2, OAUTHBEARER) that Dovecot's oauth2 passdb checks against a small token
introspection endpoint served here (RFC 7662): the tokens in <dir>/tokens, one
"token user" per line, are active. Mail is stored as Maildir under <dir>/home/shop/Maildir,
owned by the dovecot user, so a test delivers by writing files there as an MDA would.
Prints "ready <imap port> <imaps port>" once Dovecot answers; stops Dovecot when killed
(SIGTERM) or when the test process ends."""
import argparse, http.server, json, os, pwd, signal, socket, subprocess, sys, threading, time, urllib.parse


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--password", default="secret")
    p.add_argument("--no-idle", action="store_true", help="leave IDLE out of the capabilities")
    a = p.parse_args()
    d = os.path.abspath(a.dir)
    for sub in ("run", "state", "home"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    os.chmod(d, 0o755)
    dovecot = pwd.getpwnam("dovecot")
    maildir = os.path.join(d, "home", "shop", "Maildir")
    for sub in ("", "cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    for root, dirs, files in os.walk(os.path.join(d, "home")):
        os.chown(root, dovecot.pw_uid, dovecot.pw_gid)
    tokens_file = os.path.join(d, "tokens")
    open(tokens_file, "a").close()

    class Introspection(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            token = urllib.parse.parse_qs(body).get("token", [""])[0]
            active = {}
            with open(tokens_file) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2:
                        active[parts[0]] = parts[1]
            out = {"active": True, "username": active[token]} if token in active else {"active": False}
            data = json.dumps(out).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Introspection)
    threading.Thread(target=stub.serve_forever, daemon=True).start()

    imap, imaps = free_port(), free_port()
    with open(os.path.join(d, "users"), "w") as f:
        f.write("shop:{PLAIN}%s\n" % a.password)
    with open(os.path.join(d, "oauth2.conf"), "w") as f:
        f.write("introspection_url = http://127.0.0.1:%d/introspect\nintrospection_mode = post\n"
                "username_attribute = username\nactive_attribute = active\nactive_value = true\n" % stub.server_port)
    conf = os.path.join(d, "dovecot.conf")
    with open(conf, "w") as f:
        f.write(f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{os.path.abspath(a.cert)}
ssl_key = <{os.path.abspath(a.key)}
auth_mechanisms = plain login xoauth2 oauthbearer
first_valid_uid = {dovecot.pw_uid}
mail_location = maildir:~/Maildir
{"imap_capability = IMAP4rev1 SASL-IR LITERAL+ ID ENABLE UIDPLUS MOVE" if a.no_idle else ""}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
# No growing penalty for repeated failed sign-ins from one address (the tests fail on
# purpose); Dovecot's fixed 2 s failure delay stays.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/users
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {d}/oauth2.conf
}}
userdb {{
  driver = static
  args = uid={dovecot.pw_uid} gid={dovecot.pw_gid} home={d}/home/%u
}}
""")
    server = subprocess.Popen(["dovecot", "-F", "-c", conf], stdout=open(os.path.join(d, "master.log"), "w"), stderr=subprocess.STDOUT)

    def stop(*_):
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", imap), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                print("failed: dovecot did not start; see %s/dovecot.log" % d, flush=True)
                sys.exit(1)
            time.sleep(0.05)
    print("ready %d %d" % (imap, imaps), flush=True)
    parent = os.getppid()
    while os.getppid() == parent and server.poll() is None:
        time.sleep(0.5)
    stop()


if __name__ == "__main__":
    main()
