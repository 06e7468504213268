#!/usr/bin/env node
// An SMSC for the SMPP connector's tests, on the npm `smpp` package (someone else's SMPP implementation).
//
//   node tests/peers/smsc.js [--port N] [--password P] [--hex-ids]
//
// Prints JSON lines on stdout: first {"event":"listening","port":N}, then one line per bind and per submit_sm
// (data_coding, esm_class, UDH, SAR TLVs, the text as npm smpp decodes it, the raw user data in hex).
// Reads JSON commands on stdin, one per line:
//   {"cmd":"receipt","id":"<message id we issued>","stat":"DELIVRD","err":"000","tlvs":true,
//    "decimal":true (a hex id written in decimal) | "hex":true (a decimal id written in hex)}
//   {"cmd":"mo","from":"4915550001","to":"12345","text":"hi","coding":"gsm7"|"ucs2","parts":["a","b"],
//    "concat":"udh"|"sar"}
//   {"cmd":"throttle","count":1}   the next N submit_sm get ESME_RTHROTTLED
//   {"cmd":"queue_full","count":2} the next N submit_sm get ESME_RMSGQFUL
// Each command is answered with {"event":"done","cmd":...} once the deliver_sm_resp came back.
'use strict';

const smpp = require('smpp');
const readline = require('readline');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const port = Number(option('--port', '0'));
const password = option('--password', 'secret');
const hexIds = args.includes('--hex-ids');

const log = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const hex = (buffer) => (Buffer.isBuffer(buffer) ? buffer.toString('hex') : null);

let nextId = 0x1a2b00;
let throttle = 0;
let queueFull = 0;
const receivers = new Set();

function describe(pdu) {
  const sm = pdu.short_message || {};
  const message = sm.message;
  return {
    seq: pdu.sequence_number,
    source_addr: pdu.source_addr,
    source_addr_ton: pdu.source_addr_ton,
    destination_addr: pdu.destination_addr,
    dest_addr_ton: pdu.dest_addr_ton,
    data_coding: pdu.data_coding,
    esm_class: pdu.esm_class,
    registered_delivery: pdu.registered_delivery,
    udh: (sm.udh || []).map(hex),
    text: typeof message === 'string' ? message : null,
    data_hex: Buffer.isBuffer(message) ? hex(message) : null,
    sar:
      pdu.sar_msg_ref_num === undefined
        ? null
        : { ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum },
  };
}

const server = smpp.createServer((session) => {
  const onBind = (kind) => (pdu) => {
    if (pdu.password !== password) {
      log({ event: 'bind', kind, system_id: pdu.system_id, status: 'ESME_RINVPASWD' });
      session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
      session.close();
      return;
    }
    log({ event: 'bind', kind, system_id: pdu.system_id, version: pdu.interface_version });
    session.send(pdu.response({ system_id: 'npm-smsc' }));
    if (kind !== 'transmitter') {
      receivers.add(session);
    }
  };
  session.on('bind_transmitter', onBind('transmitter'));
  session.on('bind_receiver', onBind('receiver'));
  session.on('bind_transceiver', onBind('transceiver'));
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    session.send(pdu.response());
    session.close();
  });
  session.on('close', () => receivers.delete(session));
  session.on('error', () => receivers.delete(session));
  session.on('submit_sm', (pdu) => {
    const line = { event: 'submit_sm', ...describe(pdu) };
    if (throttle > 0) {
      throttle -= 1;
      log({ ...line, status: 'ESME_RTHROTTLED' });
      session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
      return;
    }
    if (queueFull > 0) {
      queueFull -= 1;
      log({ ...line, status: 'ESME_RMSGQFUL' });
      session.send(pdu.response({ command_status: smpp.ESME_RMSGQFUL }));
      return;
    }
    nextId += 1;
    const id = hexIds ? nextId.toString(16).toUpperCase() : String(nextId);
    log({ ...line, status: 'ESME_ROK', message_id: id });
    session.send(pdu.response({ message_id: id }));
  });
});

function anyReceiver() {
  const [first] = receivers;
  return first;
}

function deliver(params) {
  return new Promise((resolve, reject) => {
    const session = anyReceiver();
    if (!session) {
      reject(new Error('no receiver is bound'));
      return;
    }
    session.deliver_sm(params, (resp) => resolve(resp.command_status));
  });
}

function receipt(cmd) {
  let id = cmd.id;
  if (cmd.decimal) {
    id = String(parseInt(cmd.id, 16));
  } else if (cmd.hex) {
    id = Number(cmd.id).toString(16);
  }
  const stat = cmd.stat || 'DELIVRD';
  const err = cmd.err || '000';
  const text = `id:${id} sub:001 dlvrd:001 submit date:2511251200 done date:2511251201 stat:${stat} err:${err} text:`;
  const params = {
    source_addr: cmd.to || '4915550000',
    destination_addr: cmd.from || '12345',
    esm_class: 0x04,
    short_message: Buffer.from(text, 'ascii'),
  };
  if (cmd.tlvs) {
    const states = { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, REJECTD: 8 };
    params.receipted_message_id = id;
    params.message_state = states[stat] || 7;
    params.network_error_code = Buffer.from([3, 0, Number(err)]);
  }
  return deliver(params);
}

function encode(text, coding) {
  return coding === 'ucs2' ? smpp.encodings.UCS2.encode(text) : smpp.encodings.ASCII.encode(text);
}

function mo(cmd) {
  const coding = cmd.coding || 'gsm7';
  const base = {
    source_addr: cmd.from,
    source_addr_ton: 1,
    destination_addr: cmd.to,
    data_coding: coding === 'ucs2' ? 0x08 : 0x00,
  };
  const parts = cmd.parts || [cmd.text];
  const sends = parts.map((part, index) => {
    const body = encode(part, coding);
    if (parts.length === 1) {
      return { ...base, short_message: body };
    }
    if (cmd.concat === 'sar') {
      return {
        ...base,
        short_message: body,
        sar_msg_ref_num: 77,
        sar_total_segments: parts.length,
        sar_segment_seqnum: index + 1,
      };
    }
    const udh = Buffer.from([5, 0, 3, 77, parts.length, index + 1]);
    return { ...base, esm_class: 0x40, short_message: Buffer.concat([udh, body]) };
  });
  // Last part first: the connector must reassemble in sequence order, not arrival order.
  return sends.reverse().reduce((chain, params) => chain.then(() => deliver(params)), Promise.resolve());
}

function handle(cmd) {
  switch (cmd.cmd) {
    case 'receipt':
      return receipt(cmd);
    case 'mo':
      return mo(cmd);
    case 'throttle':
      throttle = cmd.count || 1;
      return Promise.resolve();
    case 'queue_full':
      queueFull = cmd.count || 1;
      return Promise.resolve();
    default:
      return Promise.reject(new Error(`unknown command ${cmd.cmd}`));
  }
}

server.listen(port, '127.0.0.1', () => {
  log({ event: 'listening', port: server.address().port });
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (error) {
    log({ event: 'error', error: String(error) });
    return;
  }
  handle(cmd)
    .then(() => log({ event: 'done', cmd: cmd.cmd }))
    .catch((error) => log({ event: 'error', cmd: cmd.cmd, error: String(error) }));
});
process.stdin.on('end', () => process.exit(0));
