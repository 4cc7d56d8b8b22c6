CREATE TABLE `ecodes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`lookup_hash` text NOT NULL,
	`sealed` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_org_id` text,
	`used_by_user_id` text,
	`disposed_at` integer,
	`recipient_name` text,
	`message` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`used_by_org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`used_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ecodes_lookup_hash` ON `ecodes` (`lookup_hash`);--> statement-breakpoint
CREATE INDEX `ecodes_org_status_created` ON `ecodes` (`org_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `ecodes_org_status_expires` ON `ecodes` (`org_id`,`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `ecodes_org_variant_created` ON `ecodes` (`org_id`,`variant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `ecodes_used_by` ON `ecodes` (`used_by_org_id`,`used_at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `attachments` text;