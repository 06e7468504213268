#!/usr/bin/env python3
"""Independent check of what canvass-mm7 writes, with Python's own email and xml.etree packages.

Usage: python_check.py FILE...   (each FILE a MIME entity or a bare SOAP envelope)
Prints one JSON object per file: {"file", "message", "transaction_id", "namespace", "leaves": [sha256...]}.
Exits non-zero with a reason on the first file that is not a valid MM7 message.
"""
import email
import email.policy
import hashlib
import json
import sys
import xml.etree.ElementTree as ET

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def fail(path, reason):
    sys.exit(f"{path}: {reason}")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def namespace(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def check_soap(path, data):
    root = ET.fromstring(data)
    if root.tag != f"{{{SOAP}}}Envelope":
        fail(path, f"root is {root.tag}")
    header = root.find(f"{{{SOAP}}}Header")
    body = root.find(f"{{{SOAP}}}Body")
    if header is None or body is None:
        fail(path, "Header or Body missing")
    transaction = [e for e in header if local(e.tag) == "TransactionID"]
    if len(transaction) != 1 or transaction[0].get(f"{{{SOAP}}}mustUnderstand") != "1":
        fail(path, "TransactionID with mustUnderstand=1 missing")
    message = list(body)
    if len(message) != 1:
        fail(path, "Body must hold one message")
    message = message[0]
    if namespace(message.tag) != namespace(transaction[0].tag):
        fail(path, "message and TransactionID namespaces differ")
    if local(message[0].tag) != "MM7Version":
        fail(path, "MM7Version is not the first element")
    content = [e for e in message if local(e.tag) == "Content"]
    href = content[0].get("href") if content else None
    return local(message.tag), transaction[0].text or "", namespace(message.tag), href


def leaves(part):
    if part.is_multipart():
        for sub in part.get_payload():
            yield from leaves(sub)
    else:
        yield hashlib.sha256(part.get_payload(decode=True)).hexdigest()


def check(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw.lstrip().startswith(b"<"):
        name, transaction, ns, href = check_soap(path, raw)
        return {"file": path, "message": name, "transaction_id": transaction, "namespace": ns, "leaves": []}
    mime = email.message_from_bytes(raw, policy=email.policy.default)
    if mime.defects:
        fail(path, f"MIME defects {mime.defects}")
    if mime.get_content_type() != "multipart/related":
        fail(path, f"top type {mime.get_content_type()}")
    if mime.get_param("type") != "text/xml":
        fail(path, "type parameter is not text/xml")
    start = mime.get_param("start")
    parts = mime.get_payload()
    if parts[0]["Content-ID"] != start:
        fail(path, "start does not name the first part")
    name, transaction, ns, href = check_soap(path, parts[0].get_payload(decode=True))
    if not href or not href.startswith("cid:"):
        fail(path, "no cid: Content href")
    wanted = "<" + href[4:] + ">"
    content = [p for p in parts[1:] if p["Content-ID"] == wanted]
    if len(content) != 1:
        fail(path, f"no part with Content-ID {wanted}")
    for part in content[0].walk():
        if part.defects:
            fail(path, f"part defects {part.defects}")
    return {
        "file": path,
        "message": name,
        "transaction_id": transaction,
        "namespace": ns,
        "leaves": list(leaves(content[0])),
    }


for argument in sys.argv[1:]:
    print(json.dumps(check(argument)))
