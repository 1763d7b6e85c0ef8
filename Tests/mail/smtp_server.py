"""A real SMTP server for Kotae's tests (aiosmtpd): STARTTLS with the test's certificate,
AUTH PLAIN and LOGIN with one user, and every accepted message written to a folder as
<n>.eml with <n>.json (envelope). Recipients can be refused by pattern to test how Kotae
shows a server's 4xx and 5xx answers. Prints "ready <port>" once it listens."""
import argparse, json, os, socket, ssl, threading, time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0, help="0: a port the system says is free")
    p.add_argument("--dir", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--user", default="shop")
    p.add_argument("--password", default="secret")
    p.add_argument("--reject", default="", help="recipients containing this get 550 5.1.1")
    p.add_argument("--tempfail", default="", help="recipients containing this get 451 4.3.0")
    a = p.parse_args()
    if a.port == 0:
        # A port nothing holds now (the tests' other servers pick theirs at random).
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            a.port = s.getsockname()[1]
    os.makedirs(a.dir, exist_ok=True)
    counter = {"n": 0}
    lock = threading.Lock()

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if a.reject and a.reject in address:
                return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
            if a.tempfail and a.tempfail in address:
                return "451 4.3.0 <%s>: Temporary lookup failure" % address
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            with lock:
                counter["n"] += 1
                n = counter["n"]
            base = os.path.join(a.dir, str(n))
            with open(base + ".eml", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with open(base + ".json", "w") as f:
                json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                           "tls": session.ssl is not None, "auth": session.authenticated}, f)
            return "250 2.0.0 Ok: queued as TEST%d" % n

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
        return AuthResult(success=ok, handled=False)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(a.cert, a.key)
    controller = Controller(Handler(), hostname="127.0.0.1", port=a.port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True, decode_data=False,
                            server_kwargs={"data_size_limit": 30 * 1024 * 1024})
    controller.start()
    print("ready %d" % a.port, flush=True)
    # Runs until the test kills us, or ends without doing so (then we are re-parented).
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    controller.stop()


if __name__ == "__main__":
    main()
