CREATE TABLE `import_unmatched` (
	`event_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`track_name` text NOT NULL,
	`artist_name` text NOT NULL,
	`isrc` text,
	`platform_track_id` text,
	`ts` integer NOT NULL,
	`ms_played` integer,
	`imported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `import_unmatched_user_idx` ON `import_unmatched` (`user_id`,`ts`);