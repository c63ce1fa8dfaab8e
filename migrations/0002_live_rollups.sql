CREATE TABLE `rollup_pending` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`received_at` integer NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `rollup_pending_received_idx` ON `rollup_pending` (`received_at`);--> statement-breakpoint
DROP INDEX `events_received_idx`;--> statement-breakpoint
ALTER TABLE `events` ADD `batch_id` text;--> statement-breakpoint
CREATE INDEX `events_batch_idx` ON `events` (`batch_id`);--> statement-breakpoint
ALTER TABLE `analytics_dirty_days` ADD `marked_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `track_daily` ADD `play_starts` integer DEFAULT 0 NOT NULL;