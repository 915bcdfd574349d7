-- Per-bot state: several bots (tokens) share one database and one schema. Every row names its bot
-- by the numeric id before the ':' of the token (never the secret part).
--
-- Rows written before this script belong to the one bot that used the database then; SQL cannot
-- know its id, so they get bot_id 0 (no real bot has it). The first bot to start on the migrated
-- database claims them (PostgresSessionStore.claimUnclaimedRows: UPDATE ... SET bot_id = <its id>
-- WHERE bot_id = 0, in one transaction, under an advisory lock). The default is dropped again so
-- that a later insert that does not name its bot fails instead of landing in the unclaimed rows.

ALTER TABLE bot_session ADD COLUMN bot_id bigint NOT NULL DEFAULT 0;
ALTER TABLE bot_session ALTER COLUMN bot_id DROP DEFAULT;
ALTER TABLE bot_session DROP CONSTRAINT bot_session_pkey;
ALTER TABLE bot_session ADD CONSTRAINT bot_session_pkey PRIMARY KEY (bot_id, key);
-- The sweeper deletes one bot's expired rows.
DROP INDEX bot_session_expires_at;
CREATE INDEX bot_session_expires_at ON bot_session (bot_id, expires_at)
    WHERE expires_at IS NOT NULL;

ALTER TABLE bot_processed_update ADD COLUMN bot_id bigint NOT NULL DEFAULT 0;
ALTER TABLE bot_processed_update ALTER COLUMN bot_id DROP DEFAULT;
ALTER TABLE bot_processed_update DROP CONSTRAINT bot_processed_update_pkey;
ALTER TABLE bot_processed_update ADD CONSTRAINT bot_processed_update_pkey
    PRIMARY KEY (bot_id, update_id);
-- The pruner deletes one bot's old ids.
DROP INDEX bot_processed_update_at;
CREATE INDEX bot_processed_update_at ON bot_processed_update (bot_id, processed_at);

ALTER TABLE bot_pending_update ADD COLUMN bot_id bigint NOT NULL DEFAULT 0;
ALTER TABLE bot_pending_update ALTER COLUMN bot_id DROP DEFAULT;
ALTER TABLE bot_pending_update DROP CONSTRAINT bot_pending_update_pkey;
-- Also the order in which a bot's spilled updates are loaded at startup.
ALTER TABLE bot_pending_update ADD CONSTRAINT bot_pending_update_pkey
    PRIMARY KEY (bot_id, update_id);
