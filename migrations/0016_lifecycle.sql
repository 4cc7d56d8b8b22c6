CREATE TABLE `lifecycle_notices` (
	`key` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lifecycle_notices_org` ON `lifecycle_notices` (`org_id`,`sent_at`);--> statement-breakpoint
ALTER TABLE `orgs` ADD `last_login_at` integer;--> statement-breakpoint
CREATE INDEX `ecodes_status_expires` ON `ecodes` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `subscriptions_status_period_end` ON `subscriptions` (`status`,`period_end`);