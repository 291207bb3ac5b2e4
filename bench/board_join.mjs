#!/usr/bin/env node
// The snapshot as the board page gets it: `board:join` without `since` over Socket.IO
// (socket.io-client, the library of the browser bundle), ack time measured on the client.
// Used by bench/board_budget.py; prints one JSON line. Loopback only, bounded.
//
//   node board_join.mjs --url http://127.0.0.1:5101 --token T --board B --joins 20

import { parseArgs } from "node:util";
import { io } from "socket.io-client";

const { values: opt } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    board: { type: "string" },
    joins: { type: "string", default: "20" },
  },
});
const host = new URL(opt.url).hostname;
if (host !== "127.0.0.1" && host !== "localhost") {
  console.error("board_join: loopback addresses only");
  process.exit(2);
}
setTimeout(() => {
  console.error("board_join: time limit reached");
  process.exit(3);
}, 120000).unref();

const joins = Math.min(200, Math.max(1, Number.parseInt(opt.joins, 10) || 20));
const socket = io(opt.url, { transports: ["websocket"], auth: { token: opt.token }, reconnection: false });
await new Promise((resolve, reject) => {
  socket.once("connect", resolve);
  socket.once("connect_error", reject);
});
const times = [];
let cards = 0;
let bytes = 0;
for (let i = 0; i < joins + 2; i++) {
  const t0 = performance.now();
  const ack = await socket.timeout(30000).emitWithAck("board:join", { board_id: opt.board });
  const ms = performance.now() - t0;
  if (!ack || ack.ok !== true) {
    console.error(`board_join: refused ${JSON.stringify(ack).slice(0, 300)}`);
    process.exit(1);
  }
  if (i >= 2) times.push(ms); // the first two warm up
  cards = ack.cards.length;
  bytes = JSON.stringify(ack).length;
  await socket.timeout(30000).emitWithAck("board:leave", { board_id: opt.board });
}
socket.disconnect();
console.log(JSON.stringify({ times, cards, ack_chars: bytes }));
process.exit(0);
