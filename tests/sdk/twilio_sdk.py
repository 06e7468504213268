"""The official twilio Python package (PyPI 9.x) against Canvass, with only its base URL changed.

Driven by crates/cli/tests/twilio_sdk.rs, which starts the simulator and `canvass serve`, makes the account,
number and Messaging Service, and serves the media file and the status-callback receiver. Prints one JSON
line: the sids it made, for the Rust test to check the callbacks against.
"""

import datetime
import json
import os
import sys
import time

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

env = os.environ
client = Client(env["ACCOUNT_SID"], env["AUTH_TOKEN"])
client.api.base_url = env["CANVASS_API"]
sender, service, media, callback = env["FROM"], env["SERVICE"], env["MEDIA_URL"], env["CALLBACK_URL"]
to_sms, to_mms, to_paged = env["TO_SMS"], env["TO_MMS"], env["TO_PAGED"]


def refused(code, **params):
    try:
        client.messages.create(**params)
    except TwilioRestException as error:
        assert error.code == code, f"expected {code}, got {error.code}: {error.msg}"
        assert error.status == 400, error.status
        return
    raise AssertionError(f"{params} was accepted; expected error {code}")


sms = client.messages.create(to=to_sms, from_=sender, body="Hello from twilio-python", status_callback=callback)
assert sms.sid.startswith("SM") and len(sms.sid) == 34, sms.sid
assert sms.status == "queued", sms.status
assert sms.account_sid == env["ACCOUNT_SID"]
assert sms.num_segments == "1" and sms.num_media == "0"
assert sms.date_created is not None, "date_created parses as RFC 2822"

mms = client.messages.create(
    to=to_mms, from_=sender, body="A picture for you", media_url=[media], status_callback=callback
)
assert mms.sid.startswith("MM"), mms.sid
assert mms.num_media == "1"
media_list = client.messages(mms.sid).media.list()
assert len(media_list) == 1 and media_list[0].parent_sid == mms.sid, media_list

paged = [client.messages.create(to=to_paged, from_=sender, body=f"page {i}").sid for i in range(7)]
listed = [m.sid for m in client.messages.list(to=to_paged, page_size=3)]
assert listed == list(reversed(paged)), (listed, paged)
assert [m.sid for m in client.messages.list(to=to_paged, limit=4)] == list(reversed(paged))[:4]
assert client.messages.list(to=to_paged, date_sent_before=datetime.datetime(2000, 1, 1)) == []

fetched = client.messages(sms.sid).fetch()
assert fetched.body == "Hello from twilio-python" and fetched.to == to_sms

later = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(hours=2)
scheduled = client.messages.create(
    to=to_sms, messaging_service_sid=service, body="Later", schedule_type="fixed", send_at=later
)
assert scheduled.status == "scheduled", scheduled.status
assert scheduled.messaging_service_sid == service
canceled = client.messages(scheduled.sid).update(status="canceled")
assert canceled.status == "canceled", canceled.status
try:
    client.messages(scheduled.sid).update(status="canceled")
    raise AssertionError("a canceled message was canceled again")
except TwilioRestException as error:
    assert error.code == 30409, error.code

redacted = client.messages(paged[0]).update(body="")
assert redacted.body == ""

refused(21211, to="+1202555", from_=sender, body="x")
refused(21606, to=to_sms, from_="+13105550123", body="x")
refused(21603, to=to_sms, body="x")
refused(21617, to=to_sms, from_=sender, body="x" * 1601)
refused(21623, to=to_sms, from_=sender, media_url=[media] * 11)
refused(35118, to=to_sms, from_=sender, body="x", schedule_type="fixed", send_at=later)
try:
    client.messages("SM" + "0" * 32).fetch()
    raise AssertionError("an unknown message was found")
except TwilioRestException as error:
    assert error.status == 404 and error.code == 20404, (error.status, error.code)

me = client.api.accounts(env["ACCOUNT_SID"]).fetch()
assert me.sid == env["ACCOUNT_SID"] and me.status == "active", me.sid
client_account = client.api.accounts.create(friendly_name="A client of the agency")
assert client_account.sid.startswith("AC") and client_account.owner_account_sid == env["ACCOUNT_SID"]
assert len(client_account.auth_token) == 32, "the new token, shown once"
assert client_account.sid in [a.sid for a in client.api.accounts.list()]
# The sub-account's own credentials work, and see only itself.
sub = Client(client_account.sid, client_account.auth_token)
sub.api.base_url = env["CANVASS_API"]
assert sub.api.accounts(client_account.sid).fetch().friendly_name == "A client of the agency"
try:
    sub.api.accounts(env["ACCOUNT_SID"]).fetch()
    raise AssertionError("a client read its agency")
except TwilioRestException as error:
    assert error.status == 403, error.status

deadline = time.time() + 60
while True:
    states = {sid: client.messages(sid).fetch().status for sid in (sms.sid, mms.sid)}
    if all(s == "delivered" for s in states.values()):
        break
    if time.time() > deadline:
        raise AssertionError(f"not delivered in time: {states}")
    time.sleep(0.3)

print(json.dumps({"sms": sms.sid, "mms": mms.sid, "scheduled": scheduled.sid, "paged": paged}))
sys.stdout.flush()
