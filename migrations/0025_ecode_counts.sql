CREATE TABLE `ecode_counts` (
	`org_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`org_id`, `variant_id`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `ecode_day_counts` (
	`org_id` text NOT NULL,
	`day` integer NOT NULL,
	`variant_id` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`org_id`, `day`, `variant_id`, `status`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP INDEX `ecodes_org_variant_created`;--> statement-breakpoint
CREATE INDEX `ecodes_org_variant_status_created` ON `ecodes` (`org_id`,`variant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `payments_org_created` ON `payments` (`org_id`,`created_at`);--> statement-breakpoint
INSERT INTO `ecode_counts` (`org_id`, `variant_id`, `status`, `n`)
SELECT `org_id`, `variant_id`, `status`, count(*) FROM `ecodes` GROUP BY `org_id`, `variant_id`, `status`;--> statement-breakpoint
INSERT INTO `ecode_day_counts` (`org_id`, `day`, `variant_id`, `status`, `n`)
SELECT `org_id`, `created_at` / 86400000, `variant_id`, `status`, count(*) FROM `ecodes` GROUP BY `org_id`, `created_at` / 86400000, `variant_id`, `status`;--> statement-breakpoint
CREATE TRIGGER `ecode_counts_insert` AFTER INSERT ON `ecodes`
BEGIN
INSERT INTO `ecode_counts` (`org_id`, `variant_id`, `status`, `n`) VALUES (new.`org_id`, new.`variant_id`, new.`status`, 1)
ON CONFLICT (`org_id`, `variant_id`, `status`) DO UPDATE SET `n` = `n` + 1;
INSERT INTO `ecode_day_counts` (`org_id`, `day`, `variant_id`, `status`, `n`) VALUES (new.`org_id`, new.`created_at` / 86400000, new.`variant_id`, new.`status`, 1)
ON CONFLICT (`org_id`, `day`, `variant_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `ecode_counts_delete` AFTER DELETE ON `ecodes`
BEGIN
UPDATE `ecode_counts` SET `n` = `n` - 1 WHERE `org_id` = old.`org_id` AND `variant_id` = old.`variant_id` AND `status` = old.`status`;
UPDATE `ecode_day_counts` SET `n` = `n` - 1 WHERE `org_id` = old.`org_id` AND `day` = old.`created_at` / 86400000 AND `variant_id` = old.`variant_id` AND `status` = old.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `ecode_counts_update` AFTER UPDATE OF `org_id`, `variant_id`, `status`, `created_at` ON `ecodes`
WHEN old.`org_id` IS NOT new.`org_id` OR old.`variant_id` IS NOT new.`variant_id` OR old.`status` IS NOT new.`status` OR old.`created_at` IS NOT new.`created_at`
BEGIN
UPDATE `ecode_counts` SET `n` = `n` - 1 WHERE `org_id` = old.`org_id` AND `variant_id` = old.`variant_id` AND `status` = old.`status`;
UPDATE `ecode_day_counts` SET `n` = `n` - 1 WHERE `org_id` = old.`org_id` AND `day` = old.`created_at` / 86400000 AND `variant_id` = old.`variant_id` AND `status` = old.`status`;
INSERT INTO `ecode_counts` (`org_id`, `variant_id`, `status`, `n`) VALUES (new.`org_id`, new.`variant_id`, new.`status`, 1)
ON CONFLICT (`org_id`, `variant_id`, `status`) DO UPDATE SET `n` = `n` + 1;
INSERT INTO `ecode_day_counts` (`org_id`, `day`, `variant_id`, `status`, `n`) VALUES (new.`org_id`, new.`created_at` / 86400000, new.`variant_id`, new.`status`, 1)
ON CONFLICT (`org_id`, `day`, `variant_id`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
