CREATE SEQUENCE "public"."server_events_message_ids" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 2 CACHE 1;--> statement-breakpoint
CREATE TABLE "server_events_chat_messages" (
	"id" bigint PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"from_user_id" text NOT NULL,
	"from_name" text NOT NULL,
	"display_name" text NOT NULL,
	"message" text NOT NULL,
	"user_auth_id" text,
	"private" boolean DEFAULT false NOT NULL,
	"selector" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_events_messages" (
	"id" bigint PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"target_kind" text NOT NULL,
	"target_value" text,
	"channel_filter" text,
	"selector" text NOT NULL,
	"json" text NOT NULL,
	"ephemeral" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_events_sequences" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_events_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text,
	"session_id" text,
	"display_name" text NOT NULL,
	"is_authenticated" boolean NOT NULL,
	"profile_url" text NOT NULL,
	"channels" text[] NOT NULL,
	"meta" jsonb NOT NULL,
	"connect_args" jsonb NOT NULL,
	"server_args" jsonb NOT NULL,
	"user_address" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_pulse_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "server_events_chat_messages_channel_id_idx" ON "server_events_chat_messages" USING btree ("channel","id");--> statement-breakpoint
CREATE INDEX "server_events_messages_created_at_idx" ON "server_events_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "server_events_subscriptions_instance_idx" ON "server_events_subscriptions" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "server_events_subscriptions_user_id_idx" ON "server_events_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "server_events_subscriptions_last_pulse_idx" ON "server_events_subscriptions" USING btree ("last_pulse_at");--> statement-breakpoint
CREATE INDEX "server_events_subscriptions_channels_idx" ON "server_events_subscriptions" USING gin ("channels");