CREATE TABLE `track_audio` (
	`track_id` text PRIMARY KEY NOT NULL,
	`object_key` text NOT NULL,
	`sha256` text NOT NULL,
	`format` text NOT NULL,
	`bytes` integer NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`features` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`uploaded_at` integer NOT NULL,
	`analysed_at` integer
);
