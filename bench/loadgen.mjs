#!/usr/bin/env node
// Collab fan-out load generator: many real Socket.IO clients (socket.io-client, the same library
// the browser bundle uses, over Node's `ws`) against one server on 127.0.0.1.
//
// Every client connects (websocket transport only), joins its board (`board:join`), then a
// scheduler sends `op` (`card.create`, unique op_id) from random clients at the target rate.
// Every other member of the board records when the matching `event` arrives. Per op:
//   fan-out latency = time the LAST other member received the event - time the op was emitted.
// Lost = deliveries expected (other members joined when the op was sent) - deliveries received
// after the drain period. Only ops sent after the warm-up count towards latency; all count
// towards lost.
//
//   node loadgen.mjs --url http://127.0.0.1:5101 --mode relay --clients 40 --boards 1 --rate 20
//   node loadgen.mjs --url http://127.0.0.1:5102 --mode collab --join-code K7M4QX \
//        --groups g1,g2,... --clients 400 --boards 10 --rate 50
//   (--groups CODE1:g1,CODE2:g2,... when the boards belong to several workshops)
//
// Progress goes to stdout as `PHASE <name> <json>` lines (bench/run.py samples the server's memory
// and CPU on them), then a human summary; the full result is written as JSON to --out.
// Traffic goes only to --url, which must be a loopback address; every loop here is bounded.

import { parseArgs } from "node:util";
import { performance, monitorEventLoopDelay } from "node:perf_hooks";
import { writeFileSync } from "node:fs";
import { io } from "socket.io-client";

const { values: opt } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:5101" },
    mode: { type: "string", default: "relay" }, // relay | collab
    clients: { type: "string", default: "40" },
    boards: { type: "string", default: "1" },
    rate: { type: "string", default: "20" }, // ops per second, all boards together
    duration: { type: "string", default: "20" }, // measured seconds
    warmup: { type: "string", default: "5" }, // seconds of ops before measuring
    drain: { type: "string", default: "5" }, // max seconds to wait for stragglers
    settle: { type: "string", default: "1" }, // seconds between "all joined" and the first op
    "join-code": { type: "string" },
    groups: { type: "string" }, // comma-separated group ids (collab)
    deflate: { type: "string", default: "offer" }, // offer (like browsers) | decline
    "connect-concurrency": { type: "string", default: "50" },
    "join-concurrency": { type: "string", default: "16" },
    "text-size": { type: "string", default: "80" },
    seed: { type: "string", default: "1" },
    label: { type: "string", default: "" },
    out: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

const URL_ = opt.url.replace(/\/$/, "");
const MODE = opt.mode;
const CLIENTS = int(opt.clients, "clients");
const BOARDS = int(opt.boards, "boards");
const RATE = Number(opt.rate);
const DURATION = Number(opt.duration);
const WARMUP = Number(opt.warmup);
const DRAIN = Number(opt.drain);
const SETTLE = Number(opt.settle);
const CONNECT_CONC = int(opt["connect-concurrency"], "connect-concurrency");
const JOIN_CONC = int(opt["join-concurrency"], "join-concurrency");
const TEXT_SIZE = int(opt["text-size"], "text-size");
const DEFLATE = opt.deflate;
const RUN_TAG = Math.random().toString(36).slice(2, 8);

function int(v, name) {
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n) || n < 1) die(`--${name} must be a positive integer`);
  return n;
}
function die(msg) {
  console.error(`loadgen: ${msg}`);
  process.exit(2);
}

{
  const host = new URL(URL_).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host) && !host.startsWith("127.")) {
    die(`refusing to load ${host}: the benchmark only targets loopback addresses`);
  }
}
if (!["relay", "collab"].includes(MODE)) die("--mode is relay or collab");
if (!["offer", "decline"].includes(DEFLATE)) die("--deflate is offer or decline");
if (!(RATE > 0 && RATE <= 5000)) die("--rate must be in (0, 5000]");
if (!(DURATION > 0 && DURATION <= 600)) die("--duration must be in (0, 600] seconds");
if (!(WARMUP >= 0 && WARMUP <= 120)) die("--warmup must be in [0, 120] seconds");
if (CLIENTS > 5000) die("--clients is capped at 5000");
if (BOARDS > CLIENTS) die("--boards must not exceed --clients");

