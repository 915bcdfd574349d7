// grammY's peer of botrunner's demo bot, for bench/e2e.sh (--bots "... grammy ..."): grammY's
// high-load setup as its documentation gives it, doing the demo bot's work.
//
//   BOT_TOKEN=... BOT_API_URL=http://127.0.0.1:PORT node bench/peers/grammy-bot.mjs
//
// - @grammyjs/runner's run(bot): long polling, updates handled concurrently (its default sink,
//   at most 500 at once), getUpdates with the runner's defaults (limit up to 100, timeout 30 s).
// - sequentialize keyed by the chat id, before the session, as grammY's docs do for sessions, so
//   a chat's updates run one after another in the order Telegram sent them.
// - session() with its default store (MemorySessionStorage, keyed by chat id): the bench runs
//   botrunner with its memory session store (no datasource set), so both keep the counter in
//   the process.
// - /start greets (botrunner's DemoBot.GREETING); any other text counts up in the chat's session
//   and is answered with "<count>: <text>" through sendMessage (ctx.reply).
// - The slow cases: BOT_HANDLER_DELAY_MS (default 0) makes the handler `await sleep(ms)` before it
//   answers, as grammY's "Scaling Up II" bot whose handler takes a second; BOT_CONCURRENCY
//   (default 500, the runner's own default) is the sink's concurrency.
import { Bot, session } from "grammy";
import { run, sequentialize } from "@grammyjs/runner";

const GREETING = "Hello! Send me any text and I will count your messages in this chat.";
const DELAY_MS = Number(process.env.BOT_HANDLER_DELAY_MS ?? 0);
const CONCURRENCY = Number(process.env.BOT_CONCURRENCY ?? 500);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const token = process.env.BOT_TOKEN;
const apiRoot = process.env.BOT_API_URL;
if (!token || !apiRoot) {
  console.error("set BOT_TOKEN and BOT_API_URL (the fake Bot API's base URL, no trailing slash)");
  process.exit(2);
}

// The fake answers /bot<token>/<method> as Telegram does, so apiRoot is all grammY needs.
const bot = new Bot(token, { client: { apiRoot } });

const chatKey = (ctx) => ctx.chat?.id.toString();
bot.use(sequentialize(chatKey));
bot.use(session({ getSessionKey: chatKey, initial: () => ({ count: 0 }) }));

bot.command("start", (ctx) => ctx.reply(GREETING));
bot.on("message:text", async (ctx) => {
  ctx.session.count++;
  if (DELAY_MS > 0) await sleep(DELAY_MS);
  await ctx.reply(`${ctx.session.count}: ${ctx.message.text}`);
});

// A lost reply shows up in the driver as a missing one; the log says why.
bot.catch((err) => console.error("update", err.ctx?.update?.update_id, "failed:", err.error));

const runner = run(bot, { sink: { concurrency: CONCURRENCY } });
const stop = () => runner.isRunning() && runner.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
