CREATE TABLE `editorial_playlists` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`tracks` text DEFAULT '[]' NOT NULL,
	`target` text DEFAULT '{}' NOT NULL,
	`slot_position` integer,
	`slot_surfaces` text DEFAULT '["home"]' NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer
);
--> statement-breakpoint
CREATE INDEX `editorial_playlists_status_idx` ON `editorial_playlists` (`status`);--> statement-breakpoint
ALTER TABLE `rec_items` ADD `playlist_id` text;