// Deterministic PRNG (mulberry32) so runs pick the same senders.
let seed = Number.parseInt(opt.seed, 10) >>> 0;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function phase(name, data = {}) {
  process.stdout.write(`PHASE ${name} ${JSON.stringify({ t: Date.now() / 1000, ...data })}\n`);
}
function log(msg) {
  if (!opt.quiet) process.stderr.write(`loadgen: ${msg}\n`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pool(n, conc, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(conc, n) }, async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
    }
  });
  await Promise.all(workers);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// 1. Identities: one participant per client (collab), or nothing (relay).

const clients = Array.from({ length: CLIENTS }, (_, i) => ({
  i,
  boardIdx: i % BOARDS,
  boardId: null,
  token: null,
  socket: null,
  live: false,
  lastSeq: new Map(), // board_id -> last event seq seen (ordering check)
}));

async function joinCollab() {
  // --groups: one entry per board, "GROUP_ID" (workshop --join-code) or "CODE:GROUP_ID" (boards
  // may belong to several workshops: a workshop has at most 12 groups).
  const groups = (opt.groups || "").split(",").filter(Boolean).map((g) => {
    const [a, b] = g.split(":");
    return b === undefined ? { code: opt["join-code"], group: a } : { code: a, group: b };
  });
  if (groups.length < BOARDS) die(`--groups lists ${groups.length} groups, need ${BOARDS}`);
  if (groups.some((g) => !g.code)) die("--join-code (or CODE:GROUP entries) needed with --mode collab");
  const t0 = performance.now();
  let failures = 0;
  await pool(CLIENTS, JOIN_CONC, async (i) => {
    const c = clients[i];
    const { code, group } = groups[c.boardIdx];
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const res = await withTimeout(
          fetch(`${URL_}/api/v1/join`, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ code, name: `bench ${i}`, group }),
          }),
          15000,
          "join",
        );
        const body = await res.json();
        if (!res.ok) throw new Error(`join ${res.status}: ${JSON.stringify(body)}`);
        c.token = body.token;
        const g = body.workshop.groups.find((x) => x.id === group);
        if (!g) throw new Error(`join: group ${group} not in the workshop`);
        c.boardId = g.board_id;
        return;
      } catch (e) {
        if (attempt === 3) {
          failures++;
          throw e;
        }
        await sleep(200 * attempt);
      }
    }
  });
  return { seconds: (performance.now() - t0) / 1000, failures };
}

// ---------------------------------------------------------------------------------------------
// 2. Sockets.

const ops = new Map(); // op_id -> record
const boardLive = Array.from({ length: BOARDS }, () => new Set()); // client indices joined
const counters = {
  connectErrors: 0,
  joinErrors: 0,
  disconnects: 0,
  disconnectReasons: {},
  foreignEvents: 0, // events whose op_id we did not send (or sent before tracking)
  duplicateDeliveries: 0,
  unexpectedDeliveries: 0, // delivered to the sender, or to a non-member
  outOfOrder: 0,
  ackErrors: {},
  ackTimeouts: 0,
  presence: 0,
};
const deliveryLat = []; // measured deliveries: receive - send (ms)

