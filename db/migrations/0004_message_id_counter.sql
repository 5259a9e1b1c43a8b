-- Message ids move from a sequence to the `server_events.messages.last_id` counter row (group
-- commit, lib/server-events-postgres/message-queries.ts); the same step as the provider's own
-- migration 0003_message_id_counter, so either may run first.
DO $$
BEGIN
  IF to_regclass('server_events_message_ids') IS NOT NULL THEN
    INSERT INTO server_events_sequences AS s (name, value)
    SELECT 'server_events.messages.last_id', GREATEST(1,
      (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
       FROM server_events_message_ids),
      COALESCE((SELECT max(id) FROM server_events_messages), 0))
    ON CONFLICT (name) DO UPDATE SET value = GREATEST(s.value, excluded.value);
    DROP SEQUENCE server_events_message_ids;
  END IF;
END $$;
