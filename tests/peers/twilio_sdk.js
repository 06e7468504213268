// The official twilio npm package against Canvass, with only its base URL changed. Driven by
// crates/cli/tests/twilio_sdk.rs (same environment as tests/sdk/twilio_sdk.py); prints one JSON line of sids.
"use strict";
const assert = require("node:assert/strict");
const twilio = require("twilio");

const env = process.env;
const client = twilio(env.ACCOUNT_SID, env.AUTH_TOKEN);
client.api.baseUrl = env.CANVASS_API;
const { FROM: from, SERVICE: service, MEDIA_URL: media, CALLBACK_URL: callback } = env;
const { TO_SMS: toSms, TO_MMS: toMms, TO_PAGED: toPaged } = env;

async function refused(code, params) {
  try {
    await client.messages.create(params);
  } catch (error) {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    assert.equal(error.status, 400);
    return;
  }
  assert.fail(`${JSON.stringify(params)} was accepted; expected error ${code}`);
}

async function main() {
  const sms = await client.messages.create({ to: toSms, from, body: "Hello from twilio-node", statusCallback: callback });
  assert.match(sms.sid, /^SM[0-9a-f]{32}$/);
  assert.equal(sms.status, "queued");
  assert.equal(sms.accountSid, env.ACCOUNT_SID);
  assert.ok(sms.dateCreated instanceof Date && !isNaN(sms.dateCreated), "dateCreated parses");

  const mms = await client.messages.create({ to: toMms, from, body: "A picture for you", mediaUrl: [media], statusCallback: callback });
  assert.match(mms.sid, /^MM/);
  assert.equal(mms.numMedia, "1");
  const mediaList = await client.messages(mms.sid).media.list();
  assert.equal(mediaList.length, 1);
  assert.equal(mediaList[0].parentSid, mms.sid);

  const paged = [];
  for (let i = 0; i < 7; i++) paged.push((await client.messages.create({ to: toPaged, from, body: `page ${i}` })).sid);
  const listed = (await client.messages.list({ to: toPaged, pageSize: 3 })).map((m) => m.sid);
  assert.deepEqual(listed, [...paged].reverse());
  const firstPage = await client.messages.page({ to: toPaged, pageSize: 3 });
  assert.equal(firstPage.instances.length, 3);
  const secondPage = await firstPage.nextPage();
  assert.deepEqual(secondPage.instances.map((m) => m.sid), [...paged].reverse().slice(3, 6));

  const fetched = await client.messages(sms.sid).fetch();
  assert.equal(fetched.body, "Hello from twilio-node");

  const later = new Date(Date.now() + 2 * 3600 * 1000);
  const scheduled = await client.messages.create({ to: toSms, messagingServiceSid: service, body: "Later", scheduleType: "fixed", sendAt: later });
  assert.equal(scheduled.status, "scheduled");
  const canceled = await client.messages(scheduled.sid).update({ status: "canceled" });
  assert.equal(canceled.status, "canceled");

  const redacted = await client.messages(paged[0]).update({ body: "" });
  assert.equal(redacted.body, "");

  await refused(21211, { to: "+1202555", from, body: "x" });
  await refused(21606, { to: toSms, from: "+13105550123", body: "x" });
  await refused(21602, { to: toSms, from, body: "" });
  await refused(21623, { to: toSms, from, mediaUrl: Array(11).fill(media) });
  try {
    await client.messages("SM" + "0".repeat(32)).fetch();
    assert.fail("an unknown message was found");
  } catch (error) {
    assert.equal(error.status, 404);
    assert.equal(error.code, 20404);
  }

  const deadline = Date.now() + 60000;
  for (;;) {
    const states = await Promise.all([sms.sid, mms.sid].map(async (sid) => (await client.messages(sid).fetch()).status));
    if (states.every((s) => s === "delivered")) break;
    if (Date.now() > deadline) assert.fail(`not delivered in time: ${states}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  console.log(JSON.stringify({ sms: sms.sid, mms: mms.sid, scheduled: scheduled.sid, paged }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
