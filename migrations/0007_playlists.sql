CREATE TABLE `generated_playlists` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`rec_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`colour` text NOT NULL,
	`model_version` text,
	`generated_at` integer NOT NULL,
	`items` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`, `period`)
);
--> statement-breakpoint
CREATE INDEX `generated_playlists_rec_idx` ON `generated_playlists` (`rec_id`);