CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`order_id` text NOT NULL,
	`org_id` text NOT NULL,
	`issued_at` integer NOT NULL,
	`seller` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_unique` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_order_unique` ON `invoices` (`order_id`);--> statement-breakpoint
CREATE INDEX `invoices_org_issued` ON `invoices` (`org_id`,`issued_at`);--> statement-breakpoint
CREATE TABLE `number_counters` (
	`series` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `order_lines` (
	`order_id` text NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_net_minor` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`vat_rate_bp` integer NOT NULL,
	`vat_minor` integer NOT NULL,
	PRIMARY KEY(`order_id`, `position`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`org_id` text NOT NULL,
	`placed_by` text,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`net_minor` integer NOT NULL,
	`vat_minor` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	`vat` text NOT NULL,
	`payment_method` text NOT NULL,
	`purchase` text NOT NULL,
	`billing` text NOT NULL,
	`language` text NOT NULL,
	`terms_version` text NOT NULL,
	`terms_accepted_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`paid_via` text,
	`cancelled_at` integer,
	`fulfilment_problem` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`placed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_number_unique` ON `orders` (`number`);--> statement-breakpoint
CREATE INDEX `orders_org_created` ON `orders` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_created` ON `orders` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_gross` ON `orders` (`gross_minor`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`org_id` text NOT NULL,
	`provider` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`provider_ref` text,
	`renewal_key` text,
	`error` text,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payments_order` ON `payments` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_provider_ref` ON `payments` (`provider`,`provider_ref`) WHERE "payments"."provider_ref" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_renewal_key` ON `payments` (`renewal_key`) WHERE "payments"."renewal_key" is not null;--> statement-breakpoint
CREATE TABLE `provider_events` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `saved_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`provider` text NOT NULL,
	`customer_ref` text NOT NULL,
	`method_ref` text NOT NULL,
	`label` text NOT NULL,
	`declines` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `saved_methods_org` ON `saved_methods` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `saved_methods_ref` ON `saved_methods` (`provider`,`method_ref`);--> statement-breakpoint
CREATE TABLE `warehouse_stock` (
	`org_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`units` integer NOT NULL,
	PRIMARY KEY(`org_id`, `variant_id`),
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "warehouse_stock_units_not_negative" CHECK("warehouse_stock"."units" >= 0)
);
--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `auto_renew` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `scheduled_plan_id` text REFERENCES plans(id);--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `scheduled_period_months` integer;--> statement-breakpoint
-- Units granted before the warehouse kept a stock: the stock starts as their sum.
INSERT INTO `warehouse_stock` (`org_id`, `variant_id`, `units`) SELECT `org_id`, `variant_id`, sum(`units`) FROM `warehouse_grants` GROUP BY `org_id`, `variant_id`;
