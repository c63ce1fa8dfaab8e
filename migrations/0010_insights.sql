CREATE TABLE `insight_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`artist_id` text NOT NULL,
	`day` integer NOT NULL,
	`metric` text NOT NULL,
	`direction` text NOT NULL,
	`value` real NOT NULL,
	`median` real NOT NULL,
	`mad` real NOT NULL,
	`low` real NOT NULL,
	`high` real NOT NULL,
	`detected_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `insight_alerts_artist_day_metric_idx` ON `insight_alerts` (`artist_id`,`day`,`metric`);--> statement-breakpoint
CREATE INDEX `insight_alerts_day_idx` ON `insight_alerts` (`day`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`artist_id` text NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_artist_idx` ON `webhook_deliveries` (`artist_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook_idx` ON `webhook_deliveries` (`webhook_id`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`artist_id` text NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhooks_artist_idx` ON `webhooks` (`artist_id`);