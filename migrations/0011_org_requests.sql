CREATE TABLE `org_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text,
	`status` text NOT NULL,
	`details` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	`reason` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `org_requests_org_status` ON `org_requests` (`org_id`,`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `org_requests_one_open` ON `org_requests` (`org_id`,`user_id`,`kind`) WHERE "org_requests"."status" = 'pending';