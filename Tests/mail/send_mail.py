"""Sends one mail to Kotae's inbound listener as an MTA would, and prints what the server
answered as JSON. SMTP goes through Python's smtplib; LMTP is spoken line by line here,
because smtplib's LMTP reads one answer after DATA where RFC 2033 gives one per recipient.

  send_mail.py --port P [--lmtp] [--size N] --sender A --to B [--to C] FILE"""
import argparse, json, smtplib, socket, sys


def smtp(a, data):
    out = {}
    try:
        with smtplib.SMTP("127.0.0.1", a.port, timeout=30) as s:
            s.ehlo("mta.test")
            out["ehlo"] = s.esmtp_features
            options = ["SIZE=%d" % a.size] if a.size else []
            refused = s.sendmail(a.sender, a.to, data, mail_options=options)
            out.update(code=250, refused={k: [v[0], v[1].decode()] for k, v in refused.items()})
    except smtplib.SMTPRecipientsRefused as e:
        out.update(code=550, refused={k: [v[0], v[1].decode()] for k, v in e.recipients.items()})
    except smtplib.SMTPResponseException as e:
        out.update(code=e.smtp_code, text=e.smtp_error.decode())
    return out


def lmtp(a, data):
    s = socket.create_connection(("127.0.0.1", a.port), timeout=30)
    f = s.makefile("rb")

    def reply():
        lines = []
        while True:
            line = f.readline().decode().rstrip("\r\n")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return int(line[:3]), " ".join(l[4:] for l in lines)

    def command(c):
        s.sendall(c.encode() + b"\r\n")
        return reply()

    out = {"greeting": reply()}
    out["lhlo"] = command("LHLO mta.test")
    out["mail"] = command("MAIL FROM:<%s>" % a.sender)
    accepted, out["rcpt"] = [], {}
    for r in a.to:
        out["rcpt"][r] = command("RCPT TO:<%s>" % r)
        if out["rcpt"][r][0] == 250:
            accepted.append(r)
    out["data"] = command("DATA")
    if out["data"][0] == 354:
        body = b"\r\n".join((b"." + l if l.startswith(b".") else l) for l in data.replace(b"\r\n", b"\n").split(b"\n"))
        s.sendall(body + b"\r\n.\r\n")
        out["delivered"] = {r: reply() for r in accepted}
    command("QUIT")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--lmtp", action="store_true")
    p.add_argument("--size", type=int, default=0)
    p.add_argument("--sender", required=True)
    p.add_argument("--to", action="append", required=True)
    p.add_argument("file")
    a = p.parse_args()
    data = open(a.file, "rb").read()
    print(json.dumps(lmtp(a, data) if a.lmtp else smtp(a, data)))


if __name__ == "__main__":
    main()
