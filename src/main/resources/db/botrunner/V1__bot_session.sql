-- Sessions: one row per session key, written with optimistic versioning (see PostgresSessionStore).
CREATE TABLE IF NOT EXISTS bot_session (
    key        text        PRIMARY KEY,
    data       jsonb       NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL,
    expires_at timestamptz
);

-- The sweeper deletes expired rows through this index; rows without a TTL are not indexed.
CREATE INDEX IF NOT EXISTS bot_session_expires_at ON bot_session (expires_at) WHERE expires_at IS NOT NULL;
