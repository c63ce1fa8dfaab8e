CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`arms` text NOT NULL,
	`winner` text,
	`created_by` text NOT NULL,
	`started_at` integer NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
CREATE INDEX `experiments_status_idx` ON `experiments` (`status`);--> statement-breakpoint
ALTER TABLE `rec_items` ADD `arm` text;--> statement-breakpoint
ALTER TABLE `rec_lists` ADD `experiment_id` text;--> statement-breakpoint
ALTER TABLE `rec_lists` ADD `arm` text;