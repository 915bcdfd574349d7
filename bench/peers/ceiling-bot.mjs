// The ceiling for bench/e2e.sh (--bots "... ceiling ..."): the demo bot's work with no framework,
// to show what Node itself costs against the same fake. Plain node:http with a keep-alive agent.
//
//   BOT_TOKEN=... BOT_API_URL=http://127.0.0.1:PORT node bench/peers/ceiling-bot.mjs
//
// One getUpdates loop; each update goes on its chat's chain (a chat's replies one after another,
// in update order), chats run concurrently. The loop confirms what it got with the next offset
// at once, so every update is fetched once. Like botrunner (BOT_CONCURRENCY) and grammY's runner
// (its sink), it holds at most MAX_PENDING updates fetched and not yet answered (without a cap a
// burst would be read in whole into memory), and it fetches again only once a whole batch fits:
// asking for the one update each finished reply makes room for would cost a getUpdates per reply.
// /start greets; any other text counts up in a per-chat counter in memory and is answered with
// "<count>: <text>". For the slow cases, BOT_HANDLER_DELAY_MS (default 0) waits that long before
// each counted answer, and BOT_CONCURRENCY (default 500) is MAX_PENDING.
import http from "node:http";

const GREETING = "Hello! Send me any text and I will count your messages in this chat.";
const MAX_PENDING = Number(process.env.BOT_CONCURRENCY ?? 500);
const DELAY_MS = Number(process.env.BOT_HANDLER_DELAY_MS ?? 0);
const BATCH = 100; // getUpdates' own maximum
const POLL_TIMEOUT_S = 30;

const token = process.env.BOT_TOKEN;
const apiUrl = process.env.BOT_API_URL;
if (!token || !apiUrl) {
  console.error("set BOT_TOKEN and BOT_API_URL (the fake Bot API's base URL, no trailing slash)");
  process.exit(2);
}
const api = new URL(apiUrl);
const agent = new http.Agent({ keepAlive: true });

/** POSTs one Bot API call as JSON; resolves to its result, rejects on ok: false or a failure. */
function call(method, params) {
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: api.hostname,
        port: api.port,
        method: "POST",
        path: `/bot${token}/${method}`,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            if (answer.ok) resolve(answer.result);
            else reject(new Error(`${method}: ${res.statusCode} ${answer.description}`));
          } catch (e) {
            reject(e);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const counts = new Map(); // chat id -> messages counted
const chains = new Map(); // chat id -> the promise of the chat's last queued update
let pending = 0;
let wakePoller = null;

async function handle(message) {
  const chat = message.chat.id;
  if (message.text === "/start" || message.text.startsWith("/start ")) {
    await call("sendMessage", { chat_id: chat, text: GREETING });
    return;
  }
  const count = (counts.get(chat) ?? 0) + 1;
  counts.set(chat, count);
  if (DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
  await call("sendMessage", { chat_id: chat, text: `${count}: ${message.text}` });
}

function enqueue(update) {
  const message = update.message;
  if (!message || typeof message.text !== "string") return;
  const chat = message.chat.id;
  pending++;
  const previous = chains.get(chat) ?? Promise.resolve();
  const done = previous
    .then(() => handle(message))
    .catch((e) => console.error("update", update.update_id, "failed:", e.message))
    .finally(() => {
      pending--;
      // The chain's last link drops the entry, so idle chats hold no memory.
      if (chains.get(chat) === done) chains.delete(chat);
      if (wakePoller && pending <= MAX_PENDING - BATCH) {
        const wake = wakePoller;
        wakePoller = null;
        wake();
      }
    });
  chains.set(chat, done);
}

async function poll() {
  let offset = 0;
  for (;;) {
    if (pending > MAX_PENDING - BATCH) {
      await new Promise((resolve) => (wakePoller = resolve));
      continue;
    }
    let updates;
    try {
      updates = await call("getUpdates", { offset, limit: BATCH, timeout: POLL_TIMEOUT_S });
    } catch (e) {
      console.error("getUpdates failed:", e.message);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    for (const update of updates) {
      offset = update.update_id + 1;
      enqueue(update);
    }
  }
}

process.once("SIGTERM", () => process.exit(0));
process.once("SIGINT", () => process.exit(0));
poll();
