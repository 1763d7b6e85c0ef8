"""Reads a mail the way Python's standard `email` package does and prints what a person
would check, as JSON: the headers decoded, the plain and HTML text, the attachments."""
import email, email.policy, json, sys

m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)


def text(part):
    """A part's text with its line ends as "\n" (the wire's CRLF is not what was written)."""
    return part.get_content().replace("\r\n", "\n") if part else None


body = m.get_body(("plain",))
html = m.get_body(("html",))
out = {
    "subject": str(m["subject"]),
    "from": str(m["from"]),
    "to": str(m["to"]),
    "cc": str(m["cc"]) if m["cc"] else None,
    "message_id": m["message-id"],
    "in_reply_to": m["in-reply-to"],
    "references": m["references"],
    "auto_submitted": m["auto-submitted"],
    "text": text(body),
    "text_charset": body.get_content_charset() if body else None,
    "html": text(html),
    "attachments": [{"filename": a.get_filename(), "type": a.get_content_type(), "size": len(a.get_content())} for a in m.iter_attachments()],
    "defects": [str(d) for d in m.defects] + [str(d) for p in m.walk() for d in p.defects],
    "longest_line": max(len(l) for l in open(sys.argv[1], "rb").read().split(b"\r\n")),
}
print(json.dumps(out, ensure_ascii=False))
