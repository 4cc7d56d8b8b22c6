CREATE TABLE `licences` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`subscription_id` text,
	`variant_id` text,
	`valid_from` integer NOT NULL,
	`valid_until` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `licences_number_unique` ON `licences` (`number`);--> statement-breakpoint
CREATE INDEX `licences_org` ON `licences` (`org_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `licences_subscription` ON `licences` (`subscription_id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`snapshot` text NOT NULL,
	`addon_packs` text NOT NULL,
	`status` text NOT NULL,
	`period_months` integer,
	`period_start` integer NOT NULL,
	`period_end` integer,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_live_product` ON `subscriptions` (`org_id`,`product_id`) WHERE "subscriptions"."status" <> 'ended';--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quota_key` text NOT NULL,
	`quantity` integer NOT NULL,
	`at` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_idempotency` ON `usage_events` (`org_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `usage_org_quota_at` ON `usage_events` (`org_id`,`product_id`,`quota_key`,`at`);