function onEvent(c, ev) {
  const t = performance.now();
  if (!ev || typeof ev !== "object") return;
  const rec = ops.get(ev.op_id);
  if (typeof ev.seq === "number" && typeof ev.board_id === "string") {
    const last = c.lastSeq.get(ev.board_id);
    if (last !== undefined && ev.seq <= last) counters.outOfOrder++;
    c.lastSeq.set(ev.board_id, ev.seq);
  }
  if (!rec) {
    counters.foreignEvents++;
    return;
  }
  if (c.i === rec.sender || !rec.members.has(c.i)) {
    counters.unexpectedDeliveries++;
    return;
  }
  if (rec.got.has(c.i)) {
    counters.duplicateDeliveries++;
    return;
  }
  rec.got.add(c.i);
  if (t > rec.last) rec.last = t;
  if (rec.measured) deliveryLat.push(t - rec.tSend);
}

function connectOne(c) {
  return new Promise((resolve, reject) => {
    const socket = io(URL_, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      timeout: 20000,
      auth: c.token ? { token: c.token } : undefined,
      // Browsers always offer permessage-deflate; socket.io-client's default in Node does too
      // (threshold 1024: the client itself only compresses frames >= 1 KB).
      perMessageDeflate: DEFLATE === "offer" ? { threshold: 1024 } : false,
    });
    c.socket = socket;
    socket.on("event", (ev) => onEvent(c, ev));
    socket.on("presence", () => {
      counters.presence++;
    });
    socket.on("disconnect", (reason) => {
      if (c.live) {
        counters.disconnects++;
        counters.disconnectReasons[reason] = (counters.disconnectReasons[reason] || 0) + 1;
        c.live = false;
        boardLive[c.boardIdx].delete(c.i);
      }
    });
    socket.once("connect_error", (err) => {
      counters.connectErrors++;
      reject(new Error(`client ${c.i} connect_error: ${err.message}`));
    });
    socket.once("connect", async () => {
      try {
        const ack = await socket
          .timeout(20000)
          .emitWithAck("board:join", { board_id: c.boardId });
        if (!ack || ack.ok !== true) {
          counters.joinErrors++;
          throw new Error(`client ${c.i} board:join refused: ${JSON.stringify(ack)}`);
        }
        c.live = true;
        boardLive[c.boardIdx].add(c.i);
        resolve();
      } catch (e) {
        reject(e);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// 3. Ops.

const ackLat = [];
let opSeq = 0;
const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ";

function sendOp(measured) {
  // pick a random live client (bounded tries; with no live client the op is skipped)
  let c = null;
  for (let k = 0; k < 64; k++) {
    const cand = clients[Math.floor(rand() * CLIENTS)];
    if (cand.live) {
      c = cand;
      break;
    }
  }
  if (!c) return false;
  const n = ++opSeq;
  const opId = `b${RUN_TAG}-${c.i}-${n}`;
  let text = `bench ${opId} `;
  while (text.length < TEXT_SIZE) text += filler;
  text = text.slice(0, TEXT_SIZE);
  const members = new Set(boardLive[c.boardIdx]);
  members.delete(c.i);
  const rec = {
    sender: c.i,
    board: c.boardIdx,
    members,
    got: new Set(),
    measured,
    tSend: 0,
    last: 0,
    ack: null, // null pending, true ok, false failed
    tAck: 0,
  };
  ops.set(opId, rec);
  const payload = { board_id: c.boardId, op_id: opId, type: "card.create", data: { text } };
  rec.tSend = performance.now();
  c.socket.timeout(10000).emit("op", payload, (err, res) => {
    const t = performance.now();
    if (err) {
      counters.ackTimeouts++;
      return;
    }
    rec.tAck = t;
    if (res && res.ok === true) {
      rec.ack = true;
      if (measured) ackLat.push(t - rec.tSend);
    } else {
      rec.ack = false;
      const code = (res && res.error && res.error.code) || "bad_ack";
      counters.ackErrors[code] = (counters.ackErrors[code] || 0) + 1;
    }
  });
  return true;
}

function runSchedule(seconds, measured) {
  // Open-loop: ops are due at a fixed rate from t0, whatever the server does.
  return new Promise((resolve) => {
    const t0 = performance.now();
    const total = Math.round(seconds * RATE);
    let sent = 0;
    const timer = setInterval(() => {
      const elapsed = (performance.now() - t0) / 1000;
      const due = Math.min(total, Math.floor(elapsed * RATE) + 1);
      let burst = 0;
      while (sent < due && burst < 1000) {
        sendOp(measured);
        sent++;
        burst++;
      }
      if (sent >= total || elapsed > seconds + 5) {
        clearInterval(timer);
        resolve({ sent, seconds: (performance.now() - t0) / 1000 });
      }
    }, 2);
  });
}

// ---------------------------------------------------------------------------------------------
// 4. Stats.

function pct(sorted, p) {
  if (!sorted.length) return null;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[k]);
}
function round(x) {
  return x == null ? null : Math.round(x * 100) / 100;
}
function summary(arr) {
  const s = Float64Array.from(arr).sort();
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
  return {
    n: s.length,
    p50: pct(s, 50),
    p90: pct(s, 90),
    p95: pct(s, 95),
    p99: pct(s, 99),
    max: s.length ? round(s[s.length - 1]) : null,
    mean: round(mean),
  };
}

function pendingDeliveries() {
  let pending = 0;
  for (const rec of ops.values()) {
    if (rec.ack === false) continue;
    for (const m of rec.members) if (!rec.got.has(m) && clients[m].live) pending++;
  }
  return pending;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = new Date().toISOString();
  const result = {
    label: opt.label,
    started,
    url: URL_,
    mode: MODE,
    clients: CLIENTS,
    boards: BOARDS,
    rate: RATE,
    duration: DURATION,
    warmup: WARMUP,
    drain: DRAIN,
    deflate: DEFLATE,
    text_size: TEXT_SIZE,
    node: process.version,
  };

  // identities
  if (MODE === "collab") {
    log(`joining ${CLIENTS} participants ...`);
    result.join = await joinCollab();
  } else {
    for (const c of clients) c.boardId = `relay-board-${c.boardIdx}`;
  }
  phase("joined", { clients: CLIENTS });
  await sleep(500); // let the driver sample the server's memory before the first socket

  // sockets
  log(`connecting ${CLIENTS} sockets (${CONNECT_CONC} at a time) ...`);
  const tc = performance.now();
  await pool(CLIENTS, CONNECT_CONC, (i) =>
    withTimeout(connectOne(clients[i]), 30000, `client ${i} connect+join`),
  );
  result.connect_seconds = round((performance.now() - tc) / 1000);
  const ext = clients[0].socket.io.engine.transport.ws?.extensions || "";
  result.deflate_negotiated = ext.includes("permessage-deflate");
  phase("connected", { clients: CLIENTS, deflate_negotiated: result.deflate_negotiated });
  log(
    `connected in ${result.connect_seconds}s; permessage-deflate negotiated: ${result.deflate_negotiated}`,
  );
  await sleep(SETTLE * 1000);

  // warm-up
  if (WARMUP > 0) {
    phase("warmup");
    log(`warm-up ${WARMUP}s at ${RATE} ops/s ...`);
    await runSchedule(WARMUP, false);
  }

  // measured window
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const cpu0 = process.cpuUsage();
  const tm0 = performance.now();
  lag.enable();
  phase("measure_start");
  log(`measuring ${DURATION}s at ${RATE} ops/s ...`);
  const sched = await runSchedule(DURATION, true);
  phase("measure_end", sched);
  lag.disable();
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - tm0) / 1000;

  // drain
  const td = performance.now();
  while ((performance.now() - td) / 1000 < DRAIN) {
    const acksPending = [...ops.values()].some((r) => r.ack === null);
    if (!acksPending && pendingDeliveries() === 0) break;
    await sleep(50);
  }
  result.drain_seconds = round((performance.now() - td) / 1000);
  phase("drained");

  // stats
  let expected = 0;
  let received = 0;
  let lost = 0;
  let opsFailed = 0;
  const fanout = [];
  const series = []; // per op: [send time, s from the measured window's start (< 0: warm-up), fan-out ms, ack ms]
  let incomplete = 0;
  let measuredOps = 0;
  for (const rec of ops.values()) {
    if (rec.ack === false) {
      opsFailed++;
      continue;
    }
    expected += rec.members.size;
    received += rec.got.size;
    const missing = rec.members.size - rec.got.size;
    lost += missing;
    series.push([
      round((rec.tSend - tm0) / 1000),
      missing > 0 || !rec.members.size ? null : round(rec.last - rec.tSend),
      rec.tAck ? round(rec.tAck - rec.tSend) : null,
    ]);
    if (rec.measured) {
      measuredOps++;
      if (missing > 0) incomplete++;
      else if (rec.members.size > 0) fanout.push(rec.last - rec.tSend);
    }
  }
  // The histogram records the whole timer interval; report the excess over the 10 ms resolution.
  const lagNs = (q) => round(Math.max(0, lag.percentile(q) / 1e6 - 10));
  Object.assign(result, {
    ops_sent: ops.size,
    ops_measured: measuredOps,
    ops_failed: opsFailed,
    achieved_rate: round(sched.sent / sched.seconds),
    deliveries_expected: expected,
    deliveries_received: received,
    lost,
    incomplete_ops: incomplete,
    fanout_ms: summary(fanout),
    delivery_ms: summary(deliveryLat),
    ack_ms: summary(ackLat),
    counters,
    series,
    loadgen: {
      cpu_percent: round(((cpu.user + cpu.system) / 1e6 / wall) * 100),
      event_loop_delay_ms: { p50: lagNs(50), p99: lagNs(99), max: round(Math.max(0, lag.max / 1e6 - 10)) },
      rss_mb: round(process.memoryUsage().rss / 2 ** 20),
    },
  });
  phase("done", { lost, fanout_p99: result.fanout_ms.p99 });

  if (opt.out) writeFileSync(opt.out, JSON.stringify(result, null, 2) + "\n");
  const f = result.fanout_ms;
  console.log(
    [
      `${opt.label || MODE}: ${CLIENTS} clients / ${BOARDS} boards @ ${RATE} ops/s ` +
        `(${result.achieved_rate} achieved), ${DURATION}s measured, deflate ${DEFLATE}` +
        ` (negotiated: ${result.deflate_negotiated})`,
      `  fan-out (last receiver) ms: p50 ${f.p50}  p95 ${f.p95}  p99 ${f.p99}  max ${f.max}  (n=${f.n})`,
      `  per delivery ms: p50 ${result.delivery_ms.p50}  p99 ${result.delivery_ms.p99};` +
        `  ack ms: p50 ${result.ack_ms.p50}  p99 ${result.ack_ms.p99}`,
      `  deliveries ${received}/${expected}, lost ${lost}, ops failed ${opsFailed}, ` +
        `incomplete ${incomplete}, dup ${counters.duplicateDeliveries}, ` +
        `out-of-order ${counters.outOfOrder}, disconnects ${counters.disconnects}`,
      `  loadgen: cpu ${result.loadgen.cpu_percent}%  loop delay p99 ${result.loadgen.event_loop_delay_ms.p99} ms`,
    ].join("\n"),
  );

  for (const c of clients) {
    c.live = false;
    c.socket?.disconnect();
  }
  await sleep(200);
  process.exit(0);
}

// Hard stop: nothing here may run forever.
const HARD_LIMIT_S = 120 + WARMUP + DURATION + DRAIN + CLIENTS * 0.2;
setTimeout(() => {
  console.error(`loadgen: hard time limit (${Math.round(HARD_LIMIT_S)}s) reached, exiting`);
  process.exit(3);
}, HARD_LIMIT_S * 1000).unref();

main().catch((e) => {
  console.error(`loadgen: ${e.stack || e}`);
  process.exit(1);
});
