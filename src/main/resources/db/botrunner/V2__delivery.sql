-- Durable dedupe: the id of every processed update, written in the same transaction as the
-- session write of that update (or alone when it touched no session). Pruned after
-- BOT_DEDUPE_RETENTION.
CREATE TABLE IF NOT EXISTS bot_processed_update (
    update_id    bigint      PRIMARY KEY,
    processed_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS bot_processed_update_at ON bot_processed_update (processed_at);

-- Updates the poller confirmed to Telegram before they finished ("spilled" past a slow update):
-- saved before the offset passes them, deleted when they finish, run again at startup.
CREATE TABLE IF NOT EXISTS bot_pending_update (
    update_id   bigint      PRIMARY KEY,
    data        jsonb       NOT NULL,
    received_at timestamptz NOT NULL
);
