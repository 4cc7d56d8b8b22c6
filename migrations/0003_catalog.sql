CREATE TABLE `addon_prices` (
	`addon_id` text NOT NULL,
	`period_months` integer NOT NULL,
	`net_minor` integer NOT NULL,
	PRIMARY KEY(`addon_id`, `period_months`),
	FOREIGN KEY (`addon_id`) REFERENCES `addons`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `addons` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`quota_key` text NOT NULL,
	`name` text NOT NULL,
	`pack_size` integer NOT NULL,
	`max_packs` integer,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `plan_limits` (
	`plan_id` text NOT NULL,
	`quota_key` text NOT NULL,
	`limit` integer,
	PRIMARY KEY(`plan_id`, `quota_key`),
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `plan_prices` (
	`plan_id` text NOT NULL,
	`period_months` integer NOT NULL,
	`net_minor` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `period_months`),
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`rank` integer NOT NULL,
	`is_free` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_product_key_unique` ON `plans` (`product_id`,`key`);--> statement-breakpoint
CREATE UNIQUE INDEX `plans_one_free_per_product` ON `plans` (`product_id`) WHERE "plans"."is_free" = 1;--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`currency` text NOT NULL,
	`description` text NOT NULL,
	`billing_periods` text NOT NULL,
	`lapse_policy` text NOT NULL,
	`grace_days` integer DEFAULT 30 NOT NULL,
	`free_validity_months` integer DEFAULT 12 NOT NULL,
	`business_only` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_key_unique` ON `products` (`key`);--> statement-breakpoint
CREATE TABLE `quota_defs` (
	`product_id` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`kind` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`product_id`, `key`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `variants` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`term_months` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	`ecode_validity_months` integer DEFAULT 24 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `variants_product_key_unique` ON `variants` (`product_id`,`key`);