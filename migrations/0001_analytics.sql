CREATE TABLE `analytics_dirty_days` (
	`day` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `artist_clock_daily` (
	`artist_id` text NOT NULL,
	`day` integer NOT NULL,
	`weekday` integer NOT NULL,
	`hour` integer NOT NULL,
	`streams` integer NOT NULL,
	PRIMARY KEY(`artist_id`, `day`, `weekday`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `artist_clock_daily_day_idx` ON `artist_clock_daily` (`day`);--> statement-breakpoint
CREATE TABLE `artist_daily` (
	`artist_id` text NOT NULL,
	`day` integer NOT NULL,
	`listeners` integer NOT NULL,
	`reach` integer NOT NULL,
	PRIMARY KEY(`artist_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `artist_daily_day_idx` ON `artist_daily` (`day`);--> statement-breakpoint
CREATE TABLE `artist_user_daily` (
	`artist_id` text NOT NULL,
	`day` integer NOT NULL,
	`user_id` text NOT NULL,
	`plays` integer NOT NULL,
	`streams` integer NOT NULL,
	`completions` integer NOT NULL,
	`saves` integer NOT NULL,
	`unsaves` integer NOT NULL,
	`impressions` integer NOT NULL,
	PRIMARY KEY(`artist_id`, `day`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `artist_user_daily_user_idx` ON `artist_user_daily` (`user_id`,`artist_id`);--> statement-breakpoint
CREATE INDEX `artist_user_daily_day_idx` ON `artist_user_daily` (`day`);--> statement-breakpoint
CREATE INDEX `artist_user_daily_listeners_idx` ON `artist_user_daily` (`artist_id`,`user_id`,`day`) WHERE streams > 0;--> statement-breakpoint
CREATE INDEX `artist_user_daily_reach_idx` ON `artist_user_daily` (`artist_id`,`user_id`,`day`) WHERE impressions > 0;--> statement-breakpoint
CREATE TABLE `campaign_members` (
	`campaign_id` text NOT NULL,
	`user_id` text NOT NULL,
	`treated` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `campaign_members_user_idx` ON `campaign_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`artist_id` text NOT NULL,
	`track_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`holdout_share` real NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `campaigns_artist_idx` ON `campaigns` (`artist_id`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`artist_id` text NOT NULL,
	`rule` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `segments_artist_idx` ON `segments` (`artist_id`);--> statement-breakpoint
CREATE TABLE `track_daily` (
	`track_id` text NOT NULL,
	`day` integer NOT NULL,
	`artist_id` text NOT NULL,
	`plays_started` integer NOT NULL,
	`plays` integer NOT NULL,
	`streams` integer NOT NULL,
	`completions` integer NOT NULL,
	`skips` integer NOT NULL,
	`ms_played` integer NOT NULL,
	`saves` integer NOT NULL,
	`unsaves` integer NOT NULL,
	`playlist_adds` integer NOT NULL,
	`playlist_removes` integer NOT NULL,
	`shares` integer NOT NULL,
	`impressions` integer NOT NULL,
	`algorithmic_streams` integer NOT NULL,
	PRIMARY KEY(`track_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `track_daily_artist_day_idx` ON `track_daily` (`artist_id`,`day`);--> statement-breakpoint
CREATE INDEX `track_daily_day_idx` ON `track_daily` (`day`);--> statement-breakpoint
CREATE TABLE `track_daily_breakdown` (
	`track_id` text NOT NULL,
	`day` integer NOT NULL,
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`artist_id` text NOT NULL,
	`streams` integer NOT NULL,
	`impressions` integer NOT NULL,
	`saves` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`track_id`, `day`, `dim`, `key`)
);
--> statement-breakpoint
CREATE INDEX `track_daily_breakdown_artist_idx` ON `track_daily_breakdown` (`artist_id`,`dim`,`day`);--> statement-breakpoint
CREATE INDEX `track_daily_breakdown_day_idx` ON `track_daily_breakdown` (`day`);--> statement-breakpoint
CREATE INDEX `events_received_idx` ON `events` (`received_at`);