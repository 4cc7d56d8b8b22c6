CREATE TABLE `blob_chunks` (
	`key` text NOT NULL,
	`seq` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`key`, `seq`),
	FOREIGN KEY (`key`) REFERENCES `blobs`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `blobs` (
	`key` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`chunks` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `statements` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`file_key` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`file_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`reason` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `statements_status_created` ON `statements` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `statements_org_user` ON `statements` (`org_id`,`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `statements_one_pending` ON `statements` (`org_id`,`user_id`) WHERE "statements"."status" = 'pending';--> statement-breakpoint
-- A statement's scan goes with it, however the row is deleted (its org or its uploader's account).
CREATE TRIGGER `statements_delete_blob` AFTER DELETE ON `statements`
BEGIN
  DELETE FROM `blob_chunks` WHERE `key` = OLD.`file_key`;
  DELETE FROM `blobs` WHERE `key` = OLD.`file_key`;
END;
