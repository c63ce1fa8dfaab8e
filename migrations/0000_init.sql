CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`role` text NOT NULL,
	`name` text NOT NULL,
	`artist_ids` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE TABLE `artists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`track_id` text NOT NULL,
	`type` text NOT NULL,
	`ts` integer NOT NULL,
	`ms_played` integer,
	`source` text,
	`surface` text,
	`rec_id` text,
	`position` integer,
	`playlist_id` text,
	`device` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_user_ts_idx` ON `events` (`user_id`,`ts`);--> statement-breakpoint
CREATE INDEX `events_track_ts_idx` ON `events` (`track_id`,`ts`);--> statement-breakpoint
CREATE INDEX `events_ts_idx` ON `events` (`ts`);--> statement-breakpoint
CREATE INDEX `events_rec_idx` ON `events` (`rec_id`);--> statement-breakpoint
CREATE TABLE `models` (
	`version` text PRIMARY KEY NOT NULL,
	`manifest` text NOT NULL,
	`uploaded_at` integer NOT NULL,
	`activated_at` integer
);
--> statement-breakpoint
CREATE TABLE `rec_items` (
	`rec_id` text NOT NULL,
	`position` integer NOT NULL,
	`track_id` text NOT NULL,
	`user_id` text NOT NULL,
	`score` real,
	`source` text NOT NULL,
	`reason` text,
	`campaign_id` text,
	`served_at` integer NOT NULL,
	PRIMARY KEY(`rec_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `rec_items_track_idx` ON `rec_items` (`track_id`,`served_at`);--> statement-breakpoint
CREATE INDEX `rec_items_served_idx` ON `rec_items` (`served_at`);--> statement-breakpoint
CREATE TABLE `rec_lists` (
	`rec_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`model_version` text,
	`surface` text,
	`context` text,
	`served_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rec_lists_user_idx` ON `rec_lists` (`user_id`,`served_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tracks` (
	`id` text PRIMARY KEY NOT NULL,
	`artist_id` text NOT NULL,
	`title` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`release_date` text,
	`genre` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`tempo` real,
	`key` integer,
	`mode` integer,
	`energy` real,
	`danceability` real,
	`valence` real,
	`acousticness` real,
	`instrumentalness` real,
	`speechiness` real,
	`liveness` real,
	`loudness` real,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tracks_artist_idx` ON `tracks` (`artist_id`);--> statement-breakpoint
CREATE INDEX `tracks_genre_idx` ON `tracks` (`genre`);--> statement-breakpoint
CREATE INDEX `tracks_release_idx` ON `tracks` (`release_date`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`timezone` text,
	`country` text,
	`first_seen_at` integer NOT NULL
);
