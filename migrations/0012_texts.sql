CREATE TABLE `text_mentions` (
	`text_id` text NOT NULL,
	`entity_kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`artist_id` text NOT NULL,
	`day` integer NOT NULL,
	`occurrences` integer NOT NULL,
	`confidence` real NOT NULL,
	`sentiment` real NOT NULL,
	PRIMARY KEY(`text_id`, `entity_kind`, `entity_id`)
);
--> statement-breakpoint
CREATE INDEX `text_mentions_artist_day_idx` ON `text_mentions` (`artist_id`,`day`);--> statement-breakpoint
CREATE TABLE `text_tags` (
	`text_id` text NOT NULL,
	`entity_kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`tag` text NOT NULL,
	`source` text DEFAULT 'text' NOT NULL,
	`weight` real NOT NULL,
	PRIMARY KEY(`text_id`, `entity_kind`, `entity_id`, `tag`)
);
--> statement-breakpoint
CREATE INDEX `text_tags_entity_idx` ON `text_tags` (`entity_kind`,`entity_id`);--> statement-breakpoint
CREATE TABLE `texts` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`source` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`published_at` integer NOT NULL,
	`day` integer NOT NULL,
	`sentiment` real NOT NULL,
	`received_at` integer NOT NULL,
	`batch_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `texts_batch_idx` ON `texts` (`batch_id`);