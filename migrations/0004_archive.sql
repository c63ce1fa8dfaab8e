CREATE TABLE `event_archive` (
	`key` text PRIMARY KEY NOT NULL,
	`day` integer NOT NULL,
	`rows` integer NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`event_id_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `event_archive_day_idx` ON `event_archive` (`day`);