-- Webhook updates still running at BOT_WEBHOOK_TIMEOUT are saved in bot_pending_update before the
-- 200 goes out. Several webhook replicas share the table, so each such row names the process that
-- runs it (owner, random per process) and how long that claim holds (lease_until). The owner renews
-- its lease while it lives; a row whose lease ended belongs to a dead process and is claimed and run
-- again by another one. Rows spilled by the polling loop have neither (only the poller runs them).

ALTER TABLE bot_pending_update ADD COLUMN owner text;
ALTER TABLE bot_pending_update ADD COLUMN lease_until timestamptz;
