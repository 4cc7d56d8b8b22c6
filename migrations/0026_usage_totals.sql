CREATE TABLE `usage_totals` (
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quota_key` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`used` integer NOT NULL,
	PRIMARY KEY(`org_id`, `product_id`, `quota_key`, `period_start`, `period_end`),
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Every event counts in each period row whose span holds its time, whoever writes it (the API, a
-- script, an erasure): a period's row, once created from the sum of its events, stays equal to it.
CREATE TRIGGER `usage_totals_add` AFTER INSERT ON `usage_events`
BEGIN
	UPDATE `usage_totals` SET `used` = `used` + new.`quantity`
	WHERE `org_id` = new.`org_id` AND `product_id` = new.`product_id` AND `quota_key` = new.`quota_key` AND `period_start` <= new.`at` AND `period_end` > new.`at`;
END;
--> statement-breakpoint
CREATE TRIGGER `usage_totals_remove` AFTER DELETE ON `usage_events`
BEGIN
	UPDATE `usage_totals` SET `used` = `used` - old.`quantity`
	WHERE `org_id` = old.`org_id` AND `product_id` = old.`product_id` AND `quota_key` = old.`quota_key` AND `period_start` <= old.`at` AND `period_end` > old.`at`;
END;
--> statement-breakpoint
CREATE TRIGGER `usage_totals_move` AFTER UPDATE OF `org_id`, `product_id`, `quota_key`, `quantity`, `at` ON `usage_events`
BEGIN
	UPDATE `usage_totals` SET `used` = `used` - old.`quantity`
	WHERE `org_id` = old.`org_id` AND `product_id` = old.`product_id` AND `quota_key` = old.`quota_key` AND `period_start` <= old.`at` AND `period_end` > old.`at`;
	UPDATE `usage_totals` SET `used` = `used` + new.`quantity`
	WHERE `org_id` = new.`org_id` AND `product_id` = new.`product_id` AND `quota_key` = new.`quota_key` AND `period_start` <= new.`at` AND `period_end` > new.`at`;
END;
