CREATE TABLE `digests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`window_key` text NOT NULL,
	`sent_at` integer NOT NULL,
	`pending` integer NOT NULL,
	`new_since` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digests_window_key_unique` ON `digests` (`window_key`);--> statement-breakpoint
CREATE INDEX `digests_user_sent` ON `digests` (`user_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `org_requests_pending` ON `org_requests` (`created_at`) WHERE "org_requests"."status" = 'pending';