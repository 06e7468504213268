"""python-messaging side of scripts/bench/mms-codec.sh: the same workloads as canvass-mms's bench example,
printed as the same JSON lines. Usage: mms-codec.py VECTORS_DIR SECONDS LARGE_MMS

python-messaging 0.5.13 cannot re-encode the corpus (its encoder lacks Date, Message-Class and yes/no
headers), so corpus encode is reported as unsupported; for the large message it encodes the same shape
(3 slides of a 100 KB image and a caption) built with its own API. Its SMIL generator makes that PDU
about twice as large as ours, so the shell script compares PDUs/s.
"""
import json
import pathlib
import sys
import time

from messaging.mms.message import DataPart, MMSMessage, MMSMessagePage


def measure(name, op, pdus, size, budget, round_):
    round_()
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < budget:
        round_()
        rounds += 1
    secs = time.perf_counter() - start
    print(json.dumps({"impl": "python-messaging", "workload": name, "op": op,
                      "pdus_per_s": rounds * pdus / secs, "mb_per_s": rounds * size / secs / 1e6}))


def large_message():
    message = MMSMessage()
    message.headers["To"] = "+15551230001/TYPE=PLMN"
    message.headers["Subject"] = "Vote"
    for i in range(3):
        image = bytes(((n * 31 + i) & 0xFF) for n in range(100_000))
        part = DataPart()
        # python-messaging writes part data with ord() per character and reads image files as text on
        # Python 3, so binary data goes in as a latin-1 str, set on the page the way add_image() would.
        part.set_data(image.decode("latin-1"), "image/jpeg")
        text = DataPart()
        text.set_text("Slide %d: vote on Tuesday!" % i)
        page = MMSMessagePage()
        page.image = (part, 0, 0)
        page.text = (text, 0, 0)
        message.add_page(page)
    return message


def main(folder, seconds, large_path):
    budget = float(seconds)
    files = sorted(p.read_bytes() for p in pathlib.Path(folder).iterdir() if p.suffix.lower() == ".mms")
    measure("corpus", "decode", len(files), sum(map(len, files)), budget,
            lambda: [MMSMessage.from_data(bytearray(f)) for f in files])
    print(json.dumps({"impl": "python-messaging", "workload": "corpus", "op": "encode", "unsupported": True}))
    large = pathlib.Path(large_path).read_bytes()
    measure("large", "decode", 1, len(large), budget, lambda: MMSMessage.from_data(bytearray(large)))
    message = large_message()
    size = len(message.encode())
    measure("large", "encode", 1, size, budget, message.encode)


if __name__ == "__main__":
    main(*sys.argv[1:4])
