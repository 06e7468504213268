"""python-messaging (PyPI 0.5.13) as the other side of python_messaging.rs.

    python_messaging.py decode FOLDER   decodes every *.mms file there, one JSON object per line
    python_messaging.py encode FILE     writes an m-send-req that python-messaging encodes (two slides)
"""
import datetime
import json
import pathlib
import sys

from messaging.mms.message import DataPart, MMSMessage, MMSMessagePage


def plain(value):
    """Makes python-messaging's header values JSON-friendly."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.decode("latin-1")
    return value


def decode(folder):
    for path in sorted(pathlib.Path(folder).glob("*.mms")):
        result = {"file": path.name}
        try:
            message = MMSMessage.from_data(bytearray(path.read_bytes()))
            result["headers"] = plain(message.headers)
            result["parts"] = [[part.content_type, len(part.data)] for part in message.data_parts]
        except Exception as error:  # any failure is a finding for the Rust side
            result["error"] = "%s: %s" % (type(error).__name__, error)
        print(json.dumps(result))


def encode(path):
    message = MMSMessage()
    message.headers["To"] = "+15551230001/TYPE=PLMN"
    message.headers["Subject"] = "From python-messaging"
    for i in range(2):
        image = DataPart()
        # Binary data as a latin-1 str: python-messaging writes part data with ord() per character.
        image.set_data(bytes(range(256)).decode("latin-1") * (i + 1), "image/jpeg")
        text = DataPart()
        text.set_text("slide %d" % i)
        page = MMSMessagePage()
        page.image = (image, 0, 0)
        page.text = (text, 0, 0)
        message.add_page(page)
    pathlib.Path(path).write_bytes(bytes(message.encode()))


if __name__ == "__main__":
    {"decode": decode, "encode": encode}[sys.argv[1]](sys.argv[2])
