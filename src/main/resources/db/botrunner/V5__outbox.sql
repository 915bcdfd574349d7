-- Bot API calls made inside an update's unit of work (ctx.transaction): written in the unit's
-- transaction, so they exist if and only if the bot's writes, the session and the processed mark
-- committed. The process that committed them sends them at once and deletes each one once sent;
-- lease_until keeps other replicas' recovery sweeps off them meanwhile. A row whose lease ended
-- belongs to a process that died before sending it: a sweep claims it (a new lease) and sends it.
-- seq orders one update's calls, which are sent in the order they were made.

CREATE TABLE IF NOT EXISTS bot_outbox (
    bot_id      bigint      NOT NULL,
    update_id   bigint      NOT NULL,
    seq         integer     NOT NULL,
    method      text        NOT NULL,
    body        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz NOT NULL,
    PRIMARY KEY (bot_id, update_id, seq)
);

-- The sweep looks for one bot's rows whose lease ended.
CREATE INDEX IF NOT EXISTS bot_outbox_lease ON bot_outbox (bot_id, lease_until);
