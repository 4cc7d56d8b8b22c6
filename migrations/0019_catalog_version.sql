CREATE TABLE `catalog_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);--> statement-breakpoint
INSERT INTO `catalog_version` (`id`, `version`) VALUES (1, 1);--> statement-breakpoint
CREATE TRIGGER `catalog_version_products_insert` AFTER INSERT ON `products`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_products_update` AFTER UPDATE ON `products`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_products_delete` AFTER DELETE ON `products`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_quota_defs_insert` AFTER INSERT ON `quota_defs`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_quota_defs_update` AFTER UPDATE ON `quota_defs`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_quota_defs_delete` AFTER DELETE ON `quota_defs`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plans_insert` AFTER INSERT ON `plans`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plans_update` AFTER UPDATE ON `plans`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plans_delete` AFTER DELETE ON `plans`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plan_prices_insert` AFTER INSERT ON `plan_prices`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plan_prices_update` AFTER UPDATE ON `plan_prices`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plan_prices_delete` AFTER DELETE ON `plan_prices`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plan_limits_insert` AFTER INSERT ON `plan_limits`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plan_limits_update` AFTER UPDATE ON `plan_limits`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_plan_limits_delete` AFTER DELETE ON `plan_limits`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_addons_insert` AFTER INSERT ON `addons`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_addons_update` AFTER UPDATE ON `addons`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_addons_delete` AFTER DELETE ON `addons`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_addon_prices_insert` AFTER INSERT ON `addon_prices`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_addon_prices_update` AFTER UPDATE ON `addon_prices`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_addon_prices_delete` AFTER DELETE ON `addon_prices`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_variants_insert` AFTER INSERT ON `variants`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_variants_update` AFTER UPDATE ON `variants`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `catalog_version_variants_delete` AFTER DELETE ON `variants`
BEGIN UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1; END;
