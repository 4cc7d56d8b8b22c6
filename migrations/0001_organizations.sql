CREATE TABLE `history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`actor_label` text NOT NULL,
	`kind` text NOT NULL,
	`subject_type` text,
	`subject_id` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `history_org_at` ON `history` (`org_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `history_org_kind_at` ON `history` (`org_id`,`kind`,`at`);--> statement-breakpoint
CREATE TABLE `history_erasures` (
	`org_id` text PRIMARY KEY NOT NULL,
	`erased_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `user_id`),
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `memberships_user` ON `memberships` (`user_id`);--> statement-breakpoint
CREATE TABLE `orgs` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`legal_form` text NOT NULL,
	`tax_id` text,
	`address_line` text NOT NULL,
	`postal_code` text NOT NULL,
	`city` text NOT NULL,
	`billing_email` text NOT NULL,
	`einvoice_id` text,
	`time_zone` text NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orgs_slug_unique` ON `orgs` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `orgs_live_tax_id_unique` ON `orgs` (`tax_id`) WHERE "orgs"."deleted_at" is null and "orgs"."tax_id" is not null;--> statement-breakpoint
-- The operation history is append-only (SPEC §11). Only an org being erased after its grace
-- period (SPEC §8) may have its rows changed or removed: the purge first records the erasure.
CREATE TRIGGER `history_append_only_update` BEFORE UPDATE ON `history`
WHEN NOT EXISTS (SELECT 1 FROM `history_erasures` WHERE `org_id` = OLD.`org_id`)
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `history_append_only_delete` BEFORE DELETE ON `history`
WHEN NOT EXISTS (SELECT 1 FROM `history_erasures` WHERE `org_id` = OLD.`org_id`)
